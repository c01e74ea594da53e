import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDayKey, nextLocalMidnight, nextPostAllowedAt } from '../../../main/core/tasks/pacing';
import { ledgerFromTasks, postedToday, recordPost, type PostLedger } from '../../../main/core/tasks/post-ledger';
import { makeTask } from '../store/task-fixture';

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
    expect(localDayKey(at('2026-01-16T03:00:00Z'))).toBe('2026-01-15');
    expect(localDayKey(at('2026-01-16T05:00:00Z'))).toBe('2026-01-16');
  });

  it('counts live and dry posts apart and forgets them on the next local day', () => {
    const t = at('2026-01-15T20:00:00Z');
    let ledger: PostLedger = {};
    ledger = recordPost(ledger, t, { accountId: 'default', dryRun: false, withLink: true });
    ledger = recordPost(ledger, t, { accountId: 'default', dryRun: true, withLink: false });
    ledger = recordPost(ledger, t, { accountId: 'default', dryRun: true, withLink: false });
    expect(postedToday(ledger, t, 'default', false)).toBe(1);
    expect(postedToday(ledger, t, 'default', true)).toBe(2);
    const nextDay = at('2026-01-16T05:00:00Z');
    expect(postedToday(ledger, nextDay, 'default', false)).toBe(0);
    expect(recordPost(ledger, nextDay, { accountId: 'default', dryRun: false, withLink: false })['2026-01-16']).toEqual({ default: { live: 1, dry: 0, withLink: 0 } });
  });
});

describe('the post ledger', () => {
  const t = at('2026-01-15T20:00:00Z');

  it('counts live posts carrying a link, and never dry runs, as posts with a link', () => {
    let ledger: PostLedger = {};
    ledger = recordPost(ledger, t, { accountId: 'default', dryRun: false, withLink: true });
    ledger = recordPost(ledger, t, { accountId: 'default', dryRun: false, withLink: false });
    ledger = recordPost(ledger, t, { accountId: 'default', dryRun: true, withLink: true });
    expect(ledger['2026-01-15']).toEqual({ default: { live: 2, dry: 1, withLink: 1 } });
  });

  it('keeps each account apart', () => {
    let ledger: PostLedger = {};
    ledger = recordPost(ledger, t, { accountId: 'default', dryRun: false, withLink: false });
    ledger = recordPost(ledger, t, { accountId: 'other', dryRun: false, withLink: false });
    expect(postedToday(ledger, t, 'default', false)).toBe(1);
    expect(postedToday(ledger, t, 'other', false)).toBe(1);
  });

  it('keeps at least 31 days and drops days past 40', () => {
    let ledger: PostLedger = {};
    const day = 24 * 60 * 60 * 1000;
    for (let i = 0; i < 60; i += 1) ledger = recordPost(ledger, t + i * day, { accountId: 'default', dryRun: false, withLink: false });
    const days = Object.keys(ledger).sort();
    expect(days.length).toBeGreaterThanOrEqual(31);
    expect(days.length).toBeLessThanOrEqual(41);
    expect(days.at(-1)).toBe(localDayKey(t + 59 * day));
  });

  it('is rebuilt from completed tasks for a data dir written before it existed', () => {
    const tasks = [
      { ...makeTask(1, 'completed'), updatedAt: '2026-01-15T18:00:00.000Z', text: 'Post https://example.com/1' },
      { ...makeTask(2, 'completed'), updatedAt: '2026-01-15T19:00:00.000Z', dryRun: true },
      { ...makeTask(3, 'failed'), updatedAt: '2026-01-15T19:00:00.000Z' },
      { ...makeTask(4, 'completed'), updatedAt: '2026-01-14T19:00:00.000Z', text: 'no link here' },
    ];
    const ledger = ledgerFromTasks(tasks, t, (text) => text.includes('https://'));
    expect(ledger['2026-01-15']).toEqual({ default: { live: 1, dry: 1, withLink: 1 } });
    expect(ledger['2026-01-14']).toEqual({ default: { live: 1, dry: 0, withLink: 0 } });
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
