// The settings window: feeds (with live previews), posting rules and their cost, the X
// account, OPML and the history. Same toolkit and Api seam as the tasks window. It says when
// posting is paused and why, and how many feeds are failing.
import type { StateSnapshot } from '../preload/contract';
import { getApi } from './api';
import { button, byId, externalLink, h } from './lib/dom';
import { failingFeedsLink } from './lib/failing-feeds';
import { renderNotices } from './lib/notices';
import { describeQueue } from '../common/queue-banner';
import { watchConnection } from './lib/connection-banner';
import { createStore } from '../common/state';
import { accountChips } from './lib/account-chips';
import { createToaster, errorMessage } from './lib/toast';
import { createAccountPanel } from './settings/account-panel';
import { createDataPanel } from './settings/data-panel';
import { createFeedsList } from './settings/feeds-list';
import { createPostingForm } from './settings/posting-form';
import { createOtherAccountsPanel } from './settings/other-accounts';

const api = getApi();
// Settings shows no tasks: its one state load asks for none of them.
const store = createStore(api, { taskLimit: 0, allTasks: false });
const toast = createToaster(byId('toasts'));

const feeds = createFeedsList(byId('feeds-body'), api, toast);
const posting = createPostingForm(byId('posting-body'), byId('cost'), api, toast);
const account = createAccountPanel(byId('account-body'), api, toast);
const otherAccounts = createOtherAccountsPanel(byId('other-accounts-body'), api, toast);
const data = createDataPanel(byId('opml-body'), byId('danger-body'), api, toast);
const SECTIONS = ['feeds', 'posting', 'account', 'data'];

function run(label: string, p: Promise<unknown>): void {
  p.catch((err: unknown) => toast.show(`${label}: ${errorMessage(err)}`, 'error'));
}

let frame = 0;
function render(): void {
  if (frame) return;
  frame = requestAnimationFrame(() => { frame = 0; paint(); });
}

let firstPaint = true;
function paint(): void {
  const state = store.get();
  document.body.dataset.status = store.status();
  const loadState = byId('load-state');
  for (const id of SECTIONS) byId(id).hidden = !state;
  if (!state) {
    loadState.hidden = false;
    loadState.replaceChildren(h('h2', { class: 'empty-title', text: store.status() === 'error' ? 'Can’t reach Crier' : 'Loading settings…' }));
    if (store.status() === 'error') {
      loadState.append(h('p', { class: 'empty-detail', text: errorMessage(store.error()) }),
        button('Try again', () => void store.refresh().then(render), { class: 'btn btn-primary' }));
    }
    return;
  }
  loadState.hidden = true;
  const now = Date.now();
  paintHeader(state);
  paintPause(state, now);
  renderNotices(byId('notices'), state.notices, now, (id) => run('Could not dismiss', api.dismissNotice(id)));
  feeds.setAccounts(state.accounts ?? [state.account]);
  feeds.update(state.feeds, state.settings.defaultIntervalMinutes, now);
  posting.update(state.settings, state.feeds, state.account.dryRun);
  account.update(state.account, state.settings.oauth2RedirectPort);
  otherAccounts.update(state.accounts ?? [state.account], state.queues ?? {}, state.settings.oauth2RedirectPort, state.settings.dryRunAccounts);
  data.update(state.queue.counts.completed + state.queue.counts.cancelled);
  if (firstPaint) { firstPaint = false; goToHash(); }
}

function paintHeader(state: StateSnapshot): void {
  const failing = failingFeedsLink(state.feeds, '#feeds');
  byId('header-status').replaceChildren(...accountChips(state, 'below'), ...(failing ? [failing] : []));
}

/** The queue's pause, with its reason and what ends it: the same words as the tasks window's banner. */
function paintPause(state: StateSnapshot, now: number): void {
  const region = byId('pause-state');
  const paused = describeQueue(state.queue, state.account, api.host, now, state.settings).find((b) => b.id === 'paused');
  if (!paused) { region.replaceChildren(); return; }
  const action = paused.action === 'reconnect'
    ? h('a', { class: 'btn btn-small', text: 'Go to Account', attrs: { href: '#account' } })
    : paused.actionLabel
      ? button(paused.actionLabel, () => run('Could not resume', api.resume()), { class: 'btn btn-small btn-primary' })
      : null;
  region.replaceChildren(h('div', { class: `banner banner-${paused.tone} banner-paused`, dataset: { banner: 'paused' } },
    h('div', { class: 'banner-body' },
      h('strong', { class: 'banner-title', text: paused.title }),
      h('span', { class: 'banner-detail', text: paused.detail })),
    action));
}

/** Content arrives after load, so the browser's own jump to #account lands short: redo it. */
function goToHash(focus = false): void {
  const id = location.hash.slice(1);
  const nav = document.querySelectorAll<HTMLAnchorElement>('.settings-nav a');
  for (const a of nav) a.toggleAttribute('aria-current', a.dataset.section === id);
  if (!SECTIONS.includes(id)) return;
  const section = byId(id);
  section.scrollIntoView({ block: 'start' });
  // Arriving at Feeds with none yet (the tasks window's "Add a feed") opens the add form.
  if (id === 'feeds' && store.get()?.feeds.length === 0) { feeds.openAdd(); return; }
  if (focus) byId(`${id}-title`).focus({ preventScroll: true });
}
window.addEventListener('hashchange', () => goToHash(true));

watchConnection(api, store);

store.subscribe(render);
// Relative times ("checked 3 min ago") drift; repaint twice a minute.
setInterval(() => { if (store.get()) render(); }, 30_000);
render();

// The feed URL links open outside; never anything but http(s).
document.addEventListener('click', (e) => {
  const a = e.target instanceof Element ? e.target.closest('a') : null;
  if (a?.target === '_blank' && !externalLink(a.href, '')) e.preventDefault();
});
