// Review mode and delete a post in the tasks window (issue 17), in real Chromium through the fake
// preload bridge: review tasks first whatever the sort, edit / approve / skip one by one, by key
// (a / s / e) and in bulk, the "N to review" chips and hint, "Delete from X…" with its confirmation,
// X's refusal, and axe-core in light and dark. The page's clock is fixed (Playwright's clock).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { StateSnapshot, Task } from '../../preload/contract';
import { fake, useBridgeSuite } from './support/bridge-suite';
import { violationsIn } from './support/axe';
import { makeQueue, makeSnapshot, makeTask } from './support/fixtures';

const suite = useBridgeSuite();
const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const at = (minutes: number): string => new Date(NOW + minutes * 60_000).toISOString();

const open = (snapshot: StateSnapshot): Promise<Page> => suite.open('tasks.html', snapshot, async (page) => { await page.clock.setFixedTime(new Date(NOW)); });
const row = (page: Page, title: string) => page.locator('.task', { has: page.locator('.task-title', { hasText: new RegExp(`^${title}$`) }) });
const titles = (page: Page): Promise<string[]> => page.locator('.task .task-title').allTextContents();
const calls = (page: Page, method: string): Promise<unknown[][]> =>
  fake(page, (f) => f.calls).then((all) => all.filter((c) => c.method === method).map((c) => c.args));

function snapshot(tasks: Task[]): StateSnapshot {
  return makeSnapshot({ tasks, queue: makeQueue(tasks) });
}

/** Two in review among older and newer tasks of every kind. */
function mixed(): Task[] {
  return [
    makeTask({ id: 'new', itemTitle: 'Newest pending', text: 'Newest pending text' }, at(-1)),
    makeTask({ id: 'r1', itemTitle: 'Review one', text: 'Review one text https://blog.example.org/r1', status: 'review' }, at(-30)),
    makeTask({ id: 'done', itemTitle: 'Posted one', text: 'Posted one text', status: 'completed', attempts: 1,
      postId: '1900', postUrl: 'https://x.com/crier_test/status/1900', finishedAt: at(-5) }, at(-10)),
    makeTask({ id: 'r2', itemTitle: 'Review two', text: 'Review two text', status: 'review' }, at(-60)),
    makeTask({ id: 'old', itemTitle: 'Old pending', text: 'Old pending text' }, at(-90)),
  ];
}

