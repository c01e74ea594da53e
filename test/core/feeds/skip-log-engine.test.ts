// The skipped log end to end: the engine with a real store in a temp dir, real fetches from a
// loopback feed server and the real parser. Every item a poll does not post is logged with its
// reason; "Post anyway" makes a pending task of one; the log is bounded and survives a restart.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SkippedItem, Task } from '../../../preload/contract';
import type { AccountPort } from '../../../main/core/account';
import { EMPTY_POST_REASON } from '../../../main/core/compose/compose';
import { createFeedParser } from '../../../main/core/feeds/executor';
import { ADDRESS_CHANGE_REASON } from '../../../main/core/feeds/intake';
import { SAME_LINK_REASON } from '../../../main/core/feeds/new-items';
import { BASELINE_REASON, overflow, SKIP_LOG_BASELINE, SKIP_LOG_PER_FEED, SKIP_SUMMARY_MAX } from '../../../main/core/feeds/skip-log';
import { silentLogger } from '../../../main/core/ports';
import { createAppService, type EngineService } from '../../../main/core/service';
import { openStore } from '../../../main/core/store/index';
import type { EngineStore } from '../../../main/core/store/types';
import { createFakeClock } from '../../support/fake-clock';
import { rssDocument, startFeedServer, type FeedServer, type RssItemSpec } from '../../support/feed-server';
import { dryAccount } from '../../support/dry-account';

const account: AccountPort = dryAccount();

const day = (n: number): string => new Date(Date.UTC(2026, 0, 1) + n * 3_600_000).toUTCString();
const post = (n: number, fields: Partial<RssItemSpec> = {}): RssItemSpec => ({
  title: `Post ${n}`, link: `https://example.com/${n}`, guid: `post-${n}`, pubDate: day(n), description: `About post ${n}.`, ...fields,
});
const posts = (newest: number, count: number): RssItemSpec[] => Array.from({ length: count }, (_, i) => post(newest - i));

let dir: string;
let server: FeedServer;
let store: EngineStore;
let service: EngineService | null = null;

function start(): EngineService {
  const clock = createFakeClock();
  store = openStore(dir, { clock, log: silentLogger });
  service = createAppService({ clock, log: silentLogger, store, parser: createFeedParser({ workers: 1 }), account, random: () => 0.5 });
  service.start();
  return service;
}

async function restart(): Promise<EngineService> {
  await service?.close();
  return start();
}

const serve = (path: string, items: () => RssItemSpec[]): void =>
  server.route(path, { body: () => rssDocument({ title: 'Feed', link: 'https://example.com/', items: items() }) });

const reasons = (log: SkippedItem[]): Array<[string, string]> => log.map((s) => [s.item.title, s.reason]);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crier-skip-log-'));
  server = await startFeedServer();
});

