// The dedupe rules, pure: which items are new, which are the same item under a changed id, and
// what the first poll at a new address does.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, MAX_RECENT_SKIPS, newFeedConfig } from '../../../main/core/defaults';
import { ADDRESS_CHANGE_REASON, mergeSkips, takeIn } from '../../../main/core/feeds/intake';
import { findNewItems, SAME_LINK_REASON } from '../../../main/core/feeds/new-items';
import type { FeedItem, NormalizedFeed } from '../../../main/core/feeds/types';
import type { FeedConfig, SeenRecord } from '../../../main/core/store/types';

const NOW = '2026-05-01T12:00:00.000Z';
const OLD = 'https://old.example.com/feed.xml';
const NEW = 'https://new.example.com/feed.xml';

const item = (id: string, fields: Partial<FeedItem> = {}): FeedItem => ({
  id, idFrom: 'feed', title: `Title ${id}`, link: `https://example.com/${id}`, published: null, summary: '', author: null,
  categories: [], image: null, ...fields,
});
/** A podcast or web comic: every item points at one page. */
const episode = (n: number): FeedItem => item(`episode-${n}`, {
  title: `Episode ${n}`, link: 'https://pod.example.com/show', published: new Date(Date.UTC(2026, 0, n)).toISOString(),
});
const doc = (items: FeedItem[], link: string | null = 'https://example.com/'): NormalizedFeed => ({ title: 'Feed', link, items });
const feed = (fields: Partial<FeedConfig> = {}): FeedConfig => newFeedConfig('f1', NEW, DEFAULT_SETTINGS, fields);
const seenOf = (items: FeedItem[], address?: string): SeenRecord => ({
  ids: items.map((i) => i.id), links: items.flatMap((i) => (i.link ? [i.link] : [])), ...(address ? { address } : {}),
});

describe('an item with a feed id', () => {
  it('is new when its id is new, though its link is one other items of the document share', () => {
    const before = [episode(2), episode(1)];
    const result = findNewItems([episode(3), ...before], seenOf(before));
    expect(result.fresh.map((i) => i.id)).toEqual(['episode-3']);
    expect(result.sameLink).toEqual([]);
  });

  it('is new when its id is new and its link is the feed\'s home page, even alone in the document', () => {
    const home = 'https://comic.example.com/';
    const strip = (n: number): FeedItem => item(`strip-${n}`, { link: home });
    const result = findNewItems([strip(2)], seenOf([strip(1)]), home);
    expect(result.fresh.map((i) => i.id)).toEqual(['strip-2']);
  });

  it('is the same item under a changed id when its new id comes with a link only it has, and a known one', () => {
    const before = [item('a'), item('b')];
    const result = findNewItems([item('a-rebuilt', { link: 'https://example.com/a' }), item('b')], seenOf(before));
    expect(result.fresh).toEqual([]);
    expect(result.sameLink.map((i) => i.id)).toEqual(['a-rebuilt']);
  });

  it('is known by its id whatever its link says', () => {
    const result = findNewItems([item('a', { link: 'https://example.com/moved' })], seenOf([item('a')]));
    expect(result).toMatchObject({ fresh: [], sameLink: [] });
  });
});

describe('an item without a feed id', () => {
  it('is known by its link even when that link is shared, since the link is all that names it', () => {
    const shared = 'https://example.com/page';
    const known = item('sha256:old', { idFrom: 'hash', link: shared });
    const result = findNewItems([item('sha256:new', { idFrom: 'hash', link: shared }), item('sha256:x', { idFrom: 'hash', link: shared })], seenOf([known]));
    expect(result.fresh).toEqual([]);
    expect(result.sameLink.map((i) => i.id).sort()).toEqual(['sha256:new', 'sha256:x']);
  });
});

