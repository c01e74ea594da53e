import { describe, expect, it } from 'vitest';
import { recordPost, spendOf, type PostLedger } from '../../../main/core/tasks/post-ledger';
import { memoryQueueMemory } from '../../../main/core/tasks/types';
import { createHarness, HOUR, MINUTE, pinTimeZone, SECOND } from './queue-harness';
import { makeTask } from './task-fixtures';

pinTimeZone('America/New_York');

const created = (minute: number): string => new Date(Date.UTC(2026, 0, 15, 11, minute)).toISOString();
const prices = { pricePerPostUsd: 0.01, pricePerPostWithUrlUsd: 0.2 };

describe('QueueState.nextPostAt', () => {
  it('is null while nothing holds the next post back', () => {
    expect(createHarness().queue.state().nextPostAt).toBeNull();
  });

  it('is the end of the gap after a post, and null again once the gap is over', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 600 } });
    const t0 = h.clock.now();
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a', createdAt: created(0) }));
    await h.clock.settle();
    expect(h.queue.state().nextPostAt).toBe(new Date(t0 + 10 * MINUTE).toISOString());
    await h.clock.tick(11 * MINUTE);
    expect(h.queue.state().nextPostAt).toBeNull();
  });

  it('is the next local midnight once the day\'s cap is reached', async () => {
    const h = createHarness({ settings: { dailyCap: 1, minPostGapSeconds: 60 } });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a', createdAt: created(0) }));
    await h.clock.settle();
    // 12:00 UTC on 15 January is 07:00 in New York; midnight there is 05:00 UTC on the 16th.
    expect(h.queue.state().nextPostAt).toBe('2026-01-16T05:00:00.000Z');
  });

  it('includes the hold after a storage failure', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0, retryBaseSeconds: 30 } });
    const t0 = h.clock.now();
    h.repo.failPut = (task, durable) => durable && task.status === 'running';
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.settle();
    expect(h.x.calls).toHaveLength(0);
    const next = Date.parse(h.queue.state().nextPostAt ?? '');
    expect(next).toBeGreaterThan(t0);
    expect(next).toBeLessThanOrEqual(t0 + HOUR);
  });

  it('is sent to the views when it changes, not at every look', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 600 } });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a', createdAt: created(0) }));
    await h.clock.settle();
    const sent = h.queueEvents.length;
    h.queue.settingsChanged();
    await h.clock.tick(SECOND);
    h.queue.settingsChanged();
    await h.clock.settle();
    expect(h.queueEvents.length).toBe(sent);
  });
});

describe('QueueState.spend', () => {
  it('counts today\'s and this month\'s live posts and their price, with links priced apart, dry runs free', async () => {
    // Earlier this month (local days), and last month, which does not count.
    let ledger: PostLedger = {};
    const day = (iso: string, entry: { dryRun: boolean; withLink: boolean }): void => {
      ledger = recordPost(ledger, Date.parse(iso), { accountId: 'default', ...entry });
    };
    day('2026-01-02T15:00:00.000Z', { dryRun: false, withLink: true });
    day('2026-01-02T15:00:00.000Z', { dryRun: false, withLink: false });
    day('2026-01-02T15:00:00.000Z', { dryRun: true, withLink: false });
    day('2025-12-31T15:00:00.000Z', { dryRun: false, withLink: true });
    // 04:30 UTC on 1 January is still 31 December in New York.
    day('2026-01-01T04:30:00.000Z', { dryRun: false, withLink: false });
    const h = createHarness({ settings: { minPostGapSeconds: 0, ...prices }, memory: memoryQueueMemory({ ledger }) });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a', createdAt: created(0) }));
    h.queue.enqueue(makeTask({ id: 'b', createdAt: created(1), text: 'No link in this one' }));
    await h.clock.settle();
    expect(h.queue.state().spend).toEqual({
      today: { posts: 2, withLink: 1, usd: 0.21 },
      month: { posts: 4, withLink: 2, usd: 0.42 },
    });
  });

  it('reads the ledger by local calendar day and month', () => {
    const ledger = recordPost({}, Date.parse('2026-02-01T04:00:00.000Z'), { accountId: 'default', dryRun: false, withLink: false });
    // 04:00 UTC on 1 February is 23:00 on 31 January in New York: January's, not February's.
    expect(spendOf(ledger, Date.parse('2026-02-01T12:00:00.000Z'), 'default', prices).month.posts).toBe(0);
    expect(spendOf(ledger, Date.parse('2026-01-31T12:00:00.000Z'), 'default', prices)).toEqual({
      today: { posts: 1, withLink: 0, usd: 0.01 }, month: { posts: 1, withLink: 0, usd: 0.01 },
    });
  });

  it('follows a change of prices at once', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0, ...prices } });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.settle();
    h.settings.pricePerPostWithUrlUsd = 0.5;
    h.queue.settingsChanged();
    await h.clock.settle();
    expect(h.queueEvents.at(-1)?.spend?.today.usd).toBe(0.5);
  });
});
