// The feeds section: one card per feed, keyed by id and updated in place, so a delta (a poll
// finishing) never throws away an editor the user is typing in. Failing feeds come first; two
// feeds that would look the same are told apart by their address; each card counts its tasks.
import type { AccountState, Feed, FeedCounts } from '../../preload/contract';
import type { CrierApi } from '../api';
import { button, externalLink, h } from '../lib/dom';
import { distinctLabels, failingFirst, plainLabel } from '../lib/feed-labels';
import { exactTime } from '../../common/time';
import { errorMessage, type Toaster } from '../lib/toast';
import { confirmAction } from './confirm-dialog';
import { createFeedEditor, type FeedEditor } from './feed-editor';
import { healthSummary, lastFetchText, nextPollText, statusText } from './feed-health';
import { createSkippedSection, type SkippedSection } from './skipped-section';

interface Card { el: HTMLElement; summary: HTMLElement; editorSlot: HTMLElement; editor: FeedEditor | null; feed: Feed; polling: boolean; skipped: SkippedSection }

export interface FeedsList {
  update(feeds: readonly Feed[], defaultIntervalMinutes: number, now: number): void;
  /** The accounts a feed may post to (the editor's "Post to"). */
  setAccounts(accounts: readonly AccountState[]): void;
  openAdd(): void;
}

/** "12 posted · 2 pending · 1 failed"; null for an engine that sends no counts. */
export function countsText(counts: FeedCounts | undefined): string | null {
  if (!counts) return null;
  const n = (x: number): string => x.toLocaleString('en-US');
  return `${n(counts.posted)} posted · ${n(counts.pending)} pending · ${n(counts.failed)} failed`;
}

