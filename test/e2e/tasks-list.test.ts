// The tasks window's list-level features in real Chromium through the fake preload bridge: the
// per-feed view, the three orders, selection with bulk actions, Undo after Cancel, export, spend,
// compact mode, the filter bar at 420 px, and "N new" while the user reads further down.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { StateSnapshot, Task } from '../../preload/contract';
import { SCHEMES, violationsIn } from './support/axe';
import { fake, useBridgeSuite } from './support/bridge-suite';
import { makeFeed, makeQueue, makeSnapshot, makeTask, manyTasks } from './support/fixtures';
import { settledReadingRow } from './support/reading-row';

const suite = useBridgeSuite();
const open = (snapshot: StateSnapshot, beforeLoad?: (page: Page) => Promise<void>): Promise<Page> => suite.open('tasks.html', snapshot, beforeLoad);

const BASE = Date.parse('2026-03-01T12:00:00.000Z');
const t = (id: string, fields: Partial<Task>, minutesAgo: number): Task =>
  makeTask({ id, itemTitle: `Item ${id}`, ...fields }, new Date(BASE - minutesAgo * 60_000).toISOString());
const titles = (page: Page): Promise<string[]> => page.locator('.task-title').allTextContents();
const row = (page: Page, title: string) => page.locator('.task', { has: page.locator('.task-title', { hasText: new RegExp(`^${title}$`) }) });
/** A click on the row's own padding (not on its text, buttons or links): chooses it while selecting. */
const pick = async (page: Page, title: string): Promise<void> => {
  const r = row(page, title);
  const box = (await r.boundingBox())!;
  await r.click({ position: { x: box.width - 6, y: box.height - 4 } });
};
const calls = (page: Page, method: string) => fake(page, (f) => f.calls).then((all) => all.filter((c) => c.method === method).map((c) => c.args));

/** Two feeds, every status; Feed.counts as the engine would count them (more than the page holds). */
function twoFeeds(): StateSnapshot {
  const tasks = [
    t('b1', { feedId: 'blog', status: 'pending', itemTitle: 'Blog pending' }, 1),
    t('n1', { feedId: 'news', status: 'failed', itemTitle: 'News failed', attempts: 1, error: { kind: 'server', message: 'X answered 503', httpStatus: 503 } }, 2),
    t('b2', { feedId: 'blog', status: 'completed', itemTitle: 'Blog posted', attempts: 1 }, 3),
    t('n2', { feedId: 'news', status: 'completed', itemTitle: 'News posted', attempts: 1 }, 4),
    t('b3', { feedId: 'blog', status: 'cancelled', itemTitle: 'Blog cancelled' }, 5),
    t('n3', { feedId: 'news', status: 'pending', itemTitle: 'News pending' }, 6),
  ];
  return makeSnapshot({ tasks, queue: makeQueue(tasks), feeds: [
    makeFeed({ id: 'blog', title: 'The Example Blog', counts: { posted: 120, pending: 1, failed: 0 } }),
    makeFeed({ id: 'news', name: 'News desk', counts: { posted: 1380, pending: 1, failed: 1 } }),
  ] });
}

