// A task's attempt history: a disclosure in its row listing the last attempts (local time,
// outcome, X's message), opened from the attempts count.
import type { Task, TaskAttempt } from '../../preload/contract';
import { button, h } from '../lib/dom';
import { clockTime, exactTime } from '../../common/time';
import { ERROR_KIND_WORDS } from './row-words';

export function attemptsLabel(task: Task): string {
  return task.attempts === 1 ? '1 attempt' : `${task.attempts} attempts`;
}

/** "Posted", "Failed: Rejected by X (400) — Your Tweet text is too long." */
export function attemptOutcome(a: TaskAttempt): string {
  if (a.outcome === 'posted') return a.dryRun ? 'Posted (dry run)' : 'Posted';
  if (!a.error) return 'Failed';
  const kind = ERROR_KIND_WORDS[a.error.kind] ?? a.error.kind;
  const status = a.error.httpStatus && !a.error.message.includes(`(${a.error.httpStatus})`) ? ` (${a.error.httpStatus})` : '';
  return `Failed: ${kind}${status} — ${a.error.message}`;
}

export interface HistoryParts {
  /** The count in the row's meta line: a button when there is a log to open, else words. */
  toggle: HTMLElement | null;
  /** The list, when open. */
  panel: HTMLElement | null;
}

/**
 * `open` and `onToggle` hold the disclosure's state outside the row (it is re-rendered).
 * No log (older builds' tasks): the count alone, or "No attempts yet".
 */
export function renderHistory(task: Task, now: number, open: boolean, onToggle: (open: boolean) => void): HistoryParts {
  const log = task.attemptLog ?? [];
  if (log.length === 0) {
    if (task.attempts > 0) return { toggle: h('span', { class: 'task-attempts', text: attemptsLabel(task) }), panel: null };
    // Only where another attempt may still come: a cancelled or posted task has no "yet".
    const waits = task.status === 'pending' || task.status === 'failed';
    return { toggle: waits ? h('span', { class: 'task-attempts', text: 'No attempts yet' }) : null, panel: null };
  }
  const panelId = `history-${task.id}`;
  const count = Math.max(task.attempts, log.length);
  const toggle = button(count === 1 ? '1 attempt' : `${count} attempts`, () => onToggle(!open), {
    class: 'task-attempts task-history-toggle',
    dataset: { action: 'history' },
    attrs: { 'aria-expanded': open ? 'true' : 'false', 'aria-controls': open ? panelId : null },
  });
  if (!open) return { toggle, panel: null };
  const items = [...log].reverse().map((a) => h('li', { class: `task-attempt task-attempt-${a.outcome}` },
    h('time', { class: 'task-attempt-time', text: clockTime(a.at, now), attrs: { datetime: a.at, title: exactTime(a.at) } }),
    h('span', { class: 'task-attempt-outcome', text: attemptOutcome(a), attrs: { dir: 'auto' } })));
  const heading = count > log.length ? `Attempts, newest first (the last ${log.length} of ${count})` : 'Attempts, newest first';
  const panel = h('div', { class: 'task-history', attrs: { id: panelId } },
    h('p', { class: 'task-history-title', text: heading }),
    h('ol', { class: 'task-history-list' }, ...items));
  return { toggle, panel };
}
