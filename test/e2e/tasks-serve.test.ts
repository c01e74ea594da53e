// The tasks window in Chromium against a real `crier serve` (built dist/cli.js), a loopback
// feed server and the fake X API: the whole path from feed item to post, through HTTP + SSE.
import type { Page } from 'playwright-core';
import type { StateSnapshot } from '../../preload/contract';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callApi, type ServeProcess } from '../support/serve-process';
import { rssDocument, type FeedServer, type RssItemSpec } from '../support/feed-server';
import type { FakeXApi } from '../support/fake-x-api';
import type { PageWatch } from './support/browser';
import { useServeSuite } from './support/serve-suite';


const REJECTED = 'The text of your Tweet is not allowed (fake X says 400).';

describe('the tasks window against crier serve', () => {
  let x: FakeXApi;
  let feeds: FeedServer;
  let serve: ServeProcess;
  let page: Page;
  let watch: PageWatch;
  let items: RssItemSpec[] = [];
  const suite = useServeSuite({
    name: 'tasks-serve', x: {}, viewport: { width: 1100, height: 900 }, settings: { minPostGapSeconds: 0, maxAttempts: 1 },
    routes: { '/feed.xml': { body: () => rssDocument({ title: 'Loopback News', items }) } },
  });

  const api = (method: string, path: string, body?: unknown): Promise<unknown> => callApi(serve, method, path, body);
  const row = (title: string) => page.locator('.task', { has: page.locator('.task-title', { hasText: title }) });
  const statusOf = (title: string) => row(title).locator('.status-word').textContent();

  beforeAll(async () => {
    ({ x, site: feeds, serve, tab: page, watch } = suite);
    await suite.open('tasks.html');
  }, 90_000);

  afterEach(() => {
    expect(watch.problems).toEqual([]);
  });

  it('drops the token from the address and shows the empty state of a new install', async () => {
    expect(page.url()).not.toContain('token=');
    expect(await page.locator('.empty-title').textContent()).toBe('No feeds yet');
  });

  it('shows tasks appear and complete live, and a 400 as failed with its message', async () => {
    await api('POST', '/api/feeds', { url: feeds.url('/feed.xml') });
    await expect.poll(() => page.locator('.empty-title').textContent()).toBe('Nothing to post yet');
    // The first poll is the baseline: the items it finds are marked seen. Only after it are
    // new items new.
    await expect.poll(async () => ((await api('GET', '/api/state')) as StateSnapshot).feeds[0]?.health.lastStatus, { timeout: 20_000 }).toBe(200);
    items = [
      { title: 'First loopback story', link: `${feeds.origin}/1`, guid: 'g1' },
      { title: 'Second loopback story', link: `${feeds.origin}/2`, guid: 'g2' },
      // Escaped twice in the XML, so after tag stripping and one decode the title is literal markup.
      { title: '&lt;img src=x onerror=alert(1)&gt; &lt;script&gt;alert(2)&lt;/script&gt;', link: 'javascript:alert(3)', guid: 'g3' },
    ];
    x.inject({ type: 'status', status: 400, detail: REJECTED }, { path: '/2/tweets', method: 'POST', times: 1 });
    await page.getByRole('button', { name: 'Check feeds now' }).click();
    await expect.poll(() => page.locator('.task').count(), { timeout: 20_000 }).toBe(3);
    await expect.poll(() => page.locator('.filter-completed .filter-count').textContent(), { timeout: 20_000 }).toBe('2');
    expect(await page.locator('.filter-failed .filter-count').textContent()).toBe('1');
    const failed = page.locator('.task-failed');
    expect(await failed.locator('.task-error').textContent()).toContain(REJECTED);
    expect(await page.locator('.task-title', { hasText: '<img src=x onerror=alert(1)>' }).count()).toBe(1);
    expect(await row('<img src=x').getByRole('link', { name: /Open article/ }).count()).toBe(0);
    expect(await page.locator('main img').count()).toBe(0);
  });

  it('retries the failed task from its row until it completes', async () => {
    const title = await page.locator('.task-failed .task-title').textContent();
    await page.locator('.task-failed').getByRole('button', { name: /^Retry/ }).click();
    await expect.poll(() => statusOf(title ?? ''), { timeout: 20_000 }).toBe('Posted');
    expect(await row(title ?? '').getByRole('link', { name: /Open post/ }).count()).toBe(1);
    expect(x.posts.length).toBe(3);
  });

  it('pauses and resumes from the banner, and cancels a pending task meanwhile', async () => {
    await page.locator('#pause-toggle').click();
    await expect.poll(() => page.locator('#banners .banner-title').textContent()).toBe('Posting is paused');
    items = [...items, { title: 'Held while paused', link: `${feeds.origin}/4`, guid: 'g4' }, { title: 'Posted after resume', link: `${feeds.origin}/5`, guid: 'g5' }];
    await api('POST', '/api/poll', {});
    await expect.poll(() => statusOf('Held while paused'), { timeout: 20_000 }).toBe('Pending');
    await row('Held while paused').getByRole('button', { name: /^Cancel/ }).click();
    await expect.poll(() => statusOf('Held while paused')).toBe('Cancelled');
    await page.locator('#banners').getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => page.locator('#banners .banner').count()).toBe(0);
    await expect.poll(() => statusOf('Posted after resume'), { timeout: 20_000 }).toBe('Posted');
    expect(x.posts.map((p) => p.text).some((t) => t.includes('Held while paused'))).toBe(false);
  });
});