afterEach(async () => {
  await service?.close();
  service = null;
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the skipped log', () => {
  it('records a first check\'s baseline, newest first, with the fields needed to post an item later', async () => {
    serve('/feed.xml', () => [post(3, { description: 'x'.repeat(3000), extra: '<category>rust</category>' }), post(2), post(1)]);
    const engine = start();
    const feed = await engine.addFeed({ url: server.url('/feed.xml') });
    await engine.pollNow();
    const log = await engine.listSkipped(feed.id);
    expect(reasons(log)).toEqual([['Post 3', BASELINE_REASON], ['Post 2', BASELINE_REASON], ['Post 1', BASELINE_REASON]]);
    expect(log[0]).toMatchObject({ feedId: feed.id, item: { id: 'post-3', link: 'https://example.com/3', categories: ['rust'] } });
    expect(log[0]!.item.summary).toHaveLength(SKIP_SUMMARY_MAX);
    expect(new Set(log.map((s) => s.id)).size).toBe(3);
    expect((await engine.getState()).tasks).toEqual([]);
  });

  it('records items a filter drops (naming the rule), the same link under a new id, and an empty post', async () => {
    let items = [post(1)];
    serve('/feed.xml', () => items);
    const engine = start();
    const feed = await engine.addFeed({ url: server.url('/feed.xml'), exclude: ['sponsored'], template: '{title}' });
    await engine.pollNow();
    items = [post(4, { title: '', description: undefined, link: undefined }), post(3, { title: 'Post 3, sponsored' }), post(2), post(1, { guid: 'post-1-renamed' })];
    await engine.pollNow();
    const log = (await engine.listSkipped(feed.id)).filter((s) => s.reason !== BASELINE_REASON);
    expect(log.map((s) => s.item.id).sort()).toEqual(['post-1-renamed', 'post-3', 'post-4']);
    expect(log.find((s) => s.item.id === 'post-1-renamed')!.reason).toBe(SAME_LINK_REASON);
    expect(log.find((s) => s.item.id === 'post-3')!.reason).toMatch(/sponsored/);
    expect(log.find((s) => s.item.id === 'post-4')!.reason).toBe(EMPTY_POST_REASON);
    expect((await engine.getState()).tasks.map((t) => t.itemTitle)).toEqual(['Post 2']);
  });

  it('records a new address\'s backlog as a baseline after an address change', async () => {
    serve('/a.xml', () => posts(3, 3));
    serve('/b.xml', () => [post(30, { guid: 'b-30', link: 'https://b.example.com/30' }), post(29, { guid: 'b-29', link: 'https://b.example.com/29' })]);
    const engine = start();
    const feed = await engine.addFeed({ url: server.url('/a.xml') });
    await engine.pollNow();
    await engine.updateFeed(feed.id, { url: server.url('/b.xml') });
    await engine.pollNow();
    expect(reasons(await engine.listSkipped(feed.id)).slice(0, 2)).toEqual([['Post 30', ADDRESS_CHANGE_REASON], ['Post 29', ADDRESS_CHANGE_REASON]]);
  });

  it('keeps only the newest items of a big baseline, and lists one feed\'s or all', async () => {
    serve('/big.xml', () => posts(1000, 1000));
    serve('/small.xml', () => [post(1, { guid: 's-1', link: 'https://s.example.com/1' })]);
    const engine = start();
    const big = await engine.addFeed({ url: server.url('/big.xml') });
    const small = await engine.addFeed({ url: server.url('/small.xml') });
    await engine.pollNow();
    const log = await engine.listSkipped(big.id);
    expect(log).toHaveLength(SKIP_LOG_BASELINE);
    expect(log[0]!.item.title).toBe('Post 1000');
    expect(log.at(-1)!.item.title).toBe(`Post ${1000 - SKIP_LOG_BASELINE + 1}`);
    expect(await engine.listSkipped(small.id)).toHaveLength(1);
    expect(await engine.listSkipped()).toHaveLength(SKIP_LOG_BASELINE + 1);
  });

  it('survives a restart, and forgets a removed feed\'s entries', async () => {
    serve('/feed.xml', () => posts(2, 2));
    let engine = start();
    const feed = await engine.addFeed({ url: server.url('/feed.xml') });
    await engine.pollNow();
    const before = await engine.listSkipped();
    engine = await restart();
    expect(await engine.listSkipped()).toEqual(before);
    await engine.removeFeed(feed.id);
    expect(await engine.listSkipped()).toEqual([]);
    engine = await restart();
    expect(await engine.listSkipped()).toEqual([]);
  });

  it('opens a data dir of a build before the log, with an empty log', async () => {
    cpSync(join(__dirname, '../../fixtures/data-dir-431bf82'), dir, { recursive: true });
    const engine = start();
    expect(await engine.listSkipped()).toEqual([]);
    expect((await engine.getState()).tasks.length).toBeGreaterThan(0);
  });
});

