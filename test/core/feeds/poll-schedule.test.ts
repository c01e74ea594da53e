import { describe, expect, it } from 'vitest';
import { delayAfterFailure, delayAfterSuccess, MAX_BACKOFF_MS } from '../../../main/core/feeds/poll-schedule';

const MIN = 60_000;
const noJitter = () => 0.5;

describe('poll schedule', () => {
  it('polls again after the interval when the fetch succeeded', () => {
    expect(delayAfterSuccess(15, noJitter)).toBe(15 * MIN);
  });

  it('jitters by at most a tenth of the interval and never more than two minutes', () => {
    expect(delayAfterSuccess(10, () => 1)).toBe(11 * MIN);
    expect(delayAfterSuccess(10, () => 0)).toBe(9 * MIN);
    expect(delayAfterSuccess(600, () => 1)).toBe(602 * MIN);
  });

  it('backs off exponentially after consecutive failures', () => {
    expect([1, 2, 3, 4].map((n) => delayAfterFailure(15, n, noJitter) / MIN)).toEqual([5, 10, 20, 40]);
  });

  it('never backs off for more than six hours', () => {
    expect(delayAfterFailure(15, 30, () => 1)).toBe(MAX_BACKOFF_MS);
  });
});
