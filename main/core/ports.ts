// Ports the engine is handed, so tests drive it with fakes and no test sleeps for real.

export interface Clock {
  now(): number;
  /** Schedules fn after ms; returns a cancel function. */
  setTimeout(fn: () => void, ms: number): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    // Node timers overflow past 2^31-1 ms; long waits are re-armed by the callers' schedulers.
    const handle = setTimeout(fn, Math.min(Math.max(0, ms), 2_147_483_647));
    handle.unref?.();
    return () => clearTimeout(handle);
  },
};

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
