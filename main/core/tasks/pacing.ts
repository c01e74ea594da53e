// When the next post may start: one gap between post starts, a cap per local calendar day.
import type { Settings } from '../../../preload/contract';

/** The local calendar day of an instant, e.g. "2026-3-29" (process time zone). */
export function localDayKey(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

/** The first instant of the next local calendar day (DST-safe: built from local fields). */
export function nextLocalMidnight(ms: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1, 0, 0, 0, 0).getTime();
}

/**
 * Posts completed on one local day. Live and dry runs are counted apart: a dry run is paced by
 * the cap like the real thing, but rehearsing in the morning must not use up the day's real
 * posts once an account is connected.
 */
export interface DailyCount { day: string; live: number; dry: number }

export function emptyDailyCount(now: number): DailyCount {
  return { day: localDayKey(now), live: 0, dry: 0 };
}

/** The count for the day `now` falls in: a count from an earlier day is zero today. */
export function countToday(count: DailyCount, now: number, dryRun: boolean): number {
  if (count.day !== localDayKey(now)) return 0;
  return dryRun ? count.dry : count.live;
}

export function addPost(count: DailyCount, now: number, dryRun: boolean): DailyCount {
  const base = count.day === localDayKey(now) ? count : emptyDailyCount(now);
  return dryRun ? { ...base, dry: base.dry + 1 } : { ...base, live: base.live + 1 };
}

export interface PacingInput {
  now: number;
  /** When the last attempt started (live or dry), or null if none is known. */
  lastStartAt: number | null;
  postedToday: number;
  settings: Pick<Settings, 'minPostGapSeconds' | 'dailyCap'>;
}

/**
 * The earliest instant a post may start: `now` or later. Over the cap, that is the next local
 * midnight (or the gap, if the gap ends later still); the gap is measured start to start.
 */
export function nextPostAllowedAt({ now, lastStartAt, postedToday, settings }: PacingInput): number {
  let at = now;
  if (lastStartAt !== null) at = Math.max(at, lastStartAt + settings.minPostGapSeconds * 1000);
  if (postedToday >= settings.dailyCap) at = Math.max(at, nextLocalMidnight(now));
  return at;
}
