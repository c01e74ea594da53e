// Posting hours across midnight and clock changes, in a zone with DST (set before any date is made).
process.env.TZ = 'Europe/Berlin';
import { describe, expect, it } from 'vitest';
import { nextPostingTime, withinPostingHours } from '../../common/posting-hours';

const local = (y: number, mo: number, d: number, h: number, mi = 0): number => new Date(y, mo - 1, d, h, mi).getTime();
const show = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toString().slice(0, 24));
const WEEKDAYS = [1, 2, 3, 4, 5];
const daytime = { from: '08:00', to: '22:00', days: [0, 1, 2, 3, 4, 5, 6] };

describe('nextPostingTime', () => {
  it('is the instant itself inside the hours, and without any hours', () => {
    const wed = local(2026, 12, 2, 12, 30);
    expect(nextPostingTime(wed, daytime)).toBe(wed);
    expect(nextPostingTime(wed, null)).toBe(wed);
    expect(withinPostingHours(wed, daytime)).toBe(true);
  });

  it('waits from late evening until the next morning, across midnight', () => {
    expect(show(nextPostingTime(local(2026, 12, 2, 22, 0), daytime))).toBe(show(local(2026, 12, 3, 8, 0)));
    expect(show(nextPostingTime(local(2026, 12, 3, 0, 15), daytime))).toBe(show(local(2026, 12, 3, 8, 0)));
  });

  it('skips the weekend on weekdays only', () => {
    // Friday 4 December 2026, 23:00 → Monday 7 December, 08:00.
    expect(show(nextPostingTime(local(2026, 12, 4, 23, 0), { ...daytime, days: WEEKDAYS }))).toBe(show(local(2026, 12, 7, 8, 0)));
  });

  it('keeps a window that runs past midnight open after midnight, for the day it started on', () => {
    const night = { from: '22:00', to: '06:00', days: [5] }; // Friday night only
    expect(withinPostingHours(local(2026, 12, 5, 3, 0), night)).toBe(true); // Saturday 03:00
    expect(show(nextPostingTime(local(2026, 12, 5, 7, 0), night))).toBe(show(local(2026, 12, 11, 22, 0)));
  });

  it('opens at 08:00 on the wall clock on the days the clocks change', () => {
    // Europe/Berlin: 29 March 2026 springs forward at 02:00, 25 October 2026 falls back at 03:00.
    expect(show(nextPostingTime(local(2026, 3, 29, 1, 0), daytime))).toBe('Sun Mar 29 2026 08:00:00');
    expect(nextPostingTime(local(2026, 3, 29, 1, 0), daytime)! - local(2026, 3, 29, 1, 0)).toBe(6 * 3600_000);
    expect(show(nextPostingTime(local(2026, 10, 25, 1, 0), daytime))).toBe('Sun Oct 25 2026 08:00:00');
    expect(nextPostingTime(local(2026, 10, 25, 1, 0), daytime)! - local(2026, 10, 25, 1, 0)).toBe(8 * 3600_000);
  });

  it('treats equal ends as the whole day, and no day as never', () => {
    expect(withinPostingHours(local(2026, 12, 2, 3, 0), { from: '00:00', to: '00:00', days: [3] })).toBe(true);
    expect(nextPostingTime(local(2026, 12, 2, 3, 0), { from: '08:00', to: '22:00', days: [] })).toBe(null);
  });
});

describe('the posting hours setting', () => {
  it('is checked at the boundary in words, with days kept in order once each', async () => {
    const { SettingsPatchSchema } = await import('../../main/core/schemas');
    const ok = SettingsPatchSchema.safeParse({ postingHours: { from: '08:00', to: '22:00', days: [5, 1, 1, 3] } });
    expect(ok.success && ok.data.postingHours).toEqual({ from: '08:00', to: '22:00', days: [1, 3, 5] });
    const late = SettingsPatchSchema.safeParse({ postingHours: { from: '24:00', to: '22:00', days: [1] } });
    expect(late.error?.issues[0]?.message).toBe('The start of the posting hours is a time of day from 00:00 to 23:59.');
    const none = SettingsPatchSchema.safeParse({ postingHours: { from: '08:00', to: '22:00', days: [] } });
    expect(none.error?.issues[0]?.message).toBe('Choose at least one posting day, or turn posting hours off.');
    expect(SettingsPatchSchema.safeParse({ postingHours: null }).success).toBe(true);
  });
});
