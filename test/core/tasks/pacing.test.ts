import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPost, countToday, emptyDailyCount, localDayKey, nextLocalMidnight, nextPostAllowedAt } from '../../../main/core/tasks/pacing';

// Local-day logic depends on the process time zone; pin it, and restore it for other files.
const savedTz = process.env.TZ;
beforeAll(() => { process.env.TZ = 'America/New_York'; });
afterAll(() => { if (savedTz === undefined) delete process.env.TZ; else process.env.TZ = savedTz; });

const at = (isoString: string): number => Date.parse(isoString);

describe('local calendar day', () => {
  it.each([
    ['2026-01-15T12:00:00Z', '2026-01-16T05:00:00Z'], // EST: local midnight is 05:00 UTC
    ['2026-01-16T04:59:59Z', '2026-01-16T05:00:00Z'], // still the 15th locally
    ['2026-01-16T05:00:00Z', '2026-01-17T05:00:00Z'], // the 16th has just begun
    ['2026-03-08T12:00:00Z', '2026-03-09T04:00:00Z'], // the day DST starts is 23 hours long
    ['2026-11-01T12:00:00Z', '2026-11-02T05:00:00Z'], // the day DST ends is 25 hours long
  ])('finds the next local midnight after %s: %s', (now, midnight) => {
    expect(new Date(nextLocalMidnight(at(now))).toISOString()).toBe(new Date(at(midnight)).toISOString());
  });

  it('names the day by local date, not by UTC date', () => {
    expect(localDayKey(at('2026-01-16T03:00:00Z'))).toBe('2026-1-15');
    expect(localDayKey(at('2026-01-16T05:00:00Z'))).toBe('2026-1-16');
  });

  it('counts live and dry posts apart and forgets them on the next local day', () => {
    const t = at('2026-01-15T20:00:00Z');
    let c = emptyDailyCount(t);
    c = addPost(c, t, false);
    c = addPost(c, t, true);
    c = addPost(c, t, true);
    expect(countToday(c, t, false)).toBe(1);
    expect(countToday(c, t, true)).toBe(2);
    const nextDay = at('2026-01-16T05:00:00Z');
    expect(countToday(c, nextDay, false)).toBe(0);
    expect(addPost(c, nextDay, false)).toEqual({ day: '2026-1-16', live: 1, dry: 0 });
  });
});

describe('next post allowed at', () => {
  const settings = { minPostGapSeconds: 60, dailyCap: 3 };
  const now = at('2026-01-15T20:00:00Z');
  it.each([
    ['nothing posted yet', null, 0, now],
    ['the gap has passed', now - 61_000, 0, now],
    ['the gap is running (start to start)', now - 20_000, 0, now + 40_000],
    ['the cap is reached', now - 3_600_000, 3, at('2026-01-16T05:00:00Z')],
    ['the cap is exceeded', null, 7, at('2026-01-16T05:00:00Z')],
  ])('when %s', (_label, lastStartAt, postedToday, expected) => {
    expect(nextPostAllowedAt({ now, lastStartAt, postedToday, settings })).toBe(expected);
  });

  it('lets the gap push past midnight when it ends later', () => {
    const late = at('2026-01-16T04:59:30Z');
    expect(nextPostAllowedAt({ now: late, lastStartAt: late, postedToday: 3, settings })).toBe(late + 60_000);
  });

  it('treats a cap of zero as no posts at all today', () => {
    expect(nextPostAllowedAt({ now, lastStartAt: null, postedToday: 0, settings: { minPostGapSeconds: 0, dailyCap: 0 } })).toBe(at('2026-01-16T05:00:00Z'));
  });
});
