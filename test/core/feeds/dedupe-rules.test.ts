// A feed's dedupe choice (by id with the link fallback, by link, by title) and opt-in reposting
// after N days: the rules as pure functions, then reposting end to end through the engine with a
// real store (the days survive a restart; a record without days never reposts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccountPort } from '../../../main/core/account';
import { DEFAULT_SETTINGS, newFeedConfig } from '../../../main/core/defaults';
import { createFeedParser } from '../../../main/core/feeds/executor';
import { pollSelection, takeIn } from '../../../main/core/feeds/intake';
import { daysOf, findNewItems, PRESENT, rememberSeen, SAME_LINK_REASON, SAME_TITLE_REASON, sameSeen } from '../../../main/core/feeds/new-items';
import type { FeedItem } from '../../../main/core/feeds/types';
import { silentLogger } from '../../../main/core/ports';
import { parseFeedPatch } from '../../../main/core/schemas';
import { createAppService, type EngineService } from '../../../main/core/service';
import { openStore } from '../../../main/core/store/index';
import type { FeedConfig, SeenRecord } from '../../../main/core/store/types';
import { createFakeClock, type FakeClock } from '../../support/fake-clock';
import { rssDocument, startFeedServer, type FeedServer, type RssItemSpec } from '../../support/feed-server';
import { dryAccount } from '../../support/dry-account';

const item = (id: string, fields: Partial<FeedItem> = {}): FeedItem => ({
  id, idFrom: 'feed', link: `https://example.com/${id}`, published: null, title: `Title ${id}`, summary: '', author: null,
  categories: [], image: null, ...fields,
});
const seenOf = (items: FeedItem[], extra: Partial<SeenRecord> = {}): SeenRecord => ({
  ids: items.map((i) => i.id), links: items.flatMap((i) => (i.link ? [i.link] : [])), ...extra,
});
const feed = (fields: Partial<FeedConfig> = {}): FeedConfig => ({ ...newFeedConfig('f', 'https://example.com/feed', DEFAULT_SETTINGS), ...fields });
const ids = (items: FeedItem[]): string[] => items.map((i) => i.id);
/** A seen record of `items` with repost entries ('+' or a day) for some of them. */
const withDays = (items: FeedItem[], days: Record<string, string>): SeenRecord => seenOf(items, { days: items.map((i) => days[i.id] ?? '') });
const daysIn = (seen: SeenRecord): Record<string, string> => Object.fromEntries(daysOf(seen));

describe('dedupe by id with the link fallback (the default)', () => {
  it('skips a new id on a link that names one known item, and posts a new episode on a shared link', () => {
    const seen = seenOf([item('a'), item('ep1', { link: 'https://example.com/show' })]);
    const doc = [item('a2', { link: 'https://example.com/a' }), item('ep2', { link: 'https://example.com/show' }), item('ep1', { link: 'https://example.com/show' })];
    const found = findNewItems(doc, seen);
    expect(ids(found.sameLink)).toEqual(['a2']);
    expect(ids(found.fresh)).toEqual(['ep2']);
    expect(found.seen.titles).toBeUndefined();
    expect(found.seen.days).toBeUndefined();
  });
});

describe('dedupe by link', () => {
  it('skips any item whose link is known, shared or not, and still never posts a known id', () => {
    const seen = seenOf([item('ep1', { link: 'https://example.com/show' }), item('b')]);
    const doc = [item('ep2', { link: 'https://example.com/show' }), item('ep1', { link: 'https://example.com/show' }), item('b', { link: 'https://example.com/moved' })];
    const found = findNewItems(doc, seen, null, false, { rule: 'link' });
    expect(ids(found.sameLink)).toEqual(['ep2']);
    expect(found.fresh).toEqual([]);
  });

  it('lists what it skips with the same-link reason', () => {
    const seen = seenOf([item('ep1', { link: 'https://example.com/show' }), item('ep0', { link: 'https://example.com/show' })]);
    const result = takeIn(feed({ dedupe: 'link' }), 'Show', { title: 'Show', link: null, items: [item('ep2', { link: 'https://example.com/show' })] }, seen, '2026-01-15T00:00:00.000Z');
    expect(result.drafts).toEqual([]);
    expect(result.logged.map((l) => l.reason)).toEqual([SAME_LINK_REASON]);
  });
});

