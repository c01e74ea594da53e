// The tasks window's list-level features in Chromium against a real `crier serve` (built
// dist/cli.js), loopback feed servers and the fake X API: the per-feed view with the engine's
// counts, spend, export through the HTTP route, bulk Cancel with Undo, and Remove from history
// leaving the day's count as it was.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { StateSnapshot } from '../../preload/contract';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callApi, startServeProcess, type ServeProcess } from '../support/serve-process';
import { rssDocument, startFeedServer, type FeedServer, type RssItemSpec } from '../support/feed-server';
import { childEnvFor, startFakeXApi, type FakeXApi } from '../support/fake-x-api';
import { launchChromium, watchPage, type PageWatch } from './support/browser';

describe('the task list against crier serve', () => {
  let dir: string;
  let x: FakeXApi;
  let feeds: FeedServer;
  let serve: ServeProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let watch: PageWatch;
  let news: RssItemSpec[] = [];
  let notes: RssItemSpec[] = [];

  const api = (method: string, path: string, body?: unknown): Promise<unknown> => callApi(serve, method, path, body);
  const state = async (): Promise<StateSnapshot> => (await api('GET', '/api/state')) as StateSnapshot;
  const row = (title: string) => page.locator('.task', { has: page.locator('.task-title, .task-text', { hasText: title }) });
  const statusOf = (title: string) => row(title).locator('.status-word').textContent();
  const pick = async (title: string): Promise<void> => {
    const r = row(title);
    const box = (await r.boundingBox())!;
    await r.click({ position: { x: box.width - 6, y: box.height - 4 } });
  };

  /** Polls `fn` until it answers true (expect.poll is for tests only, not hooks). */
  const until = async (fn: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> => {
    const end = Date.now() + timeoutMs;
    while (!(await fn())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crier-tasks-list-serve-'));
    x = await startFakeXApi();
    feeds = await startFeedServer({
      '/news.xml': { body: () => rssDocument({ title: 'Loopback News', items: news }) },
      '/notes.xml': { body: () => rssDocument({ title: 'Loopback Notes', items: notes }) },
    });
    serve = await startServeProcess({ dataDir: join(dir, 'data'), env: childEnvFor(x, dir) });
    await api('PUT', '/api/settings', { minPostGapSeconds: 0, maxAttempts: 1 });
    await api('POST', '/api/feeds', { url: feeds.url('/news.xml') });
    await api('POST', '/api/feeds', { url: feeds.url('/notes.xml') });
    // The first poll of each feed is its baseline: only items after it are posted.
    await until(async () => (await state()).feeds.every((f) => f.health.lastStatus === 200), 'the baseline polls');
    news = [
      { title: 'News story one', link: `${feeds.origin}/n1`, guid: 'n1' },
      { title: 'News story two', link: `${feeds.origin}/n2`, guid: 'n2' },
    ];
    notes = [{ title: 'A field note', link: `${feeds.origin}/f1`, guid: 'f1' }];
    await api('POST', '/api/poll', {});
    await until(async () => (await state()).queue.counts.completed === 3, 'three posts');
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1100, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    watch = await watchPage(page);
    await page.goto(serve.line.replace(/^Crier listening on /, '').replace('/?', '/tasks.html?'));
    await page.locator('body[data-status="ready"]').waitFor();
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await serve?.stop();
    await feeds?.close();
    await x?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  afterEach(() => {
    expect(watch.problems).toEqual([]);
  });

  it('shows one feed’s tasks with the engine’s counts per feed, and the day’s posts with their cost', async () => {
    await expect.poll(() => page.locator('.task').count()).toBe(3);
    const select = page.getByRole('combobox', { name: 'Feed' });
    await expect.poll(() => select.locator('option').allTextContents()).toEqual(['All feeds', 'Loopback News (2 posted)', 'Loopback Notes (1 posted)']);
    await select.selectOption({ label: 'Loopback Notes (1 posted)' });
    await expect.poll(() => page.locator('.task').count()).toBe(1);
    expect(await row('A field note').count()).toBe(1);
    await select.selectOption('');
    await expect.poll(() => page.locator('.task').count()).toBe(3);
    // Three live posts, priced by the engine's ledger; the page formats its figures.
    const { spend } = (await state()).queue;
    expect(spend?.today.posts).toBe(3);
    const usd = (n: number): string => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(n);
    await expect.poll(() => page.locator('#spend').textContent()).toBe(`Today 3 posts · ${usd(spend!.today.usd)} · Month 3 posts · ${usd(spend!.month.usd)}`);
  });

  it('exports the history as CSV through the server, named for the day', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^crier-tasks-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = await readFile((await download.path())!, 'utf8');
    const lines = text.trim().split(/\r?\n/);
    expect(lines).toHaveLength(4);
    for (const title of ['News story one', 'News story two', 'A field note']) expect(text).toContain(title);
  });

  it('cancels selected pending tasks together, and Undo puts them back in the queue', async () => {
    await api('POST', '/api/pause', {});
    news = [...news, { title: 'Held news', link: `${feeds.origin}/n3`, guid: 'n3' }];
    notes = [...notes, { title: 'Held note', link: `${feeds.origin}/f2`, guid: 'f2' }];
    await api('POST', '/api/poll', {});
    await expect.poll(() => page.locator('.filter-pending .filter-count').textContent(), { timeout: 20_000 }).toBe('2');
    await page.getByRole('button', { name: 'Select', exact: true }).click();
    await pick('Held news');
    await pick('Held note');
    await expect.poll(() => page.locator('#selected-count').textContent()).toBe('2 selected');
    await page.locator('#bulk-cancel').click();
    await expect.poll(() => statusOf('Held news')).toBe('Cancelled');
    await expect.poll(() => statusOf('Held note')).toBe('Cancelled');
    await page.locator('.toast-undo').getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => statusOf('Held news')).toBe('Pending');
    await expect.poll(() => statusOf('Held note')).toBe('Pending');
    expect((await state()).queue.counts.pending).toBe(2);
  });

  it('removes posted tasks from history after a confirmation; the day’s count stays', async () => {
    await page.getByRole('button', { name: 'Select none' }).click();
    await pick('News story one');
    await pick('A field note');
    await expect.poll(() => page.locator('#bulk-remove').textContent()).toBe('Remove 2 from history');
    await page.locator('#bulk-remove').click();
    await page.getByRole('button', { name: 'Remove 2 tasks' }).click();
    await expect.poll(() => page.locator('.filter-completed .filter-count').textContent()).toBe('1');
    expect(await row('News story one').count()).toBe(0);
    const after = await state();
    expect(after.tasks.map((t) => t.itemTitle).sort()).toEqual(['Held news', 'Held note', 'News story two']);
    expect(after.queue.postedToday).toBe(3);
    expect(await page.locator('#header-status').textContent()).toContain('3 / ');
  });
});
