// Headless Crier has no OS event for "the machine woke up": it checks every 10 s how far the
// wall clock moved. Timers stop while the machine sleeps (and while the process is stopped),
// the wall clock does not, so a check that finds it moved more than 5 s past the period is
// a wake, and the engine re-plans (overdue polls, pauses past their time).

export const WAKE_CHECK_MS = 10_000;
export const WAKE_JUMP_MS = 5_000;

export interface WakeDetectorDeps {
  /** The wall clock (Date.now). */
  now(): number;
  setInterval(fn: () => void, ms: number): () => void;
  onWake(sleptMs: number): void;
}

/** Starts checking; returns the function that stops it. */
export function startWakeDetector(deps: WakeDetectorDeps, periodMs = WAKE_CHECK_MS, jumpMs = WAKE_JUMP_MS): () => void {
  let last = deps.now();
  return deps.setInterval(() => {
    const now = deps.now();
    const moved = now - last;
    last = now;
    if (moved > periodMs + jumpMs) deps.onWake(moved - periodMs);
  }, periodMs);
}
