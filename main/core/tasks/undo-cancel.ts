// Undo after cancel: for a few seconds the queue keeps each cancelled task as it was before the
// cancel, and puts it back exactly (status, attempts, backoff, error, createdAt: the same place in
// the queue) if nothing changed it since. Memory only: a restart ends every undo window.
import type { Task } from '../../../preload/contract';
import { CommandError } from '../errors';
import { changedAt } from './changed-at';

/** How long after a cancel it can be undone (injected clock). */
export const UNDO_CANCEL_MS = 10_000;

export const TOO_LATE_TO_UNDO = 'It is too late to undo this cancel: a cancel can be undone for 10 seconds.';
export const CHANGED_SINCE_CANCEL = 'This task changed since it was cancelled, so the cancel cannot be undone; retry it instead.';

interface Kept { before: Task; cancelledAt: string; at: number }

export interface UndoCancels {
  /** Remembers `before` (the task just before the cancel) and the cancelled task's updatedAt. */
  cancelled(before: Task, cancelled: Task, now: number): void;
  /** The task to store in place of `current`, or CommandError('conflict'). The window is used up. */
  restore(current: Task, now: number): Task;
  /** The tasks were deleted: nothing to restore. */
  forget(ids: readonly string[]): void;
}

export function createUndoCancels(windowMs = UNDO_CANCEL_MS): UndoCancels {
  const kept = new Map<string, Kept>();

  /** Drops the windows that closed; a bulk cancel of thousands is held for 10 s at most. */
  function expire(now: number): void {
    for (const [id, k] of kept) if (now - k.at > windowMs) kept.delete(id);
  }

  return {
    cancelled(before, cancelled, now) {
      expire(now);
      kept.set(cancelled.id, { before, cancelledAt: cancelled.updatedAt, at: now });
    },
    restore(current, now) {
      const k = kept.get(current.id);
      if (k === undefined || now - k.at > windowMs) {
        kept.delete(current.id);
        if (current.status !== 'cancelled') throw new CommandError('conflict', `This task is ${current.status}, not cancelled: there is nothing to undo.`);
        throw new CommandError('conflict', TOO_LATE_TO_UNDO);
      }
      if (current.status !== 'cancelled' || current.updatedAt !== k.cancelledAt) {
        kept.delete(current.id);
        throw new CommandError('conflict', CHANGED_SINCE_CANCEL);
      }
      kept.delete(current.id);
      // Everything as it was; only updatedAt moves on, so views and edits see a change.
      return { ...k.before, updatedAt: changedAt(k.cancelledAt, now) };
    },
    forget(ids) {
      for (const id of ids) kept.delete(id);
    },
  };
}
