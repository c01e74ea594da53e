import { describe, expect, it } from 'vitest';
import { forecastPending } from '../../../common/forecast';
import { CommandError } from '../../../main/core/errors';
import { memoryQueueMemory } from '../../../main/core/tasks/types';
import { createHarness, HOUR, MINUTE, pinTimeZone, SECOND } from './queue-harness';
import { makeTask } from './task-fixtures';

pinTimeZone('America/New_York');

const created = (minute: number): string => new Date(Date.UTC(2026, 0, 15, 11, minute)).toISOString();
const postedId = (text: string): string => text.split(' ')[1]!;

function commandError(run: () => unknown): CommandError {
  try { run(); } catch (err) {
    if (err instanceof CommandError) return err;
    throw err;
  }
  throw new Error('expected a CommandError');
}

describe('the order the queue posts in', () => {
  it('starts the task forecastPending puts first, in a mixed backlog of backoffs, posts-now and plain tasks', async () => {
    const now = Date.UTC(2026, 0, 15, 12, 0, 0);
    const tasks = [
      makeTask({ id: 'old-backing-off', createdAt: created(0), attempts: 1, nextAttemptAt: new Date(now + 10 * MINUTE).toISOString() }),
      makeTask({ id: 'older', createdAt: created(1) }),
      makeTask({ id: 'asked-second', createdAt: created(2), postNowAt: new Date(now - 2 * SECOND).toISOString() }),
      makeTask({ id: 'asked-first', createdAt: created(3), postNowAt: new Date(now - 5 * SECOND).toISOString() }),
      makeTask({ id: 'newer', createdAt: created(4) }),
      makeTask({ id: 'done', createdAt: created(5), status: 'completed' }),
    ];
    const h = createHarness({ tasks, start: now });
    const forecast = forecastPending(h.repo.all(), { now, queue: h.queue.state(), settings: h.settings });
    expect(forecast.map((f) => f.taskId)).toEqual(['asked-first', 'asked-second', 'older', 'newer', 'old-backing-off']);
    h.queue.start();
    await h.clock.settle();
    expect(postedId(h.x.calls[0]!.request.text)).toBe(forecast[0]!.taskId);
  });

  it('posts a whole mixed backlog in the forecast\'s order, at the forecast\'s times', async () => {
    const now = Date.UTC(2026, 0, 15, 12, 0, 0);
    const tasks = [
      makeTask({ id: 'a', createdAt: created(0), attempts: 1, nextAttemptAt: new Date(now + 90 * SECOND).toISOString() }),
      makeTask({ id: 'b', createdAt: created(1) }),
      makeTask({ id: 'c', createdAt: created(2), postNowAt: new Date(now - SECOND).toISOString() }),
      makeTask({ id: 'd', createdAt: created(3) }),
    ];
    const h = createHarness({ tasks, start: now });
    const forecast = forecastPending(h.repo.all(), { now, queue: h.queue.state(), settings: h.settings });
    h.queue.start();
    await h.clock.tick(10 * MINUTE);
    expect(h.x.calls.map((c) => ({ taskId: postedId(c.request.text), at: new Date(c.at).toISOString() })))
      .toEqual(forecast.map((f) => ({ taskId: f.taskId, at: f.expectedAt })));
  });
});

