// X's posting budget in words (AccountState.quota): the 15-minute window of POST /2/tweets and the
// 24-hour limits of the user and the app, with reset times in local time. Pure, so the settings
// page, the tasks window's header and the tests say the same thing.
import type { AccountQuota, QuotaLimit } from '../../preload/contract';
import { clockTime } from '../../common/time';

export const NOT_YET = 'X has not said yet: the numbers come with its answer to the next post.';

const n = (value: number): string => value.toLocaleString('en-US');

/** Past its reset the limit has started afresh: X's last numbers no longer hold. */
function hasReset(limit: QuotaLimit, now: number): boolean {
  const at = Date.parse(limit.resetsAt);
  return Number.isFinite(at) && at <= now;
}

function when(limit: QuotaLimit, now: number, locale?: string): string {
  return clockTime(limit.resetsAt, now, locale);
}

/** The lines to show; one saying X has not said yet when there is nothing. */
export function quotaLines(quota: AccountQuota | undefined, now: number, locale?: string): string[] {
  if (!quota) return [NOT_YET];
  const out: string[] = [];
  const { window, user24h, app24h } = quota;
  if (window) {
    out.push(hasReset(window, now)
      ? `Posts left in this 15-minute window: ${n(window.limit)} of ${n(window.limit)} (a new window since ${when(window, now, locale)})`
      : `Posts left in this 15-minute window: ${n(window.remaining)} of ${n(window.limit)} (resets ${when(window, now, locale)})`);
  }
  for (const [label, limit] of [['Account', user24h], ['App', app24h]] as const) {
    if (!limit) continue;
    out.push(hasReset(limit, now)
      ? `${label}: ${n(limit.limit)} of ${n(limit.limit)} today (reset at ${when(limit, now, locale)})`
      : `${label}: ${n(limit.remaining)} of ${n(limit.limit)} today, resets ${when(limit, now, locale)}`);
  }
  return out.length > 0 ? out : [NOT_YET];
}

/**
 * The tasks window's compact "X budget: 98": the fewest posts any current limit leaves, or null
 * when X has said nothing that still holds.
 */
export function budgetLeft(quota: AccountQuota | undefined, now: number): number | null {
  if (!quota) return null;
  const left = [quota.window, quota.user24h, quota.app24h]
    .filter((l): l is QuotaLimit => Boolean(l) && !hasReset(l as QuotaLimit, now))
    .map((l) => l.remaining);
  return left.length > 0 ? Math.min(...left) : null;
}
