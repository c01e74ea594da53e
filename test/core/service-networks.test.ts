// Beyond X (issue 18): Bluesky and Mastodon accounts connected beside the X account, each a queue
// of its own, posting a feed's items once on each network through loopback fakes of a Bluesky
// PDS and a Mastodon instance — a lost answer retried under the same key, never posted twice.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Task } from '../../preload/contract';
import { createFeedParser } from '../../main/core/feeds/executor';
import { createNetworkAccounts, withNetworkAccounts, type NetworkAccounts } from '../../main/core/network-accounts';
import { isValidTid } from '../../main/core/networks/bluesky/tid';
import { silentLogger } from '../../main/core/ports';
import { createAppService, type EngineService } from '../../main/core/service';
import { openStore } from '../../main/core/store/index';
import type { SecretValueStore } from '../../main/core/x/oauth2/token-vault';
import type { PostRequest } from '../../main/core/x/types';
import { postingAccount } from '../support/engine-runs';
import { startFakeBluesky, type FakeBluesky } from '../support/fake-bluesky';
import { createFakeClock, type FakeClock } from '../support/fake-clock';
import { startFakeMastodon, type FakeMastodon } from '../support/fake-mastodon';
import { rssDocument, startFeedServer, type FeedServer, type RssItemSpec } from '../support/feed-server';

const SOON = { timeout: 15_000, interval: 20 };

let dir: string;
let server: FeedServer;
let bluesky: FakeBluesky;
let mastodon: FakeMastodon;
let items: RssItemSpec[];
let clock: FakeClock;
let service: EngineService;
let xPosts: PostRequest[];
let vault: { value: unknown } & SecretValueStore;
let networks: NetworkAccounts;

const item = (n: number): RssItemSpec => ({ title: `Item ${n}`, link: `https://example.com/posts/${n}`, guid: `guid-${n}`, pubDate: new Date(Date.UTC(2026, 0, n)).toUTCString() });

function memoryVault(): { value: unknown } & SecretValueStore {
  const v = { value: null as unknown, async read() { return v.value; }, async write(next: unknown) { v.value = JSON.parse(JSON.stringify(next)); } };
  return v;
}

async function start(): Promise<void> {
  networks = createNetworkAccounts({ store: vault, log: silentLogger, clock, secretsProtected: true, allowLoopback: true });
  await networks.restore();
  service = createAppService({
    clock, log: silentLogger, store: openStore(dir, { clock, log: silentLogger }), parser: createFeedParser({ workers: 1 }),
    account: withNetworkAccounts(postingAccount(xPosts), networks), random: () => 0.5,
  });
  service.start();
}

/** Real network requests to the fakes: the fake clock moves, and real time passes for the answers. */
async function postAll(until: () => boolean): Promise<void> {
  await vi.waitFor(async () => {
    await clock.tick(1000);
    await clock.settle();
    expect(until()).toBe(true);
  }, SOON);
}

const tasksOf = async (accountId: string): Promise<Task[]> => (await service.getState()).tasks.filter((t) => (t.accountId ?? 'default') === accountId);

async function connectBoth(): Promise<{ bsky: string; masto: string }> {
  const bsky = await service.connectBluesky({ identifier: bluesky.account.handle, appPassword: bluesky.account.appPassword, service: bluesky.url });
  const masto = await service.connectMastodon({ instanceUrl: mastodon.url, accessToken: mastodon.token });
  return { bsky: bsky.id!, masto: masto.id! };
}

async function feedTo(accountIds: string[]): Promise<void> {
  const feed = await service.addFeed({ url: server.url('/feed.xml'), accountIds });
  await vi.waitFor(async () => expect((await service.getState()).feeds[0]?.health.lastStatus).toBe(200), SOON);
  items = [item(3), item(2), item(1)];
  await service.pollNow(feed.id);
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crier-networks-'));
  items = [item(2), item(1)];
  server = await startFeedServer({ '/feed.xml': { body: () => rssDocument({ title: 'Example', items }) } });
  bluesky = await startFakeBluesky();
  mastodon = await startFakeMastodon();
  clock = createFakeClock();
  xPosts = [];
  vault = memoryVault();
  await start();
  await service.updateSettings({ minPostGapSeconds: 0 });
});

