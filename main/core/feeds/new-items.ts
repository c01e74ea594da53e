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
export const SAME_TITLE_REASON = 'already posted (same title, new id)';

/**
 * A feed's dedupe choice (Feed.dedupe). Each adds to the id rule, never replaces it, so an item
 * known by id is never posted again whatever the rule (and the parse worker's selection by seen
 * ids stays right for every rule):
 * - 'id' (default): the rules above — a known link counts only where it names one item.
 * - 'link': any known link means the item was posted, shared or not (one post per page).
 * - 'title': a known title (case and spacing aside) means the item was posted too.
 */
export type DedupeRule = 'id' | 'link' | 'title';

/**
 * Opt-in reposting (Feed.repostAfterDays): an item that left the feed and is back in it
 * `afterDays` or more days after a poll first found it gone is new again. The seen record then
 * keeps, per id, PRESENT (in the document at the last poll) or the day ("YYYY-MM-DD", UTC) it was
 * found gone: an item always in the feed never reposts, however long Crier was off. An id with
 * no entry (a record written before reposting was on, or while it was off) is never reposted.
 */
export interface Repost { afterDays: number; today: string }

export const PRESENT = '+';

/**
 * The record's per-id entries (SeenRecord.days, aligned with ids: an array of strings, so replay
 * keeps its fast path; '' for none). A record whose two lists do not line up gives none: never a repost.
 */
export function daysOf(seen: SeenRecord | undefined): Map<string, string> {
  const days = new Map<string, string>();
  if (!seen?.days || seen.days.length !== seen.ids.length) return days;
  seen.ids.forEach((id, i) => { if (seen.days![i]) days.set(id, seen.days![i]!); });
  return days;
}

export interface DedupeOptions { rule?: DedupeRule; repost?: Repost | null }

/** A title as the 'title' rule compares it. */
export function titleKey(title: string): string {
  return title.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** The seen ids `repost` makes new again: last in the feed at least `afterDays` days before today. */
export function repostable(seen: SeenRecord | undefined, repost: Repost | null | undefined): Set<string> {
  const again = new Set<string>();
  if (!seen?.days || !repost) return again;
  const today = Date.parse(repost.today);
  for (const [id, day] of daysOf(seen)) {
    if (day === PRESENT) continue;
    const last = Date.parse(day);
    if (!Number.isNaN(last) && today - last >= repost.afterDays * 86_400_000) again.add(id);
  }
  return again;
}

export interface NewItemsResult {
  /** Oldest first, so tasks are created (and posted) in publication order. */
  fresh: FeedItem[];
  /** New ids on links that name a known item: the same items under changed ids. Oldest first. */
  sameLink: FeedItem[];
  /** The 'title' rule: new ids whose title is known. Oldest first. */
  sameTitle: FeedItem[];
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
  options: DedupeOptions = {},
): NewItemsResult {
  const rule = options.rule ?? 'id';
  const knownIds = new Set(previous?.ids ?? []);
  const knownLinks = new Set(previous?.links ?? []);
  const knownTitles = rule === 'title' ? new Set(previous?.titles ?? []) : null;
  const again = repostable(previous, options.repost);
  const shared = sharedLinks(items, homePage, distinct);
  const fresh: FeedItem[] = [];
  const sameLink: FeedItem[] = [];
  const sameTitle: FeedItem[] = [];
  const batchIds = new Set<string>();
  for (const item of items) {
    // A key-only item is known by its id (the worker checked): nothing to look up.
    if (!isWholeItem(item)) continue;
    if (!distinct) {
      if (batchIds.has(item.id)) continue;
      batchIds.add(item.id);
    }
    if (again.has(item.id)) {
      fresh.push(item); // back after the repost delay: its own link and title are known, and that is fine
      continue;
    }
    if (knownIds.has(item.id)) continue;
    const linkKnown = item.link !== null && knownLinks.has(item.link);
    const idDecides = rule === 'id' && item.idFrom === 'feed' && item.link !== null && shared.has(item.link);
    const title = knownTitles ? titleKey(item.title) : '';
    if (linkKnown && !idDecides) sameLink.push(item);
    else if (knownTitles && title !== '' && knownTitles.has(title)) sameTitle.push(item);
    else {
      fresh.push(item);
      // Two items of one document with one title: the second is the same story too.
      if (knownTitles && title !== '') knownTitles.add(title);
    }
  }
  return {
    fresh: newestLast(fresh), sameLink: newestLast(sameLink), sameTitle: newestLast(sameTitle),
    seen: rememberSeen(items, previous, distinct, options),
  };
}

/**
 * Marks every item seen, keeping the current ones first and a margin of older ones. `distinct`:
 * as keysDistinct says of `items` — then a first poll's record is the items' ids and links as they are.
 */
export function rememberSeen(items: readonly PolledItem[], previous: SeenRecord | undefined, distinct = false, options: DedupeOptions = {}): SeenRecord {
  return withExtras(idsAndLinks(items, previous, distinct), items, previous, options);
}

function idsAndLinks(items: readonly ItemKey[], previous: SeenRecord | undefined, distinct: boolean): SeenRecord {
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

/**
 * The titles the 'title' rule needs (whole items' only: a key-only item is known by its id) and
 * what reposting needs (Repost): PRESENT for every item in the document; for a remembered id that
 * was present and is not, today; the day kept for the others. Neither is kept when the feed does
 * not use it. The record changes only when items come and go, not every day.
 */
function withExtras(seen: SeenRecord, items: readonly PolledItem[], previous: SeenRecord | undefined, options: DedupeOptions): SeenRecord {
  const out: SeenRecord = { ...seen };
  if (options.rule === 'title') {
    const titles = new Set<string>();
    for (const item of items) {
      if (!isWholeItem(item)) continue;
      const title = titleKey(item.title);
      if (title !== '') titles.add(title);
    }
    out.titles = withOlder(titles, previous?.titles, items.length + SEEN_MARGIN);
  }
  if (options.repost) {
    const earlier = daysOf(previous);
    const current = new Set(items.map((i) => i.id));
    out.days = seen.ids.map((id) => {
      const before = earlier.get(id);
      return current.has(id) ? PRESENT : before === PRESENT ? options.repost!.today : before ?? '';
    });
  }
  return out;
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


/** Whether two seen records hold the same ids, links, titles, days and address, in the same order. */
export function sameSeen(a: SeenRecord, b: SeenRecord): boolean {
  const same = (x: readonly string[], y: readonly string[]): boolean => x.length === y.length && x.every((v, i) => v === y[i]);
  const sameOptional = (x: readonly string[] | undefined, y: readonly string[] | undefined): boolean =>
    (x === undefined || y === undefined ? x === y : same(x, y));
  return a.address === b.address && same(a.ids, b.ids) && same(a.links, b.links) && sameOptional(a.titles, b.titles) && sameOptional(a.days, b.days);
}
