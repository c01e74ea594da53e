// What Crier would post for a feed's newest items, and why it would skip the others.
import type { NetworkPreview, PreviewPost, PreviewResult, PreviewSkip, UtmTags } from '../../../preload/contract';
import type { LengthRules } from '../networks/types';
import { DEFAULT_MAX_HASHTAGS, DEFAULT_TEMPLATE } from '../defaults';
import { takeIn } from '../feeds/intake';
import type { FeedItem, NormalizedFeed } from '../feeds/types';
import type { FeedConfig, SeenRecord } from '../store/types';
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
  /** The posted link's UTM tags. */
  utm?: UtmTags | null;
  /** Each other network to show the post for too: its template and length rules (issue 18). */
  networks?: readonly { network: NetworkPreview['network']; template: string; length: LengthRules }[];
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
  const ctx = { template, maxHashtags: opts.maxHashtags ?? DEFAULT_MAX_HASHTAGS, feedTitle, utm: opts.utm ?? null };

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
    const networks = (opts.networks ?? []).map((n): NetworkPreview => {
      const theirs = composePost(item, { ...ctx, template: n.template, length: n.length });
      return { network: n.network, text: theirs.text, length: theirs.weightedLength, limit: n.length.limit };
    });
    posts.push({ itemId: item.id, itemTitle: item.title, text: post.text, weightedLength: post.weightedLength, imageUrl: item.image, ...(networks.length > 0 ? { networks } : {}) });
  }
  return { feedTitle, posts, skipped };
}

/** A followed feed, for previewNext: what its next check would take in depends on these. */
export interface FollowedFeed {
  /** Its configuration (a first check's backfill counts). */
  config: FeedConfig;
  seen: SeenRecord | undefined;
  /** Where the document was read from: another address than the seen ids' may be another feed. */
  address: string;
  nowIso: string;
}

/**
 * What a followed feed's next check would post: only the items the poll would take in, by the
 * poll's own rules (takeIn: the seen ids and links, a first check's backfill, an address that now
 * serves another feed), composed with the preview's template and filters. With a template that
 * always writes something and no filters, takeIn's drafts are exactly the items it takes in.
 * When none is new, `example` composes the newest one already seen, so a template can be judged.
 */
export function previewNext(feed: NormalizedFeed, followed: FollowedFeed, opts: PreviewItemsOptions = {}): PreviewResult {
  const intake = takeIn({ ...followed.config, template: TAKE_ALL_TEMPLATE, include: [], exclude: [] }, feed.title, feed, followed.seen, followed.nowIso, followed.address);
  const next = new Set(intake.drafts.map((d) => d.item.id));
  const result = previewItems({ ...feed, items: feed.items.filter((i) => next.has(i.id)) }, opts);
  // Items the rules skip with a reason of their own (the same link under a new id, a new address's backlog).
  const byLabel = new Map(feed.items.map((i) => [i.title || i.link || i.id, i]));
  for (const skip of intake.skips.slice(0, Math.max(0, (opts.limit ?? DEFAULT_PREVIEW_LIMIT) - result.skipped.length))) {
    const item = byLabel.get(skip.itemTitle);
    result.skipped.push({ itemId: item?.id ?? '', itemTitle: item?.title ?? skip.itemTitle, reason: skip.reason });
  }
  result.alreadySeen = new Set(feed.items.map((i) => i.id)).size - next.size;
  if (result.posts.length === 0 && result.alreadySeen > 0) {
    const [example] = previewItems({ ...feed, items: feed.items.filter((i) => !next.has(i.id)) }, opts).posts;
    if (example) result.example = example;
  }
  return result;
}

/** Fixed text: never an empty post, so takeIn skips no item for its template. */
const TAKE_ALL_TEMPLATE = 'next {title}';
