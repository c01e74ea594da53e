import { describe, expect, it } from 'vitest';
import { CommandError } from '../../../main/core/errors';
import { CHANGED_SINCE_CANCEL, TOO_LATE_TO_UNDO, UNDO_CANCEL_MS } from '../../../main/core/tasks/undo-cancel';
import { createHarness, MINUTE, pinTimeZone, SECOND } from './queue-harness';
import { makeTask } from './task-fixtures';

pinTimeZone('America/New_York');

const created = (minute: number): string => new Date(Date.UTC(2026, 0, 15, 11, minute)).toISOString();

function commandError(run: () => unknown): CommandError {
  try { run(); } catch (err) {
    if (err instanceof CommandError) return err;
    throw err;
  }
  throw new Error('expected a CommandError');
}

describe('undo after cancel', () => {
  it('restores a cancelled task exactly as it was, so it keeps its attempts, backoff, error and place', async () => {
    const before = makeTask({
      id: 'b', createdAt: created(1), attempts: 2, nextAttemptAt: '2026-01-15T12:05:00.000Z',
      error: { kind: 'server', message: 'X answered 503.', httpStatus: 503 }, note: 'retrying',
    });
    const h = createHarness({ tasks: [makeTask({ id: 'a', createdAt: created(0), status: 'completed' }), before, makeTask({ id: 'c', createdAt: created(2) })] });
    h.queue.cancel('b');
    await h.clock.tick(9 * SECOND);
    const restored = h.queue.undoCancel('b');
    const { updatedAt, ...rest } = restored;
    const { updatedAt: beforeUpdatedAt, ...beforeRest } = before;
    expect(rest).toEqual(beforeRest);
    expect(updatedAt > beforeUpdatedAt).toBe(true);
    expect(h.repo.lastWrite('b')).toMatchObject({ durable: true, task: { status: 'pending', attempts: 2 } });
    h.queue.start();
    await h.clock.tick(10 * MINUTE);
    // Its place: before c (older), after its own backoff.
    expect(h.x.calls.map((c) => c.request.text.split(' ')[1])).toEqual(['c', 'b']);
  });

  it('restores a failed task as failed, with its finishedAt', () => {
    const h = createHarness({ tasks: [makeTask({ id: 'f', status: 'failed', attempts: 8, finishedAt: '2026-01-15T11:30:00.000Z', error: { kind: 'forbidden', message: 'No.' } })] });
    h.queue.cancel('f');
    expect(h.queue.undoCancel('f')).toMatchObject({ status: 'failed', attempts: 8, finishedAt: '2026-01-15T11:30:00.000Z', error: { kind: 'forbidden' } });
  });

  it('is too late after 10 seconds of the clock', async () => {
    const h = createHarness({ tasks: [makeTask({ id: 'a' })] });
    h.queue.cancel('a');
    await h.clock.tick(UNDO_CANCEL_MS + 1);
    expect(commandError(() => h.queue.undoCancel('a'))).toMatchObject({ code: 'conflict', message: TOO_LATE_TO_UNDO });
    expect(h.task('a').status).toBe('cancelled');
  });

  it('refuses when the task changed since the cancel', () => {
    const h = createHarness({ tasks: [makeTask({ id: 'a' })] });
    h.queue.cancel('a');
    h.queue.retry('a');
    expect(commandError(() => h.queue.undoCancel('a'))).toMatchObject({ code: 'conflict', message: CHANGED_SINCE_CANCEL });
    expect(h.task('a')).toMatchObject({ status: 'pending' });
  });

  it('undoes once only', () => {
    const h = createHarness({ tasks: [makeTask({ id: 'a' })] });
    h.queue.cancel('a');
    h.queue.undoCancel('a');
    expect(commandError(() => h.queue.undoCancel('a'))).toMatchObject({ code: 'conflict' });
  });

  it('undoes each task of a bulk cancel', () => {
    const h = createHarness({ tasks: [makeTask({ id: 'a' }), makeTask({ id: 'b', status: 'failed' })] });
    expect(h.queue.cancelAllowed(['a', 'b'])).toBe(2);
    expect(h.queue.undoCancel('b').status).toBe('failed');
    expect(h.queue.undoCancel('a').status).toBe('pending');
  });
});

describe('bulk commands', () => {
  const mixed = () => [
    makeTask({ id: 'p', createdAt: created(0) }),
    makeTask({ id: 'f1', createdAt: created(1), status: 'failed', attempts: 8 }),
    makeTask({ id: 'f2', createdAt: created(2), status: 'failed', attempts: 8 }),
    makeTask({ id: 'x', createdAt: created(3), status: 'cancelled' }),
    makeTask({ id: 'c', createdAt: created(4), status: 'completed', attempts: 1 }),
  ];

  it('retries the failed and cancelled among the ids, ignores the rest and unknown ids, in one durable write', () => {
    const h = createHarness({ tasks: mixed() });
    expect(h.queue.retryMany(['p', 'f1', 'f2', 'x', 'c', 'nope', 'f1'])).toBe(3);
    expect(['p', 'f1', 'f2', 'x', 'c'].map((id) => h.task(id).status)).toEqual(['pending', 'pending', 'pending', 'pending', 'completed']);
    expect(h.repo.writes.map((w) => [w.task.id, w.durable])).toEqual([['f1', false], ['f2', false], ['x', true]]);
  });

  it('cancels the pending and failed among the ids, in one durable write', () => {
    const h = createHarness({ tasks: mixed() });
    expect(h.queue.cancelAllowed(['p', 'f1', 'f2', 'x', 'c'])).toBe(3);
    expect(h.repo.writes.filter((w) => w.durable)).toHaveLength(1);
    expect(h.repo.writes).toHaveLength(3);
    expect(h.task('c').status).toBe('completed');
  });

  it('writes nothing when no listed task allows the action', () => {
    const h = createHarness({ tasks: mixed() });
    expect(h.queue.retryMany(['p', 'c'])).toBe(0);
    expect(h.repo.writes).toHaveLength(0);
  });

  it('removes completed, cancelled and failed tasks only, with one delete of the store', () => {
    const h = createHarness({ tasks: mixed() });
    const removes: string[][] = [];
    const remove = h.repo.remove.bind(h.repo);
    h.repo.remove = (ids) => { removes.push(ids); remove(ids); };
    expect(h.queue.removeFinished(['p', 'f1', 'x', 'c', 'nope'])).toEqual(['f1', 'x', 'c']);
    expect(removes).toEqual([['f1', 'x', 'c']]);
    expect(h.repo.all().map((t) => t.id).sort()).toEqual(['f2', 'p']);
  });

  it('never removes the post in flight', async () => {
    const h = createHarness();
    h.x.reply('hang');
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.settle();
    expect(h.queue.removeFinished(['a'])).toEqual([]);
    h.x.release();
    await h.clock.settle();
  });

  it('removing posted tasks leaves the day\'s and the month\'s counts and spend as they were', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0, pricePerPostUsd: 0.01, pricePerPostWithUrlUsd: 0.2 } });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a', createdAt: created(0) }));
    h.queue.enqueue(makeTask({ id: 'b', createdAt: created(1), text: 'No link here' }));
    await h.clock.settle();
    const before = h.queue.state();
    expect(before.postedToday).toBe(2);
    expect(h.queue.removeFinished(['a', 'b'])).toEqual(['a', 'b']);
    const after = h.queue.state();
    expect(after.postedToday).toBe(2);
    expect(after.spend).toEqual(before.spend);
    expect(after.spend?.today).toEqual({ posts: 2, withLink: 1, usd: 0.21 });
  });
});
