// Several accounts (issue 16): each feed posts to the accounts it names, one task per item and
// account, each account with its own queue — pacing, cap, pauses and X's limits apart, except the
// limits X puts on a developer app, which hold every account of that app.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccountState, QueueState, Task } from '../../preload/contract';
import type { AccountPort } from '../../main/core/account';
import { createFeedParser } from '../../main/core/feeds/executor';
import { silentLogger } from '../../main/core/ports';
import { createAppService, type EngineService } from '../../main/core/service';
import { openStore } from '../../main/core/store/index';
import { XError, type PostRequest, type XClient, type XFailure } from '../../main/core/x/types';
import { createFakeClock, type FakeClock } from '../support/fake-clock';
import { rssDocument, startFeedServer, type FeedServer, type RssItemSpec } from '../support/feed-server';

/** Real fetches and a parser worker: generous on a loaded machine, checked often. */
const SOON = { timeout: 15_000, interval: 20 };

/** One X account of the test: what it posted, and what its next posts answer (a failure each, then success). */
interface FakeAccount {
  id: string;
  app: string;
  posts: PostRequest[];
  failures: XFailure[];
  connected: boolean;
  port: AccountPort;
}

function fakeAccount(id: string, app: string): FakeAccount {
  const account = { id, app, posts: [] as PostRequest[], failures: [] as XFailure[], connected: true } as FakeAccount;
  const client: XClient = {
    async post(request) {
      const failure = account.failures.shift();
      if (failure) throw new XError(failure);
      account.posts.push(request);
      return { postId: `${id}-${account.posts.length}`, postUrl: `https://x.com/${id}/status/${account.posts.length}`, note: null };
    },
    async me() { return { handle: id }; },
  };
  account.port = {
    client: () => (account.connected ? client : null),
    state: () => ({ connected: account.connected, handle: account.connected ? id : null, method: account.connected ? 'oauth2' : null, secretsProtected: true }),
    fingerprint: () => (account.connected ? `tokens-${id}` : null),
    app: () => app,
    setHandle() {},
    connect: async () => {},
    async disconnect() { account.connected = false; },
  };
  return account;
}

/** The default account's port, holding the others beside it as the OAuth 2.0 account does. */
function book(first: FakeAccount, others: FakeAccount[]): AccountPort {
  const listeners = new Set<() => void>();
  return {
    ...first.port,
    otherAccountIds: () => others.filter((a) => a.connected).map((a) => a.id),
    otherAccount: (id) => { const other = others.find((a) => a.id === id && a.connected); return other?.port; },
    onAccountsChange(listener) { listeners.add(listener); return () => { listeners.delete(listener); }; },
  };
}

let dir: string;
let server: FeedServer;
let items: RssItemSpec[];
let clock: FakeClock;
let service: EngineService;
let me: FakeAccount;
let brand: FakeAccount;
let news: FakeAccount;

const item = (n: number): RssItemSpec => ({ title: `Item ${n}`, link: `https://example.com/posts/${n}`, guid: `guid-${n}`, pubDate: new Date(Date.UTC(2026, 0, n)).toUTCString() });

function start(): EngineService {
  service = createAppService({
    clock, log: silentLogger, store: openStore(dir, { clock, log: silentLogger }), parser: createFeedParser({ workers: 1 }),
    account: book(me, [brand, news]), random: () => 0.5,
  });
  service.start();
  return service;
}

async function restart(): Promise<void> {
  await service.close();
  start();
}

const tasksOf = async (accountId?: string): Promise<Task[]> =>
  (await service.getState()).tasks.filter((t) => (t.accountId ?? 'default') === (accountId ?? 'default'));
const queueOf = async (accountId: string): Promise<QueueState> => (await service.getState()).queues![accountId]!;

