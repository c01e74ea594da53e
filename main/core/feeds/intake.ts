// What one successful poll means for a feed: which items become tasks, which are skipped and
// why, and what is remembered as seen. Pure: the service applies the result.
import type { FeedSkip } from '../../../preload/contract';
import { composePost, EMPTY_POST_REASON } from '../compose/compose';
import { compileFilters, filterItem } from '../compose/filters';
import { MAX_RECENT_SKIPS } from '../defaults';
import type { FeedConfig, SeenRecord } from '../store/types';
import { findNewItems, newestLast, rememberSeen } from './new-items';
import type { FeedItem, NormalizedFeed } from './types';

export interface TaskDraft {
  item: FeedItem;
  text: string;
  imageUrl: string | null;
}

export interface IntakeResult {
  drafts: TaskDraft[];
  skips: FeedSkip[];
  seen: SeenRecord;
}

/**
 * The first poll of a feed (no seen record) is its baseline: the items present are marked
 * seen and only the newest `backfill` of them are posted.
 */
export function takeIn(feed: FeedConfig, feedTitle: string | null, parsed: NormalizedFeed, seen: SeenRecord | undefined, nowIso: string): IntakeResult {
  let candidates: FeedItem[];
  let nextSeen: SeenRecord;
  if (seen === undefined) {
    const ordered = newestLast(parsed.items);
    candidates = feed.backfill > 0 ? ordered.slice(-feed.backfill) : [];
    nextSeen = rememberSeen(parsed.items, undefined);
  } else {
    const found = findNewItems(parsed.items, seen);
    candidates = found.fresh;
    nextSeen = found.seen;
  }
  const filters = compileFilters(feed.include, feed.exclude);
  const drafts: TaskDraft[] = [];
  const skips: FeedSkip[] = [];
  for (const item of candidates) {
    const reason = filterItem(item, filters);
    if (reason !== null) {
      skips.push({ itemTitle: item.title || item.link || item.id, reason, at: nowIso });
      continue;
    }
    const post = composePost(item, { template: feed.template, maxHashtags: feed.maxHashtags, feedTitle: feed.name ?? feedTitle });
    if (post.text === '') {
      skips.push({ itemTitle: item.title || item.link || item.id, reason: EMPTY_POST_REASON, at: nowIso });
      continue;
    }
    drafts.push({ item, text: post.text, imageUrl: feed.postImages ? item.image : null });
  }
  return { drafts, skips, seen: nextSeen };
}

export function mergeSkips(previous: FeedSkip[], added: FeedSkip[]): FeedSkip[] {
  return [...[...added].reverse(), ...previous].slice(0, MAX_RECENT_SKIPS);
}
