// A feed's UTM tags: on the posted link only, counted as X counts links, checked at the boundary,
// kept in feeds.json, and absent on feeds written by builds before them.
import { describe, expect, it } from 'vitest';
import { composePost } from '../../../main/core/compose/compose';
import { previewItems } from '../../../main/core/compose/preview';
import { DEFAULT_SETTINGS, newFeedConfig } from '../../../main/core/defaults';
import { takeIn } from '../../../main/core/feeds/intake';
import { FeedPatchSchema, PreviewRequestSchema } from '../../../main/core/schemas';
import { feedsFrom } from '../../../main/core/store/config-files';
import { item } from './item-fixture';

const utm = { source: 'crier', medium: 'social', campaign: '{feed}-{date}' };
const tagged = 'https://example.com/post?utm_source=crier&utm_medium=social&utm_campaign=News-2026-03-04';

describe('a feed with UTM tags', () => {
  it('posts the tagged link, and X counts it as 23 characters however long it grew', () => {
    const plain = composePost(item(), { template: '{title} {link}', maxHashtags: 0, feedTitle: 'News' });
    const post = composePost(item(), { template: '{title} {link}', maxHashtags: 0, feedTitle: 'News', utm });
    expect(post.text).toBe(`A title ${tagged}`);
    expect(post.weightedLength).toBe(plain.weightedLength);
  });

  it('keeps the feed\'s own link in the task and the seen record', () => {
    const feed = newFeedConfig('f1', 'https://example.com/feed.xml', DEFAULT_SETTINGS, { backfill: 1, name: 'News', utm });
    const result = takeIn(feed, 'News', { title: 'News', link: null, items: [item()] }, undefined, '2026-03-05T00:00:00.000Z', feed.url);
    expect(result.drafts[0]!.text).toContain(tagged);
    expect(result.drafts[0]!.item.link).toBe('https://example.com/post');
    expect(result.seen.links).toEqual(['https://example.com/post']);
  });

  it('shows the tagged link in the preview', () => {
    const preview = previewItems({ title: 'News', link: null, items: [item()] }, { template: '{link}', utm });
    expect(preview.posts[0]!.text).toBe(tagged);
  });

  it('refuses a tag that fills in anything but {feed} and {date}, in words', () => {
    const result = FeedPatchSchema.safeParse({ utm: { campaign: '{title}' } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('The utm_campaign tag can fill in only {feed} and {date}.');
    expect(PreviewRequestSchema.safeParse({ url: 'https://example.com/feed', utm: { sauce: 'x' } }).success).toBe(false);
    expect(FeedPatchSchema.safeParse({ utm: null }).success).toBe(true);
  });

  it('is kept in feeds.json, and a damaged value is reset with a word while the feed stays', () => {
    const stored = { feeds: [
      { id: 'a', url: 'https://example.com/a.xml', utm },
      { id: 'b', url: 'https://example.com/b.xml', utm: 'utm_source=x' },
      { id: 'c', url: 'https://example.com/c.xml' },
    ] };
    const { value, problems } = feedsFrom(stored);
    expect(value.map((f) => f.utm)).toEqual([utm, undefined, undefined]);
    expect(problems).toEqual(['https://example.com/b.xml: utm reset to defaults']);
  });
});
