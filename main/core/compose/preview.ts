// What Crier would post for a feed's newest items, and why it would skip the others.
import type { PreviewPost, PreviewResult, PreviewSkip } from '../../../preload/contract';
import { DEFAULT_MAX_HASHTAGS, DEFAULT_TEMPLATE } from '../defaults';
import type { FeedItem, NormalizedFeed } from '../feeds/types';
import { composePost, EMPTY_POST_REASON } from './compose';
import { compileFilters, filterItem } from './filters';
import { checkTemplate } from './template';

export const DEFAULT_PREVIEW_LIMIT = 10;

export interface PreviewItemsOptions {
  template?: string;
  include?: readonly string[];
  exclude?: readonly string[];
  maxHashtags?: number;
  /** The feed's label for {feed}; the feed's own title when absent. */
  feedTitle?: string | null;
  /** How many of the newest items to look at (10). */
  limit?: number;
}

/**
 * Newest first: by published date, descending, when every item has one (ties keep document
 * order); otherwise the feed's own order, which is what feeds without dates mean by "newest".
 */
export function newestFirst(items: readonly FeedItem[]): FeedItem[] {
  const times = items.map((i) => (i.published === null ? Number.NaN : Date.parse(i.published)));
  if (times.some(Number.isNaN)) return [...items];
  return items.map((item, index) => ({ item, index, time: times[index] as number }))
    .sort((a, b) => b.time - a.time || a.index - b.index)
    .map((e) => e.item);
}

/** Throws a validation CommandError for a bad template or filter before looking at any item. */
export function previewItems(feed: NormalizedFeed, opts: PreviewItemsOptions = {}): PreviewResult {
  const template = opts.template ?? DEFAULT_TEMPLATE;
  checkTemplate(template);
  const filters = compileFilters(opts.include ?? [], opts.exclude ?? []);
  const feedTitle = opts.feedTitle === undefined ? feed.title : opts.feedTitle;
  const ctx = { template, maxHashtags: opts.maxHashtags ?? DEFAULT_MAX_HASHTAGS, feedTitle };

  const posts: PreviewPost[] = [];
  const skipped: PreviewSkip[] = [];
  for (const item of newestFirst(feed.items).slice(0, Math.max(0, opts.limit ?? DEFAULT_PREVIEW_LIMIT))) {
    const reason = filterItem(item, filters);
    if (reason !== null) {
      skipped.push({ itemId: item.id, itemTitle: item.title, reason });
      continue;
    }
    const post = composePost(item, ctx);
    if (post.text === '') {
      skipped.push({ itemId: item.id, itemTitle: item.title, reason: EMPTY_POST_REASON });
      continue;
    }
    posts.push({ itemId: item.id, itemTitle: item.title, text: post.text, weightedLength: post.weightedLength, imageUrl: item.image });
  }
  return { feedTitle, posts, skipped };
}
