// A feed card's "Skipped" section: the skipped log's entries for the feed (why, what, when), each
// with "Post anyway". Read when opened (the log may hold hundreds of entries a feed; most cards
// are never opened), and again after a check of the feed while it stays open. The element lives
// as long as its card, so a repaint of the card keeps it open and keeps what it shows.
import type { Feed, SkippedItem } from '../../preload/contract';
import type { CrierApi } from '../api';
import { exactTime, relativeTime } from '../../common/time';
import { button, h } from '../lib/dom';
import { errorMessage, type Toaster } from '../lib/toast';

export interface SkippedSection {
  readonly el: HTMLDetailsElement;
  /** The feed changed (a check finished, say): read the log again if the section is open. */
  feedChanged(feed: Feed): void;
}

const titleOf = (entry: SkippedItem): string => entry.item.title || entry.item.link || '(untitled item)';

export function createSkippedSection(api: CrierApi, toast: Toaster, feed: Feed): SkippedSection {
  const feedId = feed.id;
  let lastFetch = feed.health.lastFetchedAt;
  let entries: SkippedItem[] | null = null;
  let loading = 0;
  const summary = h('summary', { text: 'Skipped' });
  const body = h('div', { class: 'feed-skips-body', attrs: { 'aria-live': 'polite' } });
  const el = h('details', { class: 'feed-skips' }, summary, body);

  async function load(): Promise<void> {
    const mine = ++loading;
    if (entries === null) body.replaceChildren(h('p', { class: 'feed-skips-note', text: 'Loading…' }));
    try {
      const read = await api.listSkipped(feedId);
      if (mine !== loading) return;
      entries = read;
      paint();
    } catch (err) {
      if (mine !== loading) return;
      body.replaceChildren(h('p', { class: 'feed-skips-note', text: `Could not read the skipped items: ${errorMessage(err)}`, attrs: { dir: 'auto' } }));
    }
  }

  async function postAnyway(entry: SkippedItem, btn: HTMLButtonElement): Promise<void> {
    btn.disabled = true;
    try {
      await api.postSkipped(entry.id);
      entries = (entries ?? []).filter((e) => e.id !== entry.id);
      toast.show(`Queued “${titleOf(entry)}” to post.`);
      paint();
    } catch (err) {
      btn.disabled = false;
      toast.show(`Could not post “${titleOf(entry)}”: ${errorMessage(err)}`, 'error');
    }
  }

  function paint(): void {
    const list = entries ?? [];
    summary.textContent = `Skipped (${list.length.toLocaleString('en-US')})`;
    const now = Date.now();
    body.replaceChildren(list.length === 0
      ? h('p', { class: 'feed-skips-note', text: 'Nothing skipped: every item this feed brought was posted or is waiting.' })
      : h('ul', {}, ...list.map((entry) => {
        const title = titleOf(entry);
        const post: HTMLButtonElement = button('Post anyway', () => void postAnyway(entry, post), {
          class: 'btn btn-small feed-skip-post', dataset: { skipId: entry.id }, attrs: { 'aria-label': `Post anyway: ${title}` },
        });
        return h('li', { dataset: { skipId: entry.id } },
          h('span', { class: 'feed-skip-title', text: title, attrs: { dir: 'auto' } }),
          h('span', { class: 'feed-skip-reason', text: entry.reason, attrs: { dir: 'auto' } }),
          h('time', { class: 'feed-skip-time', text: relativeTime(entry.at, now), attrs: { datetime: entry.at, title: exactTime(entry.at) } }),
          post);
      })));
  }

  el.addEventListener('toggle', () => { if (el.open) void load(); });

  return {
    el,
    feedChanged(next) {
      if (next.health.lastFetchedAt === lastFetch) return;
      lastFetch = next.health.lastFetchedAt;
      if (el.open) void load();
    },
  };
}
