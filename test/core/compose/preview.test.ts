import { describe, expect, it } from 'vitest';
import { newestFirst, previewItems } from '../../../main/core/compose/preview';
import { CommandError } from '../../../main/core/errors';
import type { NormalizedFeed } from '../../../main/core/feeds/types';
import { item } from './item-fixture';

const feed = (items: NormalizedFeed['items'], title: string | null = 'Example Feed'): NormalizedFeed => ({ title, link: 'https://example.com/', items });
const dated = (id: string, published: string | null, fields: Parameters<typeof item>[0] = {}) =>
  item({ id, title: `Item ${id}`, link: `https://example.com/${id}`, published, ...fields });

describe('newestFirst', () => {
  it('orders by published date, newest first, keeping document order on ties', () => {
    const items = [dated('a', '2026-01-01T00:00:00Z'), dated('b', '2026-03-01T00:00:00Z'), dated('c', '2026-02-01T00:00:00Z'), dated('d', '2026-03-01T00:00:00Z')];
    expect(newestFirst(items).map((i) => i.id)).toEqual(['b', 'd', 'c', 'a']);
  });

  it('keeps document order when any item has no date', () => {
    const items = [dated('a', '2026-01-01T00:00:00Z'), dated('b', null), dated('c', '2026-02-01T00:00:00Z')];
    expect(newestFirst(items).map((i) => i.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('previewItems', () => {
  it('composes the newest items with the default template, with weight and image', () => {
    const result = previewItems(feed([dated('old', '2026-01-01T00:00:00Z'), dated('new', '2026-02-01T00:00:00Z', { image: 'https://example.com/i.png' })]));
    expect(result).toEqual({
      feedTitle: 'Example Feed',
      posts: [
        { itemId: 'new', itemTitle: 'Item new', text: 'Item new https://example.com/new', weightedLength: 32, imageUrl: 'https://example.com/i.png' },
        { itemId: 'old', itemTitle: 'Item old', text: 'Item old https://example.com/old', weightedLength: 32, imageUrl: null },
      ],
      skipped: [],
    });
  });

  it('looks at only the newest `limit` items (10 by default)', () => {
    const items = Array.from({ length: 15 }, (_, i) => dated(String(i), `2026-01-${String(i + 1).padStart(2, '0')}T00:00:00Z`));
    expect(previewItems(feed(items)).posts.map((p) => p.itemId)).toEqual(['14', '13', '12', '11', '10', '9', '8', '7', '6', '5']);
    expect(previewItems(feed(items), { limit: 2 }).posts.map((p) => p.itemId)).toEqual(['14', '13']);
  });

  it('lists filtered items with their reasons', () => {
    const items = [dated('1', null, { title: 'Sponsored: buy now' }), dated('2', null, { title: 'Rust news' }), dated('3', null, { title: 'Go news' })];
    const result = previewItems(feed(items), { include: ['rust', 'sponsored'], exclude: ['sponsored'] });
    expect(result.posts.map((p) => p.itemId)).toEqual(['2']);
    expect(result.skipped).toEqual([
      { itemId: '1', itemTitle: 'Sponsored: buy now', reason: "excluded by 'sponsored' in title" },
      { itemId: '3', itemTitle: 'Go news', reason: 'no include keyword matched' },
    ]);
  });

  it('skips an item the template leaves empty', () => {
    const result = previewItems(feed([dated('1', null, { author: null })]), { template: '{author}' });
    expect(result.skipped).toEqual([{ itemId: '1', itemTitle: 'Item 1', reason: 'nothing to post: the template leaves this item empty' }]);
  });

  it('uses the given feed label for {feed}, else the feed title', () => {
    const items = [dated('1', null)];
    expect(previewItems(feed(items), { template: '{feed}: {title}' }).posts[0]?.text).toBe('Example Feed: Item 1');
    expect(previewItems(feed(items), { template: '{feed}: {title}', feedTitle: 'Mine' }).posts[0]?.text).toBe('Mine: Item 1');
  });

  it('applies maxHashtags', () => {
    const items = [dated('1', null, { categories: ['a', 'b', 'c'] })];
    expect(previewItems(feed(items), { template: '{title} {hashtags}', maxHashtags: 1 }).posts[0]?.text).toBe('Item 1 #a');
  });

  it('rejects a bad template or filter before looking at the items', () => {
    expect(() => previewItems(feed([]), { template: '{nope}' })).toThrow(CommandError);
    expect(() => previewItems(feed([]), { exclude: ['/(/'] })).toThrow(/exclude\.0/);
  });
});
