// Review mode in the queue: a task in review is never posted however long it waits; approving
// puts it at the end of the queue in the order approved; skipping cancels it as skipped (undoable
// like a cancel, never a failure); its text may be edited while it waits; counts include it.
import { describe, expect, it } from 'vitest';
import { allowedActions, canEditText } from '../../../preload/contract';
import { CommandError } from '../../../main/core/errors';
import { SKIPPED_NOTE } from '../../../main/core/tasks/transitions';
import { createHarness, HOUR, MINUTE, pinTimeZone } from './queue-harness';
import { makeTask } from './task-fixtures';

pinTimeZone('Europe/Berlin');

const created = (minute: number): string => new Date(Date.UTC(2026, 0, 15, 11, minute)).toISOString();
const posted = (h: ReturnType<typeof createHarness>): string[] => h.x.calls.map((c) => c.request.text.split(' ')[1]!);

function commandError(run: () => unknown): CommandError {
  try { run(); } catch (err) {
    if (err instanceof CommandError) return err;
    throw err;
  }
  throw new Error('expected a CommandError');
}

describe('tasks in review', () => {
  it('are never posted, however long they wait', async () => {
    const h = createHarness({ tasks: [makeTask({ id: 'r1', status: 'review', createdAt: created(0) }), makeTask({ id: 'p1', createdAt: created(1) })] });
    h.queue.start();
    await h.clock.tick(72 * HOUR);
    expect(posted(h)).toEqual(['p1']);
    expect(h.task('r1').status).toBe('review');
  });

  it('enter the queue from enqueue in review, and the queue counts them', async () => {
    const h = createHarness();
    h.queue.enqueue(makeTask({ id: 'r1', status: 'review' }));
    h.queue.enqueue(makeTask({ id: 'r2', status: 'review' }));
    expect(h.queue.state().counts).toMatchObject({ review: 2, pending: 0 });
    h.queue.start();
    await h.clock.tick(HOUR);
    expect(h.x.calls).toEqual([]);
  });

  it('offer approve and skip, and an edit of their text, but not cancel, post now or retry', () => {
    expect(allowedActions('review')).toEqual(['approve', 'skip']);
    expect(canEditText({ status: 'review' })).toBe(true);
    const h = createHarness({ tasks: [makeTask({ id: 'r', status: 'review' })] });
    expect(commandError(() => h.queue.cancel('r'))).toMatchObject({ code: 'conflict', message: 'A task in review is not cancelled but skipped.' });
    expect(commandError(() => h.queue.postNow('r'))).toMatchObject({ code: 'conflict', message: 'A task in review must be approved before it can be posted.' });
    expect(commandError(() => h.queue.retry('r'))).toMatchObject({ code: 'conflict' });
    expect(h.queue.removeFinished(['r'])).toEqual([]);
  });

  it('keeps an edit made in review when approved, and posts the edited text', async () => {
    const h = createHarness({ tasks: [makeTask({ id: 'r', status: 'review' })] });
    const edited = h.queue.edit('r', 'Edited r https://example.com/r', h.task('r').updatedAt);
    expect(edited).toMatchObject({ status: 'review', text: 'Edited r https://example.com/r', edit: { composedText: 'Post r https://example.com/r' } });
    expect(h.queue.approveMany(['r'])).toBe(1);
    h.queue.start();
    await h.clock.tick(MINUTE);
    expect(h.x.calls.map((c) => c.request.text)).toEqual(['Edited r https://example.com/r']);
  });
});

