// Which items of a fetched feed are new. Seen ids are capped: those still in the feed plus a
// margin of older ones.
//
// An item is known when its id is known. Its link also counts, but only as far as a link can
// name one item:
// - An item without a feed id (its id is its link, or a hash of title and date) is known when its
//   link is known: the link is all that identifies it.
// - An item with a feed id (guid, Atom id, …) whose id is new but whose link is known is one of
//   two things. Publishers that regenerate guids on every build ("ids change every poll, links
//   stay") give each item its own link; podcasts and web comics point every item at one page
//   (the show, the comic's home). So: when the link is shared by several items of this same
//   document, or is the feed's own home page, it names no single item and the id decides — a new
//   episode is new. When the link belongs to this item alone, it is the item already seen under a
//   changed id: not posted, and listed in the feed's recent skips as SAME_LINK_REASON.
// What this cannot tell apart: a podcast whose guids also change every poll (every episode looks
// new each time), or a one-item feed that points at a shared page other than its home page
// (the episode looks like the old one under a new id — listed in recent skips, not lost silently).
//
// A poll's document may hold key-only items (types.ts, PolledItem): the parse worker sends an item
// whose id the seen record knows as its key alone. Such an item is known by definition; its id and
// link still count below (shared links, what is remembered), so the rules read the same.
import type { SeenRecord } from '../store/types';
import { type FeedItem, type ItemKey, isWholeItem, type PolledItem } from './types';

export const SEEN_MARGIN = 500;

export const SAME_LINK_REASON = 'already posted (same link, new id)';

export interface NewItemsResult {
  /** Oldest first, so tasks are created (and posted) in publication order. */
  fresh: FeedItem[];
  /** New ids on links that name a known item: the same items under changed ids. Oldest first. */
  sameLink: FeedItem[];
  seen: SeenRecord;
}

/**
 * Whether no two items of the document share an id, and no two share a link. The parse worker
 * works this out (PolledFeed.distinct), so the intake of a big document needs no dedupe of its
 * own: every string that crossed from the worker would otherwise be hashed on the main thread.
 */
export function keysDistinct(items: readonly ItemKey[]): boolean {
  const ids = new Set<string>();
  const links = new Set<string>();
  for (const item of items) {
    if (ids.has(item.id)) return false;
    ids.add(item.id);
    if (item.link === null) continue;
    if (links.has(item.link)) return false;
    links.add(item.link);
  }
  return true;
}

/**
 * Links that name no single item: shared by several items of the document, or the feed's home page.
 * `distinct`: no two items share a link (keysDistinct), so only the home page can be one.
 */
export function sharedLinks(items: readonly ItemKey[], homePage: string | null, distinct = false): Set<string> {
  const shared = new Set<string>();
  if (!distinct) {
    const firstOwner = new Map<string, string>();
    for (const item of items) {
      if (item.link === null) continue;
      const owner = firstOwner.get(item.link);
      if (owner === undefined) firstOwner.set(item.link, item.id);
      else if (owner !== item.id) shared.add(item.link);
    }
  }
  if (homePage !== null) shared.add(homePage);
  return shared;
}

/** Whether any item of the document is one the seen record knows, by id or by a link naming one item. */
export function overlapsSeen(items: readonly ItemKey[], seen: SeenRecord, homePage: string | null, distinct = false): boolean {
  const ids = new Set(seen.ids);
  const links = new Set(seen.links);
  const shared = sharedLinks(items, homePage, distinct);
  return items.some((i) => ids.has(i.id) || (i.link !== null && !shared.has(i.link) && links.has(i.link)));
}

/** `distinct`: as keysDistinct says of `items`. */
export function findNewItems(
  items: readonly PolledItem[], previous: SeenRecord | undefined, homePage: string | null = null, distinct = false,
): NewItemsResult {
  const knownIds = new Set(previous?.ids ?? []);
  const knownLinks = new Set(previous?.links ?? []);
  const shared = sharedLinks(items, homePage, distinct);
  const fresh: FeedItem[] = [];
  const sameLink: FeedItem[] = [];
  const batchIds = new Set<string>();
  for (const item of items) {
    // A key-only item is known by its id (the worker checked): nothing to look up.
    if (!isWholeItem(item)) continue;
    if (!distinct) {
      if (batchIds.has(item.id)) continue;
      batchIds.add(item.id);
    }
    if (knownIds.has(item.id)) continue;
    const linkKnown = item.link !== null && knownLinks.has(item.link);
    const idDecides = item.idFrom === 'feed' && item.link !== null && shared.has(item.link);
    if (linkKnown && !idDecides) sameLink.push(item);
    else fresh.push(item);
  }
  return { fresh: newestLast(fresh), sameLink: newestLast(sameLink), seen: rememberSeen(items, previous, distinct) };
}

/**
 * Marks every item seen, keeping the current ones first and a margin of older ones. `distinct`:
 * as keysDistinct says of `items` — then a first poll's record is the items' ids and links as they are.
 */
export function rememberSeen(items: readonly ItemKey[], previous: SeenRecord | undefined, distinct = false): SeenRecord {
  const keep = items.length + SEEN_MARGIN;
  if (distinct && !previous) {
    const links: string[] = [];
    for (const item of items) if (item.link !== null) links.push(item.link);
    return { ids: items.map((i) => i.id), links };
  }
  const ids = new Set<string>();
  const links = new Set<string>();
  for (const item of items) {
    ids.add(item.id);
    if (item.link !== null) links.add(item.link);
  }
  return { ids: withOlder(ids, previous?.ids, keep), links: withOlder(links, previous?.links, keep) };
}

/** `current` followed by the older values not in it, at most `keep` in all. */
function withOlder(current: Set<string>, older: readonly string[] | undefined, keep: number): string[] {
  for (const value of older ?? []) {
    if (current.size >= keep) break;
    current.add(value);
  }
  const all = [...current];
  return all.length > keep ? all.slice(0, keep) : all;
}

/**
 * Items by date, oldest first; undated items keep document order (feeds list newest first), so
 * they come out in reverse document order. Each date is read once, before sorting, not in the
 * comparator (n readings, not n log n).
 */
export function newestLast<T extends ItemKey>(items: readonly T[]): T[] {
  return items
    .map((item, index) => ({ item, index, time: item.published ? Date.parse(item.published) : NaN }))
    .sort((a, b) => {
      if (!Number.isNaN(a.time) && !Number.isNaN(b.time) && a.time !== b.time) return a.time - b.time;
      return b.index - a.index;
    })
    .map((e) => e.item);
}


/** Whether two seen records hold the same ids, links and address, in the same order. */
export function sameSeen(a: SeenRecord, b: SeenRecord): boolean {
  const same = (x: readonly string[], y: readonly string[]): boolean => x.length === y.length && x.every((v, i) => v === y[i]);
  return a.address === b.address && same(a.ids, b.ids) && same(a.links, b.links);
}
