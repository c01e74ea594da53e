// The tasks window's rows, second pass (issue 15), in real Chromium through the fake preload
// bridge: density, times in local clock time, the queue's forecast, Post now, editing in place,
// the attempt history, copying, right-to-left text, keyboard use and axe-core in light and dark.
// The page's clock is fixed (Playwright's clock), so relative times never race the wall clock.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { StateSnapshot, Task } from '../../preload/contract';
import { fake, useBridgeSuite } from './support/bridge-suite';
import { violationsIn } from './support/axe';
import { makeFeed, makeQueue, makeSnapshot, makeTask, manyTasks } from './support/fixtures';

const suite = useBridgeSuite();
const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const at = (minutes: number): string => new Date(NOW + minutes * 60_000).toISOString();

const fixedClock = async (page: Page): Promise<void> => { await page.clock.setFixedTime(new Date(NOW)); };
const open = (snapshot: StateSnapshot, beforeLoad?: (page: Page) => Promise<void>): Promise<Page> =>
  suite.open('tasks.html', snapshot, async (page) => { await fixedClock(page); await beforeLoad?.(page); });

/** The row whose (possibly visually hidden) heading is `title`. */
const row = (page: Page, title: string) => page.locator('.task', { has: page.locator('.task-title', { hasText: new RegExp(`^${title}$`) }) });
/** The local clock time the page shows for `iso` ("14:05" or "02:05 PM", the page's locale). */
const clock = (page: Page, iso: string): Promise<string> =>
  page.evaluate((i) => new Date(i).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }), iso);

function snapshot(tasks: Task[], fields: Partial<StateSnapshot> = {}): StateSnapshot {
  return makeSnapshot({ tasks, queue: makeQueue(tasks, { nextPostAt: at(2) }), ...fields });
}

describe('task rows: density', () => {
  it('shows the post text once and a title line only where the text does not open with the title', async () => {
    const page = await open(snapshot([
      makeTask({ id: 'same', itemTitle: 'Announcing Rust 1.95.0', text: 'Announcing Rust 1.95.0 #rustlang https://blog.rust-lang.org/x', status: 'completed', attempts: 1 }, at(-5)),
      makeTask({ id: 'other', itemTitle: 'Weekly digest', text: 'Five things we shipped this week https://blog.example.org/d', status: 'completed', attempts: 1 }, at(-6)),
    ]));
    const same = row(page, 'Announcing Rust 1.95.0');
    const other = row(page, 'Weekly digest');
    await same.waitFor();
    // The redundant title stays the row's heading for screen readers, but takes no line.
    expect(await same.locator('.task-title').evaluate((el) => el.classList.contains('visually-hidden') && el.getBoundingClientRect().height <= 1)).toBe(true);
    expect(await same.locator('.task-text').textContent()).toBe('Announcing Rust 1.95.0 #rustlang https://blog.rust-lang.org/x');
    expect(await other.locator('.task-title').isVisible()).toBe(true);
    expect(await other.getAttribute('class')).toContain('task-titled');
    const heights = await page.locator('.task').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
    // A title line costs its height: the row without one is shorter.
    expect(heights[0]!).toBeLessThan(heights[1]! - 10);
  });

  it('fits at least 9 whole rows at 1280×800 (6 before the second pass), each without a title line', async () => {
    const tasks = manyTasks(200, NOW);
    const page = await open(snapshot(tasks));
    await page.setViewportSize({ width: 1280, height: 800 });
    await expect.poll(() => page.locator('.task').count()).toBeGreaterThan(12);
    const seen = await page.evaluate(() => {
      const s = document.getElementById('scroller')!.getBoundingClientRect();
      const rows = [...document.querySelectorAll<HTMLElement>('.task')];
      const whole = rows.filter((r) => { const b = r.getBoundingClientRect(); return b.top >= s.top && b.bottom <= s.bottom; });
      return { whole: whole.length, titleLines: whole.filter((r) => r.querySelector('.task-title')!.getBoundingClientRect().height > 1).length,
        tallest: Math.max(...whole.map((r) => r.getBoundingClientRect().height)) };
    });
    expect(seen.titleLines).toBe(0);
    // Rows were 99 px (status line, title line, text line); one line less is under 75 px.
    expect(seen.tallest).toBeLessThan(75);
    expect(seen.whole).toBeGreaterThanOrEqual(9);
  });
});