describe('approving', () => {
  it('puts approved tasks after every task already pending, in the order they were approved', async () => {
    const h = createHarness({
      tasks: [
        // Older than the pending ones, yet they joined the queue only when approved.
        makeTask({ id: 'r1', status: 'review', createdAt: created(0) }),
        makeTask({ id: 'r2', status: 'review', createdAt: created(1) }),
        makeTask({ id: 'r3', status: 'review', createdAt: created(2) }),
        makeTask({ id: 'p1', createdAt: created(3) }),
        makeTask({ id: 'p2', createdAt: created(4) }),
      ],
      settings: { minPostGapSeconds: 60 },
    });
    expect(h.queue.approveMany(['r3', 'r1'])).toBe(2);
    await h.clock.tick(1000);
    expect(h.queue.approveMany(['r2'])).toBe(1);
    h.queue.start();
    await h.clock.tick(10 * MINUTE);
    expect(posted(h)).toEqual(['p1', 'p2', 'r3', 'r1', 'r2']);
  });

  it('gives each approval of one call its own place, even in the same millisecond as a new pending task', () => {
    const h = createHarness({ tasks: [makeTask({ id: 'a', status: 'review' }), makeTask({ id: 'b', status: 'review' })] });
    const now = new Date(h.clock.now()).toISOString();
    h.queue.enqueue(makeTask({ id: 'z', createdAt: now, updatedAt: now }));
    h.queue.approveMany(['b', 'a']);
    const [qb, qa] = [h.task('b').queuedAt!, h.task('a').queuedAt!];
    expect(now < qb && qb < qa).toBe(true);
  });

  it('approves only tasks in review, once each, ignoring unknown ids, with one durable write', () => {
    const h = createHarness({
      tasks: [makeTask({ id: 'r1', status: 'review' }), makeTask({ id: 'r2', status: 'review' }), makeTask({ id: 'p' }), makeTask({ id: 'f', status: 'failed' })],
    });
    const before = h.repo.writes.length;
    expect(h.queue.approveMany(['r1', 'p', 'f', 'nope', 'r1', 'r2'])).toBe(2);
    const writes = h.repo.writes.slice(before);
    expect(writes.map((w) => [w.task.id, w.task.status, w.durable])).toEqual([['r1', 'pending', false], ['r2', 'pending', true]]);
    expect(h.task('f').status).toBe('failed');
    expect(h.queue.state().counts).toMatchObject({ review: 0, pending: 3 });
  });

  it('writes nothing when nothing is in review', () => {
    const h = createHarness({ tasks: [makeTask({ id: 'p' })] });
    const before = h.repo.writes.length;
    expect(h.queue.approveMany(['p'])).toBe(0);
    expect(h.repo.writes.length).toBe(before);
  });
});

describe('skipping', () => {
  it('cancels the tasks as skipped, with a note, in one durable write, and never posts them', async () => {
    const h = createHarness({ tasks: [makeTask({ id: 'r1', status: 'review' }), makeTask({ id: 'r2', status: 'review' }), makeTask({ id: 'p' })] });
    const before = h.repo.writes.length;
    expect(h.queue.skipMany(['r1', 'r2', 'p'])).toBe(2);
    expect(h.repo.writes.slice(before).map((w) => w.durable)).toEqual([false, true]);
    expect(h.task('r1')).toMatchObject({ status: 'cancelled', skipped: true, note: SKIPPED_NOTE, error: null });
    expect(h.task('r1').finishedAt).toBe(h.task('r1').updatedAt);
    expect(h.queue.state().counts).toMatchObject({ review: 0, cancelled: 2, failed: 0, pending: 1 });
    h.queue.start();
    await h.clock.tick(HOUR);
    expect(posted(h)).toEqual(['p']);
  });

  it('is undone like a cancel: the task is back in review as it was', () => {
    const h = createHarness({ tasks: [makeTask({ id: 'r', status: 'review' })] });
    h.queue.skipMany(['r']);
    const back = h.queue.undoCancel('r');
    expect(back).toMatchObject({ status: 'review', note: null });
    expect('skipped' in back).toBe(false);
  });

  it('lets a skipped task be retried after all: it joins the end of the queue, no longer marked skipped', async () => {
    const h = createHarness({ tasks: [makeTask({ id: 'r', status: 'review', createdAt: created(0) }), makeTask({ id: 'p', createdAt: created(5) })] });
    h.queue.skipMany(['r']);
    const retried = h.queue.retry('r');
    expect(retried.status).toBe('pending');
    expect(retried.skipped).toBeUndefined();
    expect(retried.queuedAt).toBe(retried.updatedAt);
    h.queue.start();
    await h.clock.tick(10 * MINUTE);
    expect(posted(h)).toEqual(['p', 'r']);
  });
});
