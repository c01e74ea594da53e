// A poll that fails because of the feed's own settings says what to fix.
import { afterEach, expect, it, vi } from 'vitest';
import { createFeedParser } from '../../main/core/feeds/executor';
import { silentLogger } from '../../main/core/ports';
import { createAppService, type EngineService } from '../../main/core/service';
import { openStore } from '../../main/core/store/index';
import { dryAccount } from '../support/dry-account';
import { createFakeClock } from '../support/fake-clock';
import { rssDocument, startFeedServer, type FeedServer } from '../support/feed-server';
import { tempDir } from './store/store-fixtures';

let service: EngineService | null = null;
let server: FeedServer | null = null;
afterEach(async () => {
  await service?.close();
  await server?.close();
});

it('names the filter a stored feed breaks instead of an unexpected error', async () => {
  server = await startFeedServer({ '/feed.xml': { body: () => rssDocument({ title: 'News', items: [{ title: 'One', link: 'https://example.com/1', guid: '1' }] }) } });
  const clock = createFakeClock();
  const store = openStore(tempDir(), { clock, log: silentLogger });
  // Saved by an older build, whose JavaScript regexes allowed a backreference.
  store.setFeeds([{ id: 'f1', url: server.url('/feed.xml'), enabled: true, name: null, intervalMinutes: 30, template: '{title}', include: ['/(ab)\\1/'], exclude: [], maxHashtags: 0, postImages: false, backfill: 0 }]);
  store.putSeen('f1', { ids: ['0'], links: [] });
  service = createAppService({
    clock, log: silentLogger, store, parser: createFeedParser({ workers: 1 }), random: () => 0.5,
    account: dryAccount(),
  });
  service.start();
  await service.pollNow('f1');
  await vi.waitFor(async () => expect((await service!.getState()).feeds[0]?.health.consecutiveFailures).toBe(1));
  const { lastError } = (await service.getState()).feeds[0]!.health;
  expect(lastError).toMatch(/^This feed's settings need a fix: /);
  expect(lastError).toMatch(/backreference/i);
});

it('keeps the address the user typed while a fetch of the old one was answered with a permanent redirect', async () => {
  server = await startFeedServer({
    '/old.xml': { redirect: { to: '/moved.xml', status: 301 } },
    '/moved.xml': { body: () => rssDocument({ title: 'Moved', items: [] }), delayMs: 300 },
    '/mine.xml': { body: () => rssDocument({ title: 'Mine', items: [] }) },
  });
  const clock = createFakeClock();
  service = createAppService({
    clock, log: silentLogger, store: openStore(tempDir(), { clock, log: silentLogger }), parser: createFeedParser({ workers: 1 }), random: () => 0.5,
    account: dryAccount(),
  });
  service.start();
  const feed = await service.addFeed({ url: server.url('/old.xml') });
  await vi.waitFor(() => expect(server!.requestsTo('/moved.xml')).toHaveLength(1));
  await service.updateFeed(feed.id, { url: server.url('/mine.xml') });
  await vi.waitFor(async () => expect((await service!.getState()).feeds[0]?.health.lastStatus).toBe(200));
  await clock.settle();
  expect((await service.getState()).feeds[0]?.url).toBe(server.url('/mine.xml'));
});
