// The tasks window: a live, filterable, virtualised list of tasks with their actions.
import type { StateSnapshot, Task, TaskAction } from '../preload/contract';
import { getApi } from './api';
import { button, byId, externalLink, h } from './lib/dom';
import { renderNotices } from './lib/notices';
import { describeQueue, reconnectHelp, type Banner } from '../common/queue-banner';
import { watchConnection } from './lib/connection-banner';
import { createStore } from '../common/state';
import { accountChips } from './lib/account-chips';
import { failingFeedsLink } from './lib/failing-feeds';
import { createToaster, errorMessage } from './lib/toast';
import { countByStatus, feedLabel, visibleTasks, type StatusFilter, type TaskFilter } from './tasks/filter';
import { createFilterBar } from './tasks/filter-bar';
import { renderTaskRow } from './tasks/row';
import { createRowWiring } from './tasks/row-wiring';
import { createVirtualList } from './tasks/virtual-list';
import { createFeedFilter, feedFromHash, hashForFeed } from './tasks/feed-filter';
import { createAccountFilter } from './tasks/account-filter';
import { accountLabel } from './lib/account-label';
import { isTaskSort, orderFor, SORT_WORDS, type TaskSort } from './tasks/sort';
import { spendChip } from './tasks/spend';
import { budgetChip } from './tasks/budget';
import { createNewTasks } from './tasks/new-tasks';
import { createHoldView } from './tasks/hold-view';
import { loadCompact, saveCompact } from './tasks/compact';
import { createSelection, idsFor, rangeIds, selectedText, type BulkAction } from './tasks/selection';
import { createUndoToast } from './tasks/undo-toast';
import { download, exportFileName, type ExportFormat } from './tasks/export';
import { nextInReview, reviewFirst, reviewIdsInOrder, reviewKeyAction, reviewWords } from './tasks/review';

const api = getApi();
// The newest 60 fill the first screen of the tallest window (rows are 100 px and up) with the list's
// overscan; the rest follow in one load once they are painted.
const FIRST_SCREENFUL = 60;
const store = createStore(api, { taskLimit: FIRST_SCREENFUL });
const toast = createToaster(byId('toasts'));
const undoToast = createUndoToast(byId('toasts'));

// A link can open the window on one feed's tasks (tasks.html#feed=ID).
const filter: TaskFilter = { status: 'all', query: '', feedId: feedFromHash(location.hash) };
let sort: TaskSort = 'newest';
const searchInput = byId<HTMLInputElement>('search');
const scroller = byId('scroller');
const listEl = byId('list');
const emptyEl = byId('empty');
const pauseBtn = byId<HTMLButtonElement>('pause-toggle');
const retryFailedBtn = byId<HTMLButtonElement>('retry-failed');
const reconnectDialog = byId<HTMLDialogElement>('reconnect-dialog');

let feedNames = new Map<string, string>();
/** Each account's label by id, while there is more than one account; rows name theirs. */
let accountNames = new Map<string, string>();
let lastFeeds: StateSnapshot['feeds'] | null = null;

type Order = (a: Task, b: Task) => number;
/**
 * Filtering and sorting 10,000 tasks is redone only when the tasks, feeds, filter or order changed
 * ("next to post" also follows the queue and settings its forecast reads).
 */
const shownCache = {
  tasks: null as readonly Task[] | null, feeds: null as StateSnapshot['feeds'] | null, status: '', query: '', feedId: '', accountId: '' as string | undefined, sort: '',
  queue: null as StateSnapshot['queue'] | null, settings: null as StateSnapshot['settings'] | null, shown: [] as Task[], order: null as Order | null,
};
function shownTasks(state: StateSnapshot): { shown: Task[]; order: Order } {
  const c = shownCache;
  const queue = sort === 'next' ? state.queue : null;
  const settings = sort === 'next' ? state.settings : null;
  if (!c.order || c.tasks !== state.tasks || c.feeds !== state.feeds || c.status !== filter.status || c.query !== filter.query ||
    c.feedId !== filter.feedId || c.accountId !== filter.accountId || c.sort !== sort || c.queue !== queue || c.settings !== settings) {
    // Tasks waiting in review come first whatever the order: they wait for the user, not the queue.
    const order = reviewFirst(orderFor(sort, state.tasks, { now: Date.now(), queue: state.queue, settings: state.settings }));
    Object.assign(c, { tasks: state.tasks, feeds: state.feeds, status: filter.status, query: filter.query, feedId: filter.feedId, accountId: filter.accountId, sort, queue, settings,
      order, shown: visibleTasks(state.tasks, state.feeds, filter, order) });
  }
  return { shown: c.shown, order: c.order ?? reviewFirst(orderFor(sort, state.tasks, { now: Date.now(), queue: state.queue, settings: state.settings })) };
}

