// Posting hours in the queue, on an injected clock in a zone with DST: tasks outside the hours
// wait for the next opening (across midnight and clock changes); post now does not wait.
import { describe, expect, it } from 'vitest';
import { forecastPending } from '../../../common/forecast';
import { createHarness, HOUR, MINUTE, pinTimeZone } from './queue-harness';
import { makeTask } from './task-fixtures';

pinTimeZone('Europe/Berlin');
const local = (y: number, mo: number, d: number, h: number, mi = 0): number => new Date(y, mo - 1, d, h, mi).getTime();
const everyDay = { from: '08:00', to: '22:00', days: [0, 1, 2, 3, 4, 5, 6] };

describe('posting hours', () => {
  it('holds a task found at night until the hours open, then posts it', async () => {
    const h = createHarness({ start: local(2026, 12, 2, 23, 0), settings: { postingHours: everyDay, minPostGapSeconds: 0 } });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a', createdAt: new Date(local(2026, 12, 2, 23, 0)).toISOString() }));
    await h.clock.tick(8 * HOUR + 59 * MINUTE);
    expect(h.x.calls).toHaveLength(0);
    expect(h.queue.state().nextPostAt).toBe(new Date(local(2026, 12, 3, 8, 0)).toISOString());
    await h.clock.tick(MINUTE);
    expect(h.x.calls.map((c) => c.at)).toEqual([local(2026, 12, 3, 8, 0)]);
  });

  it('opens at 08:00 on the wall clock the night the clocks spring forward', async () => {
    const start = local(2026, 3, 29, 1, 0);
    const h = createHarness({ start, settings: { postingHours: everyDay, minPostGapSeconds: 0 } });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a', createdAt: new Date(start).toISOString() }));
    await h.clock.tick(6 * HOUR); // 01:00 CET + 6 h = 08:00 CEST
    expect(h.x.calls.map((c) => new Date(c.at).getHours())).toEqual([8]);
  });

  it('posts a task asked to post now at once, outside the hours', async () => {
    const h = createHarness({ start: local(2026, 12, 2, 23, 0), settings: { postingHours: everyDay } });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a', createdAt: new Date(local(2026, 12, 2, 22, 30)).toISOString() }));
    await h.clock.settle();
    expect(h.x.calls).toHaveLength(0);
    h.queue.postNow('a');
    await h.clock.settle();
    expect(h.x.calls.map((c) => c.at)).toEqual([local(2026, 12, 2, 23, 0)]);
  });

  it('starts the task the forecast says, when the forecast says', async () => {
    const start = local(2026, 12, 4, 21, 30); // a Friday evening; weekdays only
    const settings = { postingHours: { from: '08:00', to: '22:00', days: [1, 2, 3, 4, 5] }, minPostGapSeconds: 3600 };
    const h = createHarness({ start, settings });
    h.queue.start();
    for (const id of ['a', 'b']) h.queue.enqueue(makeTask({ id, createdAt: new Date(start - (id === 'a' ? 2000 : 1000)).toISOString() }));
    const forecast = forecastPending(h.repo.all(), { now: start, queue: h.queue.state(), settings: h.settings });
    expect(forecast.map((f) => f.expectedAt)).toEqual([new Date(start).toISOString(), new Date(local(2026, 12, 7, 8, 0)).toISOString()]);
    await h.clock.tick(3 * 24 * HOUR);
    expect(h.x.calls.map((c) => c.at)).toEqual(forecast.map((f) => Date.parse(f.expectedAt!)));
  });
});
