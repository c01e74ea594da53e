// An OPML import is bulk work that never freezes the app (issue 11). The causes are checked, not
// durations: one write of the feed list per import, other work running between the chunks, and
// first polls spread out on the fake clock instead of fired at once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StateDelta } from '../../preload/contract';
import type { AccountPort } from '../../main/core/account';
import { DEFAULT_SETTINGS, newFeedConfig } from '../../main/core/defaults';
import { FIRST_POLL_SPREAD_MS, firstPollTimes, planImport } from '../../main/core/feed-import';
import { createFeedParser } from '../../main/core/feeds/executor';
import { silentLogger } from '../../main/core/ports';
import { createAppService, type EngineService } from '../../main/core/service';
import { openStore } from '../../main/core/store/index';
import type { EngineStore } from '../../main/core/store/types';
import { createFakeClock, type FakeClock } from '../support/fake-clock';
import { rssDocument, startFeedServer, type FeedServer } from '../support/feed-server';
import { dryAccount } from '../support/dry-account';

const MIN = 60_000;

const noAccount: AccountPort = dryAccount();

const opml = (urls: string[]): string => `<?xml version="1.0"?><opml version="2.0"><head><title>Subs</title></head><body>\n${
  urls.map((url, i) => `<outline type="rss" text="Feed ${i}" xmlUrl="${url}"/>`).join('\n')}\n</body></opml>`;

interface Harness {
  service: EngineService;
  store: EngineStore;
  clock: FakeClock;
  /** Every call of store.setFeeds: each is one write of feeds.json. */
  writes: () => number;
  fetches: string[];
  deltas: StateDelta[];
}

let dir: string;
let server: FeedServer;
let open: EngineService[] = [];

function harness(options: { start?: boolean } = {}): Harness {
  const clock = createFakeClock();
  const store = openStore(dir, { clock, log: silentLogger });
  const setFeeds = vi.spyOn(store, 'setFeeds');
  const fetches: string[] = [];
  const deltas: StateDelta[] = [];
  const service = createAppService({
    clock, log: silentLogger, store, parser: createFeedParser({ workers: 1 }), account: noAccount, random: () => 0.5,
    fetch: (input, init) => {
      fetches.push(String(input));
      return globalThis.fetch(input, init);
    },
  });
  service.onDelta((d) => deltas.push(d));
  if (options.start !== false) service.start();
  open.push(service);
  return { service, store, clock, writes: () => setFeeds.mock.calls.length, fetches, deltas };
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crier-import-'));
  server = await startFeedServer();
});