/**
 * The filter bar's numbers: the tasks held, or the queue's totals while only the first ones are.
 * For one feed, its tasks held (the whole list follows the first screenful within a moment).
 */
const countsCache = { tasks: null as readonly Task[] | null, feedId: '', accountId: '', counts: null as Record<StatusFilter, number> | null };
function statusCounts(state: StateSnapshot): Record<StatusFilter, number> {
  const feedId = filter.feedId ?? '';
  const accountId = filter.accountId ?? '';
  if (!store.tasksComplete() && feedId === '') {
    // One account's queue counts its own tasks, as the whole queue counts all of them.
    const q = (accountId ? state.queues?.[accountId] : undefined)?.counts ?? state.queue.counts;
    const review = q.review ?? 0;
    return { all: review + q.pending + q.running + q.completed + q.failed + q.cancelled, ...q, review };
  }
  const c = countsCache;
  if (c.tasks !== state.tasks || c.feedId !== feedId || c.accountId !== accountId || !c.counts) {
    const mine = (t: Task): boolean => (feedId === '' || t.feedId === feedId) && (accountId === '' || (t.accountId ?? 'default') === accountId);
    Object.assign(c, { tasks: state.tasks, feedId, accountId, counts: countByStatus(feedId || accountId ? state.tasks.filter(mine) : state.tasks) });
  }
  return c.counts!;
}

const rowWiring = createRowWiring(api, toast, (task, action) => onAction(task, action));

const list = createVirtualList<Task>({
  scrollElement: scroller,
  container: listEl,
  // A status line and a line or two of post text (the title shows only where it differs): rows
  // measure 66 px and up at 1280 wide; an estimate near that builds the first screen in one go.
  estimateSize: 76,
  key: (t) => t.id,
  render: (row, task) => {
    // decorate runs after the row's own re-renders too (an editor or history opening).
    // With several accounts a row says which one it posts to: the same item has a task on each.
    const feedName = feedNames.get(task.feedId) ?? feedLabel(undefined);
    renderTaskRow(row, task, accountNames.size > 1 ? `${feedName} → ${accountNames.get(task.accountId ?? 'default') ?? 'a disconnected account'}` : feedName, Date.now(), { ...rowWiring.handlers, onDeletePost: confirmDeletePost, decorate: decorateRow });
  },
});

/** A new view of the list (filter, feed, sort) starts at its top, with nothing counted as new. */
function viewChanged(): void {
  newTasks.clear();
  list.scrollToTop();
  scrollPos = 0;
  render();
}

const filterBar = createFilterBar(byId('filters'), (status) => {
  filter.status = status;
  viewChanged();
});

const feedFilter = createFeedFilter(byId<HTMLSelectElement>('feed-filter'), (feedId) => {
  filter.feedId = feedId;
  // The address says which feed is shown, so a reload or a bookmark keeps it.
  history.replaceState(null, '', `${location.pathname}${location.search}${hashForFeed(feedId)}`);
  viewChanged();
});

const accountFilter = createAccountFilter(byId<HTMLSelectElement>('account-filter'), (accountId) => {
  filter.accountId = accountId;
  viewChanged();
});

const sortSelect = byId<HTMLSelectElement>('sort');
sortSelect.addEventListener('change', () => {
  if (!isTaskSort(sortSelect.value)) return;
  sort = sortSelect.value;
  listEl.setAttribute('aria-label', `Tasks, ${SORT_WORDS[sort].toLowerCase()}`);
  viewChanged();
});

// ---- compact mode ---------------------------------------------------------------------

const compactBtn = byId<HTMLButtonElement>('compact-toggle');
function storage(): Storage | null {
  try { return window.localStorage; } catch { return null; }
}
function setCompact(on: boolean): void {
  listEl.classList.toggle('is-compact', on);
  compactBtn.setAttribute('aria-pressed', String(on));
}
setCompact(loadCompact(storage()));
compactBtn.addEventListener('click', () => {
  const on = compactBtn.getAttribute('aria-pressed') !== 'true';
  setCompact(on);
  saveCompact(storage(), on);
});

// ---- "N new" --------------------------------------------------------------------------

