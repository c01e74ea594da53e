// The monthly spending limit, on an injected clock: live posts stop once the month's spend reaches
// it and start again on the first of next month; post now is refused meanwhile; dry runs are free.
import { describe, expect, it } from 'vitest';
import { CommandError } from '../../../main/core/errors';
import { createHarness, HOUR, MINUTE, pinTimeZone } from './queue-harness';
import { makeTask } from './task-fixtures';

pinTimeZone('Europe/Berlin');
const start = new Date(2026, 11, 30, 12, 0).getTime(); // 30 December 2026, noon
const prices = { pricePerPostUsd: 0.015, pricePerPostWithUrlUsd: 0.015, minPostGapSeconds: 60, dailyCap: 100 };
const enqueue = (h: ReturnType<typeof createHarness>, ids: string[]): void => {
  ids.forEach((id, i) => h.queue.enqueue(makeTask({ id, createdAt: new Date(start - 10_000 + i).toISOString() })));
};

describe('the monthly spending limit', () => {
  it('stops live posts once the month’s spend reaches it, until the first of next month', async () => {
    const h = createHarness({ start, settings: { ...prices, monthlySpendLimitUsd: 0.03 } });
    h.queue.start();
    enqueue(h, ['a', 'b', 'c']);
    await h.clock.tick(HOUR);
    expect(h.x.calls.map((c) => c.request.text)).toEqual(['Post a https://example.com/a', 'Post b https://example.com/b']);
    expect(h.queue.state().spend?.month.usd).toBeCloseTo(0.03);
    const nextMonth = new Date(2027, 0, 1).getTime();
    expect(h.queue.state().nextPostAt).toBe(new Date(nextMonth).toISOString());
    let refusal: unknown;
    try { h.queue.postNow('c'); } catch (err) { refusal = err; }
    expect(refusal).toBeInstanceOf(CommandError);
    expect((refusal as CommandError).message).toMatch(/^This month's spending limit is reached/);
    await h.clock.tick(nextMonth - h.clock.now() + MINUTE);
    expect(h.x.calls).toHaveLength(3);
  });

  it('does not hold back dry runs, which cost nothing', async () => {
    const h = createHarness({ start, connected: false, settings: { ...prices, monthlySpendLimitUsd: 0 } });
    h.queue.start();
    enqueue(h, ['a', 'b']);
    await h.clock.tick(HOUR);
    expect(['a', 'b'].map((id) => h.task(id).status)).toEqual(['completed', 'completed']);
  });

  it('lets posts go again at once when the limit is raised', async () => {
    const h = createHarness({ start, settings: { ...prices, monthlySpendLimitUsd: 0.015 } });
    h.queue.start();
    enqueue(h, ['a', 'b']);
    await h.clock.tick(HOUR);
    expect(h.x.calls).toHaveLength(1);
    h.settings.monthlySpendLimitUsd = 1;
    h.queue.settingsChanged();
    await h.clock.tick(MINUTE);
    expect(h.x.calls).toHaveLength(2);
  });
});
