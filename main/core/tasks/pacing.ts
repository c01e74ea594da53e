// When the next post may start: one gap between post starts, a cap per local calendar day.
import type { Settings } from '../../../preload/contract';

/** The local calendar day of an instant, e.g. "2026-03-29" (process time zone); sorts as text. */
export function localDayKey(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The first instant of the next local calendar month (DST-safe: built from local fields). */
export function nextLocalMonth(ms: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth() + 1, 1, 0, 0, 0, 0).getTime();
}

/** The first instant of the next local calendar day (DST-safe: built from local fields). */
export function nextLocalMidnight(ms: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1, 0, 0, 0, 0).getTime();
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
