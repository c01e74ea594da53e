// What the queue and account states mean in words, and which action fixes them. Pure, so
// the tasks page, the settings page and tests agree on the wording.
import type { AccountState, QueueState, Settings } from '../preload/contract';
import { nextPostingTime } from './posting-hours';
import { clockTime, relativeTime } from './time';

export type BannerTone = 'info' | 'warning' | 'error';
export type BannerAction = 'resume' | 'reconnect' | 'settings';

export interface Banner {
  id: 'paused' | 'daily-cap' | 'spend-limit' | 'dry-run' | 'outside-hours';
  tone: BannerTone;
  title: string;
  detail: string;
  action: BannerAction | null;
  actionLabel: string | null;
}

export type Host = 'desktop' | 'headless';

/** What "Reconnect" means on each host: connecting again in Settings → Account, or fresh keys in the environment. */
export function reconnectHelp(host: Host): string {
  return host === 'headless'
    ? 'Open Settings → Account and reconnect with X (OAuth 2.0); posting goes on by itself once X sends you back. With OAuth 1.0a keys from the environment instead, set CRIER_X_APP_KEY, CRIER_X_APP_SECRET, CRIER_X_ACCESS_TOKEN and CRIER_X_ACCESS_SECRET to fresh values, restart crier serve, then press Resume.'
    : 'Open Settings → Account, connect your X account again, then press Resume. Posts wait as pending meanwhile.';
}

export function describeQueue(queue: QueueState, account: AccountState, host: Host, now: number, settings?: Pick<Settings, 'postingHours' | 'monthlySpendLimitUsd'>): Banner[] {
  const out: Banner[] = [];
  const opensAt = nextPostingTime(now, settings?.postingHours ?? null);
  if (queue.paused) out.push(pausedBanner(queue, host, now, account));
  else if (queue.dailyCap > 0 && queue.postedToday >= queue.dailyCap) {
    out.push({ id: 'daily-cap', tone: 'info', title: 'Daily cap reached',
      detail: `${queue.postedToday} of ${queue.dailyCap} posts today. Pending tasks wait until tomorrow; nothing is dropped.`,
      action: 'settings', actionLabel: 'Change cap' });
  } else if (!account.dryRun && settings?.monthlySpendLimitUsd != null && queue.spend && queue.spend.month.usd >= settings.monthlySpendLimitUsd) {
    const usd = (n: number): string => n.toLocaleString('en-US', { style: 'currency', currency: 'USD' });
    out.push({ id: 'spend-limit', tone: 'info', title: 'Monthly spending limit reached',
      detail: `${usd(queue.spend.month.usd)} of ${usd(settings.monthlySpendLimitUsd)} this month. Pending tasks wait until the first of next month; nothing is dropped.`,
      action: 'settings', actionLabel: 'Change limit' });
  } else if (opensAt !== now && queue.counts.pending > 0) {
    const iso = opensAt === null ? null : new Date(opensAt).toISOString();
    out.push({ id: 'outside-hours', tone: 'info', title: 'Outside posting hours',
      detail: iso ? `Pending tasks wait until ${clockTime(iso, now)} (${relativeTime(iso, now)}). “Post now” posts one at once.` : 'Pending tasks wait: the posting hours have no day in them.',
      action: 'settings', actionLabel: 'Change hours' });
  }
  if (account.dryRun) {
    out.push({ id: 'dry-run', tone: 'info', title: 'Dry run: nothing is posted to X',
      detail: account.connected
        ? 'Tasks run through every step except the post itself. Turn dry run off in Settings to post for real.'
        : host === 'headless'
          ? 'No X account is connected, so Crier always runs dry. Set the CRIER_X_* environment variables and restart to post.'
          : 'No X account is connected, so Crier always runs dry. Connect one in Settings → Account to post.',
      action: 'settings', actionLabel: 'Settings' });
  }
  return out;
}

function pausedBanner(queue: QueueState, host: Host, now: number, account: AccountState): Banner {
  const resume = { action: 'resume' as const, actionLabel: 'Resume' };
  switch (queue.pauseReason) {
    case 'rate-limited': {
      const when = queue.resumesAt
        ? `Posting resumes by itself at ${clockTime(queue.resumesAt, now)} (${relativeTime(queue.resumesAt, now)}).`
        : 'Posting resumes by itself when X resets the limit.';
      return { id: 'paused', tone: 'warning', title: 'Paused: X rate limit reached (429)',
        detail: `X asked Crier to slow down. ${when}`, action: 'resume', actionLabel: 'Resume now' };
    }
    case 'credits-depleted':
      return { id: 'paused', tone: 'error', title: 'Paused: X API credits used up (402)',
        detail: 'X refused the post because the developer account has no credits left. Add credits in the X developer console, then resume.', ...resume };
    case 'auth':
      // An OAuth 2.0 sign-in X stopped renewing says why in its own words.
      return { id: 'paused', tone: 'error', title: 'Paused: X rejected the credentials (401)',
        detail: `${account.failure ? account.failure.message : "The X account's access was revoked or has expired."} ${reconnectHelp(host)}`,
        action: 'reconnect', actionLabel: 'Reconnect' };
    case 'offline':
      return { id: 'paused', tone: 'warning', title: 'Paused: offline',
        detail: 'Crier cannot reach X. It resumes by itself when the network is back.', action: 'resume', actionLabel: 'Try now' };
    case 'user':
    case null:
    default:
      return { id: 'paused', tone: 'info', title: 'Posting is paused',
        detail: 'You paused the queue. Feeds are still polled; new posts wait as pending.', ...resume };
  }
}
