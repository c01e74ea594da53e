// The dedupe rules end to end: the engine (AppService) with a real store in a temp dir, real
// fetches from a loopback feed server, the real parser and a fake clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Feed, Task } from '../../../preload/contract';
import type { AccountPort } from '../../../main/core/account';
import { createFeedParser } from '../../../main/core/feeds/executor';
import { ADDRESS_CHANGE_REASON } from '../../../main/core/feeds/intake';
import { SAME_LINK_REASON } from '../../../main/core/feeds/new-items';
import { silentLogger } from '../../../main/core/ports';
import { createAppService, type EngineService } from '../../../main/core/service';
import { openStore } from '../../../main/core/store/index';
import { createFakeClock } from '../../support/fake-clock';
import { rssDocument, startFeedServer, type FeedServer, type RssItemSpec } from '../../support/feed-server';
import { dryAccount } from '../../support/dry-account';

interface Harness { service: EngineService; reopen(): Promise<void> }

let dir: string;
let server: FeedServer;
let open: Harness[] = [];

const day = (n: number): string => new Date(Date.UTC(2026, 0, n)).toUTCString();
const post = (site: string, n: number): RssItemSpec => ({ title: `${site} ${n}`, link: `https://${site}.example.com/${n}`, guid: `${site}-${n}`, pubDate: day(n) });
const posts = (site: string, count: number): RssItemSpec[] => Array.from({ length: count }, (_, i) => post(site, count - i));
const serve = (path: string, items: () => RssItemSpec[], link = 'https://example.com/'): void =>
  server.route(path, { body: () => rssDocument({ title: path, link, items: items() }) });

// No account: tasks complete as dry runs, which is all these tests need to see.
const account: AccountPort = dryAccount();

async function harness(): Promise<Harness> {
  const clock = createFakeClock();
  const make = (): EngineService => {
    const service = createAppService({
      clock, log: silentLogger, store: openStore(dir, { clock, log: silentLogger }), parser: createFeedParser({ workers: 1 }),
      account, random: () => 0.5,
    });
    service.start();
    return service;
  };
  const h: Harness = {
    service: make(),
    async reopen() {
      await h.service.close();
      h.service = make();
    },
  };
  open.push(h);
  return h;
}

const tasks = async (h: Harness): Promise<Task[]> => (await h.service.getState()).tasks;
const feedOf = async (h: Harness): Promise<Feed> => (await h.service.getState()).feeds[0]!;

async function addAndBaseline(h: Harness, url: string, fields: { backfill?: number } = {}): Promise<Feed> {
  const feed = await h.service.addFeed({ url, ...fields });
  await vi.waitFor(async () => expect((await feedOf(h)).health.lastStatus).toBe(200));
  return feed;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crier-dedupe-'));
  server = await startFeedServer();
});