describe('takeIn', () => {
  it('posts each new podcast episode though every episode links to the show page', () => {
    const before = [episode(2), episode(1)];
    const result = takeIn(feed(), 'Pod', doc([episode(3), ...before]), seenOf(before, NEW), NOW, NEW);
    expect(result.drafts.map((d) => d.item.id)).toEqual(['episode-3']);
    expect(result.skips).toEqual([]);
  });

  it('posts nothing when every id changed but each link stays, and lists each in recent skips', () => {
    const before = [item('a'), item('b')];
    const rebuilt = before.map((i) => ({ ...i, id: `${i.id}-2` }));
    const result = takeIn(feed(), 'Feed', doc(rebuilt), seenOf(before, NEW), NOW, NEW);
    expect(result.drafts).toEqual([]);
    expect(result.skips.map((s) => [s.itemTitle, s.reason])).toEqual([['Title b', SAME_LINK_REASON], ['Title a', SAME_LINK_REASON]]); // oldest first, as the feed lists newest first
    expect(result.seen.ids).toEqual(expect.arrayContaining(['a-2', 'b-2']));
  });

  it('baselines a document from a new address that shares no item with the old one, listing what it baselined', () => {
    const before = [item('a'), item('b')];
    const other = Array.from({ length: 30 }, (_, n) => item(`other-${n}`, { link: `https://other.example.com/${n}` }));
    const result = takeIn(feed(), 'Other', doc(other, 'https://other.example.com/'), seenOf(before, OLD), NOW, NEW);
    expect(result.drafts).toEqual([]);
    expect(result.skips).toHaveLength(30);
    expect(new Set(result.skips.map((s) => s.reason))).toEqual(new Set([ADDRESS_CHANGE_REASON]));
    expect(result.seen).toMatchObject({ address: NEW });
    expect(result.seen.ids.slice(0, 30)).toEqual(other.map((i) => i.id));
  });

  it('applies backfill to the baseline after an address change', () => {
    const other = [item('o3', { published: '2026-01-03T00:00:00.000Z' }), item('o2', { published: '2026-01-02T00:00:00.000Z' }),
      item('o1', { published: '2026-01-01T00:00:00.000Z' })];
    const result = takeIn(feed({ backfill: 1 }), 'Other', doc(other), seenOf([item('a')], OLD), NOW, NEW);
    expect(result.drafts.map((d) => d.item.id)).toEqual(['o3']);
    expect(result.skips.map((s) => s.itemTitle)).toEqual(['Title o1', 'Title o2']);
  });

  it('carries on from the seen ids when the new address serves the same feed', () => {
    const before = [item('a'), item('b')];
    const result = takeIn(feed(), 'Feed', doc([item('c'), ...before]), seenOf(before, OLD), NOW, NEW);
    expect(result.drafts.map((d) => d.item.id)).toEqual(['c']);
    expect(result.skips).toEqual([]);
    expect(result.seen.address).toBe(NEW);
  });

  it('counts a common link as the same feed, but not a link every item shares', () => {
    const before = [item('a')];
    const sameLinks = takeIn(feed(), 'Feed', doc([item('new-id', { link: 'https://example.com/a' })]), seenOf(before, OLD), NOW, NEW);
    expect(sameLinks.skips.map((s) => s.reason)).toEqual([SAME_LINK_REASON]);
    const show = [episode(1), episode(2)];
    const otherShow = [1, 2].map((n) => item(`other-${n}`, { link: 'https://pod.example.com/show' }));
    const result = takeIn(feed(), 'Other', doc(otherShow), seenOf(show, OLD), NOW, NEW);
    expect(result.skips.map((s) => s.reason)).toEqual([ADDRESS_CHANGE_REASON, ADDRESS_CHANGE_REASON]);
  });

  it('keeps the old address after an empty document at the new one, so the first items there are still judged', () => {
    const before = [item('a')];
    const empty = takeIn(feed(), 'Feed', doc([]), seenOf(before, OLD), NOW, NEW);
    expect(empty.seen.address).toBe(OLD);
    const next = takeIn(feed(), 'Feed', doc([item('x'), item('y')]), empty.seen, NOW, NEW);
    expect(next.drafts).toEqual([]);
    expect(next.skips.map((s) => s.reason)).toEqual([ADDRESS_CHANGE_REASON, ADDRESS_CHANGE_REASON]);
  });

  it('treats a seen record without an address (written by an older build) as read from the current one', () => {
    const before = [item('a')];
    const result = takeIn(feed(), 'Feed', doc([item('b'), ...before]), seenOf(before), NOW, NEW);
    expect(result.drafts.map((d) => d.item.id)).toEqual(['b']);
    expect(result.seen.address).toBe(NEW);
  });
});

describe('mergeSkips', () => {
  it('lists a repeated skip once, at its latest time, newest first', () => {
    const skip = (title: string, at: string) => ({ itemTitle: title, reason: SAME_LINK_REASON, at });
    const merged = mergeSkips([skip('A', 't1'), skip('B', 't1')], [skip('A', 't2'), skip('C', 't2')]);
    expect(merged).toEqual([skip('C', 't2'), skip('A', 't2'), skip('B', 't1')]);
  });

  it('keeps at most MAX_RECENT_SKIPS', () => {
    const added = Array.from({ length: 30 }, (_, n) => ({ itemTitle: `T${n}`, reason: ADDRESS_CHANGE_REASON, at: NOW }));
    expect(mergeSkips([], added)).toHaveLength(MAX_RECENT_SKIPS);
  });
});
