import { describe, expect, it } from 'vitest';
import { CommandError } from '../../../main/core/errors';
import { createHarness, HOUR, MINUTE, pinTimeZone } from './queue-harness';
import { makeTask } from './task-fixtures';

pinTimeZone('America/New_York');

function commandError(run: () => unknown): CommandError {
  try { run(); } catch (err) {
    if (err instanceof CommandError) return err;
    throw err;
  }
  throw new Error('expected a CommandError');
}

describe('cancel', () => {
  it('cancels a pending task so it is never posted', async () => {
    const h = createHarness();
    h.queue.enqueue(makeTask({ id: 'a' }));
    expect(h.queue.cancel('a').status).toBe('cancelled');
    h.queue.start();
    await h.clock.tick(HOUR);
    expect(h.x.calls).toHaveLength(0);
    expect(h.task('a').status).toBe('cancelled');
  });

  it('cancels a failed task', () => {
    const h = createHarness({ tasks: [makeTask({ id: 'f', status: 'failed', attempts: 8 })] });
    expect(h.queue.cancel('f').status).toBe('cancelled');
  });

  it('refuses to cancel a post already sent', async () => {
    const h = createHarness();
    h.x.reply('hang');
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.settle();
    expect(commandError(() => h.queue.cancel('a'))).toMatchObject({ code: 'conflict', message: 'A running task cannot be cancelled: its request has already been sent to X.' });
    h.x.release();
    await h.clock.settle();
    expect(h.task('a').status).toBe('completed');
  });

  it('refuses to cancel a completed task', () => {
    const h = createHarness({ tasks: [makeTask({ id: 'c', status: 'completed', attempts: 1 })] });
    expect(commandError(() => h.queue.cancel('c'))).toMatchObject({ code: 'conflict', message: 'A completed task cannot be cancelled.' });
  });

  it('answers not-found for an unknown id', () => {
    const h = createHarness();
    expect(commandError(() => h.queue.cancel('nope'))).toMatchObject({ code: 'not-found' });
    expect(commandError(() => h.queue.retry('nope'))).toMatchObject({ code: 'not-found' });
  });
});

describe('retry', () => {
  it('puts a failed task back to pending now and posts it', async () => {
    const h = createHarness({ tasks: [makeTask({ id: 'f', status: 'failed', attempts: 8, error: { kind: 'server', message: '503' } })] });
    h.queue.start();
    expect(h.queue.retry('f')).toMatchObject({ status: 'pending', attempts: 0, error: null });
    await h.clock.settle();
    expect(h.task('f')).toMatchObject({ status: 'completed', attempts: 1 });
  });

  it('puts a cancelled task back to pending', () => {
    const h = createHarness({ tasks: [makeTask({ id: 'c', status: 'cancelled' })] });
    expect(h.queue.retry('c').status).toBe('pending');
  });

  it.each([
    ['pending', 'A pending task cannot be retried: it is already waiting to be posted.'],
    ['completed', 'A completed task cannot be retried.'],
  ] as const)('refuses to retry a %s task', (status, message) => {
    const h = createHarness({ tasks: [makeTask({ id: 't', status })] });
    expect(commandError(() => h.queue.retry('t'))).toMatchObject({ code: 'conflict', message });
  });

  it('retries every failed task and says how many', async () => {
    const h = createHarness({
      settings: { minPostGapSeconds: 0 },
      tasks: [
        makeTask({ id: 'f1', status: 'failed', attempts: 8 }),
        makeTask({ id: 'f2', status: 'failed', attempts: 1 }),
        makeTask({ id: 'c', status: 'cancelled' }),
        makeTask({ id: 'done', status: 'completed', attempts: 1, updatedAt: '2026-01-15T04:00:00.000Z' }),
      ],
    });
    h.queue.start();
    expect(h.queue.retryAllFailed()).toBe(2);
    await h.clock.settle();
    expect([h.task('f1').status, h.task('f2').status, h.task('c').status]).toEqual(['completed', 'completed', 'cancelled']);
    expect(h.queue.retryAllFailed()).toBe(0);
  });
});

describe('pause and resume', () => {
  it('stops starting posts while paused by the user, and posts again on resume', async () => {
    const h = createHarness();
    h.queue.start();
    h.queue.pause();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.tick(HOUR);
    expect(h.x.calls).toHaveLength(0);
    expect(h.queue.state()).toMatchObject({ paused: true, pauseReason: 'user', resumesAt: null });
    h.queue.resume();
    await h.clock.settle();
    expect(h.task('a').status).toBe('completed');
    expect(h.queue.state()).toMatchObject({ paused: false, pauseReason: null });
  });

  it('lets the post in flight finish when paused', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0 } });
    h.x.reply('hang');
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    h.queue.enqueue(makeTask({ id: 'b', createdAt: '2026-01-15T11:01:00.000Z' }));
    await h.clock.settle();
    h.queue.pause();
    h.x.release();
    await h.clock.tick(MINUTE);
    expect(h.task('a').status).toBe('completed');
    expect(h.task('b').status).toBe('pending');
  });

  it('ends a rate-limit pause early on resume', async () => {
    const h = createHarness();
    h.x.reply({ fail: { kind: 'rate-limited', message: '429', resetAt: h.clock.now() + HOUR } });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.tick(MINUTE);
    h.queue.resume();
    expect(h.queue.state()).toMatchObject({ paused: false, resumesAt: null });
  });
});

describe('enqueue and remove', () => {
  it('refuses a task id it already holds, and a task that is not pending', () => {
    const h = createHarness();
    h.queue.enqueue(makeTask({ id: 'a' }));
    expect(commandError(() => h.queue.enqueue(makeTask({ id: 'a' })))).toMatchObject({ code: 'conflict' });
    expect(commandError(() => h.queue.enqueue(makeTask({ id: 'b', status: 'completed' })))).toMatchObject({ code: 'validation' });
  });

  it('removes finished tasks but never the one in flight', async () => {
    const h = createHarness({ tasks: [makeTask({ id: 'old', status: 'completed', attempts: 1, updatedAt: '2026-01-14T12:00:00.000Z' })] });
    h.x.reply('hang');
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.settle();
    expect(h.queue.remove(['old', 'a', 'missing'])).toEqual(['old']);
    expect(h.repo.get('old')).toBeUndefined();
    expect(h.queue.state().counts).toMatchObject({ completed: 0, running: 1 });
    h.x.release();
    await h.clock.settle();
  });

  it('counts tasks by status in its state', () => {
    const h = createHarness({
      tasks: [
        makeTask({ id: '1' }),
        makeTask({ id: '2', status: 'failed' }),
        makeTask({ id: '3', status: 'cancelled' }),
        makeTask({ id: '4', status: 'completed', updatedAt: '2026-01-15T04:00:00.000Z' }),
      ],
    });
    expect(h.queue.state()).toEqual({
      paused: false, pauseReason: null, resumesAt: null, postedToday: 0, dailyCap: 50,
      counts: { review: 0, pending: 1, running: 0, completed: 1, failed: 1, cancelled: 1 },
      nextPostAt: null,
      spend: { today: { posts: 0, withLink: 0, usd: 0 }, month: { posts: 0, withLink: 0, usd: 0 } },
    });
  });
});
