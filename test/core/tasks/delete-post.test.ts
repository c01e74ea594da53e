// Which tasks may have their post deleted from X, the words when not, and how the queue records a
// deletion: durably, the task still completed with its post id and link, offering no retry.
import { describe, expect, it } from 'vitest';
import { allowedActions, canDeletePost, type Task } from '../../../preload/contract';
import { ALREADY_GONE_NOTE, deleteRefusal, deletedTask } from '../../../main/core/tasks/delete-post';
import { createHarness } from './queue-harness';
import { makeTask } from './task-fixtures';

const live = (overrides: Partial<Task> = {}): Task => makeTask({
  id: 'c', status: 'completed', attempts: 1, postId: '1860000000000000001', postUrl: 'https://x.com/crier/status/1860000000000000001', note: null, ...overrides,
});

describe('deleteRefusal', () => {
  it.each<[string, Task, string | null]>([
    ['a completed live post with an id', live(), null],
    ['a dry run', live({ dryRun: true, postId: null, postUrl: null }), 'This task was a dry run: nothing of it is on X to delete.'],
    ['a post confirmed only by X’s duplicate answer', live({ postId: null, postUrl: null }), 'Crier does not know this post\'s id on X (X confirmed it only by refusing a duplicate), so it cannot delete it; delete it on X itself.'],
    ['a post already deleted', live({ deletedAt: '2026-01-15T12:00:00.000Z' }), 'This post was already deleted from X.'],
    ['a pending task', makeTask({ id: 'p' }), 'Only a posted task\'s post can be deleted from X; this one is pending.'],
    ['a task in review', makeTask({ id: 'r', status: 'review' }), 'Only a posted task\'s post can be deleted from X; this one is in review.'],
    ['a failed task', makeTask({ id: 'f', status: 'failed' }), 'Only a posted task\'s post can be deleted from X; this one is failed.'],
  ])('for %s', (_name, task, refusal) => {
    expect(deleteRefusal(task)).toBe(refusal);
    expect(canDeletePost(task)).toBe(refusal === null);
  });
});

describe('deletedTask', () => {
  it('keeps the task completed with its post id, link and note, and records when', () => {
    const at = Date.parse('2026-01-15T12:30:00.000Z');
    const task = deletedTask(live({ note: "found on the account's timeline" }), at, false);
    expect(task).toMatchObject({ status: 'completed', postId: '1860000000000000001', postUrl: 'https://x.com/crier/status/1860000000000000001', note: "found on the account's timeline", deletedAt: '2026-01-15T12:30:00.000Z', updatedAt: '2026-01-15T12:30:00.000Z' });
    expect(allowedActions(task.status)).toEqual(['remove']);
    expect(canDeletePost(task)).toBe(false);
  });

  it('notes a post X no longer had', () => {
    expect(deletedTask(live(), Date.parse('2026-01-15T12:30:00.000Z'), true).note).toBe(ALREADY_GONE_NOTE);
  });
});

describe('the queue recording a deletion', () => {
  it('writes it durably, before it returns, and tells the views', () => {
    const h = createHarness({ tasks: [live()] });
    const task = h.queue.recordDeletion('c', false);
    expect(h.repo.lastWrite('c')).toMatchObject({ durable: true, task: { deletedAt: task.deletedAt } });
    expect(h.taskEvents.at(-1)).toEqual(task);
  });

  it('refuses a task that changed meanwhile so it can no longer be deleted', () => {
    const h = createHarness({ tasks: [live({ deletedAt: '2026-01-15T12:00:00.000Z' })] });
    expect(() => h.queue.recordDeletion('c', false)).toThrow('This post was already deleted from X.');
    expect(() => h.queue.recordDeletion('gone', false)).toThrow('There is no task with this id.');
  });
});
