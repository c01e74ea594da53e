// Task rows against a real `crier serve` (built dist/cli.js), a loopback feed server and the fake
// X API: the engine's refusal of an edit (changed meanwhile) said in the row, a saved edit posted as edited, Post now
// refused while paused, the forecast while paused, and the attempt history the engine records.
import type { Page } from 'playwright-core';
import type { StateSnapshot } from '../../preload/contract';
import { queueOrder } from '../../common/forecast';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callApi, type ServeProcess } from '../support/serve-process';
import { rssDocument, type FeedServer, type RssItemSpec } from '../support/feed-server';
import type { FakeXApi } from '../support/fake-x-api';
import type { PageWatch } from './support/browser';
import { useServeSuite } from './support/serve-suite';

describe('task rows against crier serve', () => {
  let items: RssItemSpec[] = [];
  const suite = useServeSuite({
    name: 'rows-serve', x: {}, viewport: { width: 1280, height: 900 }, settings: { minPostGapSeconds: 0, maxAttempts: 1 },
    routes: { '/feed.xml': { body: () => rssDocument({ title: 'Loopback News', items }) } },
  });
  let x: FakeXApi;
  let feeds: FeedServer;
  let serve: ServeProcess;
  let page: Page;
  let watch: PageWatch;

  const api = (method: string, path: string, body?: unknown): Promise<unknown> => callApi(serve, method, path, body);
  /** Waits for a condition of the server's (a wait, not a timing assertion). */
  const until = async (ok: () => Promise<boolean>): Promise<void> => {
    for (let i = 0; i < 400 && !(await ok()); i++) await new Promise((r) => setTimeout(r, 50));
  };
  const row = (title: string) => page.locator('.task', { has: page.locator('.task-title', { hasText: title }) });

  beforeAll(async () => {
    ({ x, site: feeds, serve, tab: page, watch } = suite);
    await suite.open('tasks.html');
    // Paused, so the tasks wait in the queue for the test.
    await api('POST', '/api/feeds', { url: feeds.url('/feed.xml') });
    // The first poll is the baseline: the items it finds are marked seen.
    await until(async () => ((await api('GET', '/api/state')) as StateSnapshot).feeds[0]?.health.lastStatus === 200);
    await page.locator('#pause-toggle').click();
    await page.locator('#banners .banner-title', { hasText: 'Posting is paused' }).waitFor();
    items = [
      { title: 'Newer story', link: `${feeds.origin}/2`, guid: 'g2' },
      { title: 'Older story', link: `${feeds.origin}/1`, guid: 'g1' },
    ];
    await api('POST', '/api/poll', {});
    await page.locator('.task-pending').nth(1).waitFor({ timeout: 20_000 });
  }, 120_000);

  afterEach(() => {
    // The engine's refusals (409, 400) are answers the rows show; Chromium logs each as a failed load.
    expect(watch.problems.filter((p) => !/status of (400|409) \((Bad Request|Conflict)\)/.test(p))).toEqual([]);
    watch.problems.length = 0;
  });

  it('shows the queue’s order while paused, and the engine’s refusal of Post now', async () => {
    // One poll may stamp both tasks in the same millisecond: the queue's own order decides.
    const pending = ((await api('GET', '/api/state')) as StateSnapshot).tasks.filter((t) => t.status === 'pending').sort(queueOrder);
    const [first, second] = pending.map((t) => t.itemTitle);
    await expect.poll(() => row(first!).locator('.task-time').textContent()).toBe('Next to post · waits for the pause to end');
    expect(await row(second!).locator('.task-time').textContent()).toBe('2nd in line · waits for the pause to end');
    await row(second!).getByRole('button', { name: /^Post now/ }).click();
    await expect.poll(() => page.locator('.toast-error').last().textContent()).toMatch(new RegExp(`^Could not post “${second!}” now: .*paused`));
  });

  it('says in the row that the task changed meanwhile (the engine’s conflict), keeps the draft, then saves', async () => {
    const r = row('Older story');
    await r.getByRole('button', { name: /^Edit/ }).click();
    const box = r.getByRole('textbox', { name: 'Post text' });
    await box.fill(`Edited before posting ${feeds.origin}/1`);
    // Someone else (another window, the HTTP API) edits it first.
    const state = (await api('GET', '/api/state')) as StateSnapshot;
    const task = state.tasks.find((t) => t.itemTitle === 'Older story')!;
    await api('POST', `/api/tasks/${task.id}/edit`, { text: `Changed elsewhere ${feeds.origin}/1`, expectedUpdatedAt: task.updatedAt });
    await r.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => r.getByRole('alert').textContent()).toMatch(/^This task changed while you were editing it/);
    expect(await box.inputValue()).toBe(`Edited before posting ${feeds.origin}/1`);
    // Closed and opened again, the editor starts from the task as it is now.
    await box.press('Escape');
    await expect.poll(() => r.locator('.task-text').textContent()).toBe(`Changed elsewhere ${feeds.origin}/1`);
    await r.getByRole('button', { name: /^Edit/ }).click();
    await box.fill(`Edited before posting ${feeds.origin}/1`);
    await r.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => r.locator('.task-text').textContent()).toBe(`Edited before posting ${feeds.origin}/1`);
    expect(await r.locator('.task-edit').count()).toBe(0);
  });

  it('posts the edited text after resuming, and lists the attempt in the row’s history', async () => {
    await page.locator('#banners').getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => row('Older story').locator('.status-word').textContent(), { timeout: 20_000 }).toBe('Posted');
    expect(x.posts.map((p) => p.text)).toContain(`Edited before posting ${feeds.origin}/1`);
    const r = row('Older story');
    const time = r.locator('time.task-time');
    expect(await time.getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    await r.getByRole('button', { name: '1 attempt' }).click();
    expect(await r.locator('.task-history li .task-attempt-outcome').allTextContents()).toEqual(['Posted']);
  });
});