describe('the per-feed view and the orders', () => {
  it('filters by feed, with the engine’s per-feed counts, together with the status filter and search', async () => {
    const page = await open(twoFeeds());
    const select = page.getByRole('combobox', { name: 'Feed' });
    expect(await select.locator('option').allTextContents()).toEqual([
      'All feeds', 'News desk (1,380 posted · 1 pending · 1 failed)', 'The Example Blog (120 posted · 1 pending)']);
    await select.selectOption('news');
    await expect.poll(() => titles(page)).toEqual(['News failed', 'News posted', 'News pending']);
    // The status counts follow the feed shown.
    expect(await page.locator('.filter-all .filter-count').textContent()).toBe('3');
    expect(await page.locator('.filter-pending .filter-count').textContent()).toBe('1');
    await page.locator('.filter-pending').click();
    await expect.poll(() => titles(page)).toEqual(['News pending']);
    await page.locator('.filter-all').click();
    await page.getByRole('searchbox', { name: 'Search tasks' }).fill('posted');
    await expect.poll(() => titles(page)).toEqual(['News posted']);
    await page.getByRole('searchbox', { name: 'Search tasks' }).fill('cancelled');
    await expect.poll(() => page.locator('.empty-title').textContent()).toBe('No matches');
    expect(await page.locator('.empty-detail').textContent()).toBe('No tasks from News desk match “cancelled”.');
    await page.getByRole('searchbox', { name: 'Search tasks' }).fill('');
    await select.selectOption('');
    await expect.poll(() => page.locator('.task').count()).toBe(6);
  });

  it('opens on one feed from a link (tasks.html#feed=ID), and the address follows the feed chosen', async () => {
    const page = await suite.open('tasks.html#feed=news', twoFeeds());
    await expect.poll(() => titles(page)).toEqual(['News failed', 'News posted', 'News pending']);
    expect(await page.getByRole('combobox', { name: 'Feed' }).inputValue()).toBe('news');
    await page.getByRole('combobox', { name: 'Feed' }).selectOption('blog');
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#feed=blog');
    await page.getByRole('combobox', { name: 'Feed' }).selectOption('');
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('');
    // A feed that is gone: every feed is shown.
    const gone = await suite.open('tasks.html#feed=removed', twoFeeds());
    await expect.poll(() => gone.locator('.task').count()).toBe(6);
  });

  it('sorts newest first, oldest first, and next to post: the one posting, then the queue’s order, then the rest', async () => {
    const tasks = [
      t('new-done', { status: 'completed' }, 1),
      t('young', { status: 'pending' }, 2),
      t('running', { status: 'running' }, 3),
      t('asked', { status: 'pending', postNowAt: new Date(BASE).toISOString() }, 4),
      t('old', { status: 'pending' }, 9),
      t('old-failed', { status: 'failed' }, 10),
    ];
    const page = await open(makeSnapshot({ tasks, queue: makeQueue(tasks) }));
    await expect.poll(() => titles(page)).toEqual(['Item new-done', 'Item young', 'Item running', 'Item asked', 'Item old', 'Item old-failed']);
    const sort = page.getByRole('combobox', { name: 'Sort' });
    await sort.selectOption('oldest');
    await expect.poll(() => titles(page)).toEqual(['Item old-failed', 'Item old', 'Item asked', 'Item running', 'Item young', 'Item new-done']);
    expect(await page.locator('#list').getAttribute('aria-label')).toBe('Tasks, oldest first');
    await sort.selectOption('next');
    // "Post now" goes before every other pending task; then the oldest waiting goes first.
    await expect.poll(() => titles(page)).toEqual(['Item running', 'Item asked', 'Item old', 'Item young', 'Item new-done', 'Item old-failed']);
    // A task the user retries joins the queue where the forecast puts it.
    await fake(page, (f) => { const x = f.state.tasks.find((k) => k.id === 'old-failed')!; f.emit({ tasks: [{ ...x, status: 'pending' }] }); });
    await expect.poll(() => titles(page)).toEqual(['Item running', 'Item asked', 'Item old-failed', 'Item old', 'Item young', 'Item new-done']);
  });

  it('counts by feed from the engine while only the first screenful is loaded, and offers "select all" once every task is', async () => {
    const tasks = manyTasks(300, BASE);
    const feeds = [makeFeed({ id: 'blog', title: 'The Example Blog', counts: { posted: 151, pending: 75, failed: 38 } }), makeFeed({ id: 'other', title: 'Other' })];
    const page = await open(makeSnapshot({ tasks, queue: makeQueue(tasks), feeds }), async (p) => { await p.addInitScript({ content: 'window.__crierHoldFullState = true;' }); });
    await expect.poll(() => page.locator('.task-title').first().textContent()).toBe('Release notes number 0');
    expect(await page.locator('.filter-all .filter-count').textContent()).toBe('300');
    expect(await page.locator('#feed-filter option').nth(2).textContent()).toBe('The Example Blog (151 posted · 75 pending · 38 failed)');
    await page.getByRole('button', { name: 'Select', exact: true }).click();
    expect(await page.locator('#select-all').isDisabled()).toBe(true);
    await fake(page, (f) => f.holdFullState(false));
    await expect.poll(() => page.locator('#select-all').isDisabled()).toBe(false);
    expect(await page.locator('#select-all').textContent()).toBe('Select all shown (300)');
  });
});