describe('review mode in the tasks window', () => {
  it('shows tasks in review first whatever the sort, with "N to review" in the header, the filter bar and a hint naming the keys', async () => {
    const page = await open(snapshot(mixed()));
    await row(page, 'Review one').waitFor();
    expect((await titles(page)).slice(0, 2)).toEqual(['Review one', 'Review two']);
    for (const sort of ['oldest', 'next'] as const) {
      await page.locator('#sort').selectOption(sort);
      await expect.poll(async () => (await titles(page)).slice(0, 2).sort()).toEqual(['Review one', 'Review two']);
    }
    await page.locator('#sort').selectOption('oldest');
    await expect.poll(async () => (await titles(page)).slice(0, 2)).toEqual(['Review two', 'Review one']);

    const chip = page.locator('#header-status [data-action="show-review"]');
    expect(await chip.textContent()).toBe('2 to review');
    expect(await page.locator('.filter-review .filter-count').textContent()).toBe('2');
    expect(await page.locator('#review-hint').isVisible()).toBe(true);
    expect(await page.locator('#review-hint').textContent()).toMatch(/2 to review\s+On a review row: A approve · S skip · E edit/);
    const r1 = row(page, 'Review one');
    expect(await r1.getByRole('button', { name: 'Approve: Review one' }).getAttribute('aria-keyshortcuts')).toBe('A');
    expect(await r1.getByRole('button', { name: 'Skip: Review one' }).getAttribute('aria-keyshortcuts')).toBe('S');
    expect(await r1.getByRole('button', { name: 'Edit: Review one' }).getAttribute('aria-keyshortcuts')).toBe('E');
    // A pending row's buttons are no review keys.
    expect(await row(page, 'Newest pending').locator('[aria-keyshortcuts]').count()).toBe(0);

    // The header's chip shows the review tasks alone.
    await chip.click();
    await expect.poll(() => titles(page)).toEqual(['Review two', 'Review one']);
    expect(await page.locator('.filter-review').getAttribute('aria-pressed')).toBe('true');
  });

  it('edits a review task in place, approves one and skips the other; the chips and hint follow and go', async () => {
    const page = await open(snapshot(mixed()));
    const r1 = row(page, 'Review one');
    await r1.getByRole('button', { name: 'Edit: Review one' }).click();
    const text = r1.locator('textarea');
    await text.fill('Review one, edited https://blog.example.org/r1');
    await r1.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => r1.locator('.task-text').textContent()).toBe('Review one, edited https://blog.example.org/r1');
    expect(await calls(page, 'editTask')).toEqual([['r1']]);

    await r1.getByRole('button', { name: 'Approve: Review one' }).click();
    await expect.poll(() => calls(page, 'approveTasks')).toEqual([[['r1']]]);
    // Pending now: it takes its place among the others, and only one waits for review.
    await expect.poll(() => page.locator('#header-status [data-action="show-review"]').textContent()).toBe('1 to review');
    expect((await titles(page))[0]).toBe('Review two');
    expect(await row(page, 'Review one').locator('.status-word').textContent()).toBe('Pending');
    await expect.poll(() => page.locator('.toast').last().textContent()).toContain('Approved “Review one”: it joins the queue');

    await row(page, 'Review two').getByRole('button', { name: 'Skip: Review two' }).click();
    await expect.poll(() => calls(page, 'skipTasks')).toEqual([[['r2']]]);
    await expect.poll(() => row(page, 'Review two').locator('.task-note').textContent()).toBe('Skipped in review');
    expect(await page.locator('#header-status [data-action="show-review"]').count()).toBe(0);
    expect(await page.locator('#review-hint').isVisible()).toBe(false);
  });

  it('answers a, s and e on a focused review row, moving to the next review row, and never while typing', async () => {
    const tasks = [
      makeTask({ id: 'r1', itemTitle: 'Review one', text: 'Review one text', status: 'review' }, at(-1)),
      makeTask({ id: 'r2', itemTitle: 'Review two', text: 'Review two text', status: 'review' }, at(-2)),
      makeTask({ id: 'r3', itemTitle: 'Review three', text: 'Review three text', status: 'review' }, at(-3)),
      makeTask({ id: 'p', itemTitle: 'Pending one', text: 'Pending one text' }, at(-4)),
    ];
    const page = await open(snapshot(tasks));
    await row(page, 'Review one').getByRole('button', { name: 'Approve: Review one' }).focus();
    await page.keyboard.press('s');
    await expect.poll(() => calls(page, 'skipTasks')).toEqual([[['r1']]]);
    // The keyboard goes on to the next task waiting for review.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Approve: Review two');
    await page.keyboard.press('a');
    await expect.poll(() => calls(page, 'approveTasks')).toEqual([[['r2']]]);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Approve: Review three');

    await page.keyboard.press('e');
    const editor = row(page, 'Review three').locator('textarea');
    await expect.poll(() => editor.evaluate((el) => el === document.activeElement)).toBe(true);
    // Typing in the editor is text, not a key for the row.
    await page.keyboard.type(' as');
    expect(await editor.inputValue()).toBe('Review three text as');
    await page.keyboard.press('Escape');
    // Ctrl+S and the like stay the browser's.
    await row(page, 'Review three').getByRole('button', { name: 'Approve: Review three' }).focus();
    await page.keyboard.press('Control+a');
    // A pending row has no review keys.
    await row(page, 'Pending one').getByRole('button', { name: 'Cancel: Pending one' }).focus();
    await page.keyboard.press('s');
    await page.waitForTimeout(100);
    expect(await calls(page, 'approveTasks')).toEqual([[['r2']]]);
    expect(await calls(page, 'skipTasks')).toEqual([[['r1']]]);
    expect(await calls(page, 'cancelTasks')).toEqual([]);
  });

  it('approves and skips the selected review tasks in bulk, in the order shown', async () => {
    const tasks = [
      makeTask({ id: 'p', itemTitle: 'Pending one', text: 'Pending one text' }, at(-1)),
      makeTask({ id: 'r1', itemTitle: 'Review one', text: 'Review one text', status: 'review' }, at(-2)),
      makeTask({ id: 'r2', itemTitle: 'Review two', text: 'Review two text', status: 'review' }, at(-3)),
      makeTask({ id: 'r3', itemTitle: 'Review three', text: 'Review three text', status: 'review' }, at(-4)),
    ];
    const page = await open(snapshot(tasks));
    await page.locator('#sort').selectOption('oldest');
    await page.locator('#select-toggle').click();
    const approve = page.locator('#bulk-approve');
    const skip = page.locator('#bulk-skip');
    expect(await approve.isVisible()).toBe(true);
    expect(await approve.isDisabled()).toBe(true);
    // Picked one way round; approved in the list's order (oldest first here).
    await row(page, 'Review one').getByRole('checkbox').click();
    await row(page, 'Review three').getByRole('checkbox').click();
    await row(page, 'Pending one').getByRole('checkbox').click();
    await expect.poll(() => approve.textContent()).toBe('Approve 2');
    expect(await skip.textContent()).toBe('Skip 2');
    await approve.click();
    await expect.poll(() => calls(page, 'approveTasks')).toEqual([[['r3', 'r1']]]);
    await expect.poll(() => page.locator('.toast').last().textContent()).toContain('Approved 2 tasks: they join the queue');
    await expect.poll(() => approve.isDisabled()).toBe(true);

    await row(page, 'Review two').getByRole('checkbox').click();
    await expect.poll(() => skip.textContent()).toBe('Skip 1');
    await skip.click();
    await expect.poll(() => calls(page, 'skipTasks')).toEqual([[['r2']]]);
    // Nothing left in review: the review buttons leave the bar.
    await expect.poll(() => approve.isVisible()).toBe(false);
  });

  it('keeps the bulk bar as it was for a list with nothing in review', async () => {
    const page = await open(snapshot([makeTask({ id: 'p', itemTitle: 'Pending one', text: 'Pending one text' }, at(-1))]));
    await page.locator('#select-toggle').click();
    await page.locator('#bulk-bar').waitFor();
    expect(await page.locator('#bulk-approve').isVisible()).toBe(false);
    expect(await page.locator('#bulk-skip').isVisible()).toBe(false);
    expect(await page.locator('#review-hint').isVisible()).toBe(false);
  });
});

