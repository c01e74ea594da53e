// Review mode in the feed editor, the way a user meets it against a real `crier serve`: ticked
// when adding a feed, its first post waits in review (not posted), and unticked again later.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateSnapshot } from '../../preload/contract';
import { rssDocument, startFeedServer, type FeedServer } from '../support/feed-server';
import { callApi, startServeProcess, type ServeProcess } from '../support/serve-process';
import { launchChromium, watchPage, type PageWatch } from './support/browser';

const SOON = { timeout: 15_000 };

describe('review mode in the feed editor against crier serve', { timeout: 90_000 }, () => {
  let dir: string;
  let site: FeedServer;
  let serve: ServeProcess;
  let browser: Browser;
  let tab: Page;
  let watch: PageWatch;
  const state = (): Promise<StateSnapshot> => callApi<StateSnapshot>(serve, 'GET', '/api/state');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crier-review-feed-'));
    site = await startFeedServer({
      '/news.xml': { body: rssDocument({ title: 'Loopback News', items: [{ title: 'Needs a look', link: 'https://news.example.org/1', guid: 'n1' }] }) },
    });
    serve = await startServeProcess({ dataDir: join(dir, 'data') });
    await callApi(serve, 'PUT', '/api/settings', { minPostGapSeconds: 0 });
    browser = await launchChromium();
    tab = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    watch = await watchPage(tab);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await site?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps a new feed’s posts for review when its box is ticked', async () => {
    await tab.goto(serve.line.replace(/^Crier listening on /, '').replace('/?', '/settings.html?'));
    await tab.locator('body[data-status="ready"]').waitFor();
    await tab.getByRole('button', { name: 'Add feed' }).click();
    const form = tab.locator('.feed-add-card');
    await form.getByLabel('Feed URL').fill(site.url('/news.xml'));
    await form.getByLabel('Feed URL').press('Enter');
    await expect.poll(() => form.locator('.preview-post-text').count(), SOON).toBe(1);
    await form.getByLabel('On the first check, post the newest').fill('1');
    await form.getByLabel('Review each post before it goes out').check();
    await form.getByRole('button', { name: 'Add feed' }).click();
    await expect.poll(() => form.count(), SOON).toBe(0);
    expect((await state()).feeds[0]!.review).toBe(true);
    await expect.poll(async () => (await state()).tasks.map((t) => [t.itemTitle, t.status]), SOON).toEqual([['Needs a look', 'review']]);
  });

  it('turns review mode off for the feed', async () => {
    const card = tab.locator('.feed-card', { hasText: 'Loopback News' });
    await card.getByRole('button', { name: /^Edit/ }).click();
    const form = tab.locator('form.feed-form').first();
    await form.getByLabel('Review each post before it goes out').uncheck();
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(async () => (await state()).feeds[0]!.review ?? false, SOON).toBe(false);
    expect(watch.problems).toEqual([]);
  });
});