/** A feed posting to `accountIds` whose first check saw items 1–2; then items 3–4 are published and checked. */
async function feedWithNewItems(accountIds?: string[]): Promise<string> {
  const feed = await service.addFeed({ url: server.url('/feed.xml'), ...(accountIds ? { accountIds } : {}) });
  await vi.waitFor(async () => expect((await service.getState()).feeds[0]?.health.lastStatus).toBe(200), SOON);
  items = [item(4), item(3), item(2), item(1)];
  await service.pollNow(feed.id);
  return feed.id;
}

const titles = (account: FakeAccount): string[] => account.posts.map((p) => p.text.split(' ').slice(0, 2).join(' ')).sort();

async function postAll(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await clock.tick(1000);
    await clock.settle();
  }
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crier-accounts-'));
  items = [item(2), item(1)];
  server = await startFeedServer({ '/feed.xml': { body: () => rssDocument({ title: 'Example', items }) } });
  clock = createFakeClock();
  me = fakeAccount('default', 'app-1');
  brand = fakeAccount('other-brand', 'app-1');
  news = fakeAccount('other-news', 'app-2');
  start();
  await service.updateSettings({ minPostGapSeconds: 0 });
});

afterEach(async () => {
  await service.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('several accounts', () => {
  it('lists every account, the default one first, each with its id and its own queue', async () => {
    const state = await service.getState();
    expect(state.accounts?.map((a: AccountState) => [a.id, a.handle, a.connected])).toEqual([
      ['default', 'default', true], ['other-brand', 'other-brand', true], ['other-news', 'other-news', true],
    ]);
    expect(state.account.id).toBe('default');
    expect(Object.keys(state.queues ?? {})).toEqual(['default', 'other-brand', 'other-news']);
  });

  it('posts a feed to the default account only when it names none', async () => {
    await feedWithNewItems();
    await postAll();
    expect(titles(me)).toEqual(['Item 3', 'Item 4']);
    expect(brand.posts).toEqual([]);
    expect(news.posts).toEqual([]);
    expect((await tasksOf()).every((t) => t.accountId === undefined)).toBe(true);
  });

  it('makes one task per item and account for a feed posting to several, each posted once on its own account', async () => {
    await feedWithNewItems(['default', 'other-news']);
    await postAll();
    expect(titles(me)).toEqual(['Item 3', 'Item 4']);
    expect(titles(news)).toEqual(['Item 3', 'Item 4']);
    expect(brand.posts).toEqual([]);
    const mine = await tasksOf();
    const theirs = await tasksOf('other-news');
    expect(mine.map((t) => t.status)).toEqual(['completed', 'completed']);
    expect(theirs.map((t) => [t.status, t.postId?.startsWith('other-news-')])).toEqual([['completed', true], ['completed', true]]);
    expect(new Set([...mine, ...theirs].map((t) => t.id)).size).toBe(4);
    expect((await service.getState()).queue.counts.completed).toBe(4);
  });

  it('refuses a feed naming an account Crier does not have, naming the field', async () => {
    await expect(service.addFeed({ url: server.url('/feed.xml'), accountIds: ['nobody'] })).rejects.toMatchObject({ code: 'validation', field: 'accountIds' });
  });

  it('lets a 429 on one account hold that account only', async () => {
    news.failures.push({ kind: 'rate-limited', message: "X's rate limit is reached.", httpStatus: 429, resetAt: clock.now() + 3_600_000 });
    await feedWithNewItems(['default', 'other-news']);
    await postAll();
    expect(me.posts).toHaveLength(2);
    expect(news.posts).toEqual([]);
    expect(await queueOf('other-news')).toMatchObject({ paused: true, pauseReason: 'rate-limited' });
    expect(await queueOf('default')).toMatchObject({ paused: false });
    expect((await service.getState()).queue.paused).toBe(false);
  });

  it('holds every account of a developer app that ran out of credits (402), and no account of another app', async () => {
    me.failures.push({ kind: 'credits-depleted', message: 'The X developer account has no credits left (402).', httpStatus: 402, appWide: true });
    await feedWithNewItems(['default']);
    await postAll();
    expect(await queueOf('default')).toMatchObject({ paused: true, pauseReason: 'credits-depleted' });
    expect(await queueOf('other-brand')).toMatchObject({ paused: true, pauseReason: 'credits-depleted' });
    expect(await queueOf('other-news')).toMatchObject({ paused: false });
    await restart();
    expect(await queueOf('other-brand')).toMatchObject({ paused: true, pauseReason: 'credits-depleted' });
  });

  it('pauses one account by its id, all of them without one, and remembers each across a restart', async () => {
    await service.pause('other-brand');
    expect(await queueOf('other-brand')).toMatchObject({ paused: true, pauseReason: 'user' });
    expect(await queueOf('default')).toMatchObject({ paused: false });
    expect((await service.getState()).queue.paused).toBe(false);
    await restart();
    expect(await queueOf('other-brand')).toMatchObject({ paused: true, pauseReason: 'user' });
    expect(await queueOf('other-news')).toMatchObject({ paused: false });
    await service.pause();
    expect((await service.getState()).queue).toMatchObject({ paused: true, pauseReason: 'user' });
    await service.resume('other-news');
    await feedWithNewItems(['other-news', 'other-brand']);
    await postAll();
    expect(news.posts).toHaveLength(2);
    expect(brand.posts).toEqual([]);
    await expect(service.pause('nobody')).rejects.toMatchObject({ code: 'not-found', field: 'accountId' });
  });

  it('cancels what waited for an account that is disconnected, keeps its history, and holds later items rather than running dry', async () => {
    await service.pause('other-news');
    await feedWithNewItems(['other-news']);
    expect((await tasksOf('other-news')).map((t) => t.status)).toEqual(['pending', 'pending']);
    const state = await service.disconnectX('other-news');
    expect(state).toMatchObject({ id: 'other-news', connected: false });
    expect((await tasksOf('other-news')).map((t) => t.status)).toEqual(['cancelled', 'cancelled']);
    expect((await service.getState()).accounts?.map((a) => a.id)).toContain('other-news');
    items = [item(5), ...items];
    await service.pollNow();
    await service.resume();
    await postAll();
    expect((await tasksOf('other-news')).find((t) => t.itemTitle === 'Item 5')).toMatchObject({ status: 'pending', dryRun: false });
    expect(await queueOf('other-news')).toMatchObject({ paused: true });
    await expect(service.resume('other-news')).rejects.toMatchObject({ code: 'conflict' });
    expect(news.posts).toEqual([]);
  });

  it('routes a task command to the task’s own account', async () => {
    await service.pause();
    await feedWithNewItems(['default', 'other-brand']);
    const theirs = await tasksOf('other-brand');
    await service.cancelTask(theirs[0]!.id);
    expect(await service.retryTasks([theirs[0]!.id])).toBe(1);
    await expect(service.postTask(theirs[1]!.id)).rejects.toMatchObject({ code: 'conflict' });
    await service.resume('other-brand');
    await postAll();
    expect(brand.posts).toHaveLength(2);
    expect(me.posts).toEqual([]);
  });

  it('runs one account dry while the others post for real', async () => {
    await service.updateSettings({ dryRunAccounts: ['other-news'] });
    expect((await service.getState()).accounts?.map((a) => [a.id, a.dryRun])).toEqual([['default', false], ['other-brand', false], ['other-news', true]]);
    await feedWithNewItems(['default', 'other-news']);
    await postAll();
    expect(me.posts).toHaveLength(2);
    expect(news.posts).toEqual([]);
    expect((await tasksOf('other-news')).map((t) => [t.status, t.dryRun])).toEqual([['completed', true], ['completed', true]]);
    await expect(service.updateSettings({ dryRunAccounts: ['../x'] })).rejects.toMatchObject({ code: 'validation' });
  });
});
