// The row a user is reading in the tasks window: the first whose top is inside the scroller. A
// wheel scroll is smooth and the rows around a jump are built in idle time, so the row is read once
// it has stayed put for a few samples, not after a fixed wait (which a loaded machine outlasts).
import type { Page } from 'playwright-core';

export interface ReadingRow { id: string; title: string; top: number }

export function readingRow(page: Page): Promise<ReadingRow> {
  return page.evaluate(() => {
    const top = document.getElementById('scroller')!.getBoundingClientRect().top;
    // None yet right after a jump, until the rows there are built.
    const r = [...document.querySelectorAll<HTMLElement>('.task')].find((el) => el.getBoundingClientRect().top >= top);
    return r ? { id: r.dataset.taskId ?? '', title: r.querySelector('.task-title')?.textContent ?? '', top: r.getBoundingClientRect().top } : { id: '', title: '', top: 0 };
  });
}

/** The reading row once the same row has stayed at the same place for three samples 150 ms apart. */
export async function settledReadingRow(page: Page, timeoutMs = 15_000): Promise<ReadingRow> {
  const end = Date.now() + timeoutMs;
  let reading = await readingRow(page);
  for (let settled = 0; settled < 3;) {
    if (Date.now() > end) throw new Error('the tasks list did not come to rest');
    await page.waitForTimeout(150);
    const now = await readingRow(page);
    settled = now.title !== '' && now.id === reading.id && now.title === reading.title && Math.abs(now.top - reading.top) < 0.5 ? settled + 1 : 0;
    reading = now;
  }
  return reading;
}