const newTasks = createNewTasks();
const newBtn = byId<HTMLButtonElement>('new-tasks');
/** Within this many px of the top the user sees the newest rows: new tasks simply show. */
const AT_TOP_PX = 8;
/** Where the last scroll event left the list: read there, so a paint never forces a layout to ask. */
let scrollPos = scroller.scrollTop;
const atTop = (): boolean => scrollPos <= AT_TOP_PX;

/** The first task whose row is in sight (its bottom below the scroller's top). */
function firstInSight(): Task | undefined {
  const state = store.get();
  if (!state) return undefined;
  const top = scroller.getBoundingClientRect().top;
  for (const el of listEl.querySelectorAll<HTMLElement>('.task')) {
    if (el.getBoundingClientRect().bottom > top) {
      const id = el.dataset.taskId;
      return shownCache.shown.find((t) => t.id === id);
    }
  }
  return undefined;
}

function paintNewButton(): void {
  if (atTop()) newTasks.clear();
  // Rows are measured only while there is something to count.
  const n = newTasks.any() ? newTasks.above(shownCache.shown, firstInSight(), shownCache.order ?? (() => 0)) : 0;
  newBtn.hidden = n === 0;
  if (n > 0) newBtn.textContent = `↑ ${n.toLocaleString()} new`;
}

newBtn.addEventListener('click', () => {
  newTasks.clear();
  newBtn.hidden = true;
  list.scrollToTop();
  scrollPos = 0;
  // The button is gone: the list keeps the keyboard where the new tasks are.
  scroller.focus({ preventScroll: true });
});
let scrollFrame = 0;
scroller.addEventListener('scroll', () => {
  scrollPos = scroller.scrollTop;
  if (newBtn.hidden || scrollFrame) return;
  scrollFrame = requestAnimationFrame(() => { scrollFrame = 0; paintNewButton(); });
}, { passive: true });

// ---- selection and bulk actions ------------------------------------------------------

// A list-level mode rather than a checkbox always on every row: the rows stay as dense as they
// are, and a click on a row (or Space on its box) chooses it only while the user is selecting.
const selection = createSelection();
let selecting = false;
const selectBtn = byId<HTMLButtonElement>('select-toggle');
const bulkBar = byId('bulk-bar');
const selectAllBtn = byId<HTMLButtonElement>('select-all');
const bulkButtons: Record<BulkAction, HTMLButtonElement> = {
  retry: byId<HTMLButtonElement>('bulk-retry'), cancel: byId<HTMLButtonElement>('bulk-cancel'), remove: byId<HTMLButtonElement>('bulk-remove'),
};
const BULK_WORDS: Record<BulkAction, (n: number) => string> = {
  retry: (n) => (n > 0 ? `Retry ${n.toLocaleString()}` : 'Retry'),
  cancel: (n) => (n > 0 ? `Cancel ${n.toLocaleString()}` : 'Cancel'),
  remove: (n) => (n > 0 ? `Remove ${n.toLocaleString()} from history` : 'Remove from history'),
};

/** List-level state on a row the row builder just filled: its id, and whether it is chosen. */
function decorateRow(row: HTMLElement, task: Task): void {
  row.dataset.taskId = task.id;
  row.classList.toggle('is-selectable', selecting);
  if (!selecting) return;
  const chosen = selection.has(task.id);
  row.classList.toggle('is-selected', chosen);
  const box = h('input', { class: 'task-select', dataset: { action: 'select' },
    attrs: { 'type': 'checkbox', 'aria-label': `Select: ${task.itemTitle || 'untitled item'}` } });
  box.checked = chosen;
  // click, not change: it carries Shift (Space on the box clicks it too).
  box.addEventListener('click', (e) => toggleChosen(task.id, e.shiftKey));
  row.prepend(box);
}

let lastPicked: string | null = null;
/** Toggles one task; with Shift, every task shown from the last one picked to it takes its new state. */
function toggleChosen(id: string, range = false): void {
  const chosen = !selection.has(id);
  const ids = range && lastPicked ? rangeIds(shownCache.shown, lastPicked, id) : [];
  selection.mark(ids.length > 0 ? ids : [id], chosen);
  lastPicked = id;
  syncSelection();
}

/** The rows in the DOM and the bar follow the selection, without rebuilding a row. */
function syncSelection(): void {
  for (const el of listEl.querySelectorAll<HTMLElement>('.task')) {
    const chosen = selection.has(el.dataset.taskId ?? '');
    el.classList.toggle('is-selected', chosen);
    const box = el.querySelector<HTMLInputElement>(':scope > .task-select');
    if (box) box.checked = chosen;
  }
  paintBulkBar();
}

