// Each feed's tasks by outcome (Feed.counts), counted by the engine: a page may hold only some of
// the tasks (getState's taskLimit; the settings window asks for none), so it cannot count them.
// Counted in one pass over the tasks, at most once per tick in which tasks changed, and sent as
// feed deltas only for feeds whose counts moved. The pass costs what the queue's own status counts
// cost (QueueState.counts); it needs no index of every task's last status.
import type { FeedCounts, Task } from '../../../preload/contract';

export const NO_TASKS: FeedCounts = Object.freeze({ posted: 0, pending: 0, failed: 0 });

/**
 * Posted: completed (dry runs too). Pending: waiting or being posted. Failed. Review: waiting for the
 * user's approval, present only when there are some. Cancelled ones (skipped ones too) are not counted.
 */
export function countByFeed(tasks: Iterable<Pick<Task, 'feedId' | 'status'>>): Map<string, FeedCounts> {
  const out = new Map<string, FeedCounts>();
  for (const t of tasks) {
    if (t.status === 'cancelled') continue;
    let c = out.get(t.feedId);
    if (!c) {
      c = { posted: 0, pending: 0, failed: 0 };
      out.set(t.feedId, c);
    }
    if (t.status === 'completed') c.posted += 1;
    else if (t.status === 'failed') c.failed += 1;
    else if (t.status === 'review') c.review = (c.review ?? 0) + 1;
    else c.pending += 1;
  }
  return out;
}

export const sameCounts = (a: FeedCounts, b: FeedCounts): boolean =>
  a.posted === b.posted && a.pending === b.pending && a.failed === b.failed && (a.review ?? 0) === (b.review ?? 0);

export interface FeedCounter {
  /** The feed's counts now. */
  of(feedId: string): FeedCounts;
  /** A task of this feed changed: its counts are compared with the last ones told at the end of the tick. */
  touched(feedId: string): void;
  /** Tasks went (history pruned or cleared): every feed's counts are compared at the end of the tick. */
  touchedAll(): void;
}

/**
 * `tasks` reads every task; `changed` hears, at the end of a tick in which tasks changed, which
 * feeds' counts moved since the last time (a retry or an edit that changes no outcome moves none).
 * Counting happens at creation, then at most once per tick with changes (or on `of` after one).
 */
export function createFeedCounter(tasks: () => Iterable<Pick<Task, 'feedId' | 'status'>>, changed: (feedIds: string[]) => void): FeedCounter {
  // What deltas last told (tasks change before their listeners hear, so "before" is kept, not recounted).
  let told = countByFeed(tasks());
  let current: Map<string, FeedCounts> | null = told;
  const touched = new Set<string>();
  let all = false;
  let scheduled = false;

  const now = (): Map<string, FeedCounts> => (current ??= countByFeed(tasks()));

  function settle(): void {
    scheduled = false;
    const counts = now();
    const ids = all ? [...new Set([...told.keys(), ...counts.keys()])] : [...touched];
    touched.clear();
    all = false;
    const moved = ids.filter((id) => !sameCounts(told.get(id) ?? NO_TASKS, counts.get(id) ?? NO_TASKS));
    told = counts;
    if (moved.length > 0) changed(moved);
  }

  const schedule = (): void => {
    current = null;
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(settle);
  };

  return {
    of: (feedId) => now().get(feedId) ?? NO_TASKS,
    touched(feedId) {
      touched.add(feedId);
      schedule();
    },
    touchedAll() {
      all = true;
      schedule();
    },
  };
}
