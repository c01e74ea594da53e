// The tasks window with many tasks, through the fake preload bridge (the Electron path): the
// first screenful before the rest, one load of the rest, and a virtual list that keeps rows in
// normal flow, opens at the top and holds the view still when tasks arrive or rows are measured.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { StateSnapshot, Task } from '../../preload/contract';
import { fake, useBridgeSuite } from './support/bridge-suite';
import { makeQueue, makeSnapshot, manyTasks } from './support/fixtures';
import { settledReadingRow } from './support/reading-row';

const suite = useBridgeSuite();
const NOW = Date.parse('2026-03-01T12:00:00.000Z');

/** 10,000 tasks whose rows differ in height: long texts, errors and notes here and there. */
function varied(n = 10_000): StateSnapshot {
  const tasks = manyTasks(n, NOW).map((t, i): Task => ({
    ...t,
    text: i % 3 === 0 ? `${t.text} ${'and a long explanation of what changed, '.repeat(8)}` : t.text,
    note: i % 5 === 0 ? 'Image failed: posted text only' : null,
    ...(t.status === 'failed' ? { error: { kind: 'server' as const, message: 'X answered 503 Service Unavailable', httpStatus: 503 } } : {}),
  }));
  return makeSnapshot({ tasks, queue: makeQueue(tasks) });
}

const holdFullState = async (page: Page): Promise<void> => { await page.addInitScript({ content: 'window.__crierHoldFullState = true;' }); };
const scrollHeight = (page: Page): Promise<number> => page.locator('#scroller').evaluate((el) => el.scrollHeight);

describe('the tasks window with 10,000 tasks', () => {
  it('paints the newest 60 tasks first, then asks once for every task', async () => {
    const page = await suite.open('tasks.html', varied(), holdFullState);
    await expect.poll(() => page.locator('.task-title').first().textContent()).toBe('Release notes number 0');
    expect(await fake(page, (f) => f.calls.filter((c) => c.method === 'getState'))).toEqual([
      { method: 'getState', args: [{ taskLimit: 60 }] }, { method: 'getState', args: [] }]);
    // While the rest is on its way: the counts are the queue's totals, the list is 60 rows long.
    expect(await page.locator('.filter-all .filter-count').textContent()).toBe('10,000');
    expect(await scrollHeight(page)).toBeLessThan(60 * 400);
    await fake(page, (f) => f.holdFullState(false));
    await expect.poll(() => scrollHeight(page)).toBeGreaterThan(10_000 * 60);
    expect(await fake(page, (f) => f.getStateCalls())).toBe(2);
  });

  it('opens at the top, the newest task first, and stays there while rows are measured', async () => {
    const page = await suite.open('tasks.html', varied());
    await expect.poll(() => scrollHeight(page)).toBeGreaterThan(10_000 * 60);
    // Rows are built and measured over the next frames and idle periods; none of it may scroll.
    for (let i = 0; i < 10; i++) {
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 30))));
      expect(await page.locator('#scroller').evaluate((el) => el.scrollTop)).toBe(0);
    }
    const first = page.locator('.task').first();
    expect(await first.locator('.task-title').textContent()).toBe('Release notes number 0');
    expect(await first.getAttribute('aria-posinset')).toBe('1');
    const [rowTop, listTop] = await page.evaluate(() => [document.querySelector('.task')!.getBoundingClientRect().top, document.getElementById('list')!.getBoundingClientRect().top]);
    expect(rowTop).toBe(listTop);
  });

  it('keeps rows in normal flow between two spacers that stand for the rest, a window of them only', async () => {
    const page = await suite.open('tasks.html', varied());
    await expect.poll(() => scrollHeight(page)).toBeGreaterThan(10_000 * 60);
    await page.locator('#scroller').evaluate((el) => { el.scrollTop = 400_000; });
    await expect.poll(() => page.locator('.task').first().getAttribute('aria-posinset').then(Number)).toBeGreaterThan(2000);
    const shape = await page.evaluate(() => {
      const list = document.getElementById('list')!;
      const children = [...list.children] as HTMLElement[];
      const rows = children.filter((c) => c.classList.contains('task'));
      return {
        first: children[0]!.getAttribute('aria-hidden'), last: children.at(-1)!.getAttribute('aria-hidden'),
        between: children.slice(1, -1).every((c) => c.classList.contains('task')),
        positioned: rows.filter((r) => getComputedStyle(r).position !== 'static' || r.style.transform !== '').length,
        sum: children.reduce((s, c) => s + c.getBoundingClientRect().height, 0), list: list.getBoundingClientRect().height,
        rows: rows.length, posinsets: rows.map((r) => Number(r.getAttribute('aria-posinset'))),
      };
    });
    expect(shape.first).toBe('true');
    expect(shape.last).toBe('true');
    expect(shape.between).toBe(true);
    expect(shape.positioned).toBe(0);
    expect(Math.abs(shape.sum - shape.list)).toBeLessThan(1);
    expect(shape.rows).toBeLessThan(60);
    // One contiguous run, in order.
    expect(shape.posinsets).toEqual(shape.posinsets.map((_, i) => shape.posinsets[0]! + i));
  });

  it('holds the row being read in place when a new task arrives on top', async () => {
    const page = await suite.open('tasks.html', varied());
    await expect.poll(() => scrollHeight(page)).toBeGreaterThan(10_000 * 60);
    // As a user scrolls: the browser anchors the view to a row only after scrolls of that kind.
    await page.mouse.move(500, 500);
    for (let i = 0; i < 12; i++) { await page.mouse.wheel(0, 600); await page.waitForTimeout(30); }
    const reading = await settledReadingRow(page);
    await fake(page, (f) => f.emit({ tasks: [{ ...f.state.tasks[0]!, id: 'brand-new', itemTitle: 'Brand new', createdAt: '2026-03-01T12:30:00.000Z' }] }));
    await expect.poll(() => page.locator('.filter-all .filter-count').textContent()).toBe('10,001');
    // Once the list is at rest again, the row being read is where it was.
    await settledReadingRow(page);
    const top = await page.locator('.task', { has: page.locator('.task-title', { hasText: new RegExp(`^${reading.title}$`) }) })
      .evaluate((el) => el.getBoundingClientRect().top);
    expect(Math.abs(top - reading.top)).toBeLessThanOrEqual(1);
  });
});