function paintBulkBar(): void {
  const state = store.get();
  bulkBar.hidden = !selecting;
  if (!selecting || !state) return;
  selection.prune(state.tasks);
  const chosen = selection.chosen(state.tasks);
  const shown = shownCache.shown;
  const shownChosen = chosen.length === 0 ? 0 : shown.reduce((n, t) => n + (selection.has(t.id) ? 1 : 0), 0);
  byId('selected-count').textContent = selectedText(chosen.length, shownChosen);
  selectAllBtn.textContent = `Select all shown (${shown.length.toLocaleString()})`;
  // Until every task is held, "all shown" would be the first screenful only.
  selectAllBtn.disabled = shown.length === 0 || !store.tasksComplete();
  byId<HTMLButtonElement>('select-none').disabled = chosen.length === 0;
  for (const action of ['retry', 'cancel', 'remove'] as const) {
    const n = idsFor(action, chosen).length;
    bulkButtons[action].textContent = BULK_WORDS[action](n);
    bulkButtons[action].disabled = n === 0;
  }
  paintBulkReview(state, statusCounts(state).review > 0);
}

function setSelecting(on: boolean): void {
  selecting = on;
  if (!on) selection.clear();
  // A toggle button keeps its name; aria-pressed (and its look) tells whether selecting is on.
  selectBtn.setAttribute('aria-pressed', String(on));
  document.body.classList.toggle('is-selecting', on);
  list.refresh();
  paintBulkBar();
}

selectBtn.addEventListener('click', () => setSelecting(!selecting));
selectAllBtn.addEventListener('click', () => { selection.set(shownCache.shown.map((t) => t.id)); syncSelection(); });
byId('select-none').addEventListener('click', () => { selection.clear(); syncSelection(); });
listEl.addEventListener('click', (e) => {
  if (!selecting || !(e.target instanceof Element)) return;
  // The row's own controls and links keep their meaning; the rest of the row chooses it.
  if (e.target.closest('a, button, input, textarea, select, label, summary, [contenteditable="true"]')) return;
  // Text selected with the mouse (to copy a part of it) is not a pick.
  if (!(window.getSelection()?.isCollapsed ?? true)) return;
  const id = e.target.closest<HTMLElement>('.task')?.dataset.taskId;
  if (id) toggleChosen(id, e.shiftKey);
});
// Shift+click picks a range of rows; it must not also select their text.
listEl.addEventListener('mousedown', (e) => { if (selecting && e.shiftKey) e.preventDefault(); });

bulkButtons.retry.addEventListener('click', () => {
  const ids = idsFor('retry', selection.chosen(store.get()?.tasks ?? []));
  run('Could not retry', api.retryTasks(ids), (n) => `Retrying ${tasksWord(Number(n))}`);
});
bulkButtons.cancel.addEventListener('click', () => {
  const ids = idsFor('cancel', selection.chosen(store.get()?.tasks ?? []));
  api.cancelTasks(ids).then(
    (n) => offerUndo(`Cancelled ${tasksWord(n)}`, ids),
    (err: unknown) => toast.show(`Could not cancel: ${errorMessage(err)}`, 'error'),
  );
});
bulkButtons.remove.addEventListener('click', () => {
  confirmRemove(idsFor('remove', selection.chosen(store.get()?.tasks ?? [])));
});

function tasksWord(n: number): string {
  return `${n.toLocaleString()} ${n === 1 ? 'task' : 'tasks'}`;
}

// ---- cancel with undo, remove with a confirmation --------------------------------------

/** For the engine's undo window, a toast puts the cancelled tasks back exactly as they were. */
function offerUndo(message: string, ids: readonly string[]): void {
  undoToast.show(message, () => {
    void Promise.allSettled(ids.map((id) => api.undoCancel(id))).then((results) => {
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      const restored = results.length - failed.length;
      if (failed.length === 0) toast.show(`Restored ${tasksWord(restored)}`);
      else {
        const couldNot = `ould not restore ${tasksWord(failed.length)}: ${errorMessage(failed[0]!.reason)}`;
        toast.show(restored > 0 ? `Restored ${tasksWord(restored)}; c${couldNot}` : `C${couldNot}`, 'error');
      }
    });
  });
}

