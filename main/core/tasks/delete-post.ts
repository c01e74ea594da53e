// Deleting a task's post from X: which tasks may ask it, in words when they may not, and how the
// task records it. Pure: the service asks X (DELETE /2/tweets/:id) and the queue writes the result.
import { canDeletePost, type Task } from '../../../preload/contract';
import { CommandError } from '../errors';
import { changedAt } from './changed-at';

/** The note of a task whose post X no longer had when Crier asked to delete it (X's 404). */
export const ALREADY_GONE_NOTE = 'already gone from X';

/** Why deletePost refuses this task, or null when it may ask X. */
export function deleteRefusal(task: Task): string | null {
  if (canDeletePost(task)) return null;
  if (task.status !== 'completed') return `Only a posted task's post can be deleted from X; this one is ${task.status === 'review' ? 'in review' : task.status}.`;
  if (task.dryRun) return 'This task was a dry run: nothing of it is on X to delete.';
  if (task.deletedAt != null) return 'This post was already deleted from X.';
  return 'Crier does not know this post\'s id on X (X confirmed it only by refusing a duplicate), so it cannot delete it; delete it on X itself.';
}

/** Throws CommandError('conflict') with the reason unless deletePost may act on the task. */
export function requireDeletable(task: Task): void {
  const refusal = deleteRefusal(task);
  if (refusal !== null) throw new CommandError('conflict', refusal);
}

/**
 * The task once X deleted its post (or said it was gone): deletedAt set, postId and postUrl kept
 * to say which post it was. It stays completed, so it offers no retry and its item stays seen.
 */
export function deletedTask(task: Task, now: number, alreadyGone: boolean): Task {
  requireDeletable(task);
  return { ...task, deletedAt: new Date(now).toISOString(), note: alreadyGone ? ALREADY_GONE_NOTE : task.note, updatedAt: changedAt(task.updatedAt, now) };
}