export function createFeedsList(root: HTMLElement, api: CrierApi, toast: Toaster): FeedsList {
  const cards = new Map<string, Card>();
  const listEl = h('ul', { class: 'feed-list', attrs: { 'aria-label': 'Feeds' } });
  const emptyEl = h('div', { class: 'feeds-empty' },
    h('div', { class: 'empty-art', attrs: { 'aria-hidden': 'true' } }),
    h('p', { class: 'empty-title', text: 'No feeds yet' }),
    h('p', { class: 'empty-detail', text: 'Add an RSS or Atom feed by its URL, or a site’s home page to find its feeds. You see the posts Crier would make before anything is saved.' }),
    button('Add a feed', () => openAdd(), { class: 'btn btn-primary', attrs: { id: 'empty-add-feed' } }));
  const addSlot = h('div', { class: 'feed-add' });
  const addBtn = button('Add feed', () => openAdd(), { class: 'btn btn-primary', attrs: { id: 'add-feed' } });
  root.replaceChildren(h('div', { class: 'section-actions' }, addBtn), addSlot, listEl, emptyEl);

  let defaultInterval = 15;
  let addEditor: FeedEditor | null = null;
  let lastNow = Date.now();
  let current: readonly Feed[] = [];
  let labels = new Map<string, string>();
  let accounts: readonly AccountState[] = [];
  const labelOf = (feed: Feed): string => labels.get(feed.id) ?? plainLabel(feed);

  function openAdd(): void {
    if (addEditor) { addEditor.focus(); return; }
    addEditor = createFeedEditor({
      api, defaultIntervalMinutes: defaultInterval, followed: () => current, accounts: () => accounts,
      onSaved: (feed) => {
        closeAdd();
        toast.show(`Added ${plainLabel(feed)}. Items already in it are not posted${feed.backfill ? `, except the newest ${feed.backfill}` : ''}.`);
        requestAnimationFrame(() => cards.get(feed.id)?.el.scrollIntoView({ block: 'nearest' }));
      },
      onCancel: () => { closeAdd(); addBtn.focus(); },
    });
    addSlot.replaceChildren(h('div', { class: 'card feed-add-card' }, h('h3', { class: 'card-title', text: 'Add a feed' }), addEditor.el));
    addBtn.hidden = true;
    emptyEl.hidden = true;
    addEditor.focus();
  }
  function closeAdd(): void {
    addEditor?.destroy();
    addEditor = null;
    addSlot.replaceChildren();
    addBtn.hidden = false;
    emptyEl.hidden = cards.size > 0;
  }

  function openEditor(card: Card): void {
    if (card.editor) { card.editor.focus(); return; }
    card.editor = createFeedEditor({
      api, feed: card.feed, defaultIntervalMinutes: defaultInterval, followed: () => current, accounts: () => accounts,
      onSaved: (feed) => { closeEditor(card); toast.show(`Saved ${labelOf(feed)}.`); },
      onCancel: () => { closeEditor(card); card.el.querySelector<HTMLButtonElement>('[data-action="edit"]')?.focus(); },
    });
    card.editorSlot.replaceChildren(card.editor.el);
    card.el.classList.add('is-editing');
    paintSummary(card, lastNow);
    card.editor.focus();
  }
  function closeEditor(card: Card): void {
    card.editor?.destroy();
    card.editor = null;
    card.editorSlot.replaceChildren();
    card.el.classList.remove('is-editing');
    paintSummary(card, lastNow);
  }

  async function remove(card: Card): Promise<void> {
    const label = labelOf(card.feed);
    const ok = await confirmAction({
      title: `Remove ${label}?`,
      text: `Crier stops checking ${card.feed.url}. Its pending posts are cancelled; tasks already posted stay in the history.`,
      confirmLabel: 'Remove feed', danger: true,
    });
    if (!ok) return;
    try {
      await api.removeFeed(card.feed.id);
      toast.show(`Removed ${label}.`);
    } catch (err) {
      toast.show(`Could not remove ${label}: ${errorMessage(err)}`, 'error');
    }
  }

  async function pollNow(card: Card, btn: HTMLButtonElement): Promise<void> {
    card.polling = true;
    btn.disabled = true;
    btn.textContent = 'Checking…';
    btn.setAttribute('aria-label', `Checking… ${labelOf(card.feed)}`);
    try {
      await api.pollNow(card.feed.id);
      toast.show(`Checked ${labelOf(card.feed)}.`);
    } catch (err) {
      toast.show(`Could not check ${labelOf(card.feed)}: ${errorMessage(err)}`, 'error');
    } finally {
      card.polling = false;
      paintSummary(card, lastNow);
    }
  }

  function paintSummary(card: Card, now: number): void {
    const f = card.feed;
    const label = labelOf(f);
    const counts = countsText(f.counts);
    const health = healthSummary(f);
    const hh = f.health;
    const pollBtn = button(card.polling ? 'Checking…' : 'Poll now', () => void pollNow(card, pollBtn), { class: 'btn btn-small', dataset: { action: 'poll' },
      // The name starts with the visible words, so speech input can say what it sees.
      attrs: { 'aria-label': card.polling ? `Checking… ${label}` : `Poll now: ${label}`, disabled: !f.enabled || card.polling } });
    const active = document.activeElement;
    const focused = active instanceof HTMLElement && card.summary.contains(active) ? active.dataset.action ?? null : null;
    const when = (iso: string | null, text: string): HTMLElement => (iso
      ? h('time', { text, attrs: { datetime: iso, title: exactTime(iso) } })
      : h('span', { text }));
    // The skipped log (every item not posted, with "Post anyway"): there once the feed was checked.
    card.skipped.feedChanged(f);
    const skips = hh.lastFetchedAt !== null || f.recentSkips.length > 0 ? card.skipped.el : null;
    const skipFocus = active instanceof HTMLElement && card.skipped.el.contains(active) ? active : null;
    card.summary.replaceChildren(
      h('div', { class: 'feed-head' },
        h('div', { class: 'feed-names' },
          h('h3', { class: 'feed-name', text: label, attrs: { dir: 'auto' } }),
          externalLink(f.url, f.url, { class: 'feed-url' }) ?? h('span', { class: 'feed-url', text: f.url })),
        h('span', { class: `chip health health-${health.tone}`, text: health.label })),
      h('dl', { class: 'feed-health' },
        h('div', {}, h('dt', { text: 'Last check' }), h('dd', {}, when(hh.lastFetchedAt, lastFetchText(f, now)))),
        h('div', {}, h('dt', { text: 'Status' }), h('dd', { text: statusText(hh.lastStatus) })),
        h('div', {}, h('dt', { text: 'Next check' }), h('dd', {}, when(f.enabled ? hh.nextPollAt : null, nextPollText(f, now)))),
        h('div', {}, h('dt', { text: 'Every' }), h('dd', { text: `${f.intervalMinutes} min` })),
        h('div', {}, h('dt', { text: 'Failures in a row' }), h('dd', { text: String(hh.consecutiveFailures) })),
        counts ? h('div', { class: 'feed-counts' }, h('dt', { text: 'Tasks' }), h('dd', { text: counts })) : null),
      hh.lastError ? h('p', { class: 'feed-error', text: hh.lastError, attrs: { role: 'note' } }) : '',
      h('p', { class: 'feed-template' }, h('span', { class: 'feed-template-label', text: 'Template' }), h('code', { text: f.template })),
      skips ?? '',
      card.editor ? '' : h('div', { class: 'feed-actions' },
        pollBtn,
        button('Edit', () => openEditor(card), { class: 'btn btn-small', dataset: { action: 'edit' }, attrs: { 'aria-label': `Edit ${label}` } }),
        button('Remove', () => void remove(card), { class: 'btn btn-small btn-danger', dataset: { action: 'remove' }, attrs: { 'aria-label': `Remove ${label}` } })));
    // Repainting must not steal focus from a keyboard user sitting on one of the buttons.
    if (focused) card.summary.querySelector<HTMLElement>(`[data-action="${focused}"]`)?.focus();
    else if (skipFocus?.isConnected) skipFocus.focus();
  }

  function update(feeds: readonly Feed[], defaultIntervalMinutes: number, now: number): void {
    defaultInterval = defaultIntervalMinutes;
    lastNow = now;
    current = feeds;
    labels = distinctLabels(feeds);
    const seen = new Set<string>();
    const ordered: HTMLElement[] = [];
    // Failing feeds first: they are what needs the user.
    for (const feed of failingFirst(feeds)) {
      seen.add(feed.id);
      let card = cards.get(feed.id);
      if (!card) {
        const summary = h('div', { class: 'feed-summary' });
        const editorSlot = h('div', { class: 'feed-editor' });
        card = {
          el: h('li', { class: 'card feed-card', dataset: { feedId: feed.id } }, summary, editorSlot), summary, editorSlot, editor: null, feed, polling: false,
          skipped: createSkippedSection(api, toast, feed),
        };
        cards.set(feed.id, card);
      }
      card.feed = feed;
      card.el.classList.toggle('is-disabled', !feed.enabled);
      paintSummary(card, now);
      ordered.push(card.el);
    }
    for (const [id, card] of cards) if (!seen.has(id)) { card.editor?.destroy(); card.el.remove(); cards.delete(id); }
    const shown = [...listEl.children];
    // While the user edits a feed, a poll that starts or ends failing does not move the cards under them.
    if ([...cards.values()].some((c) => c.editor !== null)) {
      const live = new Set<Element>(ordered);
      const kept = shown.filter((el) => live.has(el)) as HTMLElement[];
      const old = new Set<Element>(kept);
      ordered.splice(0, ordered.length, ...kept, ...ordered.filter((el) => !old.has(el)));
    }
    // Re-append only when the order changed, so focus inside an editor survives.
    if (shown.length !== ordered.length || ordered.some((el, i) => shown[i] !== el)) listEl.replaceChildren(...ordered);
    emptyEl.hidden = feeds.length > 0 || addEditor !== null;
  }

  return { update, openAdd, setAccounts(next) { accounts = next; } };
}
