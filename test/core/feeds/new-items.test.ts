import { describe, expect, it } from 'vitest';
import { findNewItems, newestLast, rememberSeen, SEEN_MARGIN } from '../../../main/core/feeds/new-items';
import type { FeedItem } from '../../../main/core/feeds/types';

const item = (id: string, fields: Partial<FeedItem> = {}): FeedItem => ({
  id, idFrom: 'feed', title: `Title ${id}`, link: `https://example.com/${id}`, published: null, summary: '', author: null, categories: [], image: null, ...fields,
});

describe('findNewItems', () => {
  it('treats every item as new when nothing is known yet', () => {
    expect(findNewItems([item('a'), item('b')], { ids: [], links: [] }).fresh.map((i) => i.id)).toEqual(['b', 'a']);
  });

  it('skips items whose id was seen before', () => {
    const result = findNewItems([item('c'), item('b'), item('a')], { ids: ['a', 'b'], links: [] });
    expect(result.fresh.map((i) => i.id)).toEqual(['c']);
  });

  it('treats an item whose id changed but whose link is known as the same item', () => {
    const result = findNewItems([item('new-guid', { link: 'https://example.com/a' })], { ids: ['a'], links: ['https://example.com/a'] });
    expect(result.fresh).toEqual([]);
  });

  it('treats an item that reappears with a new date as the same item', () => {
    const result = findNewItems([item('a', { published: '2030-01-01T00:00:00.000Z' })], { ids: ['a'], links: [] });
    expect(result.fresh).toEqual([]);
  });

  it('returns new items oldest first by date so they post in publication order', () => {
    const result = findNewItems(
      [item('x', { published: '2026-01-02T00:00:00.000Z' }), item('y', { published: '2026-01-03T00:00:00.000Z' }), item('z', { published: '2026-01-01T00:00:00.000Z' })],
      { ids: [], links: [] },
    );
    expect(result.fresh.map((i) => i.id)).toEqual(['z', 'x', 'y']);
  });

  it('counts an id repeated inside one document once', () => {
    expect(findNewItems([item('a'), item('a')], { ids: [], links: [] }).fresh).toHaveLength(1);
  });
});

describe('rememberSeen', () => {
  it('keeps the ids still in the feed plus a margin of older ones', () => {
    const old = Array.from({ length: SEEN_MARGIN + 50 }, (_, i) => `old-${i}`);
    const seen = rememberSeen([item('a'), item('b')], { ids: old, links: [] });
    expect(seen.ids.slice(0, 2)).toEqual(['a', 'b']);
    expect(seen.ids).toHaveLength(2 + SEEN_MARGIN);
  });
});

describe('newestLast', () => {
  it('keeps undated items in reverse document order, since feeds list the newest first', () => {
    expect(newestLast([item('newest'), item('middle'), item('oldest')]).map((i) => i.id)).toEqual(['oldest', 'middle', 'newest']);
  });
});
