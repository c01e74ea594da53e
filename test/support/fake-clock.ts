// A Clock for tests: time moves only when the test says so, and timers fire in due order
// (ties in the order they were set), each with now() equal to its due time.
import type { Clock } from '../../main/core/ports';

export interface FakeClock extends Clock {
  /** Moves time forward by ms, firing every timer that falls due on the way (sync). */
  advance(ms: number): void;
  /** Moves time to an absolute epoch ms (never backwards), firing timers on the way. */
  advanceTo(at: number): void;
  /** Fires timers until none is left; throws after `limit` firings (a timer re-arming forever). */
  runAll(limit?: number): void;
  /** Like advance, but lets promise chains settle before and after each timer fires. */
  tick(ms: number): Promise<void>;
  tickTo(at: number): Promise<void>;
  /** Like runAll, settling promises between timers. */
  runAllAsync(limit?: number): Promise<void>;
  /**
   * The machine sleeps for ms: the wall clock (now) moves on, but timers, which run on a clock
   * that stops during sleep, fall due that much later — as Node's do after a suspend.
   */
  sleep(ms: number): void;
  /** Lets pending promise callbacks run without moving time. */
  settle(): Promise<void>;
  /** How many timers are armed. */
  pendingTimers(): number;
  /** Due time of the earliest armed timer, or null. */
  nextTimerAt(): number | null;
}

interface Timer { id: number; due: number; fn: () => void }

/** Starts at `startMs` (default 2026-01-15T12:00:00Z). */
export function createFakeClock(startMs = Date.UTC(2026, 0, 15, 12, 0, 0)): FakeClock {
  let now = startMs;
  let nextId = 1;
  const timers = new Map<number, Timer>();

  const earliest = (): Timer | undefined => {
    let best: Timer | undefined;
    for (const t of timers.values()) {
      if (!best || t.due < best.due || (t.due === best.due && t.id < best.id)) best = t;
    }
    return best;
  };

  const fireNextDue = (limit: number): boolean => {
    const t = earliest();
    if (!t || t.due > limit) return false;
    timers.delete(t.id);
    now = Math.max(now, t.due);
    t.fn();
    return true;
  };

  // setImmediate runs after the whole microtask queue has drained, so one hop settles every
  // promise chain that does not wait on real I/O; a few hops cover chains that schedule more.
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  };

  const clock: FakeClock = {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { id, due: now + Math.max(0, ms), fn });
      return () => { timers.delete(id); };
    },
    advance(ms) { clock.advanceTo(now + ms); },
    sleep(ms) {
      now += ms;
      for (const t of timers.values()) t.due += ms;
    },
    advanceTo(at) {
      while (fireNextDue(at)) { /* keep firing */ }
      now = Math.max(now, at);
    },
    runAll(limit = 10_000) {
      for (let i = 0; i < limit; i++) if (!fireNextDue(Infinity)) return;
      throw new Error(`FakeClock.runAll: still firing after ${limit} timers`);
    },
    async tick(ms) { await clock.tickTo(now + ms); },
    async tickTo(at) {
      await settle();
      while (fireNextDue(at)) await settle();
      now = Math.max(now, at);
      await settle();
    },
    async runAllAsync(limit = 10_000) {
      await settle();
      for (let i = 0; i < limit; i++) {
        if (!fireNextDue(Infinity)) return;
        await settle();
      }
      throw new Error(`FakeClock.runAllAsync: still firing after ${limit} timers`);
    },
    settle,
    pendingTimers: () => timers.size,
    nextTimerAt: () => earliest()?.due ?? null,
  };
  return clock;
}
