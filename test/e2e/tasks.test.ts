// The tasks window in real Chromium, through a fake preload bridge (the Electron path):
// live updates, filters, search, actions, banners, XSS, CSP cleanliness and 10,000 tasks.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { StateSnapshot, Task } from '../../preload/contract';
import { fake, useBridgeSuite } from './support/bridge-suite';
import { makeFeed, makeQueue, makeSnapshot, makeTask, manyTasks } from './support/fixtures';

const suite = useBridgeSuite();
const open = (snapshot: StateSnapshot): Promise<Page> => suite.open('tasks.html', snapshot);

const row = (page: Page, title: string) => page.locator('.task', { has: page.locator('.task-title', { hasText: title }) });

const t = (id: string, fields: Partial<Task>, minutesAgo: number): Task =>
  makeTask({ id, ...fields }, new Date(Date.parse('2026-03-01T12:00:00.000Z') - minutesAgo * 60_000).toISOString());

function sample(): StateSnapshot {
  const tasks = [
    t('p1', { status: 'pending', itemTitle: 'Pending one', text: 'Pending one text' }, 1),
    t('f1', { status: 'failed', itemTitle: 'Failed one', attempts: 1, error: { kind: 'invalid-post', message: 'Your Tweet text is too long.', httpStatus: 400 } }, 2),
    t('c1', { status: 'completed', itemTitle: 'Done one', attempts: 1, postUrl: 'https://x.com/me/status/1', note: 'Image failed: posted text only' }, 3),
    t('x1', { status: 'cancelled', itemTitle: 'Cancelled one', feedId: 'news' }, 4),
  ];
  return makeSnapshot({ tasks, queue: makeQueue(tasks), feeds: [makeFeed({ id: 'blog', title: 'The Example Blog' }), makeFeed({ id: 'news', name: 'News desk' })] });
}

