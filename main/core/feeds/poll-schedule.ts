// When a feed polls next: its interval with a little jitter after a success (so feeds added
// together drift apart), exponential backoff capped at six hours after failures.

export const MAX_BACKOFF_MS = 6 * 60 * 60 * 1000;
const MINUTE = 60_000;

/** Jitter is up to 10 % of the interval, at most two minutes, either way. */
export function jitterMs(intervalMs: number, random: () => number): number {
  const span = Math.min(intervalMs * 0.1, 2 * MINUTE);
  return Math.round((random() * 2 - 1) * span);
}

export function delayAfterSuccess(intervalMinutes: number, random: () => number): number {
  const interval = intervalMinutes * MINUTE;
  return Math.max(MINUTE / 2, interval + jitterMs(interval, random));
}

/** 1st failure: one interval (at most 5 min); then doubling; never more than 6 h. */
export function delayAfterFailure(intervalMinutes: number, consecutiveFailures: number, random: () => number): number {
  const base = Math.min(intervalMinutes, 5) * MINUTE;
  const exp = base * 2 ** Math.max(0, consecutiveFailures - 1);
  const capped = Math.min(MAX_BACKOFF_MS, exp);
  return Math.min(MAX_BACKOFF_MS, Math.max(MINUTE / 2, capped + jitterMs(capped, random)));
}
