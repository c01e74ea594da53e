// What the settings window asks of the engine, through AppService with a real store, the real
// parser and fetches from a loopback server: feed autodiscovery in the preview, the preview of a
// followed feed (what its next check would post), each feed's task counts, and validation errors
// that list every offending field in words.
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Feed, StateDelta } from '../../preload/contract';
import type { AccountPort } from '../../main/core/account';
import { CommandError } from '../../main/core/errors';
import { createFeedParser } from '../../main/core/feeds/executor';
import { USUAL_FEED_PATHS } from '../../main/core/feeds/discover';
import { SAME_LINK_REASON } from '../../main/core/feeds/new-items';
import { silentLogger } from '../../main/core/ports';
import { createAppService, type EngineService } from '../../main/core/service';
import { openStore } from '../../main/core/store/index';
import type { PostRequest, XClient } from '../../main/core/x/types';
import { createFakeClock, type FakeClock } from '../support/fake-clock';
import { rssDocument, startFeedServer, type FeedServer, type RssItemSpec } from '../support/feed-server';

let dir: string;
let server: FeedServer;
let items: RssItemSpec[];
const services: EngineService[] = [];

const item = (n: number, extra: Partial<RssItemSpec> = {}): RssItemSpec => ({
  title: `Item ${n}`, link: `https://example.com/posts/${n}`, guid: `guid-${n}`, pubDate: new Date(Date.UTC(2026, 0, n)).toUTCString(), ...extra,
});

const atom = (title: string): string => `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>${title}</title>`
  + '<id>urn:x</id><updated>2026-01-01T00:00:00Z</updated><entry><title>Hello</title><id>urn:e1</id><link href="https://example.com/e1"/>'
  + '<updated>2026-01-01T00:00:00Z</updated></entry></feed>';
const html = (head: string): string => `<!doctype html><html><head><title>Home</title>${head}</head><body><h1>Home</h1></body></html>`;
const HTML = 'text/html; charset=utf-8';

function account(posts: PostRequest[]): AccountPort {
  const client: XClient = {
    async post(request) {
      posts.push(request);
      return { postId: String(posts.length), postUrl: `https://x.com/crier/status/${posts.length}`, note: null };
    },
    async me() { return { handle: 'crier' }; },
  };
  return {
    client: () => client, state: () => ({ connected: true, handle: 'crier', method: 'oauth1', secretsProtected: true }),
    setHandle() {}, connect: async () => {}, disconnect: async () => {},
  };
}

async function engine(): Promise<{ service: EngineService; clock: FakeClock; deltas: StateDelta[]; posts: PostRequest[] }> {
  const clock = createFakeClock();
  const posts: PostRequest[] = [];
  const deltas: StateDelta[] = [];
  const service = createAppService({
    clock, log: silentLogger, store: openStore(dir, { clock, log: silentLogger }), parser: createFeedParser({ workers: 1 }),
    account: account(posts), random: () => 0.5,
  });
  service.onDelta((d) => deltas.push(d));
  service.start();
  services.push(service);
  await service.updateSettings({ minPostGapSeconds: 0 });
  return { service, clock, deltas, posts };
}

function rejection(p: Promise<unknown>): Promise<CommandError> {
  return p.then(() => { throw new Error('expected a rejection'); }, (err: unknown) => {
    if (err instanceof CommandError) return err;
    throw err;
  });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crier-settings-engine-'));
  items = [item(2), item(1)];
  server = await startFeedServer({ '/feed.xml': { body: () => rssDocument({ title: 'Example', items }) } });
});

afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('feed autodiscovery in the preview', () => {
  // A site whose feeds are only where its pages say, unless a test puts one at a usual path.
  beforeEach(() => {
    server.route('/feed.xml', { status: 404, body: 'not here', contentType: 'text/plain' });
    server.route('/posts.xml', { body: () => rssDocument({ title: 'Example', items }) });
  });

  it('previews the one feed a page links to, with the page’s candidate and the feed’s address, asking nothing else', async () => {
    server.route('/', { contentType: HTML, body: html('<link rel="alternate" type="application/rss+xml" title="Example posts" href="/posts.xml">') });
    const { service } = await engine();
    const result = await service.previewFeed(server.url('/'));
    expect(result.candidates).toEqual([{ url: server.url('/posts.xml'), title: 'Example posts', type: 'rss' }]);
    expect(result.feedUrl).toBe(server.url('/posts.xml'));
    expect(result.feedTitle).toBe('Example');
    expect(result.posts.map((p) => p.text)).toEqual(['Item 2 https://example.com/posts/2', 'Item 1 https://example.com/posts/1']);
    expect(server.requests.map((r) => r.path)).toEqual(['/', '/posts.xml']);
  });

  it('offers every feed a page links to without fetching them, posts empty, for the user to pick', async () => {
    server.route('/', { contentType: HTML, body: html(`
      <link rel="alternate" type="application/rss+xml" title="Posts" href="/posts.xml">
      <link rel="alternate" type="application/atom+xml" title="Comments" href="comments.atom">`) });
    const { service } = await engine();
    const result = await service.previewFeed(server.url('/'));
    expect(result).toMatchObject({ feedTitle: null, posts: [], skipped: [] });
    expect(result.candidates).toEqual([
      { url: server.url('/posts.xml'), title: 'Posts', type: 'rss' },
      { url: server.url('/comments.atom'), title: 'Comments', type: 'atom' },
    ]);
    expect(result.feedUrl).toBeUndefined();
    expect(server.requests.map((r) => r.path)).toEqual(['/']);
  });

  it('resolves a page’s relative links against where its redirects led', async () => {
    server.route('/start', { redirect: { to: '/blog/', status: 302 } });
    server.route('/blog/', { contentType: HTML, body: html('<link rel="alternate" type="application/atom+xml" href="atom.xml">') });
    server.route('/blog/atom.xml', { contentType: 'application/atom+xml', body: atom('Blog') });
    const { service } = await engine();
    const result = await service.previewFeed(server.url('/start'));
    expect(result.feedUrl).toBe(server.url('/blog/atom.xml'));
    expect(result.candidates).toEqual([{ url: server.url('/blog/atom.xml'), title: 'Blog', type: 'atom' }]);
    expect(result.posts.map((p) => p.itemTitle)).toEqual(['Hello']);
  });

  it('offers a page’s one linked feed that cannot be read, without previewing it', async () => {
    server.route('/', { contentType: HTML, body: html('<link rel="alternate" type="application/rss+xml" href="/broken.xml">') });
    server.route('/broken.xml', { status: 503, body: 'down', contentType: 'text/plain' });
    const { service } = await engine();
    const result = await service.previewFeed(server.url('/'));
    expect(result).toMatchObject({ posts: [], candidates: [{ url: server.url('/broken.xml'), title: null, type: 'rss' }] });
    expect(result.feedUrl).toBeUndefined();
  });

  it('tries the six usual paths of a page that names no feed, once each, and offers only those that read as feeds', async () => {
    server.route('/', { contentType: HTML, body: html('') });
    server.route('/feed', { redirect: { to: '/feed/', status: 301 } });
    server.route('/feed/', { body: rssDocument({ title: 'WordPress-ish', items: [item(1)] }) });
    server.route('/rss', { contentType: HTML, body: html('') });
    server.route('/atom.xml', { contentType: 'application/atom+xml', body: atom('Atom of it') });
    server.route('/rss.xml', { body: 'this is not xml at all', contentType: 'application/rss+xml' });
    const { service } = await engine();
    const result = await service.previewFeed(server.url('/'));
    expect(result.candidates).toEqual([
      { url: server.url('/feed/'), title: 'WordPress-ish', type: 'rss' },
      { url: server.url('/atom.xml'), title: 'Atom of it', type: 'atom' },
    ]);
    expect(result.posts).toEqual([]);
    const probes = server.requests.map((r) => r.path).filter((p) => p !== '/' && p !== '/feed/');
    expect(probes.sort()).toEqual([...USUAL_FEED_PATHS].sort());
  });

  it('previews the one usual path that is a feed', async () => {
    server.route('/', { contentType: HTML, body: html('') });
    server.route('/index.xml', { body: rssDocument({ title: 'Hugo site', items: [item(5)] }) });
    const { service } = await engine();
    const result = await service.previewFeed(server.url('/'));
    expect(result).toMatchObject({ feedTitle: 'Hugo site', feedUrl: server.url('/index.xml'), candidates: [{ url: server.url('/index.xml'), type: 'rss' }] });
    expect(result.posts.map((p) => p.itemTitle)).toEqual(['Item 5']);
  });

  it('says a page with no feed anywhere is not a feed, naming the paths it tried', async () => {
    server.route('/', { contentType: HTML, body: html('') });
    const { service } = await engine();
    const err = await rejection(service.previewFeed(server.url('/')));
    expect(err).toMatchObject({ code: 'feed', field: 'url' });
    expect(err.message).toContain('names no feed');
    expect(err.message).toContain('/index.xml');
  });

  it('probes under the concurrency cap: never more than maxConcurrentFetches at once', async () => {
    let active = 0;
    let most = 0;
    const slow = (req: IncomingMessage, res: ServerResponse): void => {
      active += 1;
      most = Math.max(most, active);
      // Held until the next macrotask turn at least, so uncapped probes would overlap.
      setTimeout(() => { active -= 1; res.writeHead(404); res.end(); }, 30);
      void req;
    };
    server.route('/', { contentType: HTML, body: html('') });
    for (const path of USUAL_FEED_PATHS) server.route(path, { handler: slow });
    const { service } = await engine();
    await service.updateSettings({ maxConcurrentFetches: 2 });
    await expect(service.previewFeed(server.url('/'))).rejects.toMatchObject({ code: 'feed' });
    expect(most).toBeLessThanOrEqual(2);
    expect(most).toBeGreaterThan(0);
  });

  it('reads a feed its server calls text/html as the feed it is, with no discovery', async () => {
    server.route('/mislabelled', { contentType: HTML, body: rssDocument({ title: 'Mislabelled', items: [item(3)] }) });
    const { service } = await engine();
    const result = await service.previewFeed(server.url('/mislabelled'));
    expect(result).toMatchObject({ feedTitle: 'Mislabelled' });
    expect(result.candidates).toBeUndefined();
    expect(server.requests).toHaveLength(1);
  });
});

