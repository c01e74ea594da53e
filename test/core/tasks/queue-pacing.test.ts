import { describe, expect, it } from 'vitest';
import { createHarness, HOUR, MINUTE, pinTimeZone, SECOND } from './queue-harness';
import { makeTask } from './task-fixtures';

pinTimeZone('America/New_York');

const created = (minute: number): string => new Date(Date.UTC(2026, 0, 15, 11, minute)).toISOString();

describe('minimum gap', () => {
  it('measures the gap from one post start to the next, not from the end of a slow post', async () => {
    const h = createHarness();
    const t0 = h.clock.now();
    h.x.reply('hang');
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a', createdAt: created(0) }));
    h.queue.enqueue(makeTask({ id: 'b', createdAt: created(1) }));
    await h.clock.tick(20 * SECOND);
    h.x.release();
    await h.clock.tick(39 * SECOND);
    expect(h.x.calls).toHaveLength(1);
    await h.clock.tick(1 * SECOND);
    expect(h.x.calls.map((c) => c.at - t0)).toEqual([0, 60 * SECOND]);
  });

  it('re-evaluates a shorter gap at once when the settings change', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 3600 } });
    const t0 = h.clock.now();
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a', createdAt: created(0) }));
    h.queue.enqueue(makeTask({ id: 'b', createdAt: created(1) }));
    await h.clock.tick(2 * MINUTE);
    expect(h.x.calls).toHaveLength(1);
    h.settings.minPostGapSeconds = 60;
    h.queue.settingsChanged();
    await h.clock.settle();
    expect(h.x.calls.map((c) => c.at - t0)).toEqual([0, 2 * MINUTE]);
  });

  it('with no gap, posts a backlog back to back', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0 } });
    h.queue.start();
    for (let i = 0; i < 5; i++) h.queue.enqueue(makeTask({ id: `t${i}`, createdAt: created(i) }));
    await h.clock.settle();
    expect(h.x.calls.map((c) => c.request.text.split(' ')[1])).toEqual(['t0', 't1', 't2', 't3', 't4']);
  });
});

describe('daily cap', () => {
  // 22:00 on 15 January in New York (UTC−5); local midnight is 05:00 UTC on the 16th.
  const lateEvening = Date.parse('2026-01-16T03:00:00Z');
  const localMidnight = Date.parse('2026-01-16T05:00:00Z');

  it('keeps items over the cap pending, in order, until local midnight', async () => {
    const h = createHarness({ start: lateEvening, settings: { dailyCap: 2 } });
    h.queue.start();
    for (const [i, id] of ['a', 'b', 'c', 'd'].entries()) h.queue.enqueue(makeTask({ id, createdAt: created(i) }));
    await h.clock.tick(2 * MINUTE);
    expect(h.x.calls).toHaveLength(2);
    expect(h.queue.state()).toMatchObject({ postedToday: 2, dailyCap: 2, counts: { pending: 2, completed: 2 } });
    expect(h.clock.nextTimerAt()).toBe(localMidnight);

    await h.clock.tickTo(localMidnight - 1);
    expect(h.x.calls).toHaveLength(2);
    await h.clock.tickTo(localMidnight);
    expect(h.x.calls.map((c) => [c.request.text.split(' ')[1], c.at])).toEqual([
      ['a', lateEvening], ['b', lateEvening + MINUTE], ['c', localMidnight],
    ]);
    expect(h.queue.state().postedToday).toBe(1);
    await h.clock.tick(MINUTE);
    expect(h.task('d').status).toBe('completed');
  });

  it('tells the views postedToday went back to zero at midnight even with nothing to post', async () => {
    const h = createHarness({ start: lateEvening });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.settle();
    expect(h.queueEvents.at(-1)?.postedToday).toBe(1);
    await h.clock.tickTo(localMidnight);
    expect(h.queueEvents.at(-1)?.postedToday).toBe(0);
  });

  it('posts at once when the cap is raised', async () => {
    const h = createHarness({ start: lateEvening, settings: { dailyCap: 1, minPostGapSeconds: 0 } });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a', createdAt: created(0) }));
    h.queue.enqueue(makeTask({ id: 'b', createdAt: created(1) }));
    await h.clock.tick(MINUTE);
    expect(h.task('b').status).toBe('pending');
    h.settings.dailyCap = 5;
    h.queue.settingsChanged();
    await h.clock.settle();
    expect(h.task('b').status).toBe('completed');
  });

  it('paces dry runs by the cap without using up the real posts of the day', async () => {
    const h = createHarness({ start: lateEvening, connected: false, settings: { dailyCap: 1, minPostGapSeconds: 0 } });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'dry', createdAt: created(0) }));
    h.queue.enqueue(makeTask({ id: 'live', createdAt: created(1) }));
    await h.clock.tick(HOUR);
    expect(h.task('dry')).toMatchObject({ status: 'completed', dryRun: true });
    expect(h.task('live').status).toBe('pending');

    h.account.connected = true;
    h.queue.settingsChanged();
    await h.clock.settle();
    expect(h.task('live')).toMatchObject({ status: 'completed', dryRun: false });
    expect(h.queue.state().postedToday).toBe(1);
  });
});