describe('post now', () => {
  it('starts a pending task at once, before older ones, without waiting for the gap', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 3600 } });
    const t0 = h.clock.now();
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a', createdAt: created(0) }));
    h.queue.enqueue(makeTask({ id: 'b', createdAt: created(1) }));
    h.queue.enqueue(makeTask({ id: 'c', createdAt: created(2) }));
    await h.clock.tick(MINUTE);
    expect(h.x.calls).toHaveLength(1);
    const asked = h.queue.postNow('c');
    expect(asked).toMatchObject({ status: 'pending', postNowAt: new Date(t0 + MINUTE).toISOString() });
    expect(h.repo.lastWrite('c')).toMatchObject({ durable: true, task: { postNowAt: asked.postNowAt } });
    await h.clock.settle();
    expect(h.x.calls.map((c) => [postedId(c.request.text), c.at - t0])).toEqual([['a', 0], ['c', MINUTE]]);
  });

  it('clears postNowAt when the attempt starts and counts its start as the gap\'s', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 600 } });
    const t0 = h.clock.now();
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a', createdAt: created(0) }));
    h.queue.enqueue(makeTask({ id: 'b', createdAt: created(1) }));
    h.queue.enqueue(makeTask({ id: 'c', createdAt: created(2) }));
    await h.clock.tick(2 * MINUTE);
    h.queue.postNow('c');
    await h.clock.settle();
    const running = h.repo.writes.find((w) => w.task.id === 'c' && w.task.status === 'running');
    expect(running?.task.postNowAt).toBeNull();
    expect(h.task('c')).toMatchObject({ status: 'completed', postNowAt: null });
    // b waits a whole gap from c's start (2 min), not from a's (0).
    expect(h.queue.state().nextPostAt).toBe(new Date(t0 + 12 * MINUTE).toISOString());
    await h.clock.tick(9 * MINUTE);
    expect(h.x.calls).toHaveLength(2);
    await h.clock.tick(MINUTE);
    expect(h.x.calls.map((c) => [postedId(c.request.text), c.at - t0])).toEqual([['a', 0], ['c', 2 * MINUTE], ['b', 12 * MINUTE]]);
  });

  it('waits for the post in flight, then starts', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 3600 } });
    const t0 = h.clock.now();
    h.x.reply('hang');
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a', createdAt: created(0) }));
    h.queue.enqueue(makeTask({ id: 'b', createdAt: created(1) }));
    await h.clock.tick(SECOND);
    h.queue.postNow('b');
    await h.clock.tick(30 * SECOND);
    expect(h.x.calls).toHaveLength(1);
    h.x.release();
    await h.clock.settle();
    expect(h.x.calls.map((c) => [postedId(c.request.text), c.at - t0])).toEqual([['a', 0], ['b', 31 * SECOND]]);
  });

  it('is refused, with a sentence saying why, while the queue is paused for any reason', () => {
    const h = createHarness({ tasks: [makeTask({ id: 'a' })] });
    h.queue.pause();
    expect(commandError(() => h.queue.postNow('a'))).toMatchObject({ code: 'conflict', message: 'The queue is paused, so nothing is posted. Resume it to post this task now.' });
    h.queue.resume();
    h.queue.setOffline(true);
    expect(commandError(() => h.queue.postNow('a'))).toMatchObject({ code: 'conflict', message: expect.stringMatching(/cannot reach X/) });
    expect(h.task('a').postNowAt).toBeUndefined();
  });

  it('is refused when rate-limited (a pause X caused, restored at start)', () => {
    const memory = memoryQueueMemory({ pause: { reason: 'rate-limited', resumesAt: '2026-01-15T13:00:00.000Z', credentials: null } });
    const h = createHarness({ tasks: [makeTask({ id: 'a' })], memory });
    h.queue.start();
    expect(commandError(() => h.queue.postNow('a'))).toMatchObject({ code: 'conflict', message: expect.stringMatching(/rate limit/) });
  });

  it('is refused once today\'s cap is reached', async () => {
    const h = createHarness({ settings: { dailyCap: 1, minPostGapSeconds: 0 } });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a', createdAt: created(0) }));
    h.queue.enqueue(makeTask({ id: 'b', createdAt: created(1) }));
    await h.clock.settle();
    expect(commandError(() => h.queue.postNow('b'))).toMatchObject({ code: 'conflict', message: expect.stringMatching(/^Today's cap of posts is reached/) });
    expect(h.x.calls).toHaveLength(1);
  });

  it('is refused for a task that is not pending', async () => {
    const h = createHarness({ tasks: [makeTask({ id: 'f', status: 'failed' }), makeTask({ id: 'c', status: 'completed' })] });
    expect(commandError(() => h.queue.postNow('f'))).toMatchObject({ code: 'conflict', message: 'Only a pending task can be posted now; this one is failed.' });
    expect(commandError(() => h.queue.postNow('c'))).toMatchObject({ code: 'conflict' });
    expect(commandError(() => h.queue.postNow('nope'))).toMatchObject({ code: 'not-found' });
  });

  it('does not wait for a task\'s own backoff', async () => {
    const t0 = Date.UTC(2026, 0, 15, 12, 0, 0);
    const h = createHarness({ tasks: [makeTask({ id: 'a', attempts: 1, nextAttemptAt: new Date(t0 + HOUR).toISOString() })], start: t0 });
    h.queue.start();
    await h.clock.settle();
    expect(h.x.calls).toHaveLength(0);
    h.queue.postNow('a');
    await h.clock.settle();
    expect(h.x.calls.map((c) => c.at - t0)).toEqual([0]);
  });
});
