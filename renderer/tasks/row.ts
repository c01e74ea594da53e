// One task as a list row. Every piece of feed text goes in through textContent (h()).
import { allowedActions, type ErrorKind, type Task, type TaskAction, type TaskError, type TaskStatus } from '../../preload/contract';
import { button, externalLink, h, icon } from '../lib/dom';
import { exactTime, relativeTime } from '../../common/time';

export const STATUS_WORDS: Record<TaskStatus, string> = {
  pending: 'Pending', running: 'Posting', completed: 'Posted', failed: 'Failed', cancelled: 'Cancelled',
};

export const ERROR_KIND_WORDS: Record<ErrorKind, string> = {
  'network': 'Network error', 'rate-limited': 'Rate limited', 'auth': 'Not authorised',
  'forbidden': 'Forbidden by X', 'credits-depleted': 'Credits used up', 'invalid-post': 'Rejected by X',
  'media': 'Image problem', 'in-doubt': 'Outcome unknown', 'duplicate': 'Already posted', 'server': 'X server error', 'unknown': 'Error',
};

const STATUS_ICONS: Record<TaskStatus, string[]> = {
  pending: ['M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18', 'M12 7v5l3 2'],
  running: ['M12 3a9 9 0 1 1-9 9'],
  completed: ['M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18', 'M8 12.5l2.7 2.7L16.5 9.5'],
  failed: ['M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18', 'M12 7.5v5.5', 'M12 16.3v.2'],
  cancelled: ['M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18', 'M5.8 18.2L18.2 5.8'],
};

export function statusIcon(status: TaskStatus): SVGSVGElement {
  return icon(STATUS_ICONS[status], `icon status-icon status-icon-${status}`);
}

/** "Next try in 4 min" for a pending task that waits; '' otherwise. */
export function waitingLabel(task: Task, now: number): string {
  if (task.status !== 'pending' || !task.nextAttemptAt) return '';
  const t = Date.parse(task.nextAttemptAt);
  if (Number.isNaN(t)) return '';
  return t <= now ? 'Next try: shortly' : `Next try ${relativeTime(task.nextAttemptAt, now)}`;
}

/** "Rejected by X (400): " — the status left out when the engine's message already gives it. */
export function errorLabel(error: TaskError): string {
  const kind = ERROR_KIND_WORDS[error.kind] ?? error.kind;
  const status = error.httpStatus && !error.message.includes(`(${error.httpStatus})`) ? ` (${error.httpStatus})` : '';
  return `${kind}${status}: `;
}

export function attemptsLabel(task: Task): string {
  return task.attempts === 1 ? '1 attempt' : `${task.attempts} attempts`;
}

export interface RowHandlers {
  onAction(task: Task, action: TaskAction): void;
}

const ACTION_WORDS: Record<TaskAction, string> = { retry: 'Retry', cancel: 'Cancel' };

/** Fills `row` (kept across updates so the virtual list can keep measuring it) with the task. */
export function renderTaskRow(row: HTMLElement, task: Task, feedName: string, now: number, handlers: RowHandlers): void {
  row.className = `task task-${task.status}`;
  row.setAttribute('aria-label', `${STATUS_WORDS[task.status]}: ${task.itemTitle || 'Untitled item'} — ${feedName}`);

  const when = h('time', { class: 'task-time', text: relativeTime(task.createdAt, now),
    attrs: { datetime: task.createdAt, title: `Created ${exactTime(task.createdAt)}${task.updatedAt !== task.createdAt ? ` · updated ${exactTime(task.updatedAt)}` : ''}` } });
  const waiting = waitingLabel(task, now);

  const meta = h('div', { class: 'task-meta' },
    h('span', { class: `status status-${task.status}` }, statusIcon(task.status), h('span', { class: 'status-word', text: STATUS_WORDS[task.status] })),
    h('span', { class: 'task-feed', text: feedName, attrs: { title: feedName } }),
    when,
    task.attempts > 0 ? h('span', { class: 'task-attempts', text: attemptsLabel(task) }) : null,
    task.dryRun ? h('span', { class: 'badge badge-dry', text: 'Dry run', attrs: { title: 'Not posted to X: dry run' } }) : null,
    waiting ? h('span', { class: 'task-waiting', text: waiting, attrs: { title: exactTime(task.nextAttemptAt) } }) : null,
  );

  const actions = h('div', { class: 'task-actions' });
  for (const action of allowedActions(task.status)) {
    actions.append(button(ACTION_WORDS[action], () => handlers.onAction(task, action), {
      class: action === 'retry' ? 'btn btn-small btn-primary' : 'btn btn-small',
      dataset: { action },
      attrs: { 'aria-label': `${ACTION_WORDS[action]}: ${task.itemTitle || 'untitled item'}` },
    }));
  }
  const post = externalLink(task.postUrl, 'Open post', { class: 'link-ext', attrs: { 'aria-label': `Open post on X: ${task.itemTitle}` } });
  const article = externalLink(task.itemLink, 'Open article', { class: 'link-ext', attrs: { 'aria-label': `Open article: ${task.itemTitle}` } });
  if (post) actions.append(post);
  if (article) actions.append(article);

  const error = task.status === 'failed' && task.error
    ? h('p', { class: 'task-error' },
      h('strong', { text: errorLabel(task.error) }),
      h('span', { text: task.error.message }))
    : null;
  // A pending task that failed before and waits for a retry still tells why.
  const lastError = task.status === 'pending' && task.error
    ? h('p', { class: 'task-lasterror', text: `Last try: ${task.error.message}` })
    : null;

  row.replaceChildren(
    h('div', { class: 'task-head' }, meta, actions),
    // elementtiming lets a PerformanceObserver see when a title is painted (bench/pages.mjs).
    h('h2', { class: 'task-title', text: task.itemTitle || 'Untitled item', attrs: { elementtiming: 'task-title' } }),
    h('p', { class: 'task-text', text: task.text }));
  if (error) row.append(error);
  if (lastError) row.append(lastError);
  if (task.note) row.append(h('p', { class: 'task-note', text: task.note }));
}
