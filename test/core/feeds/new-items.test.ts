import { afterEach, describe, expect, it, vi } from 'vitest';
import { findNewItems, keysDistinct, newestLast, rememberSeen, sameSeen, SEEN_MARGIN } from '../../../main/core/feeds/new-items';
import type { FeedItem, KeyOnlyItem } from '../../../main/core/feeds/types';

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
  afterEach(() => { vi.restoreAllMocks(); });

  it('keeps undated items in reverse document order, since feeds list the newest first', () => {
    expect(newestLast([item('newest'), item('middle'), item('oldest')]).map((i) => i.id)).toEqual(['oldest', 'middle', 'newest']);
  });

  it('reads each date once, not once per comparison', () => {
    const n = 1000;
    const items = Array.from({ length: n }, (_, i) => item(`i${i}`, { published: new Date(Date.UTC(2026, 0, 1) + ((i * 7919) % n) * 60_000).toISOString() }));
    const parse = vi.spyOn(Date, 'parse');
    const sorted = newestLast(items);
    expect(parse).toHaveBeenCalledTimes(n);
    const times = sorted.map((i) => i.published!);
    expect(times).toEqual([...times].sort());
  });

  it('puts dated items in date order and leaves undated ones where document order puts them', () => {
    const dated = (id: string, day: number): FeedItem => item(id, { published: new Date(Date.UTC(2026, 0, day)).toISOString() });
    expect(newestLast([dated('c', 3), dated('a', 1), dated('b', 2)]).map((i) => i.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('findNewItems with key-only items', () => {
  const keyOf = (i: FeedItem): KeyOnlyItem => ({ id: i.id, idFrom: i.idFrom, link: i.link, published: i.published, keyOnly: true });

  it('gives the same answer when the items seen by id come as keys', () => {
    const items = [item('c'), item('b-rebuilt', { link: 'https://example.com/b' }), item('a')];
    const seen = { ids: ['a', 'b'], links: ['https://example.com/a', 'https://example.com/b'] };
    const whole = findNewItems(items, seen);
    const keyed = findNewItems(items.map((i) => (seen.ids.includes(i.id) ? keyOf(i) : i)), seen);
    expect(keyed).toEqual(whole);
    expect(keyed.fresh.map((i) => i.id)).toEqual(['c']);
    expect(keyed.sameLink.map((i) => i.id)).toEqual(['b-rebuilt']);
  });
});

describe('sameSeen', () => {
  it('tells an unchanged record from one with another id, link, order or address', () => {
    const seen = { ids: ['a', 'b'], links: ['x'], address: 'https://example.com/feed' };
    expect(sameSeen(seen, { ...seen, ids: ['a', 'b'] })).toBe(true);
    expect(sameSeen(seen, { ...seen, ids: ['b', 'a'] })).toBe(false);
    expect(sameSeen(seen, { ...seen, ids: ['a', 'b', 'c'] })).toBe(false);
    expect(sameSeen(seen, { ...seen, links: [] })).toBe(false);
    expect(sameSeen(seen, { ids: seen.ids, links: seen.links })).toBe(false);
  });
});

describe('a document with no id or link repeated (distinct)', () => {
  it('is told apart from one with a repeated id, or a link two items share', () => {
    expect(keysDistinct([item('a'), item('b')])).toBe(true);
    expect(keysDistinct([item('a'), item('a', { link: 'https://example.com/other' })])).toBe(false);
    expect(keysDistinct([item('a', { link: 'https://example.com/x' }), item('b', { link: 'https://example.com/x' })])).toBe(false);
    expect(keysDistinct([item('a', { link: null }), item('b', { link: null })])).toBe(true);
  });

  it('gets the same new items, skips and seen record with the hint as without it', () => {
    const items = [item('d'), item('c', { link: 'https://example.com/home' }), item('b-rebuilt', { link: 'https://example.com/b' }), item('a')];
    const seen = { ids: ['a', 'b', 'old'], links: ['https://example.com/a', 'https://example.com/b'] };
    expect(keysDistinct(items)).toBe(true);
    expect(findNewItems(items, seen, 'https://example.com/home', true)).toEqual(findNewItems(items, seen, 'https://example.com/home'));
    expect(rememberSeen(items, undefined, true)).toEqual(rememberSeen(items, undefined));
    expect(rememberSeen(items, seen, true)).toEqual(rememberSeen(items, seen));
  });
});
