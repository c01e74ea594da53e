// After the machine slept, poll timers (which run on a clock that stops while it sleeps) are
// late: this plans them again from the wall clock. Overdue feeds poll within a few seconds,
// spread out so a laptop waking with 300 feeds does not fire 300 fetches in the same instant;
// the others keep their planned time, re-armed against the true remaining wait.

/** Overdue polls start within this long after a wake. */
export const WAKE_SPREAD_MS = 4_000;

export interface PlannedPoll { feedId: string; atMs: number; overdue: boolean }

export function planAfterWake(feeds: ReadonlyArray<{ feedId: string; nextPollAt: string | null }>, now: number): PlannedPoll[] {
  const overdue = feeds.filter((f) => f.nextPollAt === null || !(Date.parse(f.nextPollAt) > now));
  const step = overdue.length > 1 ? WAKE_SPREAD_MS / (overdue.length - 1) : 0;
  const late = new Map(overdue.map((f, i) => [f.feedId, now + Math.round(i * step)]));
  return feeds.map((f) => {
    const at = late.get(f.feedId);
    return at === undefined ? { feedId: f.feedId, atMs: Date.parse(f.nextPollAt!), overdue: false } : { feedId: f.feedId, atMs: at, overdue: true };
  });
}