const removeDialog = byId<HTMLDialogElement>('remove-dialog');
let removing: string[] = [];
function confirmRemove(ids: string[]): void {
  if (ids.length === 0) return;
  removing = ids;
  byId('remove-title').textContent = ids.length === 1 ? 'Remove this task from history?' : `Remove ${tasksWord(ids.length)} from history?`;
  byId('remove-text').textContent = 'Only posted, cancelled and failed tasks are removed, and it cannot be undone. ' +
    'The posts stay on X, and the day’s and month’s post counts do not change.';
  byId<HTMLButtonElement>('remove-confirm').textContent = ids.length === 1 ? 'Remove' : `Remove ${tasksWord(ids.length)}`;
  removeDialog.showModal();
}
byId('remove-confirm').addEventListener('click', () => {
  const ids = removing;
  removing = [];
  removeDialog.close();
  run('Could not remove', api.removeTasks(ids), (n) => `Removed ${tasksWord(Number(n))} from history`);
});
byId('remove-keep').addEventListener('click', () => { removing = []; removeDialog.close(); });

function onAction(task: Task, action: TaskAction): void {
  const title = `“${task.itemTitle || 'Untitled item'}”`;
  switch (action) {
    case 'retry':
      run('Could not retry', api.retryTask(task.id), () => `Retrying ${title}`);
      return;
    case 'cancel':
      api.cancelTask(task.id).then(() => offerUndo(`Cancelled ${title}`, [task.id]),
        (err: unknown) => toast.show(`Could not cancel: ${errorMessage(err)}`, 'error'));
      return;
    case 'remove':
      confirmRemove([task.id]);
      return;
    case 'post-now':
      run('Could not post now', api.postTask(task.id), () => `Posting ${title} now`);
      return;
    case 'approve':
    case 'skip':
      answerReview(task, action);
      return;
  }
}

// ---- review mode (issue 17) -------------------------------------------------------------

/** The review task whose row takes the keyboard at the next paint (after one was answered by key). */
let focusAfterReview: string | null = null;

function answerReview(task: Task, action: 'approve' | 'skip', byKey = false): void {
  const title = `“${task.itemTitle || 'Untitled item'}”`;
  if (byKey) focusAfterReview = nextInReview(shownCache.shown, task.id);
  const call = action === 'approve' ? api.approveTasks([task.id]) : api.skipTasks([task.id]);
  run(action === 'approve' ? 'Could not approve' : 'Could not skip', call,
    () => (action === 'approve' ? `Approved ${title}: it joins the queue` : `Skipped ${title}: it will not be posted`));
}

// a / s / e on a review row that holds the keyboard (one of its buttons, or the row); never while typing.
listEl.addEventListener('keydown', (e) => {
  const key = reviewKeyAction(e);
  if (!key || !(e.target instanceof Element) || e.target.closest('input, textarea, select, [contenteditable="true"]')) return;
  const el = e.target.closest<HTMLElement>('.task.task-review');
  const task = el ? shownCache.shown.find((t) => t.id === el.dataset.taskId) : undefined;
  if (!el || task?.status !== 'review') return;
  e.preventDefault();
  if (key === 'edit') { el.querySelector<HTMLButtonElement>('[data-action="edit"]')?.click(); return; }
  answerReview(task, key, true);
});

/** After an answer by key, the next review row's same place takes the keyboard (its Approve). */
function refocusReview(): void {
  if (!focusAfterReview) return;
  const el = listEl.querySelector<HTMLElement>(`.task-review[data-task-id="${CSS.escape(focusAfterReview)}"]`);
  if (!el) return;
  focusAfterReview = null;
  el.querySelector<HTMLElement>('[data-action="approve"]')?.focus();
}

function paintReview(count: number): void {
  const hint = byId('review-hint');
  hint.hidden = count === 0;
  byId('review-count').textContent = reviewWords(count);
}

/** "3 to review" in the header: a button to the review filter. */
function reviewChip(count: number): HTMLElement | null {
  if (count === 0) return null;
  return button(reviewWords(count), () => {
    filter.status = 'review';
    viewChanged();
  }, { class: 'chip chip-review', dataset: { action: 'show-review' }, attrs: { title: 'Show the tasks waiting for your review' } });
}