describe('task rows: times', () => {
  it('says when a task was posted or failed in local clock time, with the date when not today, in a <time datetime>', async () => {
    const page = await open(snapshot([
      makeTask({ id: 'c1', itemTitle: 'Posted one', status: 'completed', attempts: 1, finishedAt: at(-3.5), updatedAt: at(-3.5) }, at(-30)),
      makeTask({ id: 'f1', itemTitle: 'Failed one', status: 'failed', attempts: 1, updatedAt: at(-7.5), error: { kind: 'server', message: 'X answered 503', httpStatus: 503 } }, at(-40)),
      makeTask({ id: 'old', itemTitle: 'Posted long ago', status: 'completed', attempts: 1, finishedAt: at(-3 * 24 * 60), updatedAt: at(-3 * 24 * 60) }, at(-3 * 24 * 60 - 5)),
    ]));
    const posted = row(page, 'Posted one').locator('time.task-time');
    await posted.waitFor();
    expect(await posted.textContent()).toBe(`${await clock(page, at(-3.5))} · 3 min ago`);
    expect(await posted.getAttribute('datetime')).toBe(at(-3.5));
    expect(await posted.getAttribute('title')).toMatch(/^Posted .*2026/);
    // No finishedAt (an older build's task): its last change stands for it.
    const failed = row(page, 'Failed one').locator('time.task-time');
    expect(await failed.textContent()).toBe(`${await clock(page, at(-7.5))} · 7 min ago`);
    expect(await failed.getAttribute('datetime')).toBe(at(-7.5));
    const old = await row(page, 'Posted long ago').locator('time.task-time').textContent();
    const day = await page.evaluate((i) => new Date(i).toLocaleString(undefined, { month: 'short', day: 'numeric' }), at(-3 * 24 * 60));
    expect(old).toContain(day);
    expect(old).toContain('3 d ago');
    expect(await row(page, 'Posted one').getAttribute('aria-label')).toContain(`${await clock(page, at(-3.5))} · 3 min ago`);
  });

  it('gives each pending task its place and expected start from the forecast, and a backing-off task its next try', async () => {
    const page = await open(snapshot([
      makeTask({ id: 'c', itemTitle: 'Third', text: 'Third post' }, at(-1)),
      makeTask({ id: 'b', itemTitle: 'Second', text: 'Second post' }, at(-5)),
      makeTask({ id: 'a', itemTitle: 'First', text: 'First post' }, at(-10)),
      makeTask({ id: 'r', itemTitle: 'Backing off', text: 'Backing off post', attempts: 2, nextAttemptAt: at(30),
        error: { kind: 'server', message: 'X answered 503', httpStatus: 503 } }, at(-20)),
    ]));
    const time = (title: string) => row(page, title).locator('.task-time').textContent();
    await expect.poll(() => time('First')).toBe(`Next to post · about ${await clock(page, at(2))}`);
    expect(await time('Second')).toBe(`2nd in line · about ${await clock(page, at(3))}`);
    expect(await time('Third')).toBe(`3rd in line · about ${await clock(page, at(4))}`);
    expect(await row(page, 'First').locator('time.task-time').getAttribute('datetime')).toBe(at(2));
    const backing = row(page, 'Backing off').locator('.task-time');
    expect(await backing.textContent()).toBe(`Next try ${await clock(page, at(30))} · in 30 min`);
    expect(await backing.getAttribute('class')).toContain('task-time-waiting');

    // Paused with no known end: the order holds (no task is held back by its backoff then: the
    // oldest goes first), the times are unknown.
    await page.locator('#pause-toggle').click();
    await expect.poll(() => time('First')).toBe('2nd in line · waits for the pause to end');
    expect(await time('Third')).toBe('4th in line · waits for the pause to end');
  });
});

