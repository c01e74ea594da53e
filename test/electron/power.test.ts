import { beforeEach, describe, expect, it, vi } from 'vitest';
import { watchPowerAndSession, type PowerDeps } from '../../main/electron/power';
import { silentLogger } from '../../main/core/ports';
import { BrowserWindow, mockEvent, powerMonitor, resetElectronMock } from '../mocks/electron';

beforeEach(() => resetElectronMock());

function setup(platform: NodeJS.Platform) {
  const order: string[] = [];
  const deps: PowerDeps = {
    powerMonitor,
    platform,
    wake: vi.fn(() => { order.push('wake'); }),
    flush: vi.fn(async () => { order.push('flush'); }),
    quit: vi.fn(() => { order.push('quit'); }),
    createSessionWindow: vi.fn(() => new BrowserWindow({ show: false })),
    log: silentLogger,
  };
  const watcher = watchPowerAndSession(deps);
  return { deps, order, watcher };
}

describe('sleep', () => {
  it.each<NodeJS.Platform>(['linux', 'darwin', 'win32'])('on %s asks the engine to catch up when the system resumes', (platform) => {
    const { deps } = setup(platform);
    powerMonitor.emit('resume');
    expect(deps.wake).toHaveBeenCalledOnce();
  });

  it('asks the engine to catch up when the screen is unlocked', () => {
    const { deps } = setup('darwin');
    powerMonitor.emit('unlock-screen');
    expect(deps.wake).toHaveBeenCalledOnce();
  });

  it('logs a catch-up that throws instead of letting it escape the event', () => {
    const error = vi.fn();
    const { deps } = setup('linux');
    watchPowerAndSession({ ...deps, wake: () => { throw new Error('engine closed'); }, log: { ...silentLogger, error } });
    expect(() => powerMonitor.emit('resume')).not.toThrow();
    expect(error).toHaveBeenCalledWith('desktop: catching up after sleep failed', { error: 'engine closed' });
  });
});

describe('the end of the session', () => {
  it.each<NodeJS.Platform>(['linux', 'darwin'])('on %s asks the OS to wait, flushes the store and quits at shutdown', (platform) => {
    const { order } = setup(platform);
    const event = mockEvent();
    powerMonitor.emit('shutdown', event);
    expect(event.defaultPrevented).toBe(true);
    expect(order).toEqual(['flush', 'quit']);
    expect(BrowserWindow.instances).toHaveLength(0);
  });

  it('on Windows keeps a hidden window that flushes when the session may end and quits when it does', () => {
    const { deps, order } = setup('win32');
    expect(BrowserWindow.instances).toHaveLength(1);
    const win = BrowserWindow.instances[0]!;
    expect(win.visible).toBe(false);
    win.emit('query-session-end', mockEvent({ reasons: ['shutdown'] }));
    // The user may still cancel the shutdown: written out, still running.
    expect(order).toEqual(['flush']);
    win.emit('session-end', mockEvent({ reasons: ['shutdown'] }));
    expect(order).toEqual(['flush', 'flush', 'quit']);
    expect(deps.quit).toHaveBeenCalledOnce();
  });

  it('on Windows ignores powerMonitor shutdown, which Electron emits only on Linux and macOS', () => {
    const { order } = setup('win32');
    expect(powerMonitor.listenerCount('shutdown')).toBe(0);
    BrowserWindow.sessionEnds(['logoff']);
    expect(order).toEqual(['flush', 'flush', 'quit']);
  });

  it('logs a flush that fails, and still quits', async () => {
    const error = vi.fn();
    const quit = vi.fn();
    watchPowerAndSession({
      powerMonitor, platform: 'linux', wake: () => {}, quit, createSessionWindow: () => new BrowserWindow(),
      flush: async () => { throw new Error('disk full'); }, log: { ...silentLogger, error },
    });
    powerMonitor.emit('shutdown', mockEvent());
    expect(quit).toHaveBeenCalled();
    await vi.waitFor(() => expect(error).toHaveBeenCalledWith('desktop: flushing the store failed', { why: 'shutdown', error: 'disk full' }));
  });

  it('stops listening and removes its window when disposed', () => {
    const { watcher } = setup('win32');
    watcher.dispose();
    expect(BrowserWindow.instances[0]!.destroyed).toBe(true);
    expect(powerMonitor.listenerCount('resume')).toBe(0);
    expect(powerMonitor.listenerCount('unlock-screen')).toBe(0);
  });
});
