// What a poll reads whole: the parse normalises only the items a post may come of (the rest come
// as keys), and the intake decides exactly as it would with every item whole.
import type { AnyFeed } from 'feedsmith';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, newFeedConfig } from '../../../main/core/defaults';
import { pollSelection, takeIn } from '../../../main/core/feeds/intake';
import { ADDRESS_CHANGE_REASON } from '../../../main/core/feeds/intake';
import { BASELINE_REASON, baselineLogShare, SKIP_LOG_BASELINE, SKIP_LOG_PER_FEED } from '../../../main/core/feeds/skip-log';
import { normalizeFeed, normalizeForPoll } from '../../../main/core/feeds/normalize';
import { parseDocument } from '../../../main/core/feeds/parse-document';
import { isWholeItem, type PolledFeed } from '../../../main/core/feeds/types';
import type { FeedConfig, SeenRecord } from '../../../main/core/store/types';
import { rssDocument, type RssItemSpec } from '../../support/feed-server';

const BASE = 'https://example.com/feed.xml';
const NOW = '2026-05-01T12:00:00.000Z';
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const day = (n: number): string => new Date(Date.UTC(2026, 0, n)).toUTCString();

/** An RSS document as feedsmith returns it, whose descriptions count how often they are read. */
function countingFeed(count: number): { parsed: AnyFeed; reads: number[] } {
  const reads = Array.from({ length: count }, () => 0);
  const items = Array.from({ length: count }, (_, i) => ({
    title: `Item ${i}`, link: `https://example.com/${i}`, guid: { value: `id-${i}` }, pubDate: day(count - i),
    get description() { reads[i]!++; return `<p>Summary of item ${i}</p>`; },
  }));
  return { parsed: { format: 'rss', feed: { title: 'Counting', link: 'https://example.com/', items } } as unknown as AnyFeed, reads };
}

describe('normalizeForPoll', () => {
  it('normalises only the items whose id the feed has not seen; the others come as their keys', () => {
    const { parsed, reads } = countingFeed(10);
    const feed = normalizeForPoll(parsed, BASE, { kind: 'unseen', knownIds: ['id-2', 'id-3', 'id-4', 'id-5', 'id-6', 'id-7', 'id-8', 'id-9'] });
    expect(reads).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(feed.items.filter(isWholeItem).map((i) => [i.id, i.summary])).toEqual([['id-0', 'Summary of item 0'], ['id-1', 'Summary of item 1']]);
    expect(feed.items[5]).toEqual({ id: 'id-5', idFrom: 'feed', link: 'https://example.com/5', published: '2026-01-05T00:00:00.000Z', keyOnly: true });
  });

  it('normalises, for a first poll, only the newest items it may post', () => {
    const { parsed, reads } = countingFeed(6);
    const feed = normalizeForPoll(parsed, BASE, { kind: 'baseline', newest: 2 });
    expect(reads).toEqual([1, 1, 0, 0, 0, 0]);
    expect(feed.items.filter(isWholeItem).map((i) => i.id)).toEqual(['id-0', 'id-1']);
    expect(normalizeForPoll(countingFeed(6).parsed, BASE, { kind: 'baseline', newest: 0 }).items.filter(isWholeItem)).toEqual([]);
  });

  it('gives whole items equal to normalizeFeed’s', () => {
    const { parsed } = countingFeed(4);
    const whole = normalizeFeed(parsed, BASE);
    const polled = normalizeForPoll(parsed, BASE, { kind: 'unseen', knownIds: ['id-1'] });
    expect(polled.items.filter(isWholeItem)).toEqual(whole.items.filter((i) => i.id !== 'id-1'));
    expect([polled.title, polled.link]).toEqual([whole.title, whole.link]);
    expect(polled.distinct).toBe(true);
  });

  it('knows an item without a feed id by the hash of its title and date', () => {
    const doc = rssDocument({ items: [{ title: 'No id, no link', pubDate: day(2) }, { title: 'Another', pubDate: day(1) }] });
    const [hashed] = parseDocument(bytes(doc), null, BASE).items;
    const feed = parseDocument(bytes(doc), null, BASE, { kind: 'unseen', knownIds: [hashed!.id] });
    expect(feed.items.map((i) => [i.idFrom, isWholeItem(i)])).toEqual([['hash', false], ['hash', true]]);
    expect(feed.items[0]!.id).toBe(hashed!.id);
  });
});

