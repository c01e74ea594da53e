import type { Task, TaskStatus } from '../../../preload/contract';

const HISTORY_STATUSES: ReadonlySet<TaskStatus> = new Set(['completed', 'cancelled']);

/**
 * Ids of the finished tasks beyond `limit`, oldest first out. Pending, running and failed tasks
 * still need the user or the queue, so they are never pruned, whatever the limit.
 */
export function pruneHistory(tasks: readonly Task[], limit: number): string[] {
  const finished = tasks.filter((task) => HISTORY_STATUSES.has(task.status));
  const excess = finished.length - Math.max(0, Math.floor(limit));
  if (excess <= 0) return [];
  // updatedAt is when the task finished; ties fall back to creation, then id, so the answer is stable.
  finished.sort((a, b) =>
    compare(a.updatedAt, b.updatedAt) || compare(a.createdAt, b.createdAt) || compare(a.id, b.id));
  return finished.slice(0, excess).map((task) => task.id);
}

/** Ids of the failed tasks beyond `limit`, oldest first out: kept apart, since they wait for the user. */
export function pruneFailed(tasks: readonly Task[], limit: number): string[] {
  const failed = tasks.filter((task) => task.status === 'failed');
  const excess = failed.length - Math.max(0, Math.floor(limit));
  if (excess <= 0) return [];
  failed.sort((a, b) =>
    compare(a.updatedAt, b.updatedAt) || compare(a.createdAt, b.createdAt) || compare(a.id, b.id));
  return failed.slice(0, excess).map((task) => task.id);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
