// Every account's queue as one (several accounts, issue 16): what the tray, the notifications and
// the pages' banners read as `queue`. One account's state is returned as it is, so an install with
// one account sees exactly what it saw before.
import type { PeriodSpend, QueueState, Spend, TaskCounts } from '../../../preload/contract';

const addPeriod = (a: PeriodSpend, b: PeriodSpend): PeriodSpend => ({ posts: a.posts + b.posts, withLink: a.withLink + b.withLink, usd: Math.round((a.usd + b.usd) * 1e6) / 1e6 });

function addSpend(a: Spend | undefined, b: Spend | undefined): Spend | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return { today: addPeriod(a.today, b.today), month: addPeriod(a.month, b.month) };
}

function addCounts(a: TaskCounts, b: TaskCounts): TaskCounts {
  return {
    pending: a.pending + b.pending, running: a.running + b.running, completed: a.completed + b.completed,
    failed: a.failed + b.failed, cancelled: a.cancelled + b.cancelled, review: (a.review ?? 0) + (b.review ?? 0),
  };
}

/**
 * Counts, posts and spend add up; the cap is each account's, so the sum's is the sum of theirs.
 * Paused only when every account is (with the first one's reason and time): one account posting
 * means posting goes on. The next post is the soonest any running account may start (null when
 * one may start now).
 */
export function sumQueues(states: readonly QueueState[]): QueueState {
  if (states.length === 1) return states[0]!;
  if (states.length === 0) {
    return { paused: false, pauseReason: null, resumesAt: null, postedToday: 0, dailyCap: 0, counts: { pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0, review: 0 }, nextPostAt: null };
  }
  const paused = states.every((s) => s.paused);
  const first = states[0]!;
  let soonest: string | null = null;
  let someoneNow = false;
  for (const s of states) {
    if (s.paused && !paused) continue;
    const at = s.nextPostAt ?? null;
    if (at === null) someoneNow = true;
    else if (soonest === null || at < soonest) soonest = at;
  }
  const nextPostAt = someoneNow ? null : soonest;
  let counts = first.counts;
  let spend = first.spend;
  let postedToday = first.postedToday;
  let dailyCap = first.dailyCap;
  for (const s of states.slice(1)) {
    counts = addCounts(counts, s.counts);
    spend = addSpend(spend, s.spend);
    postedToday += s.postedToday;
    dailyCap += s.dailyCap;
  }
  return {
    paused,
    pauseReason: paused ? first.pauseReason : null,
    resumesAt: paused ? first.resumesAt : null,
    postedToday,
    dailyCap,
    counts,
    nextPostAt,
    ...(spend === undefined ? {} : { spend }),
  };
}
