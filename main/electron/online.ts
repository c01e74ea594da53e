// Tells the engine when the OS says the network is gone or back, so the queue pauses instead of
// burning retries. Electron offers no reliable online/offline event in the main process, so it
// polls net.isOnline().
import type { Clock, Logger } from '../core/ports';

export const ONLINE_POLL_MS = 30_000;

export interface OnlineWatcherDeps {
  isOnline(): boolean;
  setOffline(offline: boolean): void;
  clock: Clock;
  log: Logger;
  intervalMs?: number;
}

/** Checks at once, then every intervalMs; reports changes only (the engine starts online). */
export function watchOnline(deps: OnlineWatcherDeps): { stop(): void } {
  const interval = deps.intervalMs ?? ONLINE_POLL_MS;
  let online = true;
  let cancel: (() => void) | null = null;
  let stopped = false;

  const check = (): void => {
    let now: boolean;
    try {
      now = deps.isOnline();
    } catch {
      now = online; // no answer is not news
    }
    if (now !== online) {
      online = now;
      deps.log.info(now ? 'network: back online' : 'network: offline');
      deps.setOffline(!now);
    }
    if (!stopped) cancel = deps.clock.setTimeout(check, interval);
  };
  check();

  return {
    stop() {
      stopped = true;
      cancel?.();
      cancel = null;
    },
  };
}
