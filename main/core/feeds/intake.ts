// What one successful poll means for a feed: which items become tasks, which are skipped and
// why, and what is remembered as seen. Pure: the service applies the result.
import type { FeedSkip } from '../../../preload/contract';
import { composePost, EMPTY_POST_REASON } from '../compose/compose';
import { compileFilters, filterItem } from '../compose/filters';
import { MAX_RECENT_SKIPS } from '../defaults';
import type { FeedConfig, SeenRecord } from '../store/types';
import { type DedupeOptions, findNewItems, newestLast, overlapsSeen, rememberSeen, type Repost, repostable, SAME_LINK_REASON, SAME_TITLE_REASON } from './new-items';
import { BASELINE_REASON, type LoggedSkip, SKIP_LOG_BASELINE, SKIP_LOG_PER_FEED } from './skip-log';
import { type FeedItem, isWholeItem, type PolledFeed, type PolledItem, type Selection } from './types';

export const ADDRESS_CHANGE_REASON = 'baseline after an address change';

export interface TaskDraft {
  item: FeedItem;
  text: string;
  imageUrl: string | null;
}

export interface IntakeResult {
  drafts: TaskDraft[];
  skips: FeedSkip[];
  /** For the skipped log, oldest first: whole items not posted, a baseline's newest `baselineLog` only. */
  logged: LoggedSkip[];
  seen: SeenRecord;
}

/**
 * Whether the document comes from another address than the one the seen ids were read from — the
 * user edited the URL, or a permanent redirect moved the feed. A seen record written before
 * addresses were recorded tells nothing, so it never counts as a move.
 */
export function addressChanged(seen: SeenRecord | undefined, address: string | null): boolean {
  return seen?.address !== undefined && address !== null && seen.address !== address;
}

/**
 * The first poll of a feed (no seen record) is its baseline: the items present are marked
 * seen and only the newest `backfill` of them are posted. So is the first poll at a new address
 * whose document shares no item with the seen record (no common id, no common link naming one
 * item): that is another feed, and posting its whole backlog would flood the account. A move to
 * the same feed (any item in common) carries on from the seen ids. `address` is where the
 * document was read from (after a permanent redirect, its target); it is remembered with the
 * seen ids, except after an empty document at a new address, which proves nothing either way.
 *
 * `parsed` may hold key-only items (types.ts): read for `seen` with the selection pollSelection
 * gives, every item this can post is whole — a key-only one is either known by id, or (first poll)
 * older than the `backfill` newest. One among the candidates is a bug, refused with an error
 * (the poll fails, nothing is marked seen) rather than an item lost.
 */
