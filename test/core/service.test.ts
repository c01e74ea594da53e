// The engine through its one surface, AppService: a real store in a temp dir, real fetches from
// a loopback feed server, the real parser, a fake clock and a scripted X client.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StateDelta, Task } from '../../preload/contract';
import type { AccountPort } from '../../main/core/account';
import { CommandError } from '../../main/core/errors';
import { createFeedParser } from '../../main/core/feeds/executor';
import { silentLogger } from '../../main/core/ports';
import { createAppService, type EngineService } from '../../main/core/service';
import { openStore } from '../../main/core/store/index';
import { XError, type PostRequest, type XClient } from '../../main/core/x/types';
import { createFakeClock, type FakeClock } from '../support/fake-clock';
import { rssDocument, startFeedServer, type FeedServer, type RssItemSpec } from '../support/feed-server';

const MIN = 60_000;

interface Harness {
  service: EngineService;
  clock: FakeClock;
  posts: PostRequest[];
  deltas: StateDelta[];
  reopen(): Promise<void>;
}

let dir: string;
let server: FeedServer;
let items: RssItemSpec[];
let open: Harness[] = [];

const item = (n: number, extra: Partial<RssItemSpec> = {}): RssItemSpec => ({
  title: `Item ${n}`, link: `https://example.com/posts/${n}`, guid: `guid-${n}`,
  pubDate: new Date(Date.UTC(2026, 0, n)).toUTCString(), ...extra,
});

function fakeAccount(posts: PostRequest[], connected: boolean): AccountPort {
  const client: XClient = {
    async post(request) {
      posts.push(request);
      return { postId: String(posts.length), postUrl: `https://x.com/crier/status/${posts.length}`, note: null };
    },
    async me() {
      return { handle: 'crier' };
    },
  };
  return {
    client: () => (connected ? client : null),
    state: () => ({ connected, handle: null, method: connected ? 'oauth1' : null, secretsProtected: true }),
    setHandle() {},
    connect: async () => {},
    disconnect: async () => {},
  };
}

async function harness(options: { connected?: boolean; random?: () => number } = {}): Promise<Harness> {
  const clock = createFakeClock();
  const posts: PostRequest[] = [];
  const deltas: StateDelta[] = [];
  const make = (): EngineService => {
    const service = createAppService({
      clock, log: silentLogger, store: openStore(dir, { clock, log: silentLogger }), parser: createFeedParser({ workers: 1 }),
      account: fakeAccount(posts, options.connected ?? true), random: options.random ?? (() => 0.5),
    });
    service.onDelta((d) => deltas.push(d));
    service.start();
    return service;
  };
  const h: Harness = {
    service: make(), clock, posts, deltas,
    async reopen() {
      await h.service.close();
      h.service = make();
    },
  };
  open.push(h);
  await h.service.updateSettings({ minPostGapSeconds: 0 });
  return h;
}

async function tasks(h: Harness): Promise<Task[]> {
  return (await h.service.getState()).tasks;
}

async function settleQueue(h: Harness): Promise<void> {
  await h.clock.tick(0);
  await h.clock.settle();
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crier-service-'));
  items = [item(2), item(1)];
  server = await startFeedServer({
    '/feed.xml': { body: () => rssDocument({ title: 'Example', items }), etag: undefined },
  });
});

