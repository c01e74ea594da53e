// The offline pause belongs to the OS's online signal: through the whole engine (a real store,
// real fetches from a loopback feed server, a fake clock), a feed that answers may trigger one
// probe of X but never ends the pause the shell reported.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccountPort } from '../../../main/core/account';
import { createFeedParser } from '../../../main/core/feeds/executor';
import { silentLogger } from '../../../main/core/ports';
import { createAppService, type EngineService } from '../../../main/core/service';
import { openStore } from '../../../main/core/store/index';
import { XError, type PostRequest, type XClient } from '../../../main/core/x/types';
import { createFakeClock, type FakeClock } from '../../support/fake-clock';
import { rssDocument, startFeedServer, type FeedServer, type RssItemSpec } from '../../support/feed-server';

let dir: string;
let server: FeedServer;
let items: RssItemSpec[];
const services: EngineService[] = [];

const item = (n: number): RssItemSpec => ({
  title: `Item ${n}`, link: `https://example.com/posts/${n}`, guid: `guid-${n}`, pubDate: new Date(Date.UTC(2026, 0, n)).toUTCString(),
});

/** X is unreachable (DNS fails) while `reachable.now` is false. */
function account(posts: PostRequest[], reachable: { now: boolean }): AccountPort {
  const client: XClient = {
    async post(request) {
      posts.push(request);
      if (!reachable.now) throw new XError({ kind: 'offline', message: 'Cannot reach X: the name lookup failed (ENOTFOUND).', inDoubt: false });
      return { postId: String(posts.length), postUrl: `https://x.com/crier/status/${posts.length}`, note: null };
    },
    async me() { return { handle: 'crier' }; },
  };
  return {
    client: () => client,
    state: () => ({ connected: true, handle: 'crier', method: 'oauth1', secretsProtected: true }),
    setHandle() {},
    connect: async () => {},
    disconnect: async () => {},
  };
}

async function engine(clock: FakeClock, posts: PostRequest[], reachable: { now: boolean }): Promise<EngineService> {
  const service = createAppService({
    clock, log: silentLogger, store: openStore(dir, { clock, log: silentLogger }), parser: createFeedParser({ workers: 1 }),
    account: account(posts, reachable), random: () => 0.5,
  });
  services.push(service);
  service.start();
  await service.updateSettings({ minPostGapSeconds: 0, retryBaseSeconds: 600 });
  return service;
}

async function pausedBy(service: EngineService): Promise<string | null> {
  return (await service.getState()).queue.pauseReason;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crier-online-'));
  items = [item(1)];
  server = await startFeedServer({ '/feed.xml': { body: () => rssDocument({ title: 'Example', items }), etag: undefined } });
});

afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a feed that answers while offline', () => {
  it('does not end the offline pause the shell reported, nor post', async () => {
    const clock = createFakeClock();
    const posts: PostRequest[] = [];
    const service = await engine(clock, posts, { now: true });
    service.setOffline(true);
    await service.addFeed({ url: server.url('/feed.xml'), backfill: 1 });
    await vi.waitFor(async () => expect((await service.getState()).tasks).toHaveLength(1));
    await service.pollNow();
    await vi.waitFor(() => expect(server.requestsTo('/feed.xml').length).toBeGreaterThanOrEqual(2));
    await clock.tick(1000);
    expect(await pausedBy(service)).toBe('offline');
    expect(posts).toHaveLength(0);
    service.setOffline(false);
    await vi.waitFor(() => expect(posts).toHaveLength(1));
  });

  it('probes X once for a pause X caused, however many polls succeed', async () => {
    const clock = createFakeClock();
    const posts: PostRequest[] = [];
    const reachable = { now: false };
    const service = await engine(clock, posts, reachable);
    await service.addFeed({ url: server.url('/feed.xml'), backfill: 1 });
    await vi.waitFor(async () => expect(await pausedBy(service)).toBe('offline'));
    const before = posts.length;
    for (let i = 0; i < 3; i++) {
      await service.pollNow();
      await vi.waitFor(() => expect(server.requestsTo('/feed.xml').length).toBeGreaterThanOrEqual(2 + i));
      await clock.tick(0);
    }
    expect(posts.length - before).toBe(1);
    expect(await pausedBy(service)).toBe('offline');
  });
});
