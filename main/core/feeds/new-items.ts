// Which items of a fetched feed are new: an item is the same item when its id is known, or when
// its link is known (publishers change guids and dates). Seen ids are capped: those still in the
// feed plus a margin of older ones.
import type { SeenRecord } from '../store/types';
import type { FeedItem } from './types';

export const SEEN_MARGIN = 500;

export interface NewItemsResult {
  /** Oldest first, so tasks are created (and posted) in publication order. */
  fresh: FeedItem[];
  seen: SeenRecord;
}

export function findNewItems(items: readonly FeedItem[], previous: SeenRecord | undefined): NewItemsResult {
  const knownIds = new Set(previous?.ids ?? []);
  const knownLinks = new Set(previous?.links ?? []);
  const fresh: FeedItem[] = [];
  const batchIds = new Set<string>();
  for (const item of items) {
    if (batchIds.has(item.id)) continue;
    batchIds.add(item.id);
    if (knownIds.has(item.id) || (item.link !== null && knownLinks.has(item.link))) continue;
    fresh.push(item);
  }
  return { fresh: newestLast(fresh), seen: rememberSeen(items, previous) };
}

/** Marks every item seen, keeping the current ones first and a margin of older ones. */
export function rememberSeen(items: readonly FeedItem[], previous: SeenRecord | undefined): SeenRecord {
  const ids = unique([...items.map((i) => i.id), ...(previous?.ids ?? [])]);
  const links = unique([...items.flatMap((i) => (i.link === null ? [] : [i.link])), ...(previous?.links ?? [])]);
  const keep = items.length + SEEN_MARGIN;
  return { ids: ids.slice(0, keep), links: links.slice(0, keep) };
}

/** Items by date, oldest first; undated items keep document order (feeds list newest first). */
export function newestLast(items: readonly FeedItem[]): FeedItem[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => {
      const ta = a.item.published ? Date.parse(a.item.published) : NaN;
      const tb = b.item.published ? Date.parse(b.item.published) : NaN;
      if (!Number.isNaN(ta) && !Number.isNaN(tb) && ta !== tb) return ta - tb;
      return b.index - a.index;
    })
    .map((e) => e.item);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