describe('task rows: Post now', () => {
  it('asks the engine to post a pending task now, and it becomes the next to post', async () => {
    const page = await open(snapshot([
      makeTask({ id: 'c', itemTitle: 'Third', text: 'Third post' }, at(-1)),
      makeTask({ id: 'a', itemTitle: 'First', text: 'First post' }, at(-10)),
    ]));
    await row(page, 'Third').getByRole('button', { name: 'Post now: Third' }).click();
    await expect.poll(() => row(page, 'Third').locator('.task-time').textContent()).toMatch(/^Next to post · now$/);
    expect(await row(page, 'First').locator('.task-time').textContent()).toMatch(/^2nd in line/);
    expect(await fake(page, (f) => f.calls.filter((c) => c.method === 'postTask'))).toEqual([{ method: 'postTask', args: ['c'] }]);
    await expect.poll(() => page.locator('.toast').last().textContent()).toContain('Posting “Third” now');
  });

  it('says plainly why the engine refused (paused)', async () => {
    const tasks = [makeTask({ id: 'a', itemTitle: 'First', text: 'First post' }, at(-10))];
    const page = await open(snapshot(tasks, { queue: makeQueue(tasks, { paused: true, pauseReason: 'user' }) }));
    await row(page, 'First').getByRole('button', { name: 'Post now: First' }).click();
    const toast = page.locator('.toast-error');
    await expect.poll(() => toast.textContent()).toContain('Could not post “First” now: The queue is paused');
  });
});