describe('delete a post from X in the tasks window', () => {
  it('offers "Delete from X…" on a live posted task only, confirms naming the post, and then says when it was deleted', async () => {
    const tasks = [
      ...mixed(),
      makeTask({ id: 'dry', itemTitle: 'Dry one', text: 'Dry one text', status: 'completed', attempts: 1, dryRun: true, postId: null }, at(-100)),
    ];
    const page = await open(snapshot(tasks));
    const done = row(page, 'Posted one');
    await done.waitFor();
    expect(await page.locator('[data-action="delete-post"]').count()).toBe(1);
    await done.getByRole('button', { name: 'Delete from X: Posted one' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this post from X?' });
    await dialog.waitFor();
    expect(await dialog.locator('#delete-post-text').textContent()).toContain('“Posted one”');
    expect(await dialog.locator('#delete-post-text').textContent()).toContain('https://x.com/crier_test/status/1900');
    expect(await dialog.locator('#delete-post-quote').textContent()).toBe('Posted one text');
    // Keeping it is the default: nothing is asked of X.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('delete-post-keep');
    await page.keyboard.press('Enter');
    expect(await dialog.isVisible()).toBe(false);
    expect(await calls(page, 'deletePost')).toEqual([]);

    await done.getByRole('button', { name: 'Delete from X: Posted one' }).click();
    await dialog.getByRole('button', { name: 'Delete from X' }).click();
    await expect.poll(() => calls(page, 'deletePost')).toEqual([['done']]);
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => done.locator('.task-deleted').textContent()).toMatch(/^Deleted from X · \S.* · just now$/);
    expect(await done.locator('.task-deleted time').getAttribute('datetime')).toBe(new Date(NOW).toISOString());
    // Deleted: no link to a post that is gone, and no second delete.
    expect(await done.getByRole('link', { name: /Open post/ }).count()).toBe(0);
    expect(await done.locator('[data-action="delete-post"]').count()).toBe(0);
    await expect.poll(() => page.locator('.toast').last().textContent()).toContain('Deleted the post for “Posted one” from X');
  });

  it('says X’s refusal plainly in the dialog, records nothing, and lets the user try again or keep the post', async () => {
    const page = await open(snapshot(mixed()));
    await page.evaluate(() => { window.__crierDeleteRefusal = { code: 'x-refused', message: 'You are not permitted to delete this Tweet. (403)' }; });
    const done = row(page, 'Posted one');
    await done.getByRole('button', { name: 'Delete from X: Posted one' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this post from X?' });
    await dialog.getByRole('button', { name: 'Delete from X' }).click();
    const alert = dialog.getByRole('alert');
    await expect.poll(() => alert.textContent()).toBe('X refused to delete it: You are not permitted to delete this Tweet. (403)');
    expect(await dialog.getByRole('button', { name: 'Try again' }).isEnabled()).toBe(true);
    expect(await done.locator('.task-deleted').count()).toBe(0);
    expect(await done.getByRole('link', { name: /Open post/ }).count()).toBe(1);
    await dialog.getByRole('button', { name: 'Keep the post' }).click();
    expect(await dialog.isVisible()).toBe(false);
    // Opened again: the old refusal is gone.
    await done.getByRole('button', { name: 'Delete from X: Posted one' }).click();
    expect(await dialog.getByRole('alert').isVisible()).toBe(false);
    await dialog.getByRole('button', { name: 'Keep the post' }).click();
  });
});

describe('review and delete: accessibility', () => {
  it('has no axe violations in light and dark with review rows, the hint, the bulk bar, a deleted post and the delete dialog showing a refusal', async () => {
    const tasks = [
      ...mixed(),
      makeTask({ id: 'gone', itemTitle: 'Gone one', text: 'Gone one text', status: 'completed', attempts: 1, postId: '1800',
        postUrl: 'https://x.com/crier_test/status/1800', deletedAt: at(-2), finishedAt: at(-50) }, at(-50)),
    ];
    const page = await open(snapshot(tasks));
    await page.locator('#select-toggle').click();
    await row(page, 'Review one').getByRole('checkbox').click();
    for (const scheme of ['light', 'dark'] as const) expect(await violationsIn(page, scheme), `${scheme}, list`).toBe('');
    await page.evaluate(() => { window.__crierDeleteRefusal = { code: 'x-refused', message: 'You are not permitted to delete this Tweet. (403)' }; });
    await row(page, 'Posted one').getByRole('button', { name: 'Delete from X: Posted one' }).click();
    await page.locator('#delete-post-confirm').click();
    await page.locator('#delete-post-error').waitFor();
    for (const scheme of ['light', 'dark'] as const) expect(await violationsIn(page, scheme), `${scheme}, dialog`).toBe('');
  }, 120_000);
});

describe('the "To review" filter', () => {
  it('is shown only while tasks wait for review or it is the chosen filter', async () => {
    const page = await suite.open('tasks.html', makeSnapshot({ tasks: [makeTask({ id: 'p', status: 'pending' })] }));
    await page.locator('.task').first().waitFor();
    expect(await page.locator('.filter-review').isHidden()).toBe(true);
    await page.evaluate(() => { const f = window.__crierFake!; f.emit({ tasks: [{ ...f.state.tasks[0]!, id: 'r', status: 'review' }] }); });
    await expect.poll(() => page.locator('.filter-review').isVisible()).toBe(true);
  });
});
