// A task's updatedAt is its version: an edit names the one it was made on, undo and the queue
// compare it to tell whether anything happened meanwhile. Two changes in one millisecond must still
// give two versions, so a change is stamped at least 1 ms after the one before it.

/** The updatedAt of a change made at `now` to a task last changed at `previous` (ISO). */
export function changedAt(previous: string, now: number): string {
  const before = Date.parse(previous);
  return new Date(Number.isNaN(before) ? now : Math.max(now, before + 1)).toISOString();
}