describe('task rows: editing in place', () => {
  const LINK = 'https://blog.example.org/a-rather-long-path/that-x-counts-as-23';
  const editable = (): StateSnapshot => snapshot([
    makeTask({ id: 'p', itemTitle: 'Pending one', text: `Pending one ${LINK}` }, at(-1)),
    makeTask({ id: 'f', itemTitle: 'Too long', text: 'Too long text', status: 'failed', attempts: 1,
      error: { kind: 'invalid-post', message: 'Your Tweet text is too long.', httpStatus: 400 } }, at(-2)),
    makeTask({ id: 's', itemTitle: 'Server error', text: 'Server error text', status: 'failed', attempts: 1,
      error: { kind: 'server', message: 'X answered 503', httpStatus: 503 } }, at(-3)),
    makeTask({ id: 'done', itemTitle: 'Done', text: 'Done text', status: 'completed', attempts: 1 }, at(-4)),
  ]);

  it('offers Edit on pending and failed tasks only, and first (before Retry) for a failure that would repeat', async () => {
    const page = await open(editable());
    const actions = (title: string) => row(page, title).locator('.task-actions button').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.action));
    await row(page, 'Pending one').waitFor();
    expect(await actions('Pending one')).toEqual(['post-now', 'edit', 'cancel', 'copy']);
    expect((await actions('Too long')).slice(0, 2)).toEqual(['edit', 'retry']);
    expect((await actions('Server error')).slice(0, 2)).toEqual(['retry', 'edit']);
    expect(await actions('Done')).not.toContain('edit');
    expect(await row(page, 'Too long').locator('[data-action="edit"]').getAttribute('class')).toContain('btn-primary');
  });

  it('counts the weighted length live (a link counts 23), saves with the task’s updatedAt and closes', async () => {
    const page = await open(editable());
    const r = row(page, 'Pending one');
    await r.getByRole('button', { name: 'Edit: Pending one' }).click();
    const box = r.getByRole('textbox', { name: 'Post text' });
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await box.getAttribute('dir')).toBe('auto');
    const count = r.locator('.task-edit-count');
    await expect.poll(() => count.textContent()).toBe(`${'Pending one '.length + 23} / 280`);
    await box.fill(`Edited text ${LINK}`);
    await expect.poll(() => count.textContent()).toBe(`${'Edited text '.length + 23} / 280`);
    // Emoji weigh 2.
    await box.fill(`😀 ${LINK}`);
    await expect.poll(() => count.textContent()).toBe(`${2 + 1 + 23} / 280`);
    await box.fill(`Edited text ${LINK}`);
    await r.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => r.locator('.task-text').textContent()).toBe(`Edited text ${LINK}`);
    expect(await r.locator('.task-edit').count()).toBe(0);
    expect(await fake(page, (f) => f.calls.filter((c) => c.method === 'editTask'))).toEqual([{ method: 'editTask', args: ['p'] }]);
    // Back on the Edit button, where the keyboard user started.
    // The row may render again when the saved task's delta lands: focus stays on (or returns to) Edit.
    await expect.poll(() => r.locator('[data-action="edit"]').evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('refuses to save past 280 and says by how much', async () => {
    const page = await open(editable());
    const r = row(page, 'Pending one');
    await r.getByRole('button', { name: 'Edit: Pending one' }).click();
    await r.getByRole('textbox', { name: 'Post text' }).fill('x'.repeat(290));
    await expect.poll(() => r.locator('.task-edit-count').textContent()).toBe('10 over the limit of 280');
    expect(await r.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
  });

  it('keeps the draft through a re-render and shows the engine’s refusal in the row when the task changed meanwhile', async () => {
    const page = await open(editable());
    const r = row(page, 'Pending one');
    await r.getByRole('button', { name: 'Edit: Pending one' }).click();
    const box = r.getByRole('textbox', { name: 'Post text' });
    await box.fill('My draft');
    // The engine tried it meanwhile: a new updatedAt arrives, and the row re-renders.
    await fake(page, (f) => { const t = f.state.tasks.find((x) => x.id === 'p')!; f.emit({ tasks: [{ ...t, attempts: 1, updatedAt: '2026-03-01T12:00:30.000Z' }] }); });
    await expect.poll(() => r.locator('.task-attempts').textContent()).toBe('1 attempt');
    expect(await box.inputValue()).toBe('My draft');
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
    await box.press('Control+Enter');
    const refusal = r.getByRole('alert');
    await expect.poll(() => refusal.textContent()).toBe('This task changed while you were editing it.');
    expect(await box.inputValue()).toBe('My draft');
    expect(await box.getAttribute('aria-invalid')).toBe('true');
  });

  it('closes on Cancel and on Escape without saving', async () => {
    const page = await open(editable());
    const r = row(page, 'Too long');
    await r.getByRole('button', { name: 'Edit: Too long' }).click();
    await r.getByRole('textbox', { name: 'Post text' }).fill('Not saved');
    await page.keyboard.press('Escape');
    await expect.poll(() => r.locator('.task-edit').count()).toBe(0);
    expect(await r.locator('.task-text').textContent()).toBe('Too long text');
    await r.getByRole('button', { name: 'Edit: Too long' }).click();
    await r.getByRole('button', { name: 'Save' }).focus();
    await page.keyboard.press('Escape');
    await expect.poll(() => r.locator('.task-edit').count()).toBe(0);
    await r.getByRole('button', { name: 'Edit: Too long' }).click();
    await r.getByRole('button', { name: 'Cancel editing' }).click();
    await expect.poll(() => r.locator('.task-edit').count()).toBe(0);
    expect(await fake(page, (f) => f.calls.some((c) => c.method === 'editTask'))).toBe(false);
  });

  it('says so in the row when the task was posted while being edited, keeping the draft on screen', async () => {
    const page = await open(editable());
    const r = row(page, 'Pending one');
    await r.getByRole('button', { name: 'Edit: Pending one' }).click();
    await r.getByRole('textbox', { name: 'Post text' }).fill('Too late');
    await fake(page, (f) => { const t = f.state.tasks.find((x) => x.id === 'p')!; f.emit({ tasks: [{ ...t, status: 'completed', attempts: 1, updatedAt: '2026-03-01T12:00:30.000Z' }] }); });
    await expect.poll(() => r.getByRole('alert').textContent()).toContain('This task is completed now: its text can no longer be edited');
    expect(await r.getByRole('textbox', { name: 'Post text' }).inputValue()).toBe('Too late');
    expect(await r.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
  });
});

describe('task rows: attempt history', () => {
  const logged = (): StateSnapshot => snapshot([
    makeTask({ id: 'h', itemTitle: 'Tried twice', text: 'Tried twice text', status: 'completed', attempts: 2, finishedAt: at(-1), updatedAt: at(-1),
      attemptLog: [
        { at: at(-10), endedAt: at(-9.9), outcome: 'failed', dryRun: false, error: { kind: 'server', message: 'X answered 503 Service Unavailable', httpStatus: 503 } },
        { at: at(-1.1), endedAt: at(-1), outcome: 'posted', dryRun: false },
      ] }, at(-20)),
    makeTask({ id: 'n', itemTitle: 'Never tried', text: 'Never tried text' }, at(-21)),
    makeTask({ id: 'o', itemTitle: 'Old build', text: 'Old build text', status: 'failed', attempts: 3, error: { kind: 'network', message: 'Connection reset' } }, at(-22)),
    ...manyTasks(60, NOW - 30 * 60_000),
  ]);

  it('lists the attempts, newest first, in local time with outcome and message, behind a disclosure', async () => {
    const page = await open(logged());
    const r = row(page, 'Tried twice');
    const toggle = r.getByRole('button', { name: '2 attempts' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await r.locator('.task-history').count()).toBe(0);
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => toggle.getAttribute('aria-expanded')).toBe('true');
    const panel = page.locator(`#${await toggle.getAttribute('aria-controls')}`);
    expect(await panel.locator('li').allTextContents()).toEqual([
      `${await clock(page, at(-1.1))}Posted`,
      `${await clock(page, at(-10))}Failed: X server error (503) — X answered 503 Service Unavailable`,
    ]);
    expect(await panel.locator('time').first().getAttribute('datetime')).toBe(at(-1.1));
    expect(await toggle.evaluate((el) => el === document.activeElement)).toBe(true);
    // No log: the count alone, or that there was none yet.
    expect(await row(page, 'Never tried').locator('.task-attempts').textContent()).toBe('No attempts yet');
    expect(await row(page, 'Old build').locator('.task-attempts').evaluate((el) => [el.tagName, el.textContent])).toEqual(['SPAN', '3 attempts']);
  });

  it('re-measures a row that grows, and keeps it open after it scrolled out and back', async () => {
    const page = await open(logged());
    const r = row(page, 'Tried twice');
    const heightBefore = await r.evaluate((el) => el.getBoundingClientRect().height);
    await r.getByRole('button', { name: '2 attempts' }).click();
    await expect.poll(() => r.evaluate((el) => el.getBoundingClientRect().height)).toBeGreaterThan(heightBefore + 30);
    // In normal flow: the next row starts where this one ends, and the list's height is the sum of its parts.
    const fit = await r.evaluate((el) => {
      const next = el.nextElementSibling!.getBoundingClientRect().top;
      const list = document.getElementById('list')!;
      const sum = [...list.children].reduce((s, c) => s + c.getBoundingClientRect().height, 0);
      return { gap: next - el.getBoundingClientRect().bottom, drift: sum - list.getBoundingClientRect().height };
    });
    expect(Math.abs(fit.gap)).toBeLessThan(1);
    expect(Math.abs(fit.drift)).toBeLessThan(1);
    await page.locator('#scroller').evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await expect.poll(() => r.count()).toBe(0);
    await page.locator('#scroller').evaluate((el) => { el.scrollTop = 0; });
    await expect.poll(() => r.locator('.task-history li').count()).toBe(2);
  });
});

describe('task rows: copy', () => {
  const copyPage = (mode: 'ok' | 'refuse'): Promise<Page> => open(snapshot([makeTask({ id: 'p', itemTitle: 'Copy me', text: 'Copy me https://blog.example.org/c' }, at(-1))]),
    async (page) => {
      await page.addInitScript((m) => {
        const copied: string[] = [];
        (window as unknown as { __copied: string[] }).__copied = copied;
        Object.defineProperty(navigator, 'clipboard', { configurable: true, value: {
          writeText: (t: string) => (m === 'ok' ? (copied.push(t), Promise.resolve()) : Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'))),
        } });
      }, mode);
    });

  it('copies the post’s text and says so', async () => {
    const page = await copyPage('ok');
    await row(page, 'Copy me').getByRole('button', { name: 'Copy the post’s text: Copy me' }).click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { __copied: string[] }).__copied)).toEqual(['Copy me https://blog.example.org/c']);
    await expect.poll(() => page.locator('.toast').textContent()).toContain('Copied the post’s text.');
  });

  it('selects the text and says how to copy it when the clipboard refuses', async () => {
    const page = await copyPage('refuse');
    await row(page, 'Copy me').getByRole('button', { name: /^Copy the post’s text/ }).click();
    await expect.poll(() => page.locator('.toast-error').textContent()).toContain('press Ctrl+C');
    expect(await page.evaluate(() => window.getSelection()?.toString())).toBe('Copy me https://blog.example.org/c');
  });
});

