// One task as a list row. Every piece of feed text goes in through textContent (h()) and gets
// dir="auto", so Hebrew or Arabic reads in its own direction beside Latin text.
//
// Density (issue 15): the post text shows once; the item's title gets a line of its own only
// where the text does not already open with it (else it stays as the row's heading for screen
// readers, visually hidden). Times: finished tasks say when they finished in local clock time;
// pending ones their place and expected start (common/forecast.ts).
import { allowedActions, canDeletePost, canEditText, type Task, type TaskAction, type TaskError, type TaskForecast, type TaskStatus } from '../../preload/contract';
import { button, externalLink, h, icon } from '../lib/dom';
import { renderEditor, startEdit, editorHadFocus } from './row-edit';
import { renderHistory } from './row-history';
import { pageRowState, rerenderRow, type RowState } from './row-state';
import { clockAndAgo, rowTime } from './row-times';
import { exactTime } from '../../common/time';
import { titleIsRedundant } from './row-title';
import { ERROR_KIND_WORDS, STATUS_WORDS, repeatsAsIs } from './row-words';

export { ERROR_KIND_WORDS, STATUS_WORDS } from './row-words';

const STATUS_ICONS: Record<TaskStatus, string[]> = {
  review: ['M2 12s3.5-7 10-7s10 7 10 7s-3.5 7-10 7S2 12 2 12', 'M12 9a3 3 0 1 0 0 6a3 3 0 1 0 0-6'],
  pending: ['M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18', 'M12 7v5l3 2'],
  running: ['M12 3a9 9 0 1 1-9 9'],
  completed: ['M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18', 'M8 12.5l2.7 2.7L16.5 9.5'],
  failed: ['M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18', 'M12 7.5v5.5', 'M12 16.3v.2'],
  cancelled: ['M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18', 'M5.8 18.2L18.2 5.8'],
};

export function statusIcon(status: TaskStatus): SVGSVGElement {
  return icon(STATUS_ICONS[status], `icon status-icon status-icon-${status}`);
}

/** "Rejected by X (400): " — the status left out when the engine's message already gives it. */
export function errorLabel(error: TaskError): string {
  const kind = ERROR_KIND_WORDS[error.kind] ?? error.kind;
  const status = error.httpStatus && !error.message.includes(`(${error.httpStatus})`) ? ` (${error.httpStatus})` : '';
  return `${kind}${status}: `;
}

export interface RowHandlers {
  onAction(task: Task, action: TaskAction): void;
  /** Post now (the engine's postTask); the page says plainly when the engine refuses. Without it: no button. */
  onPostNow?(task: Task): void;
  /** Saves an edit; rejects with the engine's refusal, which the row shows. Without it: no Edit. */
  saveEdit?(task: Task, text: string, expectedUpdatedAt: string): Promise<unknown>;
  /** Asks to delete a posted task's post from X (the page confirms first). Without it: no button. */
  onDeletePost?(task: Task): void;
  /** Copies the post's text (`textEl`: where it shows, to select it if the clipboard refuses). Without it: no Copy. */
  onCopy?(task: Task, textEl: HTMLElement | null): void;
  /** A pending task's place and expected start. */
  forecast?(taskId: string): TaskForecast | undefined;
  /** The queue is paused with no known end: pending tasks wait for the pause to end. */
  pausedIndefinitely?(): boolean;
  /** Edits in progress and open histories (default: the page's). */
  state?: RowState;
  /**
   * Runs after every render of the row, the row's own re-renders included (an editor or history
   * opening): what the list adds to a row (a selection box, data attributes) goes here.
   */
  decorate?(row: HTMLElement, task: Task): void;
}

/** Words for actions the row shows; an action the engine adds later shows its own name until worded. */
const ACTION_WORDS: Partial<Record<string, string>> = {
  'retry': 'Retry', 'cancel': 'Cancel', 'post-now': 'Post now', 'remove': 'Remove', 'approve': 'Approve', 'skip': 'Skip',
};
/** A review row's keys (the page handles them on a focused review row): told on its buttons. */
const REVIEW_KEYSHORTCUTS: Partial<Record<string, string>> = { approve: 'A', skip: 'S', edit: 'E' };

