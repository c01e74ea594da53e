// The skipped log: every item a poll did not post, with its reason and the fields "Post anyway"
// composes from. Bounded per feed and in all, oldest dropped first, so a feed whose filter drops
// most of what it sees cannot crowd out the others, and the journal stays small.
import type { SkippedItem, SkippedItemFields } from '../../../preload/contract';
import type { FeedItem } from './types';

export const SKIP_LOG_PER_FEED = 200;
/**
 * Of a first check's baseline, only the newest this many are logged: a baseline's old items are
 * the least likely to be posted anyway, and each logged one must be sent whole from the parse
 * worker, normalised and written, so 200 of them made a feed's first check cost several times a
 * plain fetch and parse, and 20 still cost a 300-feed first cycle 0.3 s of CPU (1.31 → 1.11 × the
 * bare baseline with 5; issue 13). A new address's backlog and the other reasons keep the per-feed bound.
 */
export const SKIP_LOG_BASELINE = 5;
export const SKIP_LOG_TOTAL = 5000;

/**
 * How many of a first check's baseline items are logged when `feeds` feeds are followed: the
 * newest SKIP_LOG_BASELINE, or fewer, so first checks of every feed together fit the log's total.
 * Logging more only to trim it at once cost a 1,000-feed install ~80 MB of resident memory and a
 * slower first cycle (bench/memory.mjs: 20 a feed 267 MB, 5 a feed 191 MB): each logged item is
 * sent whole from the parse worker, normalised and written, then dropped again.
 */
export function baselineLogShare(feeds: number): number {
  return Math.max(1, Math.min(SKIP_LOG_BASELINE, Math.floor(SKIP_LOG_TOTAL / Math.max(1, feeds))));
}
/** A summary is capped where it is parsed already (a post uses little of it); the log keeps less. */
export const SKIP_SUMMARY_MAX = 1000;

export const BASELINE_REASON = 'baseline: already in the feed at its first check';

/** An item not posted, and why, as an intake reports it (oldest first). */
export interface LoggedSkip { item: FeedItem; reason: string }

export function skippedFields(item: FeedItem): SkippedItemFields {
  return {
    id: item.id, title: item.title, link: item.link, summary: item.summary.slice(0, SKIP_SUMMARY_MAX),
    published: item.published, author: item.author, image: item.image, categories: [...item.categories],
  };
}

/** The FeedItem compose expects, from what the log kept (where the id came from no longer matters). */
export function itemOfSkip(entry: SkippedItem): FeedItem {
  const f = entry.item;
  return {
    id: f.id, idFrom: 'feed', link: f.link, published: f.published, title: f.title, summary: f.summary,
    author: f.author, categories: [...f.categories], image: f.image,
  };
}

/**
 * Which entries of `log` (oldest first, the new ones last) the bounds drop: a feed's oldest past
 * `perFeed`, then the oldest of all past `total`.
 */
export function overflow(log: readonly SkippedItem[], perFeed = SKIP_LOG_PER_FEED, total = SKIP_LOG_TOTAL): string[] {
  const dropped = new Set<string>();
  const perFeedCount = new Map<string, number>();
  for (let i = log.length - 1; i >= 0; i--) {
    const entry = log[i]!;
    const n = (perFeedCount.get(entry.feedId) ?? 0) + 1;
    perFeedCount.set(entry.feedId, n);
    if (n > perFeed) dropped.add(entry.id);
  }
  let left = log.length - dropped.size;
  for (const entry of log) {
    if (left <= total) break;
    if (dropped.has(entry.id)) continue;
    dropped.add(entry.id);
    left--;
  }
  return [...dropped];
}

/** Newest first; one feed's when `feedId` is given. `log` is oldest first. */
export function listNewestFirst(log: readonly SkippedItem[], feedId?: string): SkippedItem[] {
  const out: SkippedItem[] = [];
  for (let i = log.length - 1; i >= 0; i--) {
    const entry = log[i]!;
    if (feedId === undefined || entry.feedId === feedId) out.push(entry);
  }
  return out;
}