afterEach(async () => {
  await service.close();
  await Promise.all([server.close(), bluesky.close(), mastodon.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('Bluesky and Mastodon accounts', () => {
  it('connect beside the X account with their handles, kept encrypted apart from the settings and across a restart', async () => {
    const { bsky, masto } = await connectBoth();
    const state = await service.getState();
    expect(state.accounts?.map((a) => [a.id, a.network ?? 'x', a.handle, a.connected])).toEqual([
      ['default', 'x', null, true], [bsky, 'bluesky', bluesky.account.handle, true], [masto, 'mastodon', `${mastodon.username}@${new URL(mastodon.url).host}`, true],
    ]);
    expect(JSON.stringify(state)).not.toContain(bluesky.account.appPassword);
    expect(JSON.stringify(state)).not.toContain(mastodon.token);
    await service.close();
    await start();
    expect((await service.getState()).accounts?.map((a) => a.id)).toEqual(['default', bsky, masto]);
  });

  it('refuses a wrong app password and a wrong token, naming the field, and keeps nothing', async () => {
    await expect(service.connectBluesky({ identifier: bluesky.account.handle, appPassword: 'wrong-pass-word-0000', service: bluesky.url }))
      .rejects.toMatchObject({ code: 'validation', field: 'appPassword' });
    await expect(service.connectMastodon({ instanceUrl: mastodon.url, accessToken: 'not-the-token' }))
      .rejects.toMatchObject({ code: 'validation', field: 'accessToken' });
    expect((await service.getState()).accounts?.map((a) => a.id)).toEqual(['default']);
    expect(vault.value).toBeNull();
  });

  it('posts a feed’s new item once on X, once on Bluesky under a TID record key, and once on Mastodon with an idempotency key', async () => {
    const { bsky, masto } = await connectBoth();
    await feedTo(['default', bsky, masto]);
    await postAll(() => xPosts.length === 1 && bluesky.records().length === 1 && mastodon.live().length === 1);
    expect(xPosts[0]?.text).toBe('Item 3 https://example.com/posts/3');
    expect(bluesky.records()[0]?.value.text).toBe('Item 3 https://example.com/posts/3');
    expect(isValidTid(bluesky.records()[0]!.rkey)).toBe(true);
    expect(mastodon.live()[0]?.idempotencyKey).toEqual(expect.any(String));
    const [bt] = await tasksOf(bsky);
    expect(bt).toMatchObject({ status: 'completed', postUrl: expect.stringContaining('bsky.app') });
    const [mt] = await tasksOf(masto);
    expect(mt).toMatchObject({ status: 'completed', postUrl: expect.stringContaining(mastodon.url) });
    // Bluesky and Mastodon bill nothing: only X's post is spent.
    const { queues } = await service.getState();
    expect(queues?.[bsky]?.spend?.month.usd).toBe(0);
    expect(queues?.default?.spend?.month.posts).toBe(1);
  });

  it('posts once on each network when the first answer is lost after the post was made', async () => {
    const { bsky, masto } = await connectBoth();
    bluesky.inject({ type: 'drop-after-record' }, { nsid: 'com.atproto.repo.createRecord' });
    mastodon.inject({ type: 'drop-after-record' });
    await service.updateSettings({ retryBaseSeconds: 1 });
    await feedTo([bsky, masto]);
    await postAll(() => bluesky.records().length === 1 && mastodon.live().length === 1);
    await vi.waitFor(async () => {
      await clock.tick(5000);
      await clock.settle();
      expect([...(await tasksOf(bsky)), ...(await tasksOf(masto))].map((t) => t.status)).toEqual(['completed', 'completed']);
    }, SOON);
    expect(bluesky.records()).toHaveLength(1);
    expect(mastodon.live()).toHaveLength(1);
  });

  it('composes each network’s post with its own template, cut to that network’s own limit', async () => {
    const { bsky, masto } = await connectBoth();
    const long = 'word '.repeat(150).trim();
    const feed = await service.addFeed({
      url: server.url('/feed.xml'), accountIds: ['default', bsky, masto], template: '{title} {link}',
      templates: { bluesky: '{title} (via Bluesky) {link}', mastodon: '{title}: {summary} {link}' },
    });
    await vi.waitFor(async () => expect((await service.getState()).feeds[0]?.health.lastStatus).toBe(200), SOON);
    items = [{ ...item(3), description: long }, item(2), item(1)];
    await service.pollNow(feed.id);
    await postAll(() => xPosts.length === 1 && bluesky.records().length === 1 && mastodon.live().length === 1);
    expect(xPosts[0]?.text).toBe('Item 3 https://example.com/posts/3');
    expect(bluesky.records()[0]?.value.text).toBe('Item 3 (via Bluesky) https://example.com/posts/3');
    const toot = mastodon.live()[0]!.text;
    expect(toot.startsWith('Item 3: word word')).toBe(true);
    expect(toot.endsWith('… https://example.com/posts/3')).toBe(true);
    // Mastodon counts the link as 23 of its 500: the summary was cut to fit, not dropped.
    expect(toot.length - 'https://example.com/posts/3'.length + 23).toBeLessThanOrEqual(500);
    expect(toot.length).toBeGreaterThan(400);
  });

  it('refuses a network template that breaks the template rules, naming its field', async () => {
    await expect(service.addFeed({ url: server.url('/feed.xml'), templates: { mastodon: '{titel}' } }))
      .rejects.toMatchObject({ code: 'validation', issues: [expect.objectContaining({ field: 'templates.mastodon' })] });
  });

  it('previews each network’s post beside X’s, with its own count and limit', async () => {
    await connectBoth();
    const result = await service.previewFeed(server.url('/feed.xml'), { template: '{title} {link}', templates: { bluesky: '{title} (Bluesky) {link}' } });
    expect(result.posts[0]).toMatchObject({
      text: 'Item 2 https://example.com/posts/2',
      networks: [
        { network: 'bluesky', text: 'Item 2 (Bluesky) https://example.com/posts/2', length: 44, limit: 300 },
        { network: 'mastodon', text: 'Item 2 https://example.com/posts/2', length: 30, limit: 500 },
      ],
    });
  });

  it('previews X alone while no other network is connected', async () => {
    const result = await service.previewFeed(server.url('/feed.xml'));
    expect(result.posts[0]?.networks).toBeUndefined();
  });

  it('connects a Bluesky account again under its id when its app password was revoked, and its held post goes out', async () => {
    const { bsky } = await connectBoth();
    bluesky.setAppPassword('new1-pass-word-2345');
    bluesky.expireAccessTokens();
    bluesky.expireRefreshTokens();
    await feedTo([bsky]);
    await vi.waitFor(async () => {
      await clock.tick(1000);
      await clock.settle();
      expect((await service.getState()).queues?.[bsky]).toMatchObject({ paused: true, pauseReason: 'auth' });
    }, SOON);
    expect(bluesky.records()).toEqual([]);
    const again = await service.connectBluesky({ identifier: bluesky.account.handle, appPassword: 'new1-pass-word-2345', service: bluesky.url, accountId: bsky });
    expect(again).toMatchObject({ id: bsky, connected: true });
    await postAll(() => bluesky.records().length === 1);
    expect((await service.getState()).accounts?.map((a) => a.id)).toEqual(['default', bsky, expect.stringMatching(/^masto-/)]);
    await expect(service.connectMastodon({ instanceUrl: mastodon.url, accessToken: mastodon.token, accountId: bsky })).rejects.toMatchObject({ code: 'validation', field: 'accountId' });
  });
});
