import { describe, expect, it } from 'vitest';
import { backoffCeilingMs, backoffMs, mayRetry } from '../../../main/core/tasks/retry-policy';

const s = { retryBaseSeconds: 30, retryMaxSeconds: 3600, maxAttempts: 8 };

describe('retry policy', () => {
  it.each([
    [1, 30],
    [2, 60],
    [3, 120],
    [4, 240],
    [5, 480],
    [6, 960],
    [7, 1920],
    [8, 3600],
    [9, 3600],
    [200, 3600],
  ])('waits at most base·2^(attempts−1) capped at the maximum: attempt %i → %is', (attempts, seconds) => {
    expect(backoffCeilingMs(attempts, s)).toBe(seconds * 1000);
  });

  it.each([
    [0, 15_000],
    [0.5, 22_500],
    [0.999_999, 30_000],
  ])('spreads the wait between half and all of the ceiling with jitter: random %f → %i ms', (r, ms) => {
    expect(backoffMs(1, s, () => r)).toBe(ms);
  });

  it('never exceeds the maximum wait, whatever the jitter', () => {
    for (const r of [0, 0.3, 0.7, 1, 5]) expect(backoffMs(30, s, () => r)).toBeLessThanOrEqual(3_600_000);
  });

  it.each([
    [1, true],
    [7, true],
    [8, false],
    [9, false],
  ])('allows another attempt only below maxAttempts: after %i attempts → %s', (attempts, allowed) => {
    expect(mayRetry(attempts, s)).toBe(allowed);
  });
});