export function takeIn(
  feed: FeedConfig, feedTitle: string | null, parsed: PolledFeed, seen: SeenRecord | undefined, nowIso: string,
  address: string | null = null, baselineLog: number = SKIP_LOG_BASELINE,
): IntakeResult {
  const moved = addressChanged(seen, address);
  const distinct = parsed.distinct === true;
  const anotherFeed = moved && parsed.items.length > 0 && !overlapsSeen(parsed.items, seen!, parsed.link, distinct);
  const skipOf = (item: PolledItem, reason: string): FeedSkip => ({
    itemTitle: (isWholeItem(item) ? item.title : '') || item.link || item.id, reason, at: nowIso,
  });
  const dedupe = dedupeOptions(feed, nowIso);
  const skips: FeedSkip[] = [];
  const logged: LoggedSkip[] = [];
  let candidates: FeedItem[];
  let nextSeen: SeenRecord;
  if (seen === undefined || anotherFeed) {
    // A first poll without backfill posts nothing: only its whole items (the newest the log keeps,
    // as pollSelection asked the worker) need an order, not the thousands of key-only ones.
    const ordered = feed.backfill === 0 && !anotherFeed ? newestLast(parsed.items.filter(isWholeItem)) : newestLast(parsed.items);
    const split = feed.backfill > 0 ? Math.max(0, ordered.length - feed.backfill) : ordered.length;
    candidates = ordered.slice(split).map(wholeOrThrow);
    const older = ordered.slice(0, split);
    if (anotherFeed) skips.push(...older.map((item) => skipOf(item, ADDRESS_CHANGE_REASON)));
    const reason = anotherFeed ? ADDRESS_CHANGE_REASON : BASELINE_REASON;
    // A first check logs only its newest few (`baselineLog`, at most SKIP_LOG_BASELINE: the old ones
    // are the least likely to be posted anyway); a new address's backlog was read whole anyway and
    // keeps the feed's bound.
    const keep = anotherFeed ? SKIP_LOG_PER_FEED : baselineLog;
    for (const item of older.slice(-keep)) if (isWholeItem(item)) logged.push({ item, reason });
    // The old address's ids are kept behind the new ones: moving back finds its items known.
    nextSeen = rememberSeen(parsed.items, seen, distinct, dedupe);
  } else {
    const found = findNewItems(parsed.items, seen, parsed.link, distinct, dedupe);
    candidates = found.fresh;
    skips.push(...found.sameLink.map((item) => skipOf(item, SAME_LINK_REASON)), ...found.sameTitle.map((item) => skipOf(item, SAME_TITLE_REASON)));
    logged.push(...found.sameLink.map((item) => ({ item, reason: SAME_LINK_REASON })), ...found.sameTitle.map((item) => ({ item, reason: SAME_TITLE_REASON })));
    nextSeen = found.seen;
  }
  const remembered = moved && parsed.items.length === 0 ? seen?.address : (address ?? seen?.address);
  if (remembered !== undefined) nextSeen = { ...nextSeen, address: remembered };
  const filters = compileFilters(feed.include, feed.exclude);
  const drafts: TaskDraft[] = [];
  for (const item of candidates) {
    const reason = filterItem(item, filters);
    if (reason !== null) {
      skips.push(skipOf(item, reason));
      logged.push({ item, reason });
      continue;
    }
    const post = composePost(item, { template: feed.template, maxHashtags: feed.maxHashtags, feedTitle: feed.name ?? feedTitle, utm: feed.utm ?? null });
    if (post.text === '') {
      skips.push(skipOf(item, EMPTY_POST_REASON));
      logged.push({ item, reason: EMPTY_POST_REASON });
      continue;
    }
    drafts.push({ item, text: post.text, imageUrl: feed.postImages ? item.image : null });
  }
  return { drafts, skips, logged, seen: nextSeen };
}

/**
 * The selection a poll reads its document with, for a feed whose seen record is `seen`. A first
 * poll wants whole the newest `backfill` (to post) and the `baselineLog` before them (the
 * skipped log keeps those of a baseline, so "Post anyway" can post one).
 */
export function pollSelection(seen: SeenRecord | undefined, backfill: number, repost: Repost | null = null,
  baselineLog: number = SKIP_LOG_BASELINE): Selection {
  if (seen === undefined) return { kind: 'baseline', newest: backfill + baselineLog };
  // Ids a repost makes new again are not "known": the worker must send those items whole.
  const again = repostable(seen, repost);
  return { kind: 'unseen', knownIds: again.size === 0 ? seen.ids : seen.ids.filter((id) => !again.has(id)) };
}

/** What a feed's dedupe settings mean for a poll at `nowIso`. */
export function dedupeOptions(feed: Pick<FeedConfig, 'dedupe' | 'repostAfterDays'>, nowIso: string): DedupeOptions {
  return { rule: feed.dedupe ?? 'id', repost: repostOf(feed, nowIso) };
}

export function repostOf(feed: Pick<FeedConfig, 'repostAfterDays'>, nowIso: string): Repost | null {
  return feed.repostAfterDays == null ? null : { afterDays: feed.repostAfterDays, today: nowIso.slice(0, 10) };
}

function wholeOrThrow(item: PolledItem): FeedItem {
  if (isWholeItem(item)) return item;
  throw new Error(`item ${item.id} would be posted but was read as its key only; the poll is dropped and nothing is marked seen`);
}

/**
 * Newest first, capped. `added` is oldest first. A skip that repeats one already listed (same
 * item title, same reason — a feed whose ids change on every poll repeats its same-link skips)
 * replaces it rather than filling the list with copies.
 */
export function mergeSkips(previous: FeedSkip[], added: FeedSkip[]): FeedSkip[] {
  const seen = new Set<string>();
  const merged: FeedSkip[] = [];
  for (const skip of [...[...added].reverse(), ...previous]) {
    const key = `${skip.reason}\n${skip.itemTitle}`;
    if (seen.has(key)) continue;
    seen.add(key);
    merged.push(skip);
    if (merged.length === MAX_RECENT_SKIPS) break;
  }
  return merged;
}
