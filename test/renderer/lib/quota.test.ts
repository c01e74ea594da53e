// X's posting budget in words: the window and the 24-hour limits with local reset times, a limit
// past its reset said as reset, and "X has not said yet" before its first answer.
import { describe, expect, it } from 'vitest';
import type { AccountQuota } from '../../../preload/contract';
import { clockTime } from '../../../common/time';
import { budgetLeft, NOT_YET, quotaLines } from '../../../renderer/lib/quota';

const NOW = Date.UTC(2026, 0, 15, 12, 0);
const at = (minutes: number): string => new Date(NOW + minutes * 60_000).toISOString();
const quota: AccountQuota = {
  window: { limit: 100, remaining: 98, resetsAt: at(5) },
  user24h: { limit: 17, remaining: 15, resetsAt: at(600) },
  app24h: { limit: 1500, remaining: 1480, resetsAt: at(60) },
  updatedAt: at(0),
};

describe('quotaLines', () => {
  it('says X has not said yet before its first answer', () => {
    expect(quotaLines(undefined, NOW)).toEqual([NOT_YET]);
    expect(quotaLines({ window: null, user24h: null, app24h: null, updatedAt: at(0) }, NOW)).toEqual([NOT_YET]);
  });

  it('gives the window and both 24-hour limits with local reset times', () => {
    expect(quotaLines(quota, NOW)).toEqual([
      `Posts left in this 15-minute window: 98 of 100 (resets ${clockTime(at(5), NOW)})`,
      `Account: 15 of 17 today, resets ${clockTime(at(600), NOW)}`,
      `App: 1,480 of 1,500 today, resets ${clockTime(at(60), NOW)}`,
    ]);
  });

  it('says a limit past its reset has started afresh, not its old count', () => {
    const lines = quotaLines({ ...quota, user24h: null, app24h: null }, NOW + 6 * 60_000);
    expect(lines).toEqual([`Posts left in this 15-minute window: 100 of 100 (a new window since ${clockTime(at(5), NOW + 6 * 60_000)})`]);
  });
});

describe('budgetLeft', () => {
  it('is the fewest posts any current limit leaves', () => {
    expect(budgetLeft(quota, NOW)).toBe(15);
    expect(budgetLeft({ ...quota, user24h: null }, NOW)).toBe(98);
  });
  it('leaves out limits past their reset, and is null with nothing that holds', () => {
    expect(budgetLeft({ ...quota, user24h: null }, NOW + 6 * 60_000)).toBe(1480);
    expect(budgetLeft(undefined, NOW)).toBeNull();
    expect(budgetLeft({ window: quota.window ?? null, updatedAt: at(0) }, NOW + 6 * 60_000)).toBeNull();
  });
});