const bulkReview = { approve: byId<HTMLButtonElement>('bulk-approve'), skip: byId<HTMLButtonElement>('bulk-skip') };
function paintBulkReview(state: StateSnapshot, anyInReview: boolean): void {
  const ids = reviewIdsInOrder(shownCache.shown, state.tasks, (id) => selection.has(id));
  for (const action of ['approve', 'skip'] as const) {
    const btn = bulkReview[action];
    // Shown while there is something in review (or chosen): a list without review mode keeps its bar as it was.
    btn.hidden = !anyInReview && ids.length === 0;
    btn.disabled = ids.length === 0;
    const verb = action === 'approve' ? 'Approve' : 'Skip';
    btn.textContent = ids.length > 0 ? `${verb} ${ids.length.toLocaleString()}` : verb;
  }
}
for (const action of ['approve', 'skip'] as const) {
  bulkReview[action].addEventListener('click', () => {
    const state = store.get();
    if (!state) return;
    // In the order shown: approved tasks join the queue in that order.
    const ids = reviewIdsInOrder(shownCache.shown, state.tasks, (id) => selection.has(id));
    if (ids.length === 0) return;
    const call = action === 'approve' ? api.approveTasks(ids) : api.skipTasks(ids);
    run(action === 'approve' ? 'Could not approve' : 'Could not skip', call,
      (n) => (action === 'approve' ? `Approved ${tasksWord(Number(n))}: they join the queue` : `Skipped ${tasksWord(Number(n))}`));
  });
}

// ---- delete a post from X (issue 17) -------------------------------------------------------

const deleteDialog = byId<HTMLDialogElement>('delete-post-dialog');
const deleteConfirm = byId<HTMLButtonElement>('delete-post-confirm');
const deleteError = byId('delete-post-error');
let deleting: Task | null = null;

function confirmDeletePost(task: Task): void {
  deleting = task;
  const when = task.finishedAt ?? task.updatedAt;
  byId('delete-post-text').textContent = `Crier asks X to delete the post it made for “${task.itemTitle || 'Untitled item'}”` +
    ` on ${new Date(when).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}` +
    `${task.postUrl ? ` (${task.postUrl})` : ''}. It cannot be undone, and Crier will not post this item again.`;
  byId('delete-post-quote').textContent = task.text;
  deleteError.hidden = true;
  deleteError.textContent = '';
  deleteConfirm.disabled = false;
  deleteConfirm.textContent = 'Delete from X';
  deleteDialog.showModal();
}
deleteConfirm.addEventListener('click', () => {
  const task = deleting;
  if (!task) return;
  deleteConfirm.disabled = true;
  deleteConfirm.textContent = 'Deleting…';
  api.deletePost(task.id).then(() => {
    deleting = null;
    deleteDialog.close();
    toast.show(`Deleted the post for “${task.itemTitle || 'Untitled item'}” from X`);
  }, (err: unknown) => {
    // X's refusal stays in the dialog, in X's words, where the user is looking.
    deleteError.textContent = `${(err as { code?: string } | null)?.code === 'x-refused' ? 'X refused to delete it' : 'Could not delete it'}: ${errorMessage(err)}`;
    deleteError.hidden = false;
    deleteConfirm.disabled = false;
    deleteConfirm.textContent = 'Try again';
  });
});
byId('delete-post-keep').addEventListener('click', () => { deleting = null; deleteDialog.close(); });
deleteDialog.addEventListener('close', () => { deleting = null; });

// ---- export ---------------------------------------------------------------------------

function exportAs(format: ExportFormat, btn: HTMLButtonElement): void {
  btn.disabled = true;
  api.exportTasks(format).then((text) => {
    const name = exportFileName(format, new Date());
    download(text, name, format);
    toast.show(`Saved ${name}`);
  }, (err: unknown) => toast.show(`Could not export: ${errorMessage(err)}`, 'error')).finally(() => { btn.disabled = false; });
}
for (const format of ['csv', 'json'] as const) {
  const btn = byId<HTMLButtonElement>(`export-${format}`);
  btn.addEventListener('click', () => exportAs(format, btn));
}

function run(label: string, p: Promise<unknown>, done?: (v: unknown) => string): void {
  p.then((v) => { if (done) toast.show(done(v)); }, (err: unknown) => toast.show(`${label}: ${errorMessage(err)}`, 'error'));
}

// ---- rendering ------------------------------------------------------------------------

let frame = 0;
let lastShown: readonly Task[] | null = null;
const holdView = createHoldView(scroller, listEl);
function render(): void {
  if (frame) return;
  frame = requestAnimationFrame(() => { frame = 0; paint(); });
}

