// Review mode and delete a post in the tasks window against a real `crier serve` (built
// dist/cli.js), a loopback feed server and the HTTPS fake X API: a feed in review holds its new
// items first in the list; one edited in its row and approved, one skipped by key, one approved in
// bulk; X receives the approved ones in approval order (the edited text as edited), never the
// skipped one; "Delete from X…" meets X's refusal in the dialog, then deletes with one DELETE.
import type { Page } from 'playwright-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StateSnapshot } from '../../preload/contract';
import { callApi, type ServeProcess } from '../support/serve-process';
import { rssDocument, type FeedServer, type RssItemSpec } from '../support/feed-server';
import type { FakeXApi } from '../support/fake-x-api';
import type { PageWatch } from './support/browser';
import { useServeSuite } from './support/serve-suite';

describe('review mode and delete a post against crier serve', () => {
  let x: FakeXApi;
  let feeds: FeedServer;
  let serve: ServeProcess;
  let page: Page;
  let watch: PageWatch;
  let items: RssItemSpec[] = [{ title: 'Story 1', link: 'https://example.com/story/1', guid: 's1' }];
  const suite = useServeSuite({
    name: 'review-serve-ui', x: {}, viewport: { width: 1280, height: 900 }, settings: { minPostGapSeconds: 0 },
    routes: { '/feed.xml': { body: () => rssDocument({ title: 'Loopback News', items }) } },
  });

  const api = (method: string, path: string, body?: unknown): Promise<unknown> => callApi(serve, method, path, body);
  /** Waits for a condition of the server's (a wait, not a timing assertion). */
  const until = async (ok: () => Promise<boolean>): Promise<void> => {
    for (let i = 0; i < 400 && !(await ok()); i++) await new Promise((r) => setTimeout(r, 50));
  };
  const row = (title: string) => page.locator('.task', { has: page.locator('.task-title', { hasText: new RegExp(`^${title}$`) }) });
  const story = (n: number): RssItemSpec => ({ title: `Story ${n}`, link: `https://example.com/story/${n}`, guid: `s${n}` });

  beforeAll(async () => {
    ({ x, site: feeds, serve, tab: page, watch } = suite);
    await api('POST', '/api/feeds', { url: feeds.url('/feed.xml'), review: true });
    // The first poll is the baseline: its items are seen, not posted.
    await until(async () => ((await api('GET', '/api/state')) as StateSnapshot).feeds[0]?.health.lastStatus === 200);
    await suite.open('tasks.html');
  }, 120_000);

  afterEach(() => {
    // X's refusal answers 502, which Chromium logs as a failed load; the dialog says it.
    expect(watch.problems.filter((p) => !/status of 502 \(Bad Gateway\)/.test(p))).toEqual([]);
    watch.problems.length = 0;
  });

  it('shows new items in review first, and posts the approved ones in approval order, edited as edited, never the skipped one', async () => {
    items = [story(4), story(3), story(2), story(1)];
    await api('POST', '/api/poll', {});
    await expect.poll(() => page.locator('#header-status [data-action="show-review"]').textContent(), { timeout: 20_000 }).toBe('3 to review');
    expect(await page.locator('.task').first().getAttribute('class')).toContain('task-review');
    expect(x.posts).toEqual([]);

    // Story 4: edited in its row, then approved.
    const r4 = row('Story 4');
    await r4.getByRole('button', { name: 'Edit: Story 4' }).click();
    await r4.locator('textarea').fill('Story 4, as the editor wrote it https://example.com/story/4');
    await r4.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => r4.locator('.task-text').textContent()).toBe('Story 4, as the editor wrote it https://example.com/story/4');
    await r4.getByRole('button', { name: 'Approve: Story 4' }).click();
    await expect.poll(() => page.locator('#header-status [data-action="show-review"]').textContent()).toBe('2 to review');

    // Story 3: skipped by key on its focused row.
    await row('Story 3').getByRole('button', { name: 'Approve: Story 3' }).focus();
    await page.keyboard.press('s');
    await expect.poll(() => row('Story 3').locator('.task-note').textContent()).toBe('Skipped in review');

    // Story 2: approved from the selection.
    await page.locator('#select-toggle').click();
    await row('Story 2').getByRole('checkbox').click();
    await page.locator('#bulk-approve').click();
    await page.locator('#select-toggle').click();

    await expect.poll(() => x.posts.length, { timeout: 20_000 }).toBe(2);
    expect(x.posts.map((p) => p.text)).toEqual(['Story 4, as the editor wrote it https://example.com/story/4', expect.stringMatching(/^Story 2\b/)]);
    await expect.poll(() => row('Story 2').locator('.status-word').textContent(), { timeout: 20_000 }).toBe('Posted');
    expect(await row('Story 3').locator('.status-word').textContent()).toBe('Cancelled');
    expect(await page.locator('#review-hint').isVisible()).toBe(false);
  });

  it('shows X’s refusal to delete in the dialog, then deletes the post with one DELETE and says so in the row', async () => {
    const r4 = row('Story 4');
    await expect.poll(() => r4.locator('.status-word').textContent(), { timeout: 20_000 }).toBe('Posted');
    const postId = ((await api('GET', '/api/state')) as StateSnapshot).tasks.find((t) => t.itemTitle === 'Story 4')!.postId!;
    x.inject({ type: 'status', status: 403, detail: 'You are not allowed to delete this Tweet.' }, { path: `/2/tweets/${postId}`, method: 'DELETE' });

    await r4.getByRole('button', { name: 'Delete from X: Story 4' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this post from X?' });
    expect(await dialog.locator('#delete-post-text').textContent()).toContain(postId);
    await dialog.getByRole('button', { name: 'Delete from X' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(/^X refused to delete it: .*You are not allowed to delete this Tweet\./);
    expect(x.posts.map((p) => p.id)).toContain(postId);
    expect(await r4.locator('.task-deleted').count()).toBe(0);

    await dialog.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => r4.locator('.task-deleted').textContent()).toMatch(/^Deleted from X · /);
    expect(x.posts.map((p) => p.id)).not.toContain(postId);
    expect(x.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([`/2/tweets/${postId}`, `/2/tweets/${postId}`]);
  });
});
