// Sleep, and the end of the OS session.
//
// After sleep ('resume') or an unlocked screen the engine is told to catch up (wake(): polls
// that fell due, pauses whose time passed, posts that were in flight), since timers did not
// run while the machine slept.
//
// A shutdown, restart or log-off must not lose the store's coalesced writes. On Linux and macOS
// powerMonitor says 'shutdown': Crier asks the OS to wait (preventDefault), flushes, and quits
// as the tray's Quit would. On Windows app 'before-quit' does not fire for a session end, and
// the session events are BrowserWindow events ('query-session-end', then 'session-end'), so a
// hidden window of our own listens for them even when no page is open: the first flushes (the
// user may still cancel the shutdown, so Crier keeps running), the second flushes and quits.
import type { Logger } from '../core/ports';

/** The window the session events arrive on; hidden, never loads a page. */
export interface SessionWindow {
  on(event: 'query-session-end' | 'session-end', listener: (event: { reasons?: string[] }) => void): unknown;
  isDestroyed(): boolean;
  destroy(): void;
}

export interface PowerDeps {
  powerMonitor: {
    on(event: 'resume' | 'unlock-screen' | 'shutdown', listener: (...args: unknown[]) => void): unknown;
    removeListener(event: 'resume' | 'unlock-screen' | 'shutdown', listener: (...args: unknown[]) => void): unknown;
  };
  platform: NodeJS.Platform;
  /** The engine's catch-up after sleep, where the engine has one. */
  wake(): void;
  /**
   * Writes what the store has coalesced. The store writes synchronously, so the records are on
   * disk when the call returns, before any await: a session end may not wait for a promise.
   */
  flush(): Promise<void>;
  /** Crier's own quit: the engine closed within its budget, then exit. */
  quit(): void;
  /** Windows only: `new BrowserWindow({ show: false, … })`. */
  createSessionWindow(): SessionWindow;
  log: Logger;
}

export function watchPowerAndSession(deps: PowerDeps): { dispose(): void } {
  const { powerMonitor, log } = deps;
  const flush = (why: string): void => {
    deps.flush().catch((err: unknown) => log.error('desktop: flushing the store failed', { why, error: err instanceof Error ? err.message : String(err) }));
  };

  const woke = (event: string) => (): void => {
    log.info('desktop: the system is back; catching up', { event });
    try {
      deps.wake();
    } catch (err) {
      log.error('desktop: catching up after sleep failed', { error: err instanceof Error ? err.message : String(err) });
    }
  };
  const onResume = woke('resume');
  const onUnlock = woke('unlock-screen');
  powerMonitor.on('resume', onResume);
  powerMonitor.on('unlock-screen', onUnlock);

  // Linux and macOS: the event's preventDefault() asks the OS to wait while the app quits.
  const onShutdown = (...args: unknown[]): void => {
    const event = args[0] as { preventDefault?: () => void } | undefined;
    event?.preventDefault?.();
    log.info('desktop: the system is shutting down; quitting');
    flush('shutdown');
    deps.quit();
  };
  if (deps.platform !== 'win32') powerMonitor.on('shutdown', onShutdown);

  let sessionWindow: SessionWindow | null = null;
  if (deps.platform === 'win32') {
    sessionWindow = deps.createSessionWindow();
    sessionWindow.on('query-session-end', (event) => {
      log.info('desktop: the session may end; writing everything out', { reasons: event.reasons });
      flush('query-session-end');
    });
    sessionWindow.on('session-end', (event) => {
      log.info('desktop: the session is ending; quitting', { reasons: event.reasons });
      flush('session-end');
      deps.quit();
    });
  }

  return {
    dispose() {
      powerMonitor.removeListener('resume', onResume);
      powerMonitor.removeListener('unlock-screen', onUnlock);
      powerMonitor.removeListener('shutdown', onShutdown);
      if (sessionWindow && !sessionWindow.isDestroyed()) sessionWindow.destroy();
      sessionWindow = null;
    },
  };
}
