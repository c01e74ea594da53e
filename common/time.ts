// Human times for the views: "3 min ago", "in 2 h"; exact local time for hover titles.

const UNITS: [limitSeconds: number, unitSeconds: number, unit: string][] = [
  [60, 1, 's'],
  [3600, 60, 'min'],
  [86_400, 3600, 'h'],
  [86_400 * 30, 86_400, 'd'],
  [86_400 * 365, 86_400 * 30, 'mo'],
  [Infinity, 86_400 * 365, 'y'],
];

/** "just now", "5 min ago", "in 2 h"; '' for an unreadable date. `now` in ms since epoch. */
export function relativeTime(iso: string | null | undefined, now: number): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const diff = Math.round((t - now) / 1000);
  const abs = Math.abs(diff);
  if (abs < 10) return 'just now';
  for (const [limit, size, unit] of UNITS) {
    if (abs < limit) {
      const n = Math.floor(abs / size);
      return diff < 0 ? `${n} ${unit} ago` : `in ${n} ${unit}`;
    }
  }
  return '';
}

const exactFormats = new Map<string, Intl.DateTimeFormat>();

/** The exact local date and time, for a title attribute. */
export function exactTime(iso: string | null | undefined, locale?: string): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  // One formatter per locale: toLocaleString builds a new one each call, the largest part of
  // building a task row (the list builds rows while it scrolls).
  let format = exactFormats.get(locale ?? '');
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
    exactFormats.set(locale ?? '', format);
  }
  return format.format(t);
}

const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** A clock time ("14:05", or with the date when not today) for "resumes at …". */
export function clockTime(iso: string | null | undefined, now: number, locale?: string): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const d = new Date(t);
  const sameDay = d.toDateString() === new Date(now).toDateString();
  // Kept formatters, as exactTime's: toLocaleTimeString builds one a call (every row's time).
  const key = `${sameDay ? 'clock' : 'day'}|${locale ?? ''}`;
  let format = clockFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, sameDay ? { hour: '2-digit', minute: '2-digit' } : { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
    clockFormats.set(key, format);
  }
  return format.format(d);
}