describe('dedupe by title', () => {
  it('skips a new id and link whose title is known (case and spacing aside) and remembers the titles it saw', () => {
    const first = rememberSeen([item('a', { title: 'Weekly  Digest' }), item('b')], undefined, false, { rule: 'title' });
    expect(first.titles).toEqual(['weekly digest', 'title b']);
    const doc = [item('a-reissued', { link: 'https://example.com/new', title: 'weekly digest ' }), item('c'), item('c-copy', { title: 'Title c', link: 'https://example.com/c2' })];
    const found = findNewItems(doc, first, null, false, { rule: 'title' });
    expect(ids(found.fresh)).toEqual(['c']);
    expect(ids(found.sameTitle).sort()).toEqual(['a-reissued', 'c-copy']);
    expect(found.seen.titles).toContain('title c');
  });

  it('lists what it skips with the same-title reason, and an untitled item is decided by id alone', () => {
    const seen = seenOf([item('a', { title: 'Hello' })], { titles: ['hello'] });
    const result = takeIn(feed({ dedupe: 'title', template: '{title} {link}' }), 'F', {
      title: 'F', link: null, items: [item('a2', { title: 'HELLO' }), item('u', { title: '' })],
    }, seen, '2026-01-15T00:00:00.000Z');
    expect(result.logged.map((l) => [l.item.id, l.reason])).toEqual([['a2', SAME_TITLE_REASON]]);
    expect(result.drafts.map((d) => d.item.id)).toEqual(['u']);
  });

  it('posts a known title under the id rule', () => {
    const seen = seenOf([item('a', { title: 'Hello' })], { titles: ['hello'] });
    expect(ids(findNewItems([item('a2', { title: 'Hello' })], seen).fresh)).toEqual(['a2']);
  });
});

describe('reposting after N days', () => {
  const repost = (today: string, afterDays = 10) => ({ afterDays, today });

  it('posts an item again when it is back at least N days after it was found gone, not sooner', () => {
    const seen = withDays([item('a'), item('b')], { a: '2026-01-01', b: '2026-01-05' });
    const found = findNewItems([item('a'), item('b')], seen, null, false, { repost: repost('2026-01-11') });
    expect(ids(found.fresh)).toEqual(['a']);
    expect(daysIn(found.seen)).toEqual({ a: PRESENT, b: PRESENT });
  });

  it('never reposts an item that stayed in the feed, or an id without an entry (seen before reposting was on)', () => {
    const seen = withDays([item('a'), item('b'), item('c')], { b: PRESENT, c: '2025-01-01' });
    expect(ids(findNewItems([item('a'), item('b'), item('c')], seen, null, false, { repost: repost('2026-01-11') }).fresh)).toEqual(['c']);
  });

  it('dates an item the day a poll finds it gone, keeps that day while it stays gone, and leaves undated ids undated', () => {
    const seen = withDays([item('a'), item('b'), item('old')], { a: PRESENT, b: PRESENT });
    const next = rememberSeen([item('b')], seen, false, { repost: repost('2026-01-03') });
    expect(daysIn(next)).toEqual({ b: PRESENT, a: '2026-01-03' });
    expect(next.days).toHaveLength(next.ids.length);
    expect(daysIn(rememberSeen([item('b')], next, false, { repost: repost('2026-01-09') }))).toEqual({ b: PRESENT, a: '2026-01-03' });
    expect(sameSeen(next, { ...next, days: next.days!.map((d) => (d === '2026-01-03' ? '2026-01-02' : d)) })).toBe(false);
    expect(rememberSeen([item('b')], seen).days).toBeUndefined();
    // Lists that do not line up (a hand-edited record) give no entries: nothing reposts.
    expect(daysOf({ ...seen, days: ['2020-01-01'] }).size).toBe(0);
  });

  it('has the parse worker send whole the items a repost makes new again', () => {
    const seen = withDays([item('a'), item('b')], { a: '2026-01-01', b: '2026-01-10' });
    expect(pollSelection(seen, 0, repost('2026-01-11'))).toEqual({ kind: 'unseen', knownIds: ['b'] });
    expect(pollSelection(seen, 0)).toEqual({ kind: 'unseen', knownIds: ['a', 'b'] });
  });
});

