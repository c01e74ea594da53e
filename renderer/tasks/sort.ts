// The list's orders: newest first, oldest first, and "next to post" — what is being posted now,
// then the pending tasks in the order the queue will post them (common/forecast.ts, the engine's
// own rule), then the rest newest first. Pure.
import { newestFirst, type QueueState, type Settings, type Task } from '../../preload/contract';
import { forecastPending } from '../../common/forecast';

export type TaskSort = 'newest' | 'oldest' | 'next';
export const TASK_SORTS: readonly TaskSort[] = ['newest', 'oldest', 'next'];

export const SORT_WORDS: Record<TaskSort, string> = { newest: 'Newest first', oldest: 'Oldest first', next: 'Next to post' };

export function isTaskSort(x: unknown): x is TaskSort {
  return typeof x === 'string' && (TASK_SORTS as readonly string[]).includes(x);
}

export const oldestFirst = (a: Task, b: Task): number => newestFirst(b, a);

export interface ForecastContext {
  now: number;
  queue: QueueState;
  settings: Pick<Settings, 'minPostGapSeconds'>;
}

/**
 * "Next to post": running tasks first, then pending ones by their place in the queue's forecast,
 * then every other task newest first. The forecast runs over all the tasks held, so a filtered
 * list keeps the queue's order.
 */
export function nextToPostOrder(tasks: readonly Task[], ctx: ForecastContext): (a: Task, b: Task) => number {
  const place = new Map<string, number>();
  for (const f of forecastPending(tasks, ctx)) place.set(f.taskId, f.place);
  const rank = (t: Task): number => (t.status === 'running' ? 0 : t.status === 'pending' ? 1 : 2);
  return (a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    if (ra !== rb) return ra - rb;
    if (ra === 1) {
      const pa = place.get(a.id) ?? Number.MAX_SAFE_INTEGER;
      const pb = place.get(b.id) ?? Number.MAX_SAFE_INTEGER;
      if (pa !== pb) return pa - pb;
    }
    return newestFirst(a, b);
  };
}

/** The comparator for `sort`; "next" needs the queue and settings the forecast reads. */
export function orderFor(sort: TaskSort, tasks: readonly Task[], ctx: ForecastContext): (a: Task, b: Task) => number {
  if (sort === 'oldest') return oldestFirst;
  if (sort === 'next') return nextToPostOrder(tasks, ctx);
  return newestFirst;
}