/** Fills `row` (kept across updates so the virtual list can keep measuring it) with the task. */
export function renderTaskRow(row: HTMLElement, task: Task, feedName: string, now: number, handlers: RowHandlers): void {
  const state = handlers.state ?? pageRowState;
  // An answer newer than this render's task (the saved edit, before its delta arrives) shows at once.
  const again = (answer?: Task): void => renderTaskRow(row, answer && answer.id === task.id && answer.updatedAt > task.updatedAt ? answer : task,
    feedName, Date.now(), handlers);
  state.rerender.set(row, again);
  const refocusEditor = editorHadFocus(row);
  if (state.editing.has(task.id) && !handlers.saveEdit) state.editing.delete(task.id);

  const title = task.itemTitle || 'Untitled item';
  const titleShown = !titleIsRedundant(task.itemTitle, task.text);
  const time = rowTime(task, now, { forecast: handlers.forecast?.(task.id), pausedIndefinitely: handlers.pausedIndefinitely?.() ?? false });
  row.className = `task task-${task.status}${titleShown ? ' task-titled' : ''}`;
  row.setAttribute('aria-label', `${STATUS_WORDS[task.status]}: ${title} — ${feedName}, ${time.text}`);

  const timeEl = time.iso
    ? h('time', { class: `task-time task-time-${time.tone}`, text: time.text, attrs: { datetime: time.iso, title: time.full } })
    : h('span', { class: `task-time task-time-${time.tone}`, text: time.text, attrs: { title: time.full } });
  const history = renderHistory(task, now, state.historyOpen.has(task.id), (open) => {
    if (open) state.historyOpen.add(task.id); else state.historyOpen.delete(task.id);
    rerenderRow(state, row);
    row.querySelector<HTMLElement>('[data-action="history"]')?.focus();
  });

  const meta = h('div', { class: 'task-meta' },
    h('span', { class: `status status-${task.status}` }, statusIcon(task.status), h('span', { class: 'status-word', text: STATUS_WORDS[task.status] })),
    timeEl,
    h('span', { class: 'task-feed', text: feedName, attrs: { title: feedName, dir: 'auto' } }),
    history.toggle,
    task.dryRun ? h('span', { class: 'badge badge-dry', text: 'Dry run', attrs: { title: 'Not posted to X: dry run' } }) : null,
  );

  const editing = state.editing.has(task.id);
  const textEl = editing ? null : h('p', { class: 'task-text', text: task.text, attrs: { dir: 'auto', elementtiming: titleShown ? null : 'task-title' } });
  const actions = renderActions(row, task, title, textEl, editing, state, handlers);

  row.replaceChildren(
    h('div', { class: 'task-head' }, meta, actions),
    // elementtiming lets a PerformanceObserver see when a row's first line is painted (bench/pages.mjs).
    h('h2', { class: titleShown ? 'task-title' : 'task-title visually-hidden', text: title,
      attrs: { dir: 'auto', elementtiming: titleShown ? 'task-title' : null } }));
  const editor = handlers.saveEdit
    ? renderEditor(state, task, { save: handlers.saveEdit, rerender: (answer) => {
      rerenderRow(state, row, answer);
      if (state.editing.has(task.id)) return;
      // Closed: back to the Edit button, where the keyboard user started.
      row.querySelector<HTMLElement>('[data-action="edit"]')?.focus();
    } })
    : null;
  if (editor) row.append(editor);
  if (textEl) row.append(textEl);
  if (task.status === 'failed' && task.error) {
    row.append(h('p', { class: 'task-error' }, h('strong', { text: errorLabel(task.error) }), h('span', { text: task.error.message, attrs: { dir: 'auto' } })));
  }
  // A pending task that failed before and waits for a retry still tells why.
  if (task.status === 'pending' && task.error) row.append(h('p', { class: 'task-lasterror', text: `Last try: ${task.error.message}`, attrs: { dir: 'auto' } }));
  if (task.deletedAt) {
    row.append(h('p', { class: 'task-deleted' }, 'Deleted from X · ',
      h('time', { text: clockAndAgo(task.deletedAt, now), attrs: { datetime: task.deletedAt, title: `Deleted from X ${exactTime(task.deletedAt)}` } })));
  }
  if (task.note) row.append(h('p', { class: 'task-note', text: task.note, attrs: { dir: 'auto' } }));
  if (history.panel) row.append(history.panel);

  handlers.decorate?.(row, task);
  if (refocusEditor) row.querySelector<HTMLTextAreaElement>('.task-edit-text')?.focus({ preventScroll: true });
}

