// Posting hours: the local times of day and days of the week posts may start. Pure, local time of
// the process (the machine's zone), DST-safe: every instant is built from local fields, so a window
// "08:00–22:00" is 08:00 on the wall clock on both sides of a clock change.
import type { PostingHours } from '../preload/contract';

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of "HH:MM", or null when it is not a time of day. */
export function minutesOf(hhmm: string): number | null {
  const m = HHMM.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

function localAt(year: number, month: number, day: number, minutes: number): number {
  return new Date(year, month, day, Math.floor(minutes / 60), minutes % 60, 0, 0).getTime();
}

/**
 * The first instant at or after `ms` that lies inside the posting hours: `ms` itself when inside.
 * A window whose end is before its start runs past midnight (22:00–06:00 belongs to the day it
 * starts on); equal ends mean the whole day. No day chosen: null (posting never opens).
 */
export function nextPostingTime(ms: number, hours: PostingHours | null | undefined): number | null {
  if (!hours) return ms;
  const from = minutesOf(hours.from);
  const to = minutesOf(hours.to);
  const days = new Set(hours.days);
  if (days.size === 0) return null;
  // Validated at the boundary; a time that still does not read limits nothing.
  if (from === null || to === null) return ms;
  const now = new Date(ms);
  // From yesterday (a window past midnight may still be open) through a week and a day ahead.
  for (let offset = -1; offset <= 8; offset++) {
    const y = now.getFullYear();
    const mo = now.getMonth();
    const d = now.getDate() + offset;
    const weekday = new Date(y, mo, d).getDay();
    if (!days.has(weekday)) continue;
    const start = localAt(y, mo, d, from);
    const end = to > from ? localAt(y, mo, d, to) : localAt(y, mo, d + 1, to);
    if (ms < end) return Math.max(ms, start);
  }
  return null;
}

/** Whether `ms` is inside the posting hours (always, without any). */
export function withinPostingHours(ms: number, hours: PostingHours | null | undefined): boolean {
  return nextPostingTime(ms, hours) === ms;
}