afterEach(async () => {
  for (const h of open) await h.service.close();
  open = [];
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('adding a feed', () => {
  it('polls the feed at once and records the items already there as seen, posting nothing', async () => {
    const h = await harness();
    const feed = await h.service.addFeed({ url: server.url('/feed.xml') });
    await vi.waitFor(async () => expect((await h.service.getState()).feeds[0]?.health.lastStatus).toBe(200));
    expect(server.requestsTo('/feed.xml')).toHaveLength(1);
    expect((await h.service.getState()).feeds[0]).toMatchObject({ id: feed.id, title: 'Example' });
    expect(await tasks(h)).toEqual([]);
  });

  it('posts only the newest backfill items on the first poll', async () => {
    const h = await harness();
    items = [item(3), item(2), item(1)];
    await h.service.addFeed({ url: server.url('/feed.xml'), backfill: 2 });
    await vi.waitFor(async () => expect(await tasks(h)).toHaveLength(2));
    expect((await tasks(h)).map((t) => t.itemTitle).sort()).toEqual(['Item 2', 'Item 3']);
  });

  it('rejects a feed URL that is not http or https, naming the field', async () => {
    const h = await harness();
    await expect(h.service.addFeed({ url: 'javascript:alert(1)' })).rejects.toMatchObject({ code: 'validation', field: 'url' });
    await expect(h.service.addFeed({ url: 'file:///etc/passwd' })).rejects.toMatchObject({ code: 'validation', field: 'url' });
  });

  it('rejects unknown fields and out-of-range numbers', async () => {
    const h = await harness();
    await expect(h.service.addFeed({ url: server.url('/feed.xml'), colour: 'red' } as never)).rejects.toMatchObject({ code: 'validation', field: 'colour' });
    await expect(h.service.addFeed({ url: server.url('/feed.xml'), intervalMinutes: 0 })).rejects.toMatchObject({ field: 'intervalMinutes' });
  });

  it('rejects a template with an unknown placeholder before saving anything', async () => {
    const h = await harness();
    await expect(h.service.addFeed({ url: server.url('/feed.xml'), template: '{title} {nope}' })).rejects.toMatchObject({ code: 'validation', field: 'template' });
    expect((await h.service.getState()).feeds).toEqual([]);
  });

  it('refuses a URL it already follows', async () => {
    const h = await harness();
    await h.service.addFeed({ url: server.url('/feed.xml') });
    await expect(h.service.addFeed({ url: server.url('/feed.xml') })).rejects.toMatchObject({ code: 'conflict', field: 'url' });
  });
});

describe('new items', () => {
  it('turn into pending tasks with their composed text, which the queue then posts', async () => {
    const h = await harness();
    await h.service.addFeed({ url: server.url('/feed.xml') });
    await vi.waitFor(async () => expect((await h.service.getState()).feeds[0]?.health.lastStatus).toBe(200));
    items = [item(3), item(2), item(1)];
    await h.service.pollNow();
    const [task] = await tasks(h);
    expect(task).toMatchObject({ itemTitle: 'Item 3', text: 'Item 3 https://example.com/posts/3' });
    await settleQueue(h);
    await vi.waitFor(async () => expect((await tasks(h))[0]?.status).toBe('completed'));
    expect(h.posts.map((p) => p.text)).toEqual(['Item 3 https://example.com/posts/3']);
  });

  it('are found once: polling again without changes creates no more tasks', async () => {
    const h = await harness();
    await h.service.addFeed({ url: server.url('/feed.xml') });
    await vi.waitFor(async () => expect((await h.service.getState()).feeds[0]?.health.lastStatus).toBe(200));
    items = [item(3), item(2), item(1)];
    await h.service.pollNow();
    await h.service.pollNow();
    items = [item(3, { guid: 'changed-guid' }), item(2), item(1)];
    await h.service.pollNow();
    expect(await tasks(h)).toHaveLength(1);
  });

  it('that a filter excludes are recorded in the feed with the reason', async () => {
    const h = await harness();
    await h.service.addFeed({ url: server.url('/feed.xml'), exclude: ['sponsored'] });
    await vi.waitFor(async () => expect((await h.service.getState()).feeds[0]?.health.lastStatus).toBe(200));
    items = [item(3, { title: 'A sponsored post' }), item(2), item(1)];
    await h.service.pollNow();
    expect(await tasks(h)).toEqual([]);
    const [feed] = (await h.service.getState()).feeds;
    expect(feed?.recentSkips[0]).toMatchObject({ itemTitle: 'A sponsored post' });
    expect(feed?.recentSkips[0]?.reason).toMatch(/sponsored/);
  });

  it('complete as dry runs when no account is connected', async () => {
    const h = await harness({ connected: false });
    items = [item(1)];
    await h.service.addFeed({ url: server.url('/feed.xml'), backfill: 1 });
    await vi.waitFor(async () => expect(await tasks(h)).toHaveLength(1));
    await settleQueue(h);
    await vi.waitFor(async () => expect((await tasks(h))[0]).toMatchObject({ status: 'completed', dryRun: true }));
    expect(h.posts).toEqual([]);
    expect((await h.service.getState()).account.dryRun).toBe(true);
  });
});

describe('polling on schedule', () => {
  it('polls each feed again after its interval', async () => {
    const h = await harness();
    await h.service.addFeed({ url: server.url('/feed.xml'), intervalMinutes: 10 });
    await vi.waitFor(() => expect(server.requestsTo('/feed.xml')).toHaveLength(1));
    await vi.waitFor(async () => expect((await h.service.getState()).feeds[0]?.health.nextPollAt).not.toBeNull());
    await h.clock.tick(10 * MIN);
    await vi.waitFor(() => expect(server.requestsTo('/feed.xml')).toHaveLength(2));
  });

  it('sends the remembered validators and treats 304 as no change', async () => {
    server.route('/etag.xml', { body: rssDocument({ items: [item(1)] }), etag: '"v1"' });
    const h = await harness();
    await h.service.addFeed({ url: server.url('/etag.xml') });
    await vi.waitFor(async () => expect((await h.service.getState()).feeds[0]?.health.lastStatus).toBe(200));
    await h.service.pollNow();
    expect(server.requestsTo('/etag.xml')[1]?.headers['if-none-match']).toBe('"v1"');
    expect((await h.service.getState()).feeds[0]?.health).toMatchObject({ lastStatus: 304, lastError: null });
  });

  it('backs off a failing feed and records the failure in its health', async () => {
    server.route('/broken.xml', { status: 500, body: 'oops', contentType: 'text/plain' });
    const h = await harness();
    await h.service.addFeed({ url: server.url('/broken.xml'), intervalMinutes: 15 });
    await vi.waitFor(async () => expect((await h.service.getState()).feeds[0]?.health.consecutiveFailures).toBe(1));
    await h.service.pollNow();
    const { health } = (await h.service.getState()).feeds[0]!;
    expect(health).toMatchObject({ consecutiveFailures: 2, lastStatus: 500 });
    expect(health.lastError).toMatch(/500/);
    expect(Date.parse(health.nextPollAt!) - h.clock.now()).toBe(10 * MIN);
  });

  it('follows a permanent redirect, updating the feed URL and saying so in a notice', async () => {
    server.route('/old.xml', { redirect: { to: '/feed.xml', status: 301 } });
    const h = await harness();
    await h.service.addFeed({ url: server.url('/old.xml') });
    await vi.waitFor(async () => expect((await h.service.getState()).feeds[0]?.url).toBe(server.url('/feed.xml')));
    const state = await h.service.getState();
    expect(state.notices.map((n) => n.kind)).toContain('feed-moved');
  });

  it('does not poll a disabled feed', async () => {
    const h = await harness();
    await h.service.addFeed({ url: server.url('/feed.xml'), enabled: false });
    await h.clock.tick(60 * MIN);
    await h.clock.settle();
    expect(server.requestsTo('/feed.xml')).toHaveLength(0);
  });
});

describe('commands', () => {
  it('merge partial settings and reject out-of-range values with the field', async () => {
    const h = await harness();
    const merged = await h.service.updateSettings({ dailyCap: 10 });
    expect(merged).toMatchObject({ dailyCap: 10, minPostGapSeconds: 0 });
    await expect(h.service.updateSettings({ dailyCap: 5000 })).rejects.toMatchObject({ code: 'validation', field: 'dailyCap' });
    expect((await h.service.getState()).settings.dailyCap).toBe(10);
  });

  it('cancel the pending tasks of a feed that is removed', async () => {
    const h = await harness();
    await h.service.pause();
    items = [item(1)];
    const feed = await h.service.addFeed({ url: server.url('/feed.xml'), backfill: 1 });
    await vi.waitFor(async () => expect(await tasks(h)).toHaveLength(1));
    await h.service.removeFeed(feed.id);
    const state = await h.service.getState();
    expect(state.feeds).toEqual([]);
    expect(state.tasks[0]?.status).toBe('cancelled');
  });

  it('answer not-found for an unknown feed or task', async () => {
    const h = await harness();
    await expect(h.service.removeFeed('nope')).rejects.toBeInstanceOf(CommandError);
    await expect(h.service.retryTask('nope')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('clear completed and cancelled tasks from the history, keeping the rest', async () => {
    const h = await harness();
    await h.service.pause();
    items = [item(2), item(1)];
    await h.service.addFeed({ url: server.url('/feed.xml'), backfill: 2 });
    await vi.waitFor(async () => expect(await tasks(h)).toHaveLength(2));
    const [first] = await tasks(h);
    await h.service.cancelTask(first!.id);
    expect(await h.service.clearHistory()).toBe(1);
    expect((await tasks(h)).map((t) => t.status)).toEqual(['pending']);
  });

  it('round-trip feeds through OPML, skipping the URLs already followed', async () => {
    const h = await harness();
    await h.service.addFeed({ url: server.url('/feed.xml'), name: 'Mine' });
    const opml = await h.service.exportOpml();
    expect(opml).toContain('Mine');
    const result = await h.service.importOpml(opml.replace('</body>', `<outline text="Other" xmlUrl="${server.url('/other.xml')}"/></body>`));
    expect(result).toMatchObject({ added: 1, skipped: 1 });
  });

  it('preview a feed that cannot be read as a feed error on the url field, with the reason', async () => {
    server.route('/gone.xml', { status: 404, body: 'gone', contentType: 'text/plain' });
    const h = await harness();
    await expect(h.service.previewFeed(server.url('/gone.xml'))).rejects.toMatchObject({ code: 'feed', field: 'url', message: expect.stringMatching(/404/) });
  });

  it('report a dry run when testing the connection without an account', async () => {
    const h = await harness({ connected: false });
    expect(await h.service.testConnection()).toMatchObject({ ok: false });
  });
});

describe('state and deltas', () => {
  it('numbers deltas one by one and carries the last seq in a snapshot', async () => {
    const h = await harness();
    await h.service.addFeed({ url: server.url('/feed.xml') });
    await vi.waitFor(async () => expect((await h.service.getState()).feeds[0]?.health.lastStatus).toBe(200));
    const seqs = h.deltas.map((d) => d.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect((await h.service.getState()).seq).toBe(h.deltas.length);
  });

  it('keeps feeds, tasks and settings across a restart, under a new epoch', async () => {
    const h = await harness();
    await h.service.pause();
    items = [item(1)];
    await h.service.addFeed({ url: server.url('/feed.xml'), backfill: 1 });
    await vi.waitFor(async () => expect(await tasks(h)).toHaveLength(1));
    const before = await h.service.getState();
    await h.reopen();
    const after = await h.service.getState();
    expect(after.epoch).not.toBe(before.epoch);
    expect(after.feeds.map((f) => f.url)).toEqual(before.feeds.map((f) => f.url));
    expect(after.tasks.map((t) => [t.id, t.text])).toEqual(before.tasks.map((t) => [t.id, t.text]));
    expect(after.settings.minPostGapSeconds).toBe(0);
  });
});

describe('items the template leaves empty', () => {
  it('are skipped with a reason instead of becoming empty posts', async () => {
    const h = await harness();
    items = [item(1)];
    await h.service.addFeed({ url: server.url('/feed.xml'), template: '{author}', backfill: 1 });
    await vi.waitFor(async () => expect((await h.service.getState()).feeds[0]?.recentSkips).toHaveLength(1));
    expect(await tasks(h)).toEqual([]);
    expect((await h.service.getState()).feeds[0]?.recentSkips[0]?.reason).toMatch(/nothing to post/);
  });
});

describe('notices', () => {
  it('stay across a restart until they are dismissed', async () => {
    server.route('/old.xml', { redirect: { to: '/feed.xml', status: 308 } });
    const h = await harness();
    await h.service.addFeed({ url: server.url('/old.xml') });
    await vi.waitFor(async () => expect((await h.service.getState()).notices).toHaveLength(1));
    await h.reopen();
    const [notice] = (await h.service.getState()).notices;
    expect(notice?.kind).toBe('feed-moved');
    await h.service.dismissNotice(notice!.id);
    await h.reopen();
    expect((await h.service.getState()).notices).toEqual([]);
  });

  it('tell the user when a feed moves to an address another feed already follows, moving nothing', async () => {
    server.route('/old.xml', { redirect: { to: '/feed.xml', status: 301 } });
    const h = await harness();
    await h.service.addFeed({ url: server.url('/feed.xml') });
    await h.service.addFeed({ url: server.url('/old.xml') });
    await vi.waitFor(async () => expect((await h.service.getState()).notices).toHaveLength(1));
    const state = await h.service.getState();
    expect(state.feeds.map((f) => f.url).sort()).toEqual([server.url('/feed.xml'), server.url('/old.xml')].sort());
    expect(state.notices[0]?.message).toMatch(/already follows/);
  });

  it('say so once, not on every poll, when a feed keeps moving to an address another feed follows', async () => {
    server.route('/old.xml', { redirect: { to: '/feed.xml', status: 301 } });
    const h = await harness();
    await h.service.addFeed({ url: server.url('/feed.xml') });
    const moving = await h.service.addFeed({ url: server.url('/old.xml') });
    await vi.waitFor(async () => expect((await h.service.getState()).notices).toHaveLength(1));
    for (let i = 0; i < 3; i += 1) await h.service.pollNow(moving.id);
    const { notices } = await h.service.getState();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ kind: 'feed-moved', key: moving.id });
  });
});

describe('changing a feed address', () => {
  it('polls the new address at once without the old address\'s validators', async () => {
    server.route('/etag.xml', { body: rssDocument({ items: [item(1)] }), etag: '"v1"' });
    server.route('/new.xml', { body: rssDocument({ items: [item(1)] }), etag: '"v1"' });
    const h = await harness();
    const feed = await h.service.addFeed({ url: server.url('/etag.xml') });
    await vi.waitFor(async () => expect((await h.service.getState()).feeds[0]?.health.lastStatus).toBe(200));
    await h.service.updateFeed(feed.id, { url: server.url('/new.xml') });
    await h.clock.tick(0);
    await vi.waitFor(() => expect(server.requestsTo('/new.xml')).toHaveLength(1));
    expect(server.requestsTo('/new.xml')[0]?.headers['if-none-match']).toBeUndefined();
    expect(await tasks(h)).toEqual([]);
  });
});

describe('the scheduler', () => {
  it('adds the jitter from the injected random source to the interval, and poll now does not wait for it', async () => {
    // 10 min interval: jitter spans ±10 % (60 s); random 0.75 → +30 s.
    const h = await harness({ random: () => 0.75 });
    await h.service.addFeed({ url: server.url('/feed.xml'), intervalMinutes: 10 });
    await vi.waitFor(async () => expect((await h.service.getState()).feeds[0]?.health.lastStatus).toBe(200));
    const { health } = (await h.service.getState()).feeds[0]!;
    expect(Date.parse(health.nextPollAt!) - Date.parse(health.lastFetchedAt!)).toBe(10 * MIN + 30_000);

    await h.clock.tick(10 * MIN);
    await h.clock.settle();
    expect(server.requestsTo('/feed.xml')).toHaveLength(1);
    await h.service.pollNow();
    expect(server.requestsTo('/feed.xml')).toHaveLength(2);
    await h.clock.tick(30_000);
    await vi.waitFor(() => expect(server.requestsTo('/feed.xml')).toHaveLength(2));
    expect(Date.parse((await h.service.getState()).feeds[0]!.health.nextPollAt!) - h.clock.now()).toBe(10 * MIN);
  });

  it('fetches at most maxConcurrentFetches feeds at once, and every feed in the end', async () => {
    let open = 0;
    let most = 0;
    const slow = (): Parameters<FeedServer['route']>[1] => ({
      handler(_req, res) {
        open += 1;
        most = Math.max(most, open);
        // Held long enough that every first poll would overlap if nothing limited them.
        setTimeout(() => {
          open -= 1;
          res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssDocument({ items: [item(1)] }));
        }, 150);
      },
    });
    const paths = ['/a.xml', '/b.xml', '/c.xml', '/d.xml', '/e.xml'];
    for (const path of paths) server.route(path, slow());
    const h = await harness();
    await h.service.updateSettings({ maxConcurrentFetches: 2 });
    for (const path of paths) await h.service.addFeed({ url: server.url(path) });
    await vi.waitFor(async () => {
      const feeds = (await h.service.getState()).feeds;
      expect(feeds.map((f) => f.health.lastStatus)).toEqual(paths.map(() => 200));
    }, { timeout: 20_000 });
    expect(most).toBe(2);
    expect(paths.map((p) => server.requestsTo(p).length)).toEqual(paths.map(() => 1));
  });

  it('fetches a feed once when poll now is asked for it while its poll is in flight', async () => {
    server.route('/slow.xml', { body: rssDocument({ items: [item(1)] }), delayMs: 100 });
    const h = await harness();
    const feed = await h.service.addFeed({ url: server.url('/slow.xml') });
    await Promise.all([h.service.pollNow(feed.id), h.service.pollNow(feed.id), h.service.pollNow()]);
    expect(server.requestsTo('/slow.xml')).toHaveLength(1);
  });
});

describe('task history', () => {
  const finished = (h: Harness) => h.service.getState().then((s) => s.tasks.filter((t) => t.status === 'completed'));

  it('drops the oldest finished tasks past historyLimit as they finish, telling the views by removedTaskIds', async () => {
    const h = await harness();
    await h.service.updateSettings({ historyLimit: 10 });
    items = Array.from({ length: 12 }, (_, i) => item(12 - i));
    await h.service.addFeed({ url: server.url('/feed.xml'), backfill: 12 });
    await vi.waitFor(() => expect(h.posts).toHaveLength(12));
    await settleQueue(h);
    await h.service.getState();
    const removed = h.deltas.flatMap((d) => d.removedTaskIds ?? []);
    expect(removed).toHaveLength(2);
    const kept = await finished(h);
    expect(kept).toHaveLength(10);
    expect(kept.map((t) => t.id)).not.toEqual(expect.arrayContaining(removed));
  });

  it('prunes at once when historyLimit is lowered, never a pending or failed task', async () => {
    const h = await harness();
    items = Array.from({ length: 14 }, (_, i) => item(14 - i));
    await h.service.addFeed({ url: server.url('/feed.xml'), backfill: 12 });
    await vi.waitFor(() => expect(h.posts).toHaveLength(12));
    await settleQueue(h);
    await h.service.pause();
    items = [item(16), item(15), ...items];
    await h.service.pollNow();
    expect((await tasks(h)).filter((t) => t.status === 'pending')).toHaveLength(2);
    const seen = h.deltas.length;

    await h.service.updateSettings({ historyLimit: 10 });
    await settleQueue(h);
    await h.service.getState();
    const removed = h.deltas.slice(seen).flatMap((d) => d.removedTaskIds ?? []);
    expect(removed).toHaveLength(2);
    const state = await h.service.getState();
    expect(state.tasks.map((t) => t.status).sort()).toEqual([...Array(10).fill('completed'), 'pending', 'pending']);
    expect(state.tasks.map((t) => t.id)).not.toEqual(expect.arrayContaining([removed[0]]));
  });
});

describe('reconnecting the account', () => {
  it('ends a pause caused by X refusing the old credentials', async () => {
    const clock = createFakeClock();
    let refuse = true;
    const posts: string[] = [];
    const client: XClient = {
      async post(request) {
        if (refuse) throw new XError({ kind: 'auth', httpStatus: 401, message: 'X did not accept the credentials (401).' });
        posts.push(request.text);
        return { postId: '1', postUrl: 'https://x.com/i/status/1', note: null };
      },
      async me() {
        return { handle: 'crier' };
      },
    };
    const account: AccountPort = {
      client: () => client,
      state: () => ({ connected: true, handle: null, method: 'oauth1', secretsProtected: true }),
      setHandle() {},
      connect: async () => { refuse = false; },
      disconnect: async () => {},
    };
    const service = createAppService({ clock, log: silentLogger, store: openStore(dir, { clock, log: silentLogger }), parser: createFeedParser({ workers: 1 }), account, random: () => 0.5 });
    open.push({ service, clock, posts: [], deltas: [], reopen: async () => {} });
    service.start();
    await service.updateSettings({ minPostGapSeconds: 0 });
    items = [item(1)];
    await service.addFeed({ url: server.url('/feed.xml'), backfill: 1 });
    await vi.waitFor(async () => expect((await service.getState()).queue.pauseReason).toBe('auth'));
    await service.connectX({ appKey: 'k', appSecret: 's', accessToken: 't', accessSecret: 'a' });
    expect((await service.getState()).queue.paused).toBe(false);
    await clock.tick(0);
    await vi.waitFor(() => expect(posts).toHaveLength(1));
  });
});
