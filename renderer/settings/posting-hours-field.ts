// The posting hours control: on/off, from and to (local times of day), and the days of the week.
// Part of the posting form: it reads and writes a PostingHours value, the form saves it.
import type { PostingHours } from '../../preload/contract';
import { h } from '../lib/dom';

/** Monday first, as most of the world's calendars; values are Date#getDay()'s (0 Sunday). */
const DAYS: readonly { value: number; short: string; long: string }[] = [
  { value: 1, short: 'Mon', long: 'Monday' }, { value: 2, short: 'Tue', long: 'Tuesday' }, { value: 3, short: 'Wed', long: 'Wednesday' },
  { value: 4, short: 'Thu', long: 'Thursday' }, { value: 5, short: 'Fri', long: 'Friday' }, { value: 6, short: 'Sat', long: 'Saturday' },
  { value: 0, short: 'Sun', long: 'Sunday' },
];
const DEFAULT_HOURS: PostingHours = { from: '08:00', to: '22:00', days: [1, 2, 3, 4, 5] };

export interface PostingHoursField {
  el: HTMLElement;
  /** The value the controls hold, or the sentence saying what is wrong with it. */
  read(): { value: PostingHours | null } | { error: string };
  write(value: PostingHours | null): void;
  showError(message: string | null): void;
}

/** Two values mean the same hours (days compared as sets). */
export function sameHours(a: PostingHours | null | undefined, b: PostingHours | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  const da = [...new Set(a.days)].sort();
  const db = [...new Set(b.days)].sort();
  return a.from === b.from && a.to === b.to && da.length === db.length && da.every((d, i) => d === db[i]);
}

/** How the hours read in a sentence: "08:00–22:00, Mon–Fri" or "any time". */
export function describeHours(hours: PostingHours | null | undefined): string {
  if (!hours) return 'any time';
  const days = new Set(hours.days);
  const names = DAYS.filter((d) => days.has(d.value)).map((d) => d.short);
  const span = days.size === 7 ? 'every day' : names.join(', ');
  const overnight = hours.to < hours.from ? ' (past midnight)' : '';
  return hours.from === hours.to ? `all day, ${span}` : `${hours.from}–${hours.to}${overnight}, ${span}`;
}

export function createPostingHoursField(): PostingHoursField {
  const on = h('input', { attrs: { type: 'checkbox', id: 'set-postingHours' } });
  const from = h('input', { attrs: { type: 'time', id: 'set-postingHours-from', step: 60 } });
  const to = h('input', { attrs: { type: 'time', id: 'set-postingHours-to', step: 60 } });
  const dayBoxes = DAYS.map((d) => ({ d, box: h('input', { attrs: { type: 'checkbox', id: `set-postingHours-day-${d.value}`, 'aria-label': d.long } }) }));
  const error = h('p', { class: 'field-error', attrs: { id: 'set-postingHours-error', role: 'alert', hidden: true } });
  const summary = h('p', { class: 'field-help', attrs: { id: 'set-postingHours-help' } });
  const detail = h('div', { class: 'hours-detail' },
    h('div', { class: 'hours-times' },
      h('label', { attrs: { for: 'set-postingHours-from' } }, 'From'), from,
      h('label', { attrs: { for: 'set-postingHours-to' } }, 'to'), to),
    h('div', { class: 'hours-days', attrs: { role: 'group', 'aria-label': 'Posting days' } },
      ...dayBoxes.map(({ d, box }) => h('label', { class: 'day-toggle', attrs: { for: box.id } }, box, d.short))));
  const el = h('div', { class: 'field posting-hours' },
    h('label', { class: 'field-check', attrs: { for: 'set-postingHours' } }, on, 'Only post during these hours'),
    detail, summary, error);

  const paint = (): void => {
    detail.hidden = !on.checked;
    const r = read();
    summary.textContent = 'error' in r ? '' : `Posts start ${describeHours(r.value)}, in this computer’s time zone. Tasks outside the hours wait; “Post now” does not.`;
  };
  function read(): { value: PostingHours | null } | { error: string } {
    if (!on.checked) return { value: null };
    if (!from.value || !to.value) return { error: 'Enter the start and end of the posting hours.' };
    const days = dayBoxes.filter(({ box }) => box.checked).map(({ d }) => d.value).sort((a, b) => a - b);
    if (days.length === 0) return { error: 'Choose at least one posting day, or turn posting hours off.' };
    return { value: { from: from.value.slice(0, 5), to: to.value.slice(0, 5), days } };
  }
  function write(value: PostingHours | null): void {
    const shown = value ?? DEFAULT_HOURS;
    on.checked = value !== null;
    from.value = shown.from;
    to.value = shown.to;
    for (const { d, box } of dayBoxes) box.checked = shown.days.includes(d.value);
    paint();
  }
  function showError(message: string | null): void {
    error.textContent = message ?? '';
    error.hidden = message === null;
    for (const c of [from, to]) c.setAttribute('aria-invalid', String(message !== null));
    if (message === null) for (const c of [from, to]) c.removeAttribute('aria-invalid');
  }
  el.addEventListener('input', () => { showError(null); paint(); });
  el.addEventListener('change', () => paint());
  write(null);
  return { el, read, write, showError };
}