function paint(): void {
  const state = store.get();
  document.body.dataset.status = store.status();
  if (!state) { paintWithoutState(); return; }
  if (state.feeds !== lastFeeds) {
    lastFeeds = state.feeds;
    feedNames = new Map(state.feeds.map((f) => [f.id, feedLabel(f)]));
  }
  const now = Date.now();
  paintHeader(state);
  paintBanners(describeQueue(state.queue, state.account, api.host, now));
  renderNotices(byId('notices'), state.notices, now, (id) => run('Could not dismiss', api.dismissNotice(id)));

  filter.feedId = feedFilter.update(state.feeds, filter.feedId ?? '');
  const accounts = state.accounts ?? [state.account];
  const names = new Map(accounts.map((a) => [a.id ?? 'default', accountLabel(a)]));
  if (JSON.stringify([...names]) !== JSON.stringify([...accountNames])) { accountNames = names; list.refresh(); }
  filter.accountId = accountFilter.update(accounts, state.queues ?? {}, filter.accountId ?? '');
  const counts = statusCounts(state);
  filterBar.update(counts, filter.status);
  retryFailedBtn.disabled = counts.failed === 0;
  retryFailedBtn.textContent = counts.failed > 0 ? `Retry all failed (${counts.failed.toLocaleString()})` : 'Retry all failed';

  newTasks.observe(state.tasks, { counting: !atTop(), complete: store.tasksComplete() });
  const { shown } = shownTasks(state);
  // Pending rows show their place and expected start: re-render those in sight when either moved.
  if (rowWiring.updateForecast(state, now)) list.refresh();
  // Read further down, the rows in sight stay put whatever arrives above them; at the top, new tasks show.
  if (shown !== lastShown && !atTop()) holdView(() => list.setItems(shown));
  else list.setItems(shown);
  lastShown = shown;
  paintEmpty(state, shown.length);
  paintNewButton();
  paintBulkBar();
  paintReview(counts.review);
  refocusReview();
}

function paintWithoutState(): void {
  list.setItems([]);
  if (store.status() === 'error') {
    showEmpty('Can’t reach Crier', `${errorMessage(store.error())}`, button('Try again', () => void store.refresh().then(render), { class: 'btn btn-primary' }));
  } else {
    showEmpty('Loading tasks…', '', null);
  }
}

function paintHeader(state: StateSnapshot): void {
  const { queue } = state;
  const today = h('span', { class: 'chip', text: `${queue.postedToday} / ${queue.dailyCap} today`, attrs: { title: 'Posts today / daily cap' } });
  // "2 feeds failing": a link to them in Settings, where failing feeds come first.
  const failing = failingFeedsLink(state.feeds, 'settings.html#feeds');
  // The account the list shows, when one is chosen: its own spend.
  const spend = spendChip((filter.accountId ? state.queues?.[filter.accountId] : undefined)?.spend ?? queue.spend);
  const budget = budgetChip(state.account, Date.now());
  const review = reviewChip(statusCounts(state).review);
  byId('header-status').replaceChildren(...(review ? [review] : []), ...accountChips(state, 'in Settings'), ...(failing ? [failing] : []), ...(spend ? [spend] : []), ...(budget ? [budget] : []), today);
  pauseBtn.hidden = false;
  pauseBtn.textContent = queue.paused ? 'Resume' : 'Pause';
  pauseBtn.setAttribute('aria-label', queue.paused ? 'Resume posting' : 'Pause posting');
  pauseBtn.classList.toggle('btn-primary', queue.paused);
}

function paintBanners(banners: Banner[]): void {
  byId('banners').replaceChildren(...banners.map((b) => {
    const action = b.action && b.actionLabel ? bannerAction(b) : null;
    return h('div', { class: `banner banner-${b.tone} banner-${b.id}`, dataset: { banner: b.id } },
      h('div', { class: 'banner-body' },
        h('strong', { class: 'banner-title', text: b.title }),
        h('span', { class: 'banner-detail', text: b.detail })),
      action);
  }));
}

function bannerAction(b: Banner): HTMLElement {
  const label = b.actionLabel ?? '';
  switch (b.action) {
    case 'resume': return button(label, () => run('Could not resume', api.resume()), { class: 'btn btn-primary', dataset: { action: 'resume' } });
    case 'reconnect': return button(label, openReconnect, { class: 'btn btn-primary', dataset: { action: 'reconnect' } });
    default: return h('a', { class: 'btn', text: label, attrs: { href: 'settings.html' } });
  }
}

function openReconnect(): void {
  byId('reconnect-text').textContent = reconnectHelp(api.host);
  // Both hosts reconnect in Settings → Account (OAuth 2.0; crier serve's keys come from its environment).
  byId('reconnect-settings').hidden = false;
  reconnectDialog.showModal();
}

