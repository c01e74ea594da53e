// What happens next to the pending tasks: the order the queue posts them in and when each is
// expected to start. One pure function for the engine (which posts in this order) and the pages
// (which show it), so "next to post" means the same thing on both sides.
//
// Rules (the queue's, see main/core/tasks/queue.ts): a task the user asked to post now goes first
// and does not wait for the gap; then the oldest task that is due (a task backing off until its
// nextAttemptAt does not hold up the ones behind it; a task approved in review counts from its
// approval, queuedAt, not its creation, so it goes after those already waiting); one start per gap; at most dailyCap starts
// per local calendar day; only inside the posting hours, when set (posting-hours.ts); nothing
// while paused (until resumesAt, when X said when).
import type { QueueState, Settings, Task, TaskForecast } from '../preload/contract';
import { nextPostingTime } from './posting-hours';

type Ordered = Pick<Task, 'createdAt' | 'id'> & { postNowAt?: string | null | undefined; queuedAt?: string | null | undefined };

/**
 * The queue's order among tasks that are due: post-now first (earliest asked first), then by when
 * each joined the queue — its approval (queuedAt) for a task approved in review, else its creation.
 */
export function queueOrder(a: Ordered, b: Ordered): number {
  const pa = a.postNowAt ?? null;
  const pb = b.postNowAt ?? null;
  if (pa !== pb) {
    if (pa === null) return 1;
    if (pb === null) return -1;
    return pa < pb ? -1 : 1;
  }
  const qa = a.queuedAt ?? a.createdAt;
  const qb = b.queuedAt ?? b.createdAt;
  if (qa !== qb) return qa < qb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** When a pending task may start at the earliest (ms): now for post-now or no backoff, else its nextAttemptAt. */
export function dueAt(task: Pick<Task, 'nextAttemptAt'> & { postNowAt?: string | null | undefined }, now: number): number {
  if (task.postNowAt) return now;
  const at = task.nextAttemptAt === null ? NaN : Date.parse(task.nextAttemptAt);
  return Number.isNaN(at) ? now : at;
}

export interface ForecastInput {
  now: number;
  queue: Pick<QueueState, 'paused' | 'resumesAt' | 'postedToday' | 'dailyCap'> & { nextPostAt?: string | null | undefined };
  settings: Pick<Settings, 'minPostGapSeconds'> & Partial<Pick<Settings, 'postingHours'>>;
}

/** The first instant of the next local calendar day (DST-safe: built from local fields). */
function nextLocalMidnight(ms: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1, 0, 0, 0, 0).getTime();
}

function localDay(ms: number): number {
  const d = new Date(ms);
  return d.getFullYear() * 400 + d.getMonth() * 32 + d.getDate();
}

/**
 * The pending tasks in the order they will post, each with its place (1: next) and expected start.
 * Paused with no known end: the order still holds, the times are null.
 */
export function forecastPending(tasks: readonly Task[], { now, queue, settings }: ForecastInput): TaskForecast[] {
  const gapMs = Math.max(0, settings.minPostGapSeconds) * 1000;
  const cap = queue.dailyCap;
  const parsed = queue.nextPostAt ? Date.parse(queue.nextPostAt) : NaN;
  const allowedAt = Number.isNaN(parsed) ? now : parsed;
  const resumes = queue.resumesAt ? Date.parse(queue.resumesAt) : NaN;
  const hours = settings.postingHours ?? null;
  // Paused with no known end, or posting hours with no day in them: the order holds, times do not.
  const unknown = (queue.paused && Number.isNaN(resumes)) || (hours !== null && hours.days.length === 0);
  const pauseEnd = queue.paused && !Number.isNaN(resumes) ? resumes : now;

  const ready = new Heap<Task>(queueOrder);
  const later: Array<{ task: Task; due: number }> = [];
  for (const t of tasks) {
    if (t.status !== 'pending') continue;
    const due = unknown ? now : dueAt(t, now);
    if (due <= now) ready.push(t);
    else later.push({ task: t, due });
  }
  later.sort((a, b) => a.due - b.due || queueOrder(a.task, b.task));

  const out: TaskForecast[] = [];
  let t = Math.max(now, pauseEnd);
  let gapFrom = Math.max(allowedAt, pauseEnd);
  let day = localDay(now);
  let count = queue.postedToday;
  let li = 0;
  while (ready.size > 0 || li < later.length) {
    while (li < later.length && later[li]!.due <= t) ready.push(later[li++]!.task);
    if (ready.size === 0) { t = later[li]!.due; continue; }
    const next = ready.peek()!;
    // Post now skips the gap (its start becomes the gap's start), never a pause or the cap.
    let start = next.postNowAt ? t : Math.max(t, gapFrom);
    if (!unknown && !next.postNowAt) start = nextPostingTime(start, hours) ?? start;
    if (localDay(start) !== day) { day = localDay(start); count = 0; }
    if (count >= cap) {
      t = nextLocalMidnight(start);
      gapFrom = Math.max(gapFrom, t);
      continue;
    }
    if (start > t && li < later.length && later[li]!.due <= start) {
      // Tasks that fell due while waiting for the gap compete for this start too.
      t = start;
      continue;
    }
    ready.pop();
    start = Math.max(start, t);
    out.push({ taskId: next.id, place: out.length + 1, expectedAt: unknown ? null : new Date(start).toISOString() });
    count += 1;
    gapFrom = start + gapMs;
    t = start;
  }
  return out;
}

/** A binary min-heap: the forecast takes the next task in O(log n) among 10,000 and more. */
class Heap<T> {
  private readonly items: T[] = [];
  constructor(private readonly before: (a: T, b: T) => number) {}
  get size(): number { return this.items.length; }
  peek(): T | undefined { return this.items[0]; }
  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.before(a[i]!, a[p]!) >= 0) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.before(a[l]!, a[m]!) < 0) m = l;
        if (r < a.length && this.before(a[r]!, a[m]!) < 0) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}