describe('the preview of a followed feed', () => {
  async function followed(): Promise<{ service: EngineService; feed: Feed }> {
    const e = await engine();
    const feed = await e.service.addFeed({ url: server.url('/feed.xml') });
    await vi.waitFor(async () => expect((await e.service.getState()).feeds[0]?.health.lastStatus).toBe(200));
    return { service: e.service, feed };
  }

  it('lists no item the feed has seen: with nothing new, it counts them and composes the newest as an example', async () => {
    const { service, feed } = await followed();
    const result = await service.previewFeed(feed.url, { feedId: feed.id, template: 'New: {title}' });
    expect(result.posts).toEqual([]);
    expect(result.alreadySeen).toBe(2);
    expect(result.example).toMatchObject({ itemId: 'guid-2', text: 'New: Item 2' });
  });

  it('lists only what the next check would post', async () => {
    const { service, feed } = await followed();
    items = [item(4), item(3), item(2), item(1)];
    const result = await service.previewFeed(feed.url, { feedId: feed.id });
    expect(result.posts.map((p) => p.itemId)).toEqual(['guid-4', 'guid-3']);
    expect(result.alreadySeen).toBe(2);
    expect(result.example).toBeUndefined();
    // Without the feed's id the same address previews its newest items, as for a new feed.
    expect((await service.previewFeed(feed.url)).posts.map((p) => p.itemId)).toEqual(['guid-4', 'guid-3', 'guid-2', 'guid-1']);
  });

  it('skips a known item under a new id as a poll would, saying why', async () => {
    const { service, feed } = await followed();
    items = [item(2, { guid: 'guid-2-again' }), item(1)];
    const result = await service.previewFeed(feed.url, { feedId: feed.id });
    expect(result.posts).toEqual([]);
    expect(result.skipped).toEqual([{ itemId: 'guid-2-again', itemTitle: 'Item 2', reason: SAME_LINK_REASON }]);
  });

  it('refuses the id of a feed that is gone', async () => {
    const { service } = await engine();
    await expect(service.previewFeed(server.url('/feed.xml'), { feedId: 'gone' })).rejects.toMatchObject({ code: 'not-found', field: 'feedId' });
  });
});

