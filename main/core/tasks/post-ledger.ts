// The durable record of what was posted, per local calendar day and per account. The daily cap
// reads it, not the tasks still stored: clearing history or a small history limit must not let
// Crier post past the cap (each post costs money on X's pay-per-use pricing). Later, spend
// figures read it too. Pure: the queue keeps the ledger and has the store write it.
import type { PeriodSpend, Settings, Spend, Task } from '../../../preload/contract';
import { localDayKey } from './pacing';

export interface DayCounts {
  /** Posts that went out for real. */
  live: number;
  /** Dry runs: paced by the cap like real posts, but they do not use up the day's real posts. */
  dry: number;
  /** Live posts whose text carries a link (X prices those higher). */
  withLink: number;
}

/** Local day ("2026-12-02") → account id → counts. */
export type PostLedger = Record<string, Record<string, DayCounts>>;

import { DEFAULT_ACCOUNT_ID } from '../../../preload/contract';

/** Posts of builds before several accounts belong to the default account. */
export { DEFAULT_ACCOUNT_ID };
/** Days kept: at least a month of spend figures, whatever the month's length. */
export const LEDGER_DAYS_KEPT = 40;

const ZERO: DayCounts = { live: 0, dry: 0, withLink: 0 };

export interface PostEntry { accountId: string; dryRun: boolean; withLink: boolean }

/** The ledger with one more post on `now`'s local day; days past LEDGER_DAYS_KEPT are dropped. */
export function recordPost(ledger: PostLedger, now: number, entry: PostEntry): PostLedger {
  const day = localDayKey(now);
  const accounts = ledger[day] ?? {};
  const before = accounts[entry.accountId] ?? ZERO;
  const after: DayCounts = entry.dryRun
    ? { ...before, dry: before.dry + 1 }
    : { ...before, live: before.live + 1, withLink: before.withLink + (entry.withLink ? 1 : 0) };
  return keepRecent({ ...ledger, [day]: { ...accounts, [entry.accountId]: after } }, now);
}

export function countsOn(ledger: PostLedger, day: string, accountId: string): DayCounts {
  return ledger[day]?.[accountId] ?? ZERO;
}

/** What the cap compares with: today's live posts, or today's dry runs when running dry. */
export function postedToday(ledger: PostLedger, now: number, accountId: string, dryRun: boolean): number {
  const counts = countsOn(ledger, localDayKey(now), accountId);
  return dryRun ? counts.dry : counts.live;
}

/**
 * A data dir from before the ledger existed: rebuilt from the completed tasks still stored, the
 * best that can be known (a build that had no ledger also counted this way).
 */
export function ledgerFromTasks(tasks: Iterable<Task>, now: number, carriesLink: (text: string) => boolean): PostLedger {
  let ledger: PostLedger = {};
  for (const task of tasks) {
    if (task.status !== 'completed') continue;
    const at = Date.parse(task.updatedAt);
    if (Number.isNaN(at)) continue;
    ledger = recordPost(ledger, at, { accountId: DEFAULT_ACCOUNT_ID, dryRun: task.dryRun, withLink: !task.dryRun && carriesLink(task.text) });
  }
  return keepRecent(ledger, now);
}

function keepRecent(ledger: PostLedger, now: number): PostLedger {
  const oldest = localDayKey(now - LEDGER_DAYS_KEPT * 24 * 60 * 60 * 1000);
  const days = Object.keys(ledger);
  if (days.every((day) => day >= oldest)) return ledger;
  return Object.fromEntries(Object.entries(ledger).filter(([day]) => day >= oldest));
}

/**
 * Live posts today and in the local calendar month so far, and what X bills for them: plain posts
 * at pricePerPostUsd, posts with a link at pricePerPostWithUrlUsd. Dry runs cost nothing.
 */
export function spendOf(ledger: PostLedger, now: number, accountId: string, prices: Pick<Settings, 'pricePerPostUsd' | 'pricePerPostWithUrlUsd'>): Spend {
  const today = localDayKey(now);
  const month = today.slice(0, 8);
  const sum = (days: string[]): PeriodSpend => {
    let posts = 0;
    let withLink = 0;
    for (const day of days) {
      const c = countsOn(ledger, day, accountId);
      posts += c.live;
      withLink += c.withLink;
    }
    const usd = (posts - withLink) * prices.pricePerPostUsd + withLink * prices.pricePerPostWithUrlUsd;
    // Whole millionths: 3 × 0.01 is 0.03, not 0.030000000000000002.
    return { posts, withLink, usd: Math.round(usd * 1e6) / 1e6 };
  };
  return { today: sum([today]), month: sum(Object.keys(ledger).filter((day) => day.startsWith(month) && day <= today)) };
}
