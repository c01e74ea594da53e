// UTM tags per feed, the way a user meets them: typed in the feed editor against a real
// `crier serve`, seen in the preview, saved, and posted (dry run) on the link only.
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

describe('UTM tags in the feed editor against crier serve', { timeout: 90_000 }, () => {
  let dir: string;
  let site: FeedServer;
  let serve: ServeProcess;
  let browser: Browser;
  let tab: Page;
  let watch: PageWatch;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crier-utm-'));
    site = await startFeedServer({
      '/news.xml': { body: rssDocument({ title: 'Loopback News', items: [{ title: 'Launch day', link: 'https://news.example.org/launch?ref=rss#top', guid: 'n1' }] }) },
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

  it('previews and posts the tagged link while the task keeps the feed’s own link', async () => {
    await tab.goto(serve.line.replace(/^Crier listening on /, '').replace('/?', '/settings.html?'));
    await tab.locator('body[data-status="ready"]').waitFor();
    await tab.getByRole('button', { name: 'Add feed' }).click();
    const form = tab.locator('.feed-add-card');
    await form.getByLabel('Feed URL').fill(site.url('/news.xml'));
    await form.getByLabel('Feed URL').press('Enter');
    await expect.poll(() => form.locator('.preview-post-text').allTextContents(), SOON).toEqual(['Launch day https://news.example.org/launch?ref=rss#top']);

    await form.getByText('Link tracking (UTM tags)').click();
    await form.getByLabel('utm_source').fill('crier');
    await form.getByLabel('utm_campaign').fill('{feed}');
    const tagged = 'https://news.example.org/launch?ref=rss&utm_source=crier&utm_campaign=Loopback%20News#top';
    await expect.poll(() => form.locator('.preview-post-text').allTextContents(), SOON).toEqual([`Launch day ${tagged}`]);

    await form.getByLabel('On the first check, post the newest').fill('1');
    await form.getByRole('button', { name: 'Add feed' }).click();
    await expect.poll(() => form.count(), SOON).toBe(0);
    const state = (): Promise<StateSnapshot> => callApi<StateSnapshot>(serve, 'GET', '/api/state');
    expect((await state()).feeds[0]!.utm).toEqual({ source: 'crier', campaign: '{feed}' });
    await expect.poll(async () => (await state()).tasks.map((t) => [t.text, t.itemLink]), SOON)
      .toEqual([[`Launch day ${tagged}`, 'https://news.example.org/launch?ref=rss#top']]);
    expect(watch.problems).toEqual([]);
  });

  it('refuses a tag that fills in another placeholder, next to its box', async () => {
    const card = tab.locator('.feed-card', { hasText: 'Loopback News' });
    await card.getByRole('button', { name: /Edit/ }).first().click();
    const form = tab.locator('form.feed-form').first();
    await form.getByLabel('utm_medium').fill('{title}');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => form.locator('[id$="-utm-medium-error"]').textContent(), SOON).toBe('The utm_medium tag can fill in only {feed} and {date}.');
  });
});
