// Several accounts against a real `crier serve` in Chromium (issue 16): the first account signs in
// with OAuth 2.0, a second one is added beside it from Settings → Account, a feed posts to both —
// one post on each, through the HTTPS fake of X, each with its own access token — and the tasks
// window shows one account's tasks when asked.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateSnapshot } from '../../preload/contract';
import { rssDocument, startFeedServer, type FeedServer, type RssItemSpec } from '../support/feed-server';
import { startFakeXOAuth, type FakeXOAuth } from '../support/fake-x-oauth';
import { startFakeBluesky, type FakeBluesky } from '../support/fake-bluesky';
import { startFakeMastodon, type FakeMastodon } from '../support/fake-mastodon';
import { callApi, type ServeProcess } from '../support/serve-process';
import type { PageWatch } from './support/browser';
import { startOAuth2Serve, type OAuth2Serve } from './support/oauth2-serve';
import { freePort } from '../support/free-port';

const BRAND_APP = 'fake-brand-client-id-7a6b';

describe('several accounts under crier serve', () => {
  let dir: string;
  let fake: FakeXOAuth;
  let feeds: FeedServer;
  let bluesky: FakeBluesky;
  let mastodon: FakeMastodon;
  let items: RssItemSpec[] = [{ title: 'Hello both', link: 'https://example.com/hello', guid: 'hello' }];
  let serve: ServeProcess;
  let running: OAuth2Serve | undefined;
  let page: Page;
  let watch: PageWatch;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crier-accounts-serve-'));
    const port = await freePort();
    const redirectUri = `http://127.0.0.1:${port}/oauth2/callback`;
    fake = await startFakeXOAuth({ redirectUri });
    fake.addApp({ clientId: BRAND_APP, clientSecret: null, redirectUris: [redirectUri], username: 'crier_brand' });
    feeds = await startFeedServer({
      '/feed.xml': { body: () => rssDocument({ title: 'Example', items }) },
    });
    // HTTPS fakes of a Bluesky PDS and a Mastodon instance (the same test certificate as X's fake).
    bluesky = await startFakeBluesky({ tls: true });
    mastodon = await startFakeMastodon({ tls: true });
    running = await startOAuth2Serve(dir, fake, port);
    ({ serve, page, watch } = running);
  }, 90_000);

  afterAll(async () => {
    await running?.stop();
    await feeds?.close();
    await bluesky?.close();
    await mastodon?.close();
    await fake?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('adds a second account beside the first from Settings, each signed in through X', async () => {
    await page.locator('#oauth2-client-id').fill(fake.publicApp.clientId);
    await page.getByRole('button', { name: 'Connect with X' }).click();
    await page.waitForURL(/\/settings\.html#account$/, { timeout: 30_000 });
    await page.locator('body[data-status="ready"]').waitFor();
    await expect.poll(() => page.locator('#account .account-title').first().textContent(), { timeout: 15_000 }).toBe('Connected as @crier_test');

    await page.getByRole('button', { name: 'Add another X account' }).click();
    await page.locator('#add-oauth2-client-id').fill(BRAND_APP);
    await page.locator('#add-oauth2-connect').click();
    await page.waitForURL(/\/settings\.html#account$/, { timeout: 30_000 });
    await page.locator('body[data-status="ready"]').waitFor();
    await expect.poll(() => page.locator('#other-accounts .other-account strong').allTextContents(), { timeout: 15_000 }).toEqual(['@crier_brand']);
    // The first account is still the first, untouched.
    expect(await page.locator('#account .account-title').first().textContent()).toBe('Connected as @crier_test');
    expect(watch.problems).toEqual([]);
  });

  it('posts a feed ticked for both accounts once on each, through each account’s own sign-in', async () => {
    const state = await callApi<StateSnapshot>(serve, 'GET', '/api/state');
    const ids = state.accounts!.map((a) => a.id!);
    expect(ids[0]).toBe('default');
    await callApi(serve, 'PUT', '/api/settings', { minPostGapSeconds: 0 });
    await callApi(serve, 'POST', '/api/feeds', { url: feeds.url('/feed.xml'), backfill: 1, accountIds: ids });
    await expect.poll(() => fake.posts.length, { timeout: 30_000 }).toBe(2);
    expect(fake.posts.map((p) => p.text)).toEqual(['Hello both https://example.com/hello', 'Hello both https://example.com/hello']);
    expect(new Set(fake.posts.map((p) => p.accessToken)).size).toBe(2);
    const after = await callApi<StateSnapshot>(serve, 'GET', '/api/state');
    expect(after.tasks.map((t) => [t.accountId ?? 'default', t.status]).sort()).toEqual([[ids[0], 'completed'], [ids[1], 'completed']].sort());
  });

  it('shows the feed’s accounts ticked under “Post to”, and one account’s tasks in the tasks window', async () => {
    await page.locator('.feed-card [data-action="edit"]').first().click();
    const boxes = page.locator('.account-choices input[type="checkbox"]');
    await expect.poll(() => boxes.count()).toBe(2);
    expect(await boxes.evaluateAll((els) => els.map((e) => (e as HTMLInputElement).checked))).toEqual([true, true]);
    expect(await page.locator('.account-choices').textContent()).toContain('@crier_brand');

    await page.goto(`${serve.url}tasks.html?token=${serve.token}`);
    await page.locator('body[data-status="ready"]').waitFor();
    const rows = page.locator('#list .task');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
    await page.locator('#account-filter').selectOption({ label: '@crier_brand' });
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('@crier_brand');
    expect(watch.problems).toEqual([]);
  });

  it('adds a Bluesky and a Mastodon account from their forms, and posts the feed’s next item there too, once each', async () => {
    await page.goto(`${serve.url}settings.html?token=${serve.token}#account`);
    await page.locator('body[data-status="ready"]').waitFor();
    await page.locator('#add-bluesky').click();
    await page.locator('#bluesky-identifier').fill(bluesky.account.handle);
    await page.locator('#bluesky-app-password').fill(bluesky.account.appPassword);
    await page.locator('#bluesky-service').fill(bluesky.url);
    await page.locator('#bluesky-form-connect').click();
    await expect.poll(() => page.locator('#other-accounts .other-account strong').allTextContents(), { timeout: 15_000 })
      .toEqual(['@crier_brand', `@${bluesky.account.handle} (Bluesky)`]);
    await page.locator('#add-mastodon').click();
    await page.locator('#mastodon-instance').fill(mastodon.url);
    await page.locator('#mastodon-token').fill(mastodon.token);
    await page.locator('#mastodon-form-connect').click();
    await expect.poll(() => page.locator('#other-accounts .other-account strong').count(), { timeout: 15_000 }).toBe(3);
    expect(await page.locator('#other-accounts').textContent()).toContain('(Mastodon)');

    // The feed's preview shows its post on each network side by side, with each network's count.
    await page.locator('.feed-card [data-action="edit"]').first().click();
    const networks = page.locator('.preview-post').first().locator('.preview-network');
    await expect.poll(() => networks.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.network)), { timeout: 15_000 }).toEqual(['bluesky', 'mastodon']);
    expect(await networks.first().locator('.weight').textContent()).toMatch(/^\d+\/300$/);
    expect(await networks.last().locator('.weight').textContent()).toMatch(/^\d+\/500$/);
    expect(await page.locator('.network-templates').count()).toBe(1);

    const state = await callApi<StateSnapshot>(serve, 'GET', '/api/state');
    expect(JSON.stringify(state)).not.toContain(bluesky.account.appPassword);
    expect(JSON.stringify(state)).not.toContain(mastodon.token);
    const ids = state.accounts!.map((a) => a.id!);
    await callApi(serve, 'PATCH', `/api/feeds/${state.feeds[0]!.id}`, { accountIds: ids });
    items = [{ title: 'Hello everyone', link: 'https://example.com/everyone', guid: 'everyone' }, ...items];
    await callApi(serve, 'POST', '/api/poll');
    await expect.poll(() => [fake.posts.length, bluesky.records().length, mastodon.live().length], { timeout: 30_000 }).toEqual([4, 1, 1]);
    expect(bluesky.records()[0]?.value.text).toBe('Hello everyone https://example.com/everyone');
    expect(mastodon.live()[0]?.text).toContain('Hello everyone');
    expect(watch.problems).toEqual([]);
  });
});
