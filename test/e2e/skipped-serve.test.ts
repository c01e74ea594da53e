// A feed card's "Skipped" section in Chromium against a real `crier serve` (built dist/cli.js) and
// a loopback feed server: the skipped log's entries for the feed (reason, title, when), and "Post
// anyway" turning one into a task, after which it leaves the list.
import type { Page } from 'playwright-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Feed, StateSnapshot } from '../../preload/contract';
import { rssDocument, type FeedServer, type RssItemSpec } from '../support/feed-server';
import { callApi, type ServeProcess } from '../support/serve-process';
import type { PageWatch } from './support/browser';
import { useServeSuite } from './support/serve-suite';

const item = (n: number, title: string): RssItemSpec => ({
  title, link: `https://news.example.org/${n}`, guid: `n${n}`, pubDate: new Date(Date.UTC(2026, 2, 1, n)).toUTCString(),
});

describe('the skipped log in the settings window against crier serve', () => {
  let items: RssItemSpec[] = [item(1, 'Old news')];
  const suite = useServeSuite({
    name: 'skipped-e2e', routes: { '/feed.xml': { body: () => rssDocument({ title: 'Loopback News', items }) } },
  });
  let feeds: FeedServer;
  let serve: ServeProcess;
  let page: Page;
  let watch: PageWatch;
  let feed: Feed;

  const state = (): Promise<StateSnapshot> => callApi<StateSnapshot>(serve, 'GET', '/api/state');

  beforeAll(async () => {
    ({ site: feeds, serve, tab: page, watch } = suite);
    feed = await callApi<Feed>(serve, 'POST', '/api/feeds', { url: feeds.url('/feed.xml'), exclude: ['sponsored'], template: '{title} {link}' });
    await vi.waitFor(async () => expect((await state()).feeds[0]?.health.lastStatus).toBe(200), { timeout: 15_000, interval: 50 });
    items = [item(3, 'Sponsored: the best chairs'), item(2, 'أخبار المشروع'), item(1, 'Old news')];
    await callApi(serve, 'POST', `/api/feeds/${feed.id}/poll`);
    await suite.open('settings.html');
  }, 90_000);

  afterEach(() => {
    expect(watch.problems).toEqual([]);
  });

  it('lists the feed\'s skipped items, newest first, with their reasons and times', async () => {
    const section = page.locator('.feed-card', { hasText: 'Loopback News' }).locator('.feed-skips');
    await section.locator('summary').click();
    await expect.poll(() => section.locator('summary').textContent()).toBe('Skipped (2)');
    const rows = section.locator('li');
    expect(await rows.locator('.feed-skip-title').allTextContents()).toEqual(['Sponsored: the best chairs', 'Old news']);
    expect(await rows.nth(0).locator('.feed-skip-reason').textContent()).toMatch(/sponsored/);
    expect(await rows.nth(1).locator('.feed-skip-reason').textContent()).toMatch(/baseline/);
    expect(await rows.nth(0).locator('.feed-skip-title').getAttribute('dir')).toBe('auto');
    expect(await rows.nth(0).locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    // The item that passed the filter was posted, so it is not listed.
    expect((await state()).tasks.map((t) => t.itemTitle)).toEqual(['أخبار المشروع']);
  });

  it('posts an item anyway: it becomes a task with the feed\'s template and leaves the list', async () => {
    const section = page.locator('.feed-card', { hasText: 'Loopback News' }).locator('.feed-skips');
    await section.getByRole('button', { name: 'Post anyway: Sponsored: the best chairs' }).click();
    await expect.poll(() => section.locator('summary').textContent()).toBe('Skipped (1)');
    expect(await section.locator('.feed-skip-title').allTextContents()).toEqual(['Old news']);
    await expect.poll(async () => page.locator('.toast').allTextContents()).toContainEqual(expect.stringContaining('Queued “Sponsored: the best chairs” to post.'));
    const task = (await state()).tasks.find((t) => t.itemTitle === 'Sponsored: the best chairs');
    expect(task?.text).toBe('Sponsored: the best chairs https://news.example.org/3');
    expect((await callApi<unknown[]>(serve, 'GET', `/api/skipped?feedId=${feed.id}`)).length).toBe(1);
  });
});