function renderActions(row: HTMLElement, task: Task, title: string, textEl: HTMLElement | null, editing: boolean, state: RowState, handlers: RowHandlers): HTMLElement {
  const actions = h('div', { class: 'task-actions' });
  const small = (label: string, action: string, onClick: () => void, primary = false, quiet = false, spoken = label): HTMLButtonElement =>
    button(label, onClick, {
      class: `btn btn-small${primary ? ' btn-primary' : ''}${quiet ? ' btn-quiet' : ''}`,
      dataset: { action },
      attrs: { 'aria-label': `${spoken}: ${title}` },
    });

  const order: string[] = [...allowedActions(task.status)];
  // Post now before the engine's list names it (its contract change lands apart).
  if (task.status === 'pending' && !order.includes('post-now')) order.unshift('post-now');
  const editFirst = task.status === 'failed' && repeatsAsIs(task.error?.kind);
  if (handlers.saveEdit && canEditText(task) && !editing) {
    // A failure that would repeat as is (too long, a duplicate) offers Edit first, Retry second;
    // otherwise Edit follows the main action.
    const main = order.findIndex((a) => a === 'retry' || a === 'post-now' || a === 'approve');
    order.splice(editFirst ? 0 : main + 1, 0, 'edit');
  }
  const keys = (btn: HTMLButtonElement, action: string): HTMLButtonElement => {
    const key = task.status === 'review' ? REVIEW_KEYSHORTCUTS[action] : undefined;
    if (key) btn.setAttribute('aria-keyshortcuts', key);
    return btn;
  };
  for (const action of order) {
    if (action === 'post-now' && !handlers.onPostNow) continue;
    if (action === 'edit') {
      actions.append(keys(small('Edit', 'edit', () => {
        startEdit(state, task);
        rerenderRow(state, row);
        row.querySelector<HTMLTextAreaElement>('.task-edit-text')?.focus();
      }, editFirst), 'edit'));
      continue;
    }
    const label = ACTION_WORDS[action] ?? action;
    const onClick = action === 'post-now' ? () => handlers.onPostNow?.(task) : () => handlers.onAction(task, action as TaskAction);
    actions.append(keys(small(label, action, onClick, action === 'approve' || (action === 'retry' && !editFirst)), action));
  }
  if (handlers.onDeletePost && canDeletePost(task)) {
    actions.append(small('Delete from X…', 'delete-post', () => handlers.onDeletePost?.(task), false, true, 'Delete from X'));
  }
  if (handlers.onCopy) actions.append(small('Copy', 'copy', () => handlers.onCopy?.(task, textEl), false, true, 'Copy the post’s text'));
  // A deleted post's link leads nowhere; the row says it was deleted instead.
  const post = task.deletedAt ? null : externalLink(task.postUrl, 'Open post', { class: 'link-ext', attrs: { 'aria-label': `Open post on X: ${title}` } });
  const article = externalLink(task.itemLink, 'Open article', { class: 'link-ext', attrs: { 'aria-label': `Open article: ${title}` } });
  if (post) actions.append(post);
  if (article) actions.append(article);
  return actions;
}
