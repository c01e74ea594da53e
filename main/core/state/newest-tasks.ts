// The first `limit` tasks in the order the tasks window shows them (newestFirst), picked from any
// order without sorting them all: a getState with a taskLimit answers a page's first screenful,
// and with 10,000 tasks a full sort would cost more than the answer. No Node imports: the e2e
// fake bridge bundles this into the page.
import { newestFirst, type Task } from '../../../preload/contract';

export function newestTasks(tasks: readonly Task[], limit: number): Task[] {
  if (limit <= 0) return [];
  // Inserting into a long sorted prefix costs more than one sort.
  if (limit > 256) return [...tasks].sort(newestFirst).slice(0, limit);
  const best: Task[] = [];
  for (const task of tasks) {
    if (best.length === limit && newestFirst(task, best[limit - 1]!) >= 0) continue;
    // Binary search for the place that keeps `best` sorted.
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (newestFirst(best[mid]!, task) <= 0) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, task);
    if (best.length > limit) best.pop();
  }
  return best;
}