afterEach(async () => {
  for (const service of open) await service.close();
  open = [];
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('importing OPML', () => {
  it('saves an import of 500 outlines with one write of the feed list', async () => {
    const h = harness();
    const result = await h.service.importOpml(opml(Array.from({ length: 500 }, (_, i) => `https://feeds.example/${i}.xml`)));
    expect(result).toMatchObject({ added: 500, skipped: 0 });
    expect(h.writes()).toBe(1);
    expect(h.store.getFeeds()).toHaveLength(500);
    expect(h.store.getFeeds()[499]).toMatchObject({ url: 'https://feeds.example/499.xml', name: 'Feed 499' });
  });

  it('lets other work run between the chunks of an import, before the feed list is written', async () => {
    const h = harness();
    const order: string[] = [];
    h.store.setFeeds = new Proxy(h.store.setFeeds, { apply: (fn, self, args) => { order.push('write'); return Reflect.apply(fn, self, args); } });
    setImmediate(() => order.push('other work'));
    await h.service.importOpml(opml(Array.from({ length: 1000 }, (_, i) => `https://feeds.example/${i}.xml`)));
    expect(order).toEqual(['other work', 'write']);
  });

  it('imports 10,000 outlines in one write, skipping repeated and unusable addresses', async () => {
    const h = harness();
    const urls = Array.from({ length: 10_000 }, (_, i) => `https://feeds.example/${i}.xml`);
    const result = await h.service.importOpml(opml([...urls, urls[5]!, 'ftp://feeds.example/x', 'not a url']));
    expect(result).toMatchObject({ added: 10_000, skipped: 3 });
    expect(result.feeds).toHaveLength(10_000);
    expect(h.writes()).toBe(1);
    expect(new Set(h.store.getFeeds().map((f) => f.url)).size).toBe(10_000);
  }, 60_000);

  it('announces the imported feeds together in one delta', async () => {
    const h = harness();
    await h.clock.settle();
    h.deltas.length = 0;
    await h.service.importOpml(opml(Array.from({ length: 300 }, (_, i) => `https://feeds.example/${i}.xml`)));
    await h.clock.settle();
    const withFeeds = h.deltas.filter((d) => d.feeds?.length);
    expect(withFeeds).toHaveLength(1);
    expect(withFeeds[0]!.feeds).toHaveLength(300);
  });

  it('spreads the first polls instead of firing them at once: one in the first second', async () => {
    for (let i = 0; i < 20; i++) server.route(`/f${i}.xml`, { body: rssDocument({ title: `Feed ${i}`, items: [] }) });
    const h = harness();
    const start = h.clock.now();
    const result = await h.service.importOpml(opml(Array.from({ length: 20 }, (_, i) => server.url(`/f${i}.xml`))));
    expect(result.feeds.map((f) => Date.parse(f.health.nextPollAt!) - start)).toEqual(Array.from({ length: 20 }, (_, i) => i * 1000));

    await h.clock.tick(0);
    await vi.waitFor(() => expect(h.store.getFeedRuntime(result.feeds[0]!.id)?.health.lastFetchedAt).not.toBeNull());
    await h.clock.tickTo(start + 999);
    expect(h.fetches).toEqual([server.url('/f0.xml')]);

    await h.clock.tickTo(start + 19_000);
    await vi.waitFor(() => expect(server.requests).toHaveLength(20));
    expect(new Set(h.fetches).size).toBe(20);
  });

  it('spreads at start the first polls of feeds imported while Crier was stopped', async () => {
    for (let i = 0; i < 10; i++) server.route(`/f${i}.xml`, { body: rssDocument({ title: `Feed ${i}`, items: [] }) });
    const offline = harness({ start: false });
    await offline.service.importOpml(opml(Array.from({ length: 10 }, (_, i) => server.url(`/f${i}.xml`))));
    await offline.service.close();
    expect(offline.fetches).toEqual([]);

    const h = harness();
    const start = h.clock.now();
    await h.clock.tick(0);
    await vi.waitFor(() => expect(server.requests).toHaveLength(1));
    await h.clock.tickTo(start + 999);
    expect(h.fetches).toEqual([server.url('/f0.xml')]);
    await h.clock.tickTo(start + 9000);
    await vi.waitFor(() => expect(server.requests).toHaveLength(10));
  });

  it('does not add twice a feed that was added while the import paused', async () => {
    const h = harness();
    const urls = Array.from({ length: 600 }, (_, i) => `https://feeds.example/${i}.xml`);
    const importing = h.service.importOpml(opml(urls));
    await h.service.addFeed({ url: urls[300]! });
    const result = await importing;
    expect(result).toMatchObject({ added: 599, skipped: 1 });
    expect(h.store.getFeeds().filter((f) => f.url === urls[300])).toHaveLength(1);
    expect(h.writes()).toBe(2);
  });

  it('still polls a single added feed at once', async () => {
    server.route('/one.xml', { body: rssDocument({ title: 'One', items: [] }) });
    const h = harness();
    await h.service.addFeed({ url: server.url('/one.xml') });
    await vi.waitFor(() => expect(server.requestsTo('/one.xml')).toHaveLength(1));
  });
});

describe('planImport', () => {
  const settings = DEFAULT_SETTINGS;
  let n = 0;
  const newId = (): string => `id-${n++}`;

  it('validates the outlines chunk by chunk, pausing between chunks only', async () => {
    const outlines = Array.from({ length: 450 }, (_, i) => ({ title: `Feed ${i}`, url: `https://feeds.example/${i}` }));
    let made = 0;
    const pausedAfter: number[] = [];
    const plan = await planImport(outlines, {
      settings, known: [], chunkSize: 200,
      newId: () => `id-${made++}`,
      pause: async () => { pausedAfter.push(made); },
    });
    expect(pausedAfter).toEqual([200, 400]);
    expect(plan.configs).toHaveLength(450);
  });

  it('skips known, repeated and unusable addresses, cuts long names and keeps document order', async () => {
    const plan = await planImport([
      { title: 'Known', url: 'https://known.example/' },
      { title: 'A', url: 'https://a.example/' },
      { title: 'Again', url: 'https://a.example/' },
      { title: null, url: 'javascript:alert(1)' },
      { title: 'x'.repeat(300), url: 'https://b.example/' },
      { title: null, url: 'https://c.example/' },
    ], { settings, known: ['https://known.example/'], newId, pause: async () => {} });
    expect(plan.skipped).toBe(3);
    expect(plan.configs.map((c) => [c.url, c.name])).toEqual([
      ['https://a.example/', 'A'], ['https://b.example/', 'x'.repeat(200)], ['https://c.example/', null],
    ]);
    expect(plan.configs[0]).toMatchObject({ enabled: true, intervalMinutes: settings.defaultIntervalMinutes, backfill: 0 });
  });
});

describe('firstPollTimes', () => {
  const configs = (count: number, fields: { intervalMinutes?: number; enabled?: boolean } = {}) =>
    Array.from({ length: count }, (_, i) => newFeedConfig(`f${i}`, `https://x.example/${i}`, DEFAULT_SETTINGS, fields));

  it('spreads 1,000 feeds of 15 minutes over five minutes, the first at once', () => {
    const times = firstPollTimes(configs(1000), 0).map((t) => t.atMs);
    expect(times[0]).toBe(0);
    expect(times[1]).toBe(300);
    expect(times[999]).toBeLessThan(FIRST_POLL_SPREAD_MS);
    expect(times[999]).toBeGreaterThan(FIRST_POLL_SPREAD_MS - 1000);
  });

  it('polls a small import one feed a second, and fits a short interval', () => {
    expect(firstPollTimes(configs(3), 5000).map((t) => t.atMs)).toEqual([5000, 6000, 7000]);
    const short = firstPollTimes(configs(1000, { intervalMinutes: 2 }), 0);
    expect(short[999]!.atMs).toBeLessThan(2 * MIN);
  });

  it('plans no poll for a disabled feed', () => {
    expect(firstPollTimes(configs(2, { enabled: false }), 0)).toEqual([]);
  });
});