describe('each feed’s task counts', () => {
  it('counts posted, pending and failed tasks per feed, in the state and in feed deltas as they change', async () => {
    const { service, clock, deltas } = await engine();
    items = [item(3), item(2), item(1)];
    await service.updateSettings({ dailyCap: 0 });
    const feed = await service.addFeed({ url: server.url('/feed.xml'), backfill: 2 });
    expect(feed.counts).toEqual({ posted: 0, pending: 0, failed: 0 });
    await vi.waitFor(async () => expect((await service.getState()).feeds[0]?.counts).toEqual({ posted: 0, pending: 2, failed: 0 }));
    const told = (): Feed['counts'][] => deltas.flatMap((d) => d.feeds ?? []).filter((f) => f.id === feed.id).map((f) => f.counts);
    expect(told().at(-1)).toEqual({ posted: 0, pending: 2, failed: 0 });

    deltas.length = 0;
    await service.updateSettings({ dailyCap: 50 });
    await clock.tick(0);
    await vi.waitFor(async () => expect((await service.getState()).feeds[0]?.counts).toEqual({ posted: 2, pending: 0, failed: 0 }));
    expect(told().at(-1)).toEqual({ posted: 2, pending: 0, failed: 0 });

    deltas.length = 0;
    expect(await service.clearHistory()).toBe(2);
    await vi.waitFor(() => expect(told().at(-1)).toEqual({ posted: 0, pending: 0, failed: 0 }));
  });

  it('sends no feed delta for a task change that moves no count', async () => {
    const { service, deltas } = await engine();
    items = [item(2), item(1)];
    await service.updateSettings({ dailyCap: 0 });
    const feed = await service.addFeed({ url: server.url('/feed.xml'), backfill: 1 });
    await vi.waitFor(async () => expect((await service.getState()).feeds[0]?.counts?.pending).toBe(1));
    const [task] = (await service.getState()).tasks;
    deltas.length = 0;
    await service.editTask(task!.id, 'Edited https://example.com/posts/2', task!.updatedAt);
    await vi.waitFor(() => expect(deltas.some((d) => d.tasks?.length)).toBe(true));
    expect(deltas.flatMap((d) => d.feeds ?? []).filter((f) => f.id === feed.id)).toEqual([]);
  });
});

describe('validation errors for people', () => {
  it('lists every offending setting at once, each in words', async () => {
    const { service } = await engine();
    const err = await rejection(service.updateSettings({ dailyCap: 99_999, minPostGapSeconds: -1, dryRun: 'yes' as never, notifications: 'loud' as never }));
    expect(err.issues).toEqual([
      { field: 'minPostGapSeconds', message: 'The minimum gap between posts is a whole number of seconds from 0 to 86,400.' },
      { field: 'dailyCap', message: 'The daily cap is a whole number from 0 to 2,400.' },
      { field: 'dryRun', message: 'Dry run is either true or false.' },
      { field: 'notifications', message: 'Notifications are "all", "failures" or "off".' },
    ]);
    expect(err.field).toBe('minPostGapSeconds');
    expect(err.message).toBe(err.issues!.map((i) => i.message).join(' '));
    expect(err.toJSON()).toMatchObject({ code: 'validation', field: 'minPostGapSeconds', issues: err.issues });
  });

  it('lists a feed’s bad fields with its template’s and filters’ problems, saving nothing', async () => {
    const { service } = await engine();
    const err = await rejection(service.addFeed({ url: server.url('/feed.xml'), intervalMinutes: 0, template: '{title} {nope}', exclude: ['ok', '/(/'] }));
    expect(err.issues?.map((i) => i.field)).toEqual(['intervalMinutes', 'template', 'exclude.1']);
    expect(err.issues?.[0]?.message).toBe('The check interval is a whole number of minutes from 1 to 1,440.');
    expect(err.issues?.[1]?.message).toContain('{nope}');
    expect(err.issues?.[2]?.message).toMatch(/^\/\(\/ is not a valid regular expression/);
    expect((await service.getState()).feeds).toEqual([]);
  });

  it('words the retry bounds’ relation, and the preview’s rule problems, the same way', async () => {
    const { service } = await engine();
    const err = await rejection(service.updateSettings({ retryBaseSeconds: 600, retryMaxSeconds: 60 }));
    expect(err.issues).toEqual([{ field: 'retryMaxSeconds', message: 'The longest wait between retries cannot be shorter than the first retry wait.' }]);
    const preview = await rejection(service.previewFeed(server.url('/feed.xml'), { template: '{x}', maxHashtags: 11 }));
    expect(preview.issues?.map((i) => i.field)).toEqual(['maxHashtags', 'template']);
  });
});