function paintEmpty(state: StateSnapshot, shownCount: number): void {
  if (shownCount > 0) { emptyEl.hidden = true; scroller.classList.remove('is-empty'); return; }
  // Only the newest tasks are here yet: "no matches" could be wrong for a moment.
  if (!store.tasksComplete()) { showEmpty('Loading tasks…', '', null); return; }
  if (state.tasks.length === 0 && state.feeds.length === 0) {
    showEmpty('No feeds yet',
      'Add an RSS or Atom feed in Settings. Crier checks it on a schedule and turns each new item into a post on X.',
      h('a', { class: 'btn btn-primary', text: 'Add a feed', attrs: { href: 'settings.html#feeds' } }));
  } else if (state.tasks.length === 0) {
    const n = state.feeds.filter((f) => f.enabled).length;
    showEmpty('Nothing to post yet',
      `Watching ${n} ${n === 1 ? 'feed' : 'feeds'}. New items will appear here as Crier finds them; items already in a feed when you added it are not posted.`,
      button('Check feeds now', () => run('Could not poll', api.pollNow(), () => 'Checking feeds…'), { class: 'btn' }));
  } else if (filter.query.trim()) {
    showEmpty('No matches', `No ${filter.status === 'all' ? '' : `${filter.status} `}tasks${fromFeed()} match “${filter.query.trim()}”.`,
      button('Clear search', clearSearch, { class: 'btn' }));
  } else if (filter.status !== 'all') {
    showEmpty(`No ${filter.status} tasks`, `Tasks${fromFeed()} with this status will show up here.`,
      button('Show all', () => { filter.status = 'all'; render(); }, { class: 'btn' }));
  } else {
    showEmpty('No tasks from this feed', 'Its new items will show up here as Crier finds them.',
      button('Show all feeds', () => { filter.feedId = ''; viewChanged(); }, { class: 'btn' }));
  }
}

/** " from Rust Blog" while one feed is shown; '' otherwise. */
function fromFeed(): string {
  return filter.feedId ? ` from ${feedNames.get(filter.feedId) ?? feedLabel(undefined)}` : '';
}

function showEmpty(title: string, detail: string, action: HTMLElement | null): void {
  scroller.classList.add('is-empty');
  emptyEl.hidden = false;
  emptyEl.replaceChildren(h('div', { class: 'empty-art', attrs: { 'aria-hidden': 'true' } }),
    h('h2', { class: 'empty-title', text: title }));
  if (detail) emptyEl.append(h('p', { class: 'empty-detail', text: detail }));
  if (action) emptyEl.append(action);
}

function clearSearch(): void {
  searchInput.value = '';
  filter.query = '';
  render();
}

// ---- wiring ---------------------------------------------------------------------------

searchInput.addEventListener('input', () => { filter.query = searchInput.value; viewChanged(); });
searchInput.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && searchInput.value) { e.preventDefault(); clearSearch(); }
});
document.addEventListener('keydown', (e) => {
  // "/" focuses search, as in most list apps; never while typing somewhere.
  const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement;
  if (e.key === '/' && !typing && !reconnectDialog.open && !removeDialog.open && !deleteDialog.open) { e.preventDefault(); searchInput.focus(); }
  const textEntry = typing && !(e.target instanceof HTMLInputElement && e.target.type === 'checkbox');
  if (e.key === 'Escape' && selecting && !textEntry && !reconnectDialog.open && !removeDialog.open && !deleteDialog.open) setSelecting(false);
});
pauseBtn.addEventListener('click', () => {
  const paused = store.get()?.queue.paused;
  run(paused ? 'Could not resume' : 'Could not pause', paused ? api.resume() : api.pause());
});
retryFailedBtn.addEventListener('click', () => {
  run('Could not retry', api.retryAllFailed(), (n) => `Retrying ${String(n)} failed ${n === 1 ? 'task' : 'tasks'}`);
});
byId('reconnect-close').addEventListener('click', () => reconnectDialog.close());

watchConnection(api, store);

store.subscribe(render);
// Relative times ("3 min ago") drift; refresh what is on screen twice a minute.
setInterval(() => { if (store.get()) { list.refresh(); render(); } }, 30_000);
render();

// Links to articles and posts must never be anything but http(s): the row builder checks,
// and this is a last guard for links added anywhere else on the page.
document.addEventListener('click', (e) => {
  const a = e.target instanceof Element ? e.target.closest('a') : null;
  if (a?.target === '_blank' && !externalLink(a.href, '')) e.preventDefault();
});
