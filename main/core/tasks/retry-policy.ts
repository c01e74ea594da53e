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