describe('selection and bulk actions', () => {
  it('selects rows by click and by Space, counts them, and retries the ones that can be retried', async () => {
    const page = await open(twoFeeds());
    expect(await page.locator('.task-select').count()).toBe(0);
    await page.getByRole('button', { name: 'Select', exact: true }).click();
    expect(await page.locator('#select-toggle').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page.locator('.task-select').count()).toBe(6);
    // A click on the row (not on its buttons) chooses it.
    await pick(page, 'News failed');
    await page.getByRole('checkbox', { name: 'Select: Blog cancelled' }).focus();
    await page.keyboard.press('Space');
    await pick(page, 'Blog pending');
    await expect.poll(() => page.locator('#selected-count').textContent()).toBe('3 selected');
    expect(await page.locator('.task.is-selected').count()).toBe(3);
    expect(await row(page, 'News failed').locator('.task-select').isChecked()).toBe(true);
    // A click again un-chooses.
    await pick(page, 'Blog pending');
    await expect.poll(() => page.locator('#selected-count').textContent()).toBe('2 selected');
    expect(await page.locator('#bulk-retry').textContent()).toBe('Retry 2');
    expect(await page.locator('#bulk-cancel').textContent()).toBe('Cancel 1');
    expect(await page.locator('#bulk-remove').textContent()).toBe('Remove 2 from history');
    // The row's own buttons keep their meaning while selecting.
    await row(page, 'Blog pending').getByRole('button', { name: /^Cancel/ }).click();
    await expect.poll(() => row(page, 'Blog pending').locator('.status-word').textContent()).toBe('Cancelled');
    expect(await page.locator('#selected-count').textContent()).toBe('2 selected');

    await page.locator('#bulk-retry').click();
    await expect.poll(() => row(page, 'News failed').locator('.status-word').textContent()).toBe('Pending');
    expect(await calls(page, 'retryTasks')).toEqual([[['n1', 'b3']]]);
    await expect.poll(() => page.locator('#toasts').textContent()).toContain('Retrying 2 tasks');
  });

  it('picks a range with Shift, from the last row picked to the one clicked, and un-picks one the same way', async () => {
    const page = await open(twoFeeds());
    await page.getByRole('button', { name: 'Select', exact: true }).click();
    await pick(page, 'News failed');
    await page.keyboard.down('Shift');
    await pick(page, 'Blog cancelled');
    await page.keyboard.up('Shift');
    await expect.poll(() => page.locator('#selected-count').textContent()).toBe('4 selected');
    expect(await page.locator('.task.is-selected .task-title').allTextContents()).toEqual(['News failed', 'Blog posted', 'News posted', 'Blog cancelled']);
    expect(await page.evaluate(() => window.getSelection()?.isCollapsed)).toBe(true);
    // Shift on a checkbox: from the last picked (Blog cancelled) up to Blog posted, all un-picked.
    await row(page, 'Blog posted').locator('.task-select').click({ modifiers: ['Shift'] });
    await expect.poll(() => page.locator('#selected-count').textContent()).toBe('1 selected');
    expect(await page.locator('.task.is-selected .task-title').allTextContents()).toEqual(['News failed']);
  });

  it('cancels the selection, and Undo puts every task back as it was, in its place', async () => {
    const page = await open(twoFeeds());
    const before = await titles(page);
    await page.getByRole('button', { name: 'Select', exact: true }).click();
    await page.getByRole('button', { name: 'Select all shown (6)' }).click();
    await expect.poll(() => page.locator('#selected-count').textContent()).toBe('6 selected');
    expect(await page.locator('#bulk-cancel').textContent()).toBe('Cancel 3');
    await page.locator('#bulk-cancel').click();
    await expect.poll(() => page.locator('.filter-cancelled .filter-count').textContent()).toBe('4');
    expect(await calls(page, 'cancelTasks')).toEqual([[['b1', 'n1', 'n3']]]);
    const toast = page.locator('.toast-undo');
    expect(await toast.locator('span').textContent()).toBe('Cancelled 3 tasks');
    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => row(page, 'News failed').locator('.status-word').textContent()).toBe('Failed');
    expect(await row(page, 'Blog pending').locator('.status-word').textContent()).toBe('Pending');
    expect(await row(page, 'News pending').locator('.status-word').textContent()).toBe('Pending');
    expect((await calls(page, 'undoCancel')).map((a) => a[0]).sort()).toEqual(['b1', 'n1', 'n3']);
    expect(await titles(page)).toEqual(before);
    await expect.poll(() => page.locator('#toasts').textContent()).toContain('Restored 3 tasks');
    expect(await page.locator('.toast-undo').count()).toBe(0);
  });

  it('offers Undo after a single Cancel from a row too', async () => {
    const page = await open(twoFeeds());
    await row(page, 'News pending').getByRole('button', { name: /^Cancel/ }).click();
    await expect.poll(() => row(page, 'News pending').locator('.status-word').textContent()).toBe('Cancelled');
    expect(await page.locator('.toast-undo span').textContent()).toBe('Cancelled “News pending”');
    await page.locator('.toast-undo').getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => row(page, 'News pending').locator('.status-word').textContent()).toBe('Pending');
    expect(await calls(page, 'undoCancel')).toEqual([['n3']]);
  });

  it('withdraws the Undo after the engine’s 10 seconds', async () => {
    const page = await open(twoFeeds(), async (p) => { await p.clock.install(); });
    await row(page, 'News pending').getByRole('button', { name: /^Cancel/ }).click();
    await page.locator('.toast-undo').waitFor();
    await page.clock.fastForward(9_000);
    expect(await page.locator('.toast-undo').count()).toBe(1);
    await page.clock.fastForward(1_500);
    await expect.poll(() => page.locator('.toast-undo').count()).toBe(0);
  });

  it('says plainly when the undo comes too late', async () => {
    const page = await open(twoFeeds());
    await row(page, 'News pending').getByRole('button', { name: /^Cancel/ }).click();
    await page.locator('.toast-undo').waitFor();
    // The engine's window closed meanwhile (the fake forgets what the cancel replaced when retried).
    await fake(page, (f) => { void window.crier!.retryTask('n3'); void f; });
    await expect.poll(() => row(page, 'News pending').locator('.status-word').textContent()).toBe('Pending');
    await page.locator('.toast-undo').getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => page.locator('.toast-error').textContent()).toContain('Could not restore 1 task: It is too late to undo this cancel');
  });

  it('removes posted, cancelled and failed tasks from history after a confirmation, and never pending ones', async () => {
    const page = await open(twoFeeds());
    await page.getByRole('button', { name: 'Select', exact: true }).click();
    for (const title of ['Blog pending', 'Blog posted', 'News failed']) await pick(page, title);
    await expect.poll(() => page.locator('#bulk-remove').textContent()).toBe('Remove 2 from history');
    // Keeping them first: nothing is removed.
    await page.locator('#bulk-remove').click();
    await page.locator('#remove-dialog[open]').waitFor();
    expect(await page.locator('#remove-title').textContent()).toBe('Remove 2 tasks from history?');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('remove-keep');
    await page.getByRole('button', { name: 'Keep them' }).click();
    expect(await calls(page, 'removeTasks')).toEqual([]);
    await page.locator('#bulk-remove').click();
    await page.getByRole('button', { name: 'Remove 2 tasks' }).click();
    await expect.poll(() => page.locator('.task').count()).toBe(4);
    expect(await calls(page, 'removeTasks')).toEqual([[['n1', 'b2']]]);
    expect(await row(page, 'Blog pending').count()).toBe(1);
    // The removed ones leave the selection; the pending one stays chosen.
    await expect.poll(() => page.locator('#selected-count').textContent()).toBe('1 selected');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('#bulk-bar').isHidden()).toBe(true);
    expect(await page.locator('.task.is-selected').count()).toBe(0);
  });

  for (const scheme of SCHEMES) {
    it(`has no accessibility violations while selecting, with the remove dialog open (${scheme})`, async () => {
      const page = await open(twoFeeds());
      await page.getByRole('button', { name: 'Select', exact: true }).click();
      await pick(page, 'Blog posted');
      await page.locator('.task.is-selected').waitFor();
      expect(await violationsIn(page, scheme)).toBe('');
      await page.locator('#bulk-remove').click();
      await page.locator('#remove-dialog[open]').waitFor();
      expect(await violationsIn(page, scheme)).toBe('');
    }, 120_000);
  }
});