describe('the feed fields', () => {
  it('accept the three rules and a whole number of days or null, and refuse anything else in words', () => {
    expect(parseFeedPatch({ dedupe: 'title', repostAfterDays: 30 })).toEqual({ dedupe: 'title', repostAfterDays: 30 });
    expect(parseFeedPatch({ repostAfterDays: null })).toEqual({ repostAfterDays: null });
    expect(() => parseFeedPatch({ dedupe: 'guid' })).toThrow(/Dedupe is by "id", "link" or "title"/);
    expect(() => parseFeedPatch({ repostAfterDays: 0 })).toThrow(/days before an item that comes back/);
  });
});

describe('reposting through the engine', () => {
  const account: AccountPort = dryAccount();
  const spec = (n: number): RssItemSpec => ({ title: `Story ${n}`, link: `https://example.com/${n}`, guid: `story-${n}` });
  let dir: string;
  let server: FeedServer;
  let clock: FakeClock;
  let service: EngineService | null = null;
  let items: RssItemSpec[];

  const start = (): EngineService => {
    service = createAppService({ clock, log: silentLogger, store: openStore(dir, { clock, log: silentLogger }), parser: createFeedParser({ workers: 1 }), account, random: () => 0.5 });
    service.start();
    return service;
  };
  const titles = async (engine: EngineService): Promise<string[]> => (await engine.getState()).tasks.map((t) => t.itemTitle).sort();

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crier-repost-'));
    server = await startFeedServer();
    clock = createFakeClock();
    items = [spec(2), spec(1)];
    server.route('/feed.xml', { body: () => rssDocument({ title: 'F', items }) });
  });

  afterEach(async () => {
    await service?.close();
    service = null;
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('posts an item that comes back after the delay, across a restart, and not one that came back sooner', async () => {
    let engine = start();
    // Disabled: no timers, so only the polls the test asks for run.
    const f = await engine.addFeed({ url: server.url('/feed.xml'), enabled: false, repostAfterDays: 3 });
    await engine.pollNow(f.id);
    items = [spec(2)];
    await engine.pollNow(f.id);
    engine = await restartAfter(1);
    items = [spec(2), spec(1)];
    await engine.pollNow(f.id);
    expect(await titles(engine)).toEqual([]);
    items = [spec(2)];
    await engine.pollNow(f.id);
    engine = await restartAfter(3);
    items = [spec(2), spec(1)];
    await engine.pollNow(f.id);
    expect(await titles(engine)).toEqual(['Story 1']);
    await engine.pollNow(f.id);
    expect(await titles(engine)).toEqual(['Story 1']);
  });

  it('never reposts items seen before reposting was turned on', async () => {
    let engine = start();
    const f = await engine.addFeed({ url: server.url('/feed.xml'), enabled: false });
    await engine.pollNow(f.id);
    items = [spec(2)];
    await engine.pollNow(f.id);
    await engine.updateFeed(f.id, { repostAfterDays: 1 });
    engine = await restartAfter(30);
    items = [spec(2), spec(1)];
    await engine.pollNow(f.id);
    expect(await titles(engine)).toEqual([]);
  });

  it('by title: remembers titles across a restart and logs a reissued story as skipped, not posted', async () => {
    let engine = start();
    const f = await engine.addFeed({ url: server.url('/feed.xml'), enabled: false, dedupe: 'title' });
    await engine.pollNow(f.id);
    engine = await restartAfter(0);
    items = [{ title: 'story  1', link: 'https://example.com/1-again', guid: 'story-1-again' }, spec(3), spec(2), spec(1)];
    await engine.pollNow(f.id);
    expect(await titles(engine)).toEqual(['Story 3']);
    expect((await engine.listSkipped(f.id)).find((e) => e.item.id === 'story-1-again')?.reason).toBe(SAME_TITLE_REASON);
  });

  async function restartAfter(days: number): Promise<EngineService> {
    await service?.close();
    clock.advance(days * 86_400_000);
    return start();
  }
});