afterEach(async () => {
  for (const h of open) await h.service.close();
  open = [];
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a feed whose address is edited', () => {
  it('to another feed takes a baseline there, posting none of its items and listing them in recent skips', async () => {
    serve('/a.xml', () => posts('a', 3));
    const other = posts('b', 30);
    serve('/b.xml', () => other);
    const h = await harness();
    const feed = await addAndBaseline(h, server.url('/a.xml'));
    // The address the seen ids came from survives a restart (the journal replays it).
    await h.reopen();
    await h.service.updateFeed(feed.id, { url: server.url('/b.xml') });
    await h.service.pollNow();
    expect(await tasks(h)).toEqual([]);
    const { recentSkips } = await feedOf(h);
    expect(recentSkips).toHaveLength(20);
    expect(recentSkips.every((s) => s.reason === ADDRESS_CHANGE_REASON)).toBe(true);
    expect(recentSkips[0]?.itemTitle).toBe('b 30');
    // From then on it is that feed: its next item is posted.
    other.unshift(post('b', 31));
    await h.service.pollNow();
    expect((await tasks(h)).map((t) => t.itemTitle)).toEqual(['b 31']);
  });

  it('to another feed posts its newest backfill items', async () => {
    serve('/a.xml', () => posts('a', 3));
    serve('/b.xml', () => posts('b', 30));
    const h = await harness();
    const feed = await addAndBaseline(h, server.url('/a.xml'), { backfill: 2 });
    expect(await tasks(h)).toHaveLength(2);
    await h.service.updateFeed(feed.id, { url: server.url('/b.xml') });
    await h.service.pollNow();
    expect((await tasks(h)).map((t) => t.itemTitle).sort()).toEqual(['a 2', 'a 3', 'b 29', 'b 30']);
  });

  it('to the same feed elsewhere keeps its seen ids and posts only what is new', async () => {
    const items = posts('a', 3);
    serve('/a.xml', () => items);
    serve('/mirror.xml', () => [post('a', 4), ...items]);
    const h = await harness();
    const feed = await addAndBaseline(h, server.url('/a.xml'));
    await h.service.updateFeed(feed.id, { url: server.url('/mirror.xml') });
    await h.service.pollNow();
    expect((await tasks(h)).map((t) => t.itemTitle)).toEqual(['a 4']);
    expect((await feedOf(h)).recentSkips).toEqual([]);
  });
});

describe('a feed moved by a permanent redirect', () => {
  it('to another feed takes a baseline there and posts nothing', async () => {
    serve('/a.xml', () => posts('a', 3));
    serve('/c.xml', () => posts('c', 30));
    const h = await harness();
    await addAndBaseline(h, server.url('/a.xml'));
    server.route('/a.xml', { redirect: { to: '/c.xml', status: 301 } });
    await h.service.pollNow();
    expect(await tasks(h)).toEqual([]);
    const feed = await feedOf(h);
    expect(feed.url).toBe(server.url('/c.xml'));
    expect(feed.recentSkips.map((s) => s.reason)).toEqual(Array(20).fill(ADDRESS_CHANGE_REASON));
  });

  it('to the same feed keeps its seen ids and posts only what is new', async () => {
    const items = posts('a', 3);
    serve('/a.xml', () => items);
    serve('/moved.xml', () => [post('a', 4), ...items]);
    const h = await harness();
    await addAndBaseline(h, server.url('/a.xml'));
    server.route('/a.xml', { redirect: { to: '/moved.xml', status: 301 } });
    await h.service.pollNow();
    expect((await tasks(h)).map((t) => t.itemTitle)).toEqual(['a 4']);
  });
});

describe('a podcast whose episodes all link to the show page', () => {
  it('posts each new episode', async () => {
    const show = 'https://pod.example.com/show';
    const episode = (n: number): RssItemSpec => ({ title: `Episode ${n}`, link: show, guid: `urn:pod:${n}`, pubDate: day(n) });
    const episodes = [episode(2), episode(1)];
    serve('/pod.xml', () => episodes, 'https://pod.example.com/');
    const h = await harness();
    await addAndBaseline(h, server.url('/pod.xml'));
    episodes.unshift(episode(3));
    await h.service.pollNow();
    episodes.unshift(episode(4));
    await h.service.pollNow();
    expect((await tasks(h)).map((t) => t.itemTitle).sort()).toEqual(['Episode 3', 'Episode 4']);
  });
});

describe('an item whose id changed but whose own link is known', () => {
  it('is not posted and is listed in recent skips as the same link under a new id', async () => {
    const items = posts('a', 2);
    serve('/a.xml', () => items);
    const h = await harness();
    await addAndBaseline(h, server.url('/a.xml'));
    items[0] = { ...items[0]!, guid: 'rebuilt-guid' };
    await h.service.pollNow();
    expect(await tasks(h)).toEqual([]);
    expect((await feedOf(h)).recentSkips).toMatchObject([{ itemTitle: 'a 2', reason: SAME_LINK_REASON }]);
  });
});
