// The tasks window's list-level features in Chromium against a real `crier serve` (built
// dist/cli.js), loopback feed servers and the fake X API: the per-feed view with the engine's
// counts, spend, export through the HTTP route, bulk Cancel with Undo, and Remove from history
// leaving the day's count as it was.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import type { StateSnapshot } from '../../preload/contract';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callApi, type ServeProcess } from '../support/serve-process';
import { rssDocument, type FeedServer, type RssItemSpec } from '../support/feed-server';
import type { PageWatch } from './support/browser';
import { useServeSuite } from './support/serve-suite';

describe('the task list against crier serve', () => {
  let feeds: FeedServer;
  let serve: ServeProcess;
  let page: Page;
  let watch: PageWatch;
  let news: RssItemSpec[] = [];
  let notes: RssItemSpec[] = [];
  const suite = useServeSuite({
    name: 'tasks-list-serve', x: {}, viewport: { width: 1100, height: 900 }, context: { acceptDownloads: true },
    settings: { minPostGapSeconds: 0, maxAttempts: 1 },
    routes: {
      '/news.xml': { body: () => rssDocument({ title: 'Loopback News', items: news }) },
      '/notes.xml': { body: () => rssDocument({ title: 'Loopback Notes', items: notes }) },
    },
  });

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
    ({ site: feeds, serve, tab: page, watch } = suite);
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
    await suite.open('tasks.html');
  }, 120_000);

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
