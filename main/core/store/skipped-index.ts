// The skipped log in memory: entries oldest first, and how many each feed has, kept as entries come
// and go, so a poll can tell whether the log is past its bounds without reading all of it (with
// 1,000 feeds and 5,000 entries, reading it after every feed's intake made a first cycle quadratic).
import type { SkippedItem } from '../../../preload/contract';

export class SkippedIndex {
  /** Oldest first: replay gives records in the order they were last written, and entries are never rewritten. */
  private readonly entries = new Map<string, SkippedItem>();
  private readonly perFeed = new Map<string, number>();

  set(entry: SkippedItem): void {
    const before = this.entries.get(entry.id);
    if (before) this.uncount(before.feedId);
    this.entries.set(entry.id, entry);
    this.perFeed.set(entry.feedId, (this.perFeed.get(entry.feedId) ?? 0) + 1);
  }

  /** Whether there was such an entry. */
  delete(id: string): boolean {
    const entry = this.entries.get(id);
    if (!entry) return false;
    this.entries.delete(id);
    this.uncount(entry.feedId);
    return true;
  }

  values(): IterableIterator<SkippedItem> {
    return this.entries.values();
  }

  /** Entries of one feed, or of all. */
  count(feedId?: string): number {
    return feedId === undefined ? this.entries.size : this.perFeed.get(feedId) ?? 0;
  }

  private uncount(feedId: string): void {
    const n = (this.perFeed.get(feedId) ?? 0) - 1;
    if (n > 0) this.perFeed.set(feedId, n); else this.perFeed.delete(feedId);
  }
}