describe('Post anyway', () => {
  async function baselineOf(items: RssItemSpec[], fields: { template?: string; postImages?: boolean } = {}) {
    serve('/feed.xml', () => items);
    const engine = start();
    const feed = await engine.addFeed({ url: server.url('/feed.xml'), ...fields });
    await engine.pollNow();
    return { engine, feed, log: await engine.listSkipped(feed.id) };
  }

  it('composes with the feed\'s current template, queues a pending task and takes the entry out of the log', async () => {
    const { engine, feed, log } = await baselineOf([post(2), post(1)]);
    await engine.updateFeed(feed.id, { template: 'New: {title} {link}' });
    const task = await engine.postSkipped(log[1]!.id);
    expect(task).toMatchObject({ feedId: feed.id, itemId: 'post-1', itemTitle: 'Post 1', text: 'New: Post 1 https://example.com/1' });
    expect(['pending', 'running', 'completed']).toContain(task.status);
    expect((await engine.getState()).tasks.map((t) => t.id)).toContain(task.id);
    expect((await engine.listSkipped(feed.id)).map((s) => s.item.id)).toEqual(['post-2']);
  });

  it('is queued at once even for a feed in review mode: the user has just chosen it', async () => {
    const { engine, feed, log } = await baselineOf([post(1)]);
    await engine.updateFeed(feed.id, { review: true });
    expect((await engine.postSkipped(log[0]!.id)).status).not.toBe('review');
  });

  it('keeps a feed\'s newest 200 entries when its filter drops more than that', async () => {
    let items = [post(1)];
    serve('/feed.xml', () => items);
    const engine = start();
    const feed = await engine.addFeed({ url: server.url('/feed.xml'), exclude: ['sponsored'], template: '{title}' });
    await engine.pollNow();
    for (const newest of [151, 301]) {
      items = Array.from({ length: 150 }, (_, i) => post(newest - i, { title: `Post ${newest - i}, sponsored` }));
      await engine.pollNow();
    }
    const log = await engine.listSkipped(feed.id);
    expect(log).toHaveLength(SKIP_LOG_PER_FEED);
    expect(log[0]!.item.id).toBe('post-301');
    expect(store.skippedCount(feed.id)).toBe(SKIP_LOG_PER_FEED);
  });

  it('logs of each first check only its share of the total when 5 a feed would not fit: 2 each for 2,000 feeds', async () => {
    serve('/feed.xml', () => posts(30, 30));
    const engine = start();
    const feeds = 2000;
    const urls = Array.from({ length: feeds }, (_, i) => server.url(`/feed.xml?n=${i}`));
    await engine.importOpml(`<?xml version="1.0"?><opml version="2.0"><head><title>Many</title></head><body>${
      urls.map((url, i) => `<outline type="rss" text="Feed ${i}" xmlUrl="${url.replace(/&/g, '&amp;')}"/>`).join('')}</body></opml>`);
    const [first] = (await engine.getState()).feeds;
    await engine.pollNow(first!.id);
    expect((await engine.listSkipped(first!.id)).map((e) => e.item.title)).toEqual(['Post 30', 'Post 29']);
  });

  it('reads the whole log only when a poll takes it past a bound, not after every feed\'s intake', async () => {
    let items = [post(1)];
    serve('/feed.xml', () => items);
    const engine = start();
    const feed = await engine.addFeed({ url: server.url('/feed.xml'), exclude: ['sponsored'], template: '{title}' });
    await engine.pollNow();
    const reads = vi.spyOn(store, 'getSkipped');
    items = [post(3, { title: 'Post 3, sponsored' }), post(2, { title: 'Post 2, sponsored' }), post(1)];
    await engine.pollNow();
    expect(store.skippedCount(feed.id)).toBe(3);
    expect(reads).not.toHaveBeenCalled();
  });

  it('refuses in words an entry not in the log, an item that already has a task, and a template that leaves nothing', async () => {
    const { engine, feed, log } = await baselineOf([post(2), post(1)]);
    await expect(engine.postSkipped('no-such-entry')).rejects.toMatchObject({ code: 'not-found', message: expect.stringMatching(/not in the skipped log/) });
    const now = new Date().toISOString();
    const existing: Task = {
      id: 'existing', feedId: feed.id, itemId: 'post-2', itemTitle: 'Post 2', itemLink: null, text: 'Post 2', imageUrl: null,
      status: 'cancelled', attempts: 0, nextAttemptAt: null, error: null, postId: null, postUrl: null, dryRun: false, note: null,
      createdAt: now, updatedAt: now,
    };
    store.tasks.put(existing);
    await expect(engine.postSkipped(log[0]!.id)).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/already has a task/) });
    await engine.updateFeed(feed.id, { template: '{author}' });
    await expect(engine.postSkipped(log[1]!.id)).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/leaves nothing to post/) });
    expect(await engine.listSkipped(feed.id)).toHaveLength(2);
  });
});

describe('overflow', () => {
  const entry = (id: string, feedId: string): SkippedItem => ({
    id, feedId, reason: 'r', at: '2026-01-01T00:00:00.000Z',
    item: { id, title: id, link: null, summary: '', published: null, author: null, image: null, categories: [] },
  });

  it('drops a feed\'s oldest past its bound, then the oldest of all past the total', () => {
    const log = [entry('a1', 'a'), entry('b1', 'b'), entry('a2', 'a'), entry('a3', 'a'), entry('b2', 'b')];
    expect(overflow(log, 2, 10)).toEqual(['a1']);
    expect(overflow(log, 2, 3).sort()).toEqual(['a1', 'b1']);
    expect(overflow(log, 10, 2).sort()).toEqual(['a1', 'a2', 'b1']);
    expect(overflow([], 2, 2)).toEqual([]);
  });
});