describe('task rows: right-to-left and mixed scripts', () => {
  it('gives every piece of feed text dir="auto": title, text, feed name, error, note, toasts and notices', async () => {
    const hebrew = 'שלום עולם: גרסה 2.0 יצאה';
    const tasks = [
      makeTask({ id: 'he', feedId: 'he', itemTitle: hebrew, text: `חדשות השבוע https://example.org/he`, status: 'failed', attempts: 1, note: 'הערה',
        error: { kind: 'server', message: 'שגיאה', httpStatus: 503 } }, at(-1)),
      makeTask({ id: 'ar', feedId: 'he', itemTitle: 'مرحبا بالعالم', text: 'مرحبا بالعالم https://example.org/ar' }, at(-2)),
    ];
    const page = await open(snapshot(tasks, { feeds: [makeFeed({ id: 'he', title: 'בלוג' })],
      notices: [{ id: 'n', kind: 'info', message: 'הודעה', at: at(-5) }] }));
    const he = row(page, hebrew);
    for (const sel of ['.task-title', '.task-text', '.task-feed', '.task-error span', '.task-note']) {
      expect(await he.locator(sel).getAttribute('dir'), sel).toBe('auto');
    }
    // Direction follows the text: Hebrew reads right to left inside a left-to-right page.
    expect(await he.locator('.task-title').evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    expect(await row(page, 'مرحبا بالعالم').locator('.task-text').evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    expect(await page.locator('.notice-text span').getAttribute('dir')).toBe('auto');
    await row(page, 'مرحبا بالعالم').getByRole('button', { name: /^Post now/ }).click();
    await expect.poll(() => page.locator('.toast span').first().getAttribute('dir')).toBe('auto');
    // The undo toast after Cancel names the task too.
    await row(page, 'مرحبا بالعالم').getByRole('button', { name: /^Cancel/ }).click();
    await expect.poll(() => page.locator('.toast-undo span').first().getAttribute('dir')).toBe('auto');
  });
});

describe('task rows: keyboard', () => {
  it('reaches every control of a row in order with Tab, and edits and saves a task without the mouse', async () => {
    const page = await open(snapshot([makeTask({ id: 'p', itemTitle: 'Keyboard', text: 'Keyboard text https://blog.example.org/k' }, at(-1))]));
    const r = row(page, 'Keyboard');
    await r.locator('[data-action="post-now"]').focus();
    const order: string[] = [];
    for (let i = 0; i < 5; i++) {
      order.push(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.action ?? document.activeElement!.textContent!));
      await page.keyboard.press('Tab');
    }
    expect(order).toEqual(['post-now', 'edit', 'cancel', 'copy', 'Open article']);
    await r.locator('[data-action="edit"]').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.type(' #edited');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => r.locator('.task-text').textContent()).toBe('Keyboard text https://blog.example.org/k #edited');
    // The row may render again when the saved task's delta lands: focus stays on (or returns to) Edit.
    await expect.poll(() => r.locator('[data-action="edit"]').evaluate((el) => el === document.activeElement)).toBe(true);
  });
});