describe('the tasks window', () => {
  it('lists tasks newest first with status word, feed name, attempts, error and note', async () => {
    const page = await open(sample());
    await expect.poll(() => page.locator('.task-title').allTextContents()).toEqual(['Pending one', 'Failed one', 'Done one', 'Cancelled one']);
    const failed = row(page, 'Failed one');
    expect(await failed.locator('.status-word').textContent()).toBe('Failed');
    expect(await failed.locator('.task-feed').textContent()).toBe('The Example Blog');
    expect(await failed.locator('.task-error').textContent()).toBe('Rejected by X (400): Your Tweet text is too long.');
    expect(await failed.locator('.task-time').getAttribute('title')).toMatch(/2026/);
    expect(await row(page, 'Cancelled one').locator('.task-feed').textContent()).toBe('News desk');
    expect(await row(page, 'Done one').locator('.task-note').textContent()).toBe('Image failed: posted text only');
    const post = row(page, 'Done one').getByRole('link', { name: /Open post/ });
    expect(await post.getAttribute('href')).toBe('https://x.com/me/status/1');
    expect(await post.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await post.getAttribute('target')).toBe('_blank');
  });

  it('shows only the actions the status allows', async () => {
    const page = await open(sample());
    // The status's actions (allowedActions), Edit where the text may change (first for a failure
    // that would repeat as is: 'Failed one' was too long), and Copy on every row.
    const names = (title: string) => row(page, title).locator('.task-actions button').allTextContents();
    expect(await names('Pending one')).toEqual(['Post now', 'Edit', 'Cancel', 'Copy']);
    expect(await names('Failed one')).toEqual(['Edit', 'Retry', 'Cancel', 'Remove', 'Copy']);
    expect(await names('Done one')).toEqual(['Remove', 'Copy']);
    expect(await names('Cancelled one')).toEqual(['Retry', 'Remove', 'Copy']);
  });

  it('applies deltas in place: a task completes and a new one appears on top', async () => {
    const page = await open(sample());
    await fake(page, (f) => {
      const p = f.state.tasks.find((x) => x.id === 'p1');
      if (p) f.emit({ tasks: [{ ...p, status: 'completed', attempts: 1, postUrl: 'https://x.com/me/status/2' }] });
    });
    await expect.poll(() => row(page, 'Pending one').locator('.status-word').textContent()).toBe('Posted');
    await fake(page, (f) => f.emit({ tasks: [{ ...f.state.tasks[0]!, id: 'n1', itemTitle: 'Brand new', createdAt: '2026-03-01T12:30:00.000Z' }] }));
    await expect.poll(() => page.locator('.task-title').first().textContent()).toBe('Brand new');
    expect(await page.locator('.filter-all .filter-count').textContent()).toBe('5');
  });

  it('filters by status with counts in the filter bar', async () => {
    const page = await open(sample());
    const count = (s: string) => page.locator(`.filter-${s} .filter-count`).textContent();
    expect([await count('all'), await count('pending'), await count('failed'), await count('completed'), await count('cancelled'), await count('running')])
      .toEqual(['4', '1', '1', '1', '1', '0']);
    await page.locator('.filter-failed').click();
    await expect.poll(() => page.locator('.filter-failed').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page.locator('.task-title').allTextContents()).toEqual(['Failed one']);
    await page.locator('.filter-running').click();
    await expect.poll(() => page.locator('.empty-title').textContent()).toBe('No running tasks');
  });

  it('searches feed name, title and text; Escape clears the search', async () => {
    const page = await open(sample());
    const search = page.getByRole('searchbox', { name: 'Search tasks' });
    await search.fill('news desk');
    await expect.poll(() => page.locator('.task-title').allTextContents()).toEqual(['Cancelled one']);
    await search.fill('pending one text');
    await expect.poll(() => page.locator('.task-title').allTextContents()).toEqual(['Pending one']);
    await search.fill('nothing like this');
    await expect.poll(() => page.locator('.empty-title').textContent()).toBe('No matches');
    await search.press('Escape');
    expect(await search.inputValue()).toBe('');
    await expect.poll(() => page.locator('.task').count()).toBe(4);
  });

  it('calls retryTask and cancelTask from a row, and shows the new status', async () => {
    const page = await open(sample());
    await row(page, 'Failed one').getByRole('button', { name: /^Retry/ }).click();
    await expect.poll(() => row(page, 'Failed one').locator('.status-word').textContent()).toBe('Pending');
    // Keyboard: focus the Cancel button and press Enter.
    await row(page, 'Pending one').getByRole('button', { name: /^Cancel/ }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => row(page, 'Pending one').locator('.status-word').textContent()).toBe('Cancelled');
    const calls = await fake(page, (f) => f.calls.filter((c) => c.method !== 'getState'));
    expect(calls).toEqual([{ method: 'retryTask', args: ['f1'] }, { method: 'cancelTask', args: ['p1'] }]);
  });

  it('retries all failed tasks at once', async () => {
    const page = await open(sample());
    await page.getByRole('button', { name: 'Retry all failed (1)' }).click();
    await expect.poll(() => page.locator('.filter-failed .filter-count').textContent()).toBe('0');
    expect(await page.locator('#retry-failed').isDisabled()).toBe(true);
    expect(await fake(page, (f) => f.calls.some((c) => c.method === 'retryAllFailed'))).toBe(true);
  });

  it('changes the banner on pause, rate limit and revoked credentials, with the fitting action', async () => {
    const page = await open(sample());
    expect(await page.locator('#banners .banner').count()).toBe(0);
    await page.locator('#pause-toggle').click();
    await expect.poll(() => page.locator('.banner-title').textContent()).toBe('Posting is paused');
    expect(await page.locator('#pause-toggle').textContent()).toBe('Resume');
    await page.locator('#banners .banner').getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => page.locator('#banners .banner').count()).toBe(0);

    await fake(page, (f) => f.emit({ queue: { ...f.state.queue, paused: true, pauseReason: 'rate-limited', resumesAt: new Date(Date.now() + 20 * 60_000).toISOString() } }));
    await expect.poll(() => page.locator('.banner-title').textContent()).toBe('Paused: X rate limit reached (429)');
    expect(await page.locator('.banner-detail').textContent()).toMatch(/resumes by itself at .* \(in (19|20) min\)/);

    await fake(page, (f) => f.emit({ queue: { ...f.state.queue, paused: true, pauseReason: 'credits-depleted', resumesAt: null } }));
    await expect.poll(() => page.locator('.banner-title').textContent()).toContain('(402)');

    await fake(page, (f) => f.emit({ queue: { ...f.state.queue, paused: true, pauseReason: 'offline' } }));
    await expect.poll(() => page.locator('.banner-title').textContent()).toBe('Paused: offline');

    await fake(page, (f) => f.emit({ queue: { ...f.state.queue, paused: true, pauseReason: 'auth' } }));
    await page.locator('#banners .banner').getByRole('button', { name: 'Reconnect' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reconnect your X account' });
    await dialog.waitFor();
    expect(await dialog.locator('#reconnect-text').textContent()).toContain('Settings → Account');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('marks dry run clearly', async () => {
    const s = sample();
    const page = await open({ ...s, account: { ...s.account, dryRun: true }, tasks: s.tasks.map((x) => ({ ...x, dryRun: true })) });
    expect(await page.locator('.chip-dry').textContent()).toBe('DRY RUN');
    expect(await page.locator('.banner-dry-run .banner-title').textContent()).toBe('Dry run: nothing is posted to X');
    expect(await page.locator('.badge-dry').count()).toBe(4);
  });

  it('refetches the snapshot after a seq gap and after a new epoch', async () => {
    const page = await open(sample());
    await fake(page, (f) => {
      f.mutateSilently((s) => { s.tasks = s.tasks.filter((x) => x.id !== 'x1'); s.seq += 1; });
      f.emit({});
    });
    await expect.poll(() => page.locator('.task').count()).toBe(3);
    expect(await fake(page, (f) => f.getStateCalls())).toBe(2);

    await fake(page, (f) => {
      f.mutateSilently((s) => { s.tasks = s.tasks.filter((x) => x.id !== 'c1'); s.epoch = 'epoch-2'; s.seq = 0; });
      f.emit({});
    });
    await expect.poll(() => page.locator('.task').count()).toBe(2);
    expect(await fake(page, (f) => f.getStateCalls())).toBe(3);
  });

  it('shows notices until they are dismissed', async () => {
    const page = await open({ ...sample(), notices: [{ id: 'n1', kind: 'store-recovered', message: 'The task store was damaged and has been recovered.', at: '2026-03-01T11:00:00.000Z' }] });
    expect(await page.locator('.notice-text span').textContent()).toBe('The task store was damaged and has been recovered.');
    await page.getByRole('button', { name: /^Dismiss/ }).click();
    await expect.poll(() => page.locator('.notice').count()).toBe(0);
  });

  it('tells a new user to add a feed, and a user with feeds that items will appear', async () => {
    let page = await open(makeSnapshot({ feeds: [], tasks: [] }));
    expect(await page.locator('.empty-title').textContent()).toBe('No feeds yet');
    expect(await page.getByRole('link', { name: 'Add a feed' }).getAttribute('href')).toBe('settings.html#feeds');
    page = await open(makeSnapshot({ tasks: [] }));
    expect(await page.locator('.empty-title').textContent()).toBe('Nothing to post yet');
    expect(await page.locator('.empty-detail').textContent()).toContain('New items will appear here');
    expect(await page.getByRole('link', { name: 'Settings' }).getAttribute('href')).toBe('settings.html');
  });

  it('renders hostile feed text as literal text and runs none of it', async () => {
    const hostile = [
      '<img src=x onerror="window.__pwned=1;alert(1)">',
      '<script>window.__pwned=2;alert(2)</script>',
      '<a href="javascript:window.__pwned=3">click</a>',
      '&lt;b&gt;look-alike&lt;/b&gt; <svg onload=alert(4)>',
      '"><iframe srcdoc="<script>parent.__pwned=5</script>">',
    ];
    const tasks = hostile.map((h, i) => t(`h${i}`, { status: 'failed', itemTitle: h, text: `${h} text`, note: h,
      itemLink: i === 2 ? 'javascript:window.__pwned=6' : i === 3 ? 'data:text/html,<script>alert(7)</script>' : `https://example.org/${i}`,
      postUrl: i === 4 ? 'javascript:alert(8)' : null,
      error: { kind: 'invalid-post', message: h } }, i));
    const s = makeSnapshot({ tasks, feeds: [makeFeed({ id: 'blog', name: '<img src=x onerror=alert(9)>' })],
      notices: [{ id: 'n', kind: 'info', message: hostile[0]!, at: '2026-03-01T11:00:00.000Z' }] });
    const page = await open(s);
    expect(await page.locator('.task-title').allTextContents()).toEqual(hostile);
    expect(await page.locator('.task-note').allTextContents()).toEqual(hostile);
    expect(await page.locator('.task-feed').first().textContent()).toBe('<img src=x onerror=alert(9)>');
    // No element came out of the text: only our own markup is in the document.
    expect(await page.locator('main img, main script, main iframe, main svg:not(.icon), .notices img').count()).toBe(0);
    const hrefs = await page.locator('a[target="_blank"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs.every((h) => h?.startsWith('https://'))).toBe(true);
    expect(await row(page, hostile[2]!).getByRole('link', { name: /Open article/ }).count()).toBe(0);
    // Hovering, clicking and searching do not bring the text to life either.
    await page.getByRole('searchbox', { name: 'Search tasks' }).fill('<img');
    await page.locator('.task-text').first().click();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('keeps long unbroken words from widening the page', async () => {
    const long = 'a'.repeat(2000);
    const page = await open(makeSnapshot({ tasks: [t('l', { itemTitle: long, text: long, note: long }, 0)] }));
    const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(widths[0]).toBeLessThanOrEqual(widths[1]!);
  });

  it('lays a 420 px window out without overlap: search under the filters, brand apart from the chips', async () => {
    const page = await open(sample());
    await page.setViewportSize({ width: 420, height: 800 });
    const box = async (selector: string) => (await page.locator(selector).boundingBox())!;
    const overlaps = (a: { x: number; y: number; width: number; height: number }, b: typeof a): boolean =>
      a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    await expect.poll(async () => overlaps(await box('#filters'), await box('#search'))).toBe(false);
    expect(overlaps(await box('#filters'), await box('#retry-failed'))).toBe(false);
    expect(overlaps(await box('.brand-name'), await box('#header-status'))).toBe(false);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420);
  });

  it('never says "@connected" for an account whose handle is not known yet', async () => {
    const page = await open(makeSnapshot({ account: { connected: true, handle: null, method: 'oauth1', dryRun: false, secretsProtected: true } }));
    await expect.poll(() => page.locator('#header-status .chip-ok').textContent()).toBe('X connected');
  });

  it('stops showing the account as connected while X refuses its credentials', async () => {
    const page = await open(makeSnapshot({ account: { connected: true, handle: 'crier', method: 'oauth1', dryRun: false, secretsProtected: true } }));
    await expect.poll(() => page.locator('#header-status .chip-ok').textContent()).toBe('@crier');
    await fake(page, (f) => f.emit({ queue: { ...f.state.queue, paused: true, pauseReason: 'auth' } }));
    await expect.poll(() => page.locator('#header-status .chip-warn').textContent()).toBe('X refused the credentials');
    expect(await page.locator('#header-status .chip-ok').count()).toBe(0);
  });

  it('renders 10,000 tasks with only a window of rows in the DOM and scrolls to the last', async () => {
    const tasks = manyTasks(10_000, Date.parse('2026-03-01T12:00:00.000Z'));
    const page = await open(makeSnapshot({ tasks, queue: makeQueue(tasks) }));
    expect(await page.locator('.filter-all .filter-count').textContent()).toBe('10,000');
    const rendered = await page.locator('.task').count();
    expect(rendered).toBeGreaterThan(3);
    expect(rendered).toBeLessThan(60);
    // Scrolled to the end until the end shows: the full load may land after a scroll (the list
    // then holds the row being read in place).
    await expect.poll(async () => {
      await page.locator('#scroller').evaluate((el) => { el.scrollTop = el.scrollHeight; });
      return page.locator('.task-title').last().textContent();
    }).toBe('Release notes number 9999');
    expect(await page.locator('.task').count()).toBeLessThan(60);
    expect(await page.locator('.task').last().getAttribute('aria-posinset')).toBe('10000');
    // A live update still lands while the list is long.
    await fake(page, (f) => f.emit({ tasks: [{ ...f.state.tasks[9999]!, status: 'failed', error: { kind: 'server', message: 'boom' } }] }));
    await expect.poll(() => page.locator('.filter-failed .filter-count').textContent()).toBe('1,251');
  });
});