describe('export, spend and density', () => {
  for (const format of ['csv', 'json'] as const) {
    it(`downloads the history as ${format.toUpperCase()} named for the day`, async () => {
      const page = await open(twoFeeds());
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `Export ${format.toUpperCase()}` }).click()]);
      const d = new Date();
      const day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
      expect(download.suggestedFilename()).toBe(`crier-tasks-${day}.${format}`);
      const text = await readFile((await download.path())!, 'utf8');
      const expected = await page.evaluate((f) => window.crier!.exportTasks(f), format);
      expect(text).toBe(expected);
      expect(await calls(page, 'exportTasks')).toEqual([[format], [format]]);
    });
  }

  it('shows posts sent today and this month with their cost next to the daily cap, and nothing without spend', async () => {
    const snap = twoFeeds();
    const page = await open({ ...snap, queue: { ...snap.queue, postedToday: 3, dailyCap: 20,
      spend: { today: { posts: 3, withLink: 2, usd: 0.415 }, month: { posts: 1200, withLink: 900, usd: 184.5 } } } });
    const spend = page.locator('#spend');
    expect(await spend.textContent()).toBe('Today 3 posts · $0.42 · Month 1,200 posts · $184.50');
    expect(await spend.getAttribute('title')).toContain('3 posts (2 with a link)');
    // Beside the cap.
    expect(await page.locator('#header-status > *').evaluateAll((els) => els.slice(-2).map((e) => e.textContent))).toEqual([
      'Today 3 posts · $0.42 · Month 1,200 posts · $184.50', '3 / 20 today']);
    const plain = await open(twoFeeds());
    expect(await plain.locator('#spend').count()).toBe(0);
  });

  it('keeps compact mode across a reload, with shorter rows', async () => {
    const tasks = manyTasks(30, BASE);
    const page = await open(makeSnapshot({ tasks, queue: makeQueue(tasks) }));
    const height = () => page.locator('.task').first().evaluate((el) => el.getBoundingClientRect().height);
    const tall = await height();
    await page.getByRole('button', { name: 'Compact' }).click();
    expect(await page.locator('#compact-toggle').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(height).toBeLessThan(tall);
    await page.reload();
    await page.locator('body[data-status="ready"]').waitFor();
    expect(await page.locator('#compact-toggle').getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('#list').getAttribute('class')).toContain('is-compact');
    await page.getByRole('button', { name: 'Compact' }).click();
    await page.reload();
    await page.locator('body[data-status="ready"]').waitFor();
    expect(await page.locator('#compact-toggle').getAttribute('aria-pressed')).toBe('false');
  });

  it('keeps the filter bar’s words at 420 × 640, wrapping rather than cutting them', async () => {
    const page = await open(twoFeeds());
    await page.setViewportSize({ width: 420, height: 640 });
    const words = await page.locator('.filter:not([hidden])').evaluateAll((buttons) => buttons.map((b) => {
      const word = b.querySelector<HTMLElement>('.filter-word')!;
      const r = word.getBoundingClientRect();
      return { text: word.textContent, width: r.width, right: r.right, cut: word.scrollWidth > word.clientWidth + 1 || b.scrollWidth > b.clientWidth + 1 };
    }));
    expect(words.map((w) => w.text)).toEqual(expect.arrayContaining(['All', 'Pending', 'Posting', 'Posted', 'Failed', 'Cancelled']));
    for (const w of words) {
      expect(w.width, w.text ?? '').toBeGreaterThan(10);
      expect(w.cut, w.text ?? '').toBe(false);
      expect(w.right, w.text ?? '').toBeLessThanOrEqual(420);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420);
    // The list keeps room for tasks under the toolbars.
    expect(await page.locator('#scroller').evaluate((el) => el.clientHeight)).toBeGreaterThan(150);
  });
});