describe('task rows: accessibility', () => {
  it('has no axe violations in light and dark with an editor, a refusal and a history open', async () => {
    const page = await open(snapshot([
      makeTask({ id: 'p', itemTitle: 'Pending one', text: 'Pending one text' }, at(-1)),
      makeTask({ id: 'h', itemTitle: 'A distinct title', text: 'Tried twice text', status: 'failed', attempts: 2,
        error: { kind: 'duplicate', message: 'Already posted in the last 24 hours.' },
        attemptLog: [{ at: at(-10), endedAt: at(-9.9), outcome: 'failed', dryRun: false, error: { kind: 'network', message: 'Connection reset' } },
          { at: at(-2), endedAt: at(-1.9), outcome: 'failed', dryRun: false, error: { kind: 'duplicate', message: 'Already posted in the last 24 hours.' } }] }, at(-20)),
      makeTask({ id: 'c', itemTitle: 'Posted', text: 'Posted text', status: 'completed', attempts: 1, postUrl: 'https://x.com/me/status/1' }, at(-30)),
    ]));
    await row(page, 'A distinct title').getByRole('button', { name: '2 attempts' }).click();
    const r = row(page, 'Pending one');
    await r.getByRole('button', { name: 'Edit: Pending one' }).click();
    await fake(page, (f) => { const t = f.state.tasks.find((x) => x.id === 'p')!; f.emit({ tasks: [{ ...t, updatedAt: '2026-03-01T12:00:30.000Z' }] }); });
    await r.getByRole('button', { name: 'Save' }).click();
    await r.getByRole('alert').waitFor();
    for (const scheme of ['light', 'dark'] as const) expect(await violationsIn(page, scheme), scheme).toBe('');
  }, 120_000);
});