// The dedupe scenarios of dedupe.test.ts, read the way a poll reads them and the way a preview
// does: the intake must come out the same.
describe('takeIn over a poll’s selection', () => {
  const feed = (fields: Partial<FeedConfig> = {}): FeedConfig => newFeedConfig('f1', BASE, DEFAULT_SETTINGS, fields);
  const post = (n: number, fields: Partial<RssItemSpec> = {}): RssItemSpec => ({
    title: `Post ${n}`, link: `https://example.com/${n}`, guid: `post-${n}`, pubDate: day(n), description: `<p>Post ${n} text</p>`, ...fields,
  });
  const seenOf = (items: RssItemSpec[], address?: string): SeenRecord => ({
    ids: items.map((i) => i.guid ?? i.link!), links: items.flatMap((i) => (i.link ? [i.link] : [])), ...(address ? { address } : {}),
  });

  const cases: Array<{ name: string; items: RssItemSpec[]; seen: SeenRecord | undefined; config?: Partial<FeedConfig>; address?: string; link?: string }> = [
    { name: 'a first poll, nothing posted', items: [post(3), post(2), post(1)], seen: undefined },
    { name: 'a first poll with backfill 2', items: [post(3), post(2), post(1)], seen: undefined, config: { backfill: 2 } },
    { name: 'two new posts', items: [post(4), post(3), post(2), post(1)], seen: seenOf([post(2), post(1)]) },
    { name: 'a rebuilt id on a known link', items: [post(3), post(2, { guid: 'rebuilt-2' }), post(1)], seen: seenOf([post(2), post(1)]) },
    {
      name: 'a new episode on the show’s shared page',
      items: [post(3, { link: 'https://pod.example.com/show' }), post(2, { link: 'https://pod.example.com/show' })],
      seen: seenOf([post(2, { link: 'https://pod.example.com/show' })]),
    },
    { name: 'a new item on the feed’s home page', items: [post(2, { link: 'https://example.com/' }), post(1)], seen: seenOf([post(1)]), link: 'https://example.com/' },
    {
      name: 'a move to another feed', items: [post(12), post(11), post(10)], seen: seenOf([post(2), post(1)], 'https://old.example.com/feed'),
      address: BASE, config: { backfill: 1 },
    },
    { name: 'a move to the same feed', items: [post(3), post(2), post(1)], seen: seenOf([post(2), post(1)], 'https://old.example.com/feed'), address: BASE },
    { name: 'items without ids', items: [post(3, { guid: undefined }), post(2, { guid: undefined })], seen: seenOf([post(2, { guid: undefined })]) },
  ];

  it.each(cases)('decides the same for $name', ({ items, seen, config, address, link }) => {
    const doc = bytes(rssDocument({ title: 'Feed', link: link ?? 'https://example.com/home', items }));
    const settings = feed(config);
    const whole = parseDocument(doc, null, BASE);
    const polled: PolledFeed = parseDocument(doc, null, BASE, pollSelection(seen, settings.backfill));
    const expected = takeIn(settings, whole.title, whole, seen, NOW, address ?? null);
    expect(takeIn(settings, polled.title, polled, seen, NOW, address ?? null)).toEqual(expected);
    expect(polled.items.filter(isWholeItem).length).toBeLessThanOrEqual(whole.items.length);
  });

  it('reads whole, for a first poll that posts nothing, only the newest the skipped log keeps, and no item for a poll of a feed with nothing new', () => {
    const items = Array.from({ length: SKIP_LOG_BASELINE + 5 }, (_, i) => post(SKIP_LOG_BASELINE + 5 - i));
    const doc = rssDocument({ items });
    const first = parseDocument(bytes(doc), null, BASE, pollSelection(undefined, 0)).items.filter(isWholeItem);
    expect(first).toHaveLength(SKIP_LOG_BASELINE);
    expect(first.map((i) => i.title)).not.toContain('Post 5');
    expect(parseDocument(bytes(doc), null, BASE, pollSelection(seenOf(items), 0)).items.filter(isWholeItem)).toEqual([]);
  });

  it('asks the worker, on a first check, for at most backfill + 5 whole items however long the feed', () => {
    expect(SKIP_LOG_BASELINE).toBe(5);
    expect(pollSelection(undefined, 0)).toEqual({ kind: 'baseline', newest: 5 });
    expect(pollSelection(undefined, 5)).toEqual({ kind: 'baseline', newest: 10 });
    const items = Array.from({ length: 300 }, (_, i) => post(300 - i));
    const polled = parseDocument(bytes(rssDocument({ items })), null, BASE, pollSelection(undefined, 5));
    expect(polled.items).toHaveLength(300);
    expect(polled.items.filter(isWholeItem)).toHaveLength(10);
  });

  it('logs a baseline\'s newest 5 items only, but a new address\'s backlog up to the per-feed bound', () => {
    const items = Array.from({ length: 300 }, (_, i) => post(300 - i));
    const whole = parseDocument(bytes(rssDocument({ items })), null, BASE);
    const first = takeIn(feed({ backfill: 1 }), whole.title, whole, undefined, NOW, BASE);
    expect(first.logged.map((l) => l.item.title)).toEqual(Array.from({ length: 5 }, (_, i) => `Post ${295 + i}`));
    expect(new Set(first.logged.map((l) => l.reason))).toEqual(new Set([BASELINE_REASON]));
    const moved = takeIn(feed({ backfill: 0 }), whole.title, whole, { ids: ['elsewhere'], links: [], address: 'https://elsewhere.example.com/feed.xml' }, NOW, BASE);
    expect(moved.logged).toHaveLength(SKIP_LOG_PER_FEED);
    expect(new Set(moved.logged.map((l) => l.reason))).toEqual(new Set([ADDRESS_CHANGE_REASON]));
  });

  it('logs fewer of a baseline, and reads fewer whole, when so many feeds are followed that 5 each would not fit the log', () => {
    expect([1, 100, 1000, 1001, 2000, 5000, 20_000].map(baselineLogShare)).toEqual([5, 5, 5, 4, 2, 1, 1]);
    expect(pollSelection(undefined, 2, null, baselineLogShare(2000))).toEqual({ kind: 'baseline', newest: 4 });
    const items = Array.from({ length: 30 }, (_, i) => post(30 - i));
    const polled = parseDocument(bytes(rssDocument({ items })), null, BASE, pollSelection(undefined, 0, null, 2));
    const first = takeIn(feed({ backfill: 0 }), polled.title, polled, undefined, NOW, BASE, 2);
    expect(first.logged.map((l) => l.item.title)).toEqual(['Post 29', 'Post 30']);
  });

  it('refuses, with an error, to post an item it was given as a key only', () => {
    const polled: PolledFeed = parseDocument(bytes(rssDocument({ items: [post(2), post(1)] })), null, BASE, { kind: 'baseline', newest: 0 });
    expect(() => takeIn(feed({ backfill: 1 }), polled.title, polled, undefined, NOW)).toThrow(/would be posted but was read as its key only/);
  });
});
