// The per-feed view: a <select> of the feeds, each with its counts (Feed.counts, counted by the
// engine over every task, so they are right while the page holds only the first tasks).
import type { Feed, FeedCounts } from '../../preload/contract';
import { h } from '../lib/dom';
import { distinctLabels } from '../lib/feed-labels';

/** "12 posted · 2 pending · 1 failed"; the zero counts left out; '' when there are none. */
export function countsText(counts: FeedCounts | undefined): string {
  if (!counts) return '';
  const parts: string[] = [];
  if (counts.posted > 0) parts.push(`${counts.posted.toLocaleString()} posted`);
  if (counts.pending > 0) parts.push(`${counts.pending.toLocaleString()} pending`);
  if (counts.failed > 0) parts.push(`${counts.failed.toLocaleString()} failed`);
  return parts.length > 0 ? parts.join(' · ') : 'no tasks';
}

export interface FeedOption { value: string; label: string }

/** "All feeds", then each feed by its label (alphabetical), its counts in brackets. Pure. */
export function feedOptions(feeds: readonly Feed[]): FeedOption[] {
  const labels = distinctLabels(feeds);
  const byLabel = [...feeds].sort((a, b) => (labels.get(a.id) ?? '').localeCompare(labels.get(b.id) ?? ''));
  return [{ value: '', label: 'All feeds' }, ...byLabel.map((f) => {
    const counts = countsText(f.counts);
    const label = labels.get(f.id) ?? f.url;
    return { value: f.id, label: counts ? `${label} (${counts})` : label };
  })];
}

/** The feed a link asks for: tasks.html#feed=ID (e.g. from a feed's card in Settings); '' for none. */
export function feedFromHash(hash: string): string {
  return new URLSearchParams(hash.replace(/^#/, '')).get('feed') ?? '';
}

/** The address's hash for a feed chosen ('' when all feeds are shown). */
export function hashForFeed(feedId: string): string {
  return feedId ? `#${new URLSearchParams({ feed: feedId }).toString()}` : '';
}

export interface FeedFilter {
  /** Rebuilds the options when the feeds changed; keeps `current` chosen (or all feeds when it is gone). */
  update(feeds: readonly Feed[], current: string): string;
}

export function createFeedFilter(select: HTMLSelectElement, onSelect: (feedId: string) => void): FeedFilter {
  let lastFeeds: readonly Feed[] | null = null;
  select.addEventListener('change', () => onSelect(select.value));
  return {
    update(feeds, current) {
      if (feeds !== lastFeeds) {
        lastFeeds = feeds;
        select.replaceChildren(...feedOptions(feeds).map((o) => h('option', { text: o.label, attrs: { value: o.value } })));
      }
      const chosen = feeds.some((f) => f.id === current) ? current : '';
      if (select.value !== chosen) select.value = chosen;
      select.closest('.feed-select')?.toggleAttribute('hidden', feeds.length < 2 && chosen === '');
      return chosen;
    },
  };
}
