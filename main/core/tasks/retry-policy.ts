// How long a task waits before its next attempt after a transient failure.
import type { Settings } from '../../../preload/contract';

export type RetrySettings = Pick<Settings, 'retryBaseSeconds' | 'retryMaxSeconds' | 'maxAttempts'>;

/**
 * The ceiling for the wait after the `attempts`-th attempt failed:
 * retryBaseSeconds · 2^(attempts−1), capped at retryMaxSeconds. In ms.
 */
export function backoffCeilingMs(attempts: number, s: RetrySettings): number {
  const exponent = Math.max(0, attempts - 1);
  // 2^exponent overflows to Infinity long before it matters; min() keeps the cap exact.
  const seconds = Math.min(s.retryMaxSeconds, s.retryBaseSeconds * 2 ** exponent);
  return seconds * 1000;
}

/**
 * "Equal jitter": half the ceiling is fixed, the other half random, so tasks that failed
 * together (X down for everyone) spread out, yet none comes back sooner than half its wait.
 * `random` returns [0, 1); the result is in [ceiling/2, ceiling].
 */
export function backoffMs(attempts: number, s: RetrySettings, random: () => number): number {
  const ceiling = backoffCeilingMs(attempts, s);
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(ceiling / 2 + (ceiling / 2) * r);
}

/** Whether a task that has made `attempts` attempts may make another after a transient failure. */
export function mayRetry(attempts: number, s: RetrySettings): boolean {
  return attempts < s.maxAttempts;
}

/** Without a reset time from X, wait X's usual 15-minute rate-limit window. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 15 * 60 * 1000;
/** X's longest window is a day (the 24-hour user and app limits): a later reset is nonsense. */
export const MAX_RATE_LIMIT_WAIT_MS = 24 * 60 * 60 * 1000;

/**
 * When posting may start again after a 429: the later of X's reset and its retry-after, never
 * sooner than a floor — retryBaseSeconds, doubling with each 429 in a row (`streak`, this one
 * included), capped at retryMaxSeconds — and never later than a day from now. The floor is what
 * keeps a reset already past (clock skew, a stale header) from turning into a burst of requests.
 */
export function rateLimitResumeAt(
  told: { resetAt?: number; retryAfterMs?: number },
  now: number,
  streak: number,
  s: RetrySettings,
): number {
  const floor = now + backoffCeilingMs(Math.max(1, streak), s);
  const candidates = [told.resetAt, told.retryAfterMs === undefined ? undefined : now + told.retryAfterMs]
    .filter((at): at is number => at !== undefined && Number.isFinite(at));
  const wanted = candidates.length === 0 ? now + DEFAULT_RATE_LIMIT_WAIT_MS : Math.max(...candidates);
  return Math.min(Math.max(wanted, floor), now + MAX_RATE_LIMIT_WAIT_MS);
}