describe('new tasks while reading further down', () => {
  const arrive = (page: Page, id: string, title: string, at: string): Promise<void> => page.evaluate(([id, title, at]) => {
    const f = window.__crierFake!;
    f.emit({ tasks: [{ ...f.state.tasks[0]!, id: id!, itemTitle: title!, createdAt: at!, updatedAt: at! }] });
  }, [id, title, at]);
  const topOf = (page: Page, id: string): Promise<number> => page.locator(`.task[data-task-id="${id}"]`).evaluate((el) => el.getBoundingClientRect().top);

  it('holds the view still, shows "N new" and jumps to them; at the top new tasks simply show', async () => {
    const tasks = manyTasks(400, BASE);
    const page = await open(makeSnapshot({ tasks, queue: makeQueue(tasks) }));
    await expect.poll(() => page.locator('.filter-all .filter-count').textContent()).toBe('400');
    // At the top: a new task shows first, no button.
    await arrive(page, 'top-1', 'Arrived at the top', '2026-03-01T12:10:00.000Z');
    await expect.poll(() => page.locator('.task-title').first().textContent()).toBe('Arrived at the top');
    expect(await page.locator('#new-tasks').isHidden()).toBe(true);

    await page.mouse.move(500, 600);
    for (let i = 0; i < 10; i++) { await page.mouse.wheel(0, 500); await page.waitForTimeout(30); }
    await expect.poll(() => page.locator('#scroller').evaluate((el) => el.scrollTop)).toBeGreaterThan(2000);
    const reading = await settledReadingRow(page);
    await arrive(page, 'new-1', 'First while reading', '2026-03-01T12:20:00.000Z');
    await arrive(page, 'new-2', 'Second while reading', '2026-03-01T12:21:00.000Z');
    await expect.poll(() => page.locator('#new-tasks').textContent()).toBe('↑ 2 new');
    // Once the list is at rest again, the row being read is where it was.
    await settledReadingRow(page);
    expect(Math.abs((await topOf(page, reading.id)) - reading.top)).toBeLessThanOrEqual(1);

    await page.getByRole('button', { name: '↑ 2 new' }).click();
    await expect.poll(() => page.locator('#scroller').evaluate((el) => el.scrollTop)).toBe(0);
    await expect.poll(() => page.locator('.task-title').first().textContent()).toBe('Second while reading');
    expect(await page.locator('#new-tasks').isHidden()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('scroller');
  });

  it('holds the view after a scroll the browser does not anchor, and forgets the count back at the top', async () => {
    const tasks = manyTasks(200, BASE);
    const page = await open(makeSnapshot({ tasks, queue: makeQueue(tasks) }));
    await expect.poll(() => page.locator('.filter-all .filter-count').textContent()).toBe('200');
    // Scrolled from script (as a scrollbar drag or a jump may be): no scroll anchoring by the browser.
    await page.locator('#scroller').evaluate((el) => { el.scrollTop = 3000; });
    // Until the rows around the view are built (in idle time, slow on a loaded machine).
    const reading = await settledReadingRow(page);
    for (let i = 0; i < 3; i++) {
      await arrive(page, `new-${i}`, `While reading ${i}`, `2026-03-01T12:2${i}:00.000Z`);
      await expect.poll(() => page.locator('#new-tasks').textContent()).toBe(`↑ ${i + 1} new`);
    }
    // Once the list is at rest again, the row being read is where it was.
    await settledReadingRow(page);
    expect(Math.abs((await topOf(page, reading.id)) - reading.top)).toBeLessThanOrEqual(1);
    await page.locator('#scroller').evaluate((el) => { el.scrollTop = 0; });
    await expect.poll(() => page.locator('#new-tasks').isHidden()).toBe(true);
  });
});
