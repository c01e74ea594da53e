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
import { createVirtualList } from './tasks/virtual-list';

const api = getApi();
// The newest 60 fill the first screen of the tallest window (rows are 100 px and up) with the list's
// overscan; the rest follow in one load once they are painted.
const FIRST_SCREENFUL = 60;
const store = createStore(api, { taskLimit: FIRST_SCREENFUL });
const toast = createToaster(byId('toasts'));

const filter: TaskFilter = { status: 'all', query: '' };
const searchInput = byId<HTMLInputElement>('search');
const scroller = byId('scroller');
const listEl = byId('list');
const emptyEl = byId('empty');
const pauseBtn = byId<HTMLButtonElement>('pause-toggle');
const retryFailedBtn = byId<HTMLButtonElement>('retry-failed');
const reconnectDialog = byId<HTMLDialogElement>('reconnect-dialog');

let feedNames = new Map<string, string>();
let lastFeeds: StateSnapshot['feeds'] | null = null;

/** Filtering and sorting 10,000 tasks is redone only when the tasks, feeds or filter changed. */
const shownCache = { tasks: null as readonly Task[] | null, feeds: null as StateSnapshot['feeds'] | null, status: '', query: '', shown: [] as Task[] };
function shownTasks(state: StateSnapshot): Task[] {
  const c = shownCache;
  if (c.tasks !== state.tasks || c.feeds !== state.feeds || c.status !== filter.status || c.query !== filter.query) {
    Object.assign(c, { tasks: state.tasks, feeds: state.feeds, status: filter.status, query: filter.query, shown: visibleTasks(state.tasks, state.feeds, filter) });
  }
  return c.shown;
}

/** The filter bar's numbers: the tasks held, or the queue's totals while only the first ones are. */
function statusCounts(state: StateSnapshot): Record<StatusFilter, number> {
  if (store.tasksComplete()) return countByStatus(state.tasks);
  const q = state.queue.counts;
  return { all: q.pending + q.running + q.completed + q.failed + q.cancelled, ...q };
}

const list = createVirtualList<Task>({
  scrollElement: scroller,
  container: listEl,
  estimateSize: 132,
  key: (t) => t.id,
  render: (row, task) => renderTaskRow(row, task, feedNames.get(task.feedId) ?? feedLabel(undefined), Date.now(), { onAction }),
});

const filterBar = createFilterBar(byId('filters'), (status) => {
  filter.status = status;
  list.scrollToTop();
  render();
});

function onAction(task: Task, action: TaskAction): void {
  const call = action === 'retry' ? api.retryTask(task.id) : api.cancelTask(task.id);
  call.then(
    () => toast.show(action === 'retry' ? `Retrying “${task.itemTitle}”` : `Cancelled “${task.itemTitle}”`),
    (err: unknown) => toast.show(`Could not ${action}: ${errorMessage(err)}`, 'error'),
  );
}

function run(label: string, p: Promise<unknown>, done?: (v: unknown) => string): void {
  p.then((v) => { if (done) toast.show(done(v)); }, (err: unknown) => toast.show(`${label}: ${errorMessage(err)}`, 'error'));
}

// ---- rendering ------------------------------------------------------------------------

let frame = 0;
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

  const counts = statusCounts(state);
  filterBar.update(counts, filter.status);
  retryFailedBtn.disabled = counts.failed === 0;
  retryFailedBtn.textContent = counts.failed > 0 ? `Retry all failed (${counts.failed.toLocaleString()})` : 'Retry all failed';

  const shown = shownTasks(state);
  list.setItems(shown);
  paintEmpty(state, shown.length);
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
  byId('header-status').replaceChildren(...accountChips(state, 'in Settings'), ...(failing ? [failing] : []), today);
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
  byId('reconnect-settings').hidden = api.host === 'headless';
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
    showEmpty('No matches', `No ${filter.status === 'all' ? '' : `${filter.status} `}tasks match “${filter.query.trim()}”.`,
      button('Clear search', clearSearch, { class: 'btn' }));
  } else {
    showEmpty(`No ${filter.status} tasks`, 'Tasks with this status will show up here.',
      button('Show all', () => { filter.status = 'all'; render(); }, { class: 'btn' }));
  }
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

searchInput.addEventListener('input', () => { filter.query = searchInput.value; list.scrollToTop(); render(); });
searchInput.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && searchInput.value) { e.preventDefault(); clearSearch(); }
});
document.addEventListener('keydown', (e) => {
  // "/" focuses search, as in most list apps; never while typing somewhere.
  const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement;
  if (e.key === '/' && !typing && !reconnectDialog.open) { e.preventDefault(); searchInput.focus(); }
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
