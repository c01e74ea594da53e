import { describe, expect, it } from 'vitest';
import type { AccountState } from '../../preload/contract';
import { describeQueue, reconnectHelp } from '../../common/queue-banner';
import { makeQueue } from '../e2e/support/fixtures';

const now = Date.parse('2026-03-01T12:00:00.000Z');
const account: AccountState = { connected: true, handle: 'me', method: 'oauth1', dryRun: false, secretsProtected: true };

describe('describeQueue', () => {
  it('shows nothing when the queue runs and posts for real', () => {
    expect(describeQueue(makeQueue([]), account, 'desktop', now)).toEqual([]);
  });

  it('offers Resume when the user paused', () => {
    const [b] = describeQueue(makeQueue([], { paused: true, pauseReason: 'user' }), account, 'desktop', now);
    expect(b).toMatchObject({ id: 'paused', title: 'Posting is paused', action: 'resume' });
  });

  it('says until when X rate-limited the queue', () => {
    const [b] = describeQueue(makeQueue([], { paused: true, pauseReason: 'rate-limited', resumesAt: '2026-03-01T12:15:00.000Z' }), account, 'desktop', now);
    expect(b?.title).toContain('429');
    expect(b?.detail).toContain('in 15 min');
  });

  it('explains credits and revoked credentials with their status codes', () => {
    expect(describeQueue(makeQueue([], { paused: true, pauseReason: 'credits-depleted' }), account, 'desktop', now)[0]?.title).toContain('402');
    const [auth] = describeQueue(makeQueue([], { paused: true, pauseReason: 'auth' }), account, 'headless', now);
    expect(auth).toMatchObject({ action: 'reconnect', actionLabel: 'Reconnect' });
    expect(auth?.detail).toContain('CRIER_X_ACCESS_TOKEN');
  });

  it('names offline as the reason and offers to try now', () => {
    expect(describeQueue(makeQueue([], { paused: true, pauseReason: 'offline' }), account, 'desktop', now)[0]).toMatchObject({ title: 'Paused: offline', actionLabel: 'Try now' });
  });

  it('marks dry run, and says why when no account is connected', () => {
    const banners = describeQueue(makeQueue([]), { ...account, connected: false, handle: null, dryRun: true }, 'desktop', now);
    expect(banners.map((b) => b.id)).toEqual(['dry-run']);
    expect(banners[0]?.detail).toContain('No X account');
  });

  it('says the daily cap is reached and that nothing is dropped', () => {
    const [b] = describeQueue(makeQueue([], { postedToday: 50, dailyCap: 50 }), account, 'desktop', now);
    expect(b?.id).toBe('daily-cap');
    expect(b?.detail).toContain('nothing is dropped');
  });
});

describe('reconnectHelp', () => {
  it('points headless users at the environment and desktop users at Settings', () => {
    expect(reconnectHelp('headless')).toContain('CRIER_X_APP_KEY');
    expect(reconnectHelp('desktop')).toContain('Settings → Account');
  });
});

describe('describeQueue with posting hours', () => {
  const pending = makeQueue([], { counts: { pending: 3, running: 0, completed: 0, failed: 0, cancelled: 0 } });
  const allDays = [0, 1, 2, 3, 4, 5, 6];
  const hoursAround = (offsetH: number): { from: string; to: string; days: number[] } => {
    const d = new Date(now + offsetH * 3600_000);
    const hh = String(d.getHours()).padStart(2, '0');
    return { from: `${hh}:00`, to: `${String((d.getHours() + 1) % 24).padStart(2, '0')}:00`, days: allDays };
  };

  it('says pending tasks wait for the hours to open, and until when', () => {
    const banners = describeQueue(pending, account, 'desktop', now, { postingHours: hoursAround(3) });
    expect(banners.map((b) => b.id)).toEqual(['outside-hours']);
    expect(banners[0]!.detail).toMatch(/^Pending tasks wait until .+ \(in (2|3) h\)\. “Post now” posts one at once\.$/);
  });

  it('says nothing inside the hours, or with nothing pending', () => {
    expect(describeQueue(pending, account, 'desktop', now, { postingHours: { from: '00:00', to: '00:00', days: allDays } })).toEqual([]);
    expect(describeQueue(makeQueue([]), account, 'desktop', now, { postingHours: hoursAround(3) })).toEqual([]);
  });
});

describe('an auth pause of an OAuth 2.0 sign-in', () => {
  it('says in the account\'s words why X stopped renewing it, then how to reconnect', () => {
    const queue = { ...makeQueue([]), paused: true, pauseReason: 'auth' as const };
    const oauth2: AccountState = { ...account, method: 'oauth2',
      failure: { reason: 'grant-refused', message: 'X refused to renew the sign-in (400 invalid_request): the account has to be connected again.' } };
    const [banner] = describeQueue(queue, oauth2, 'headless', now);
    expect(banner).toMatchObject({ id: 'paused', action: 'reconnect' });
    expect(banner!.detail).toMatch(/^X refused to renew the sign-in .* Open Settings → Account and reconnect with X \(OAuth 2\.0\)/);
  });
});

describe('describeQueue with a monthly spending limit', () => {
  const spent = (usd: number) => makeQueue([], { counts: { pending: 2, running: 0, completed: 0, failed: 0, cancelled: 0 }, spend: { today: { posts: 1, withLink: 1, usd: 0.2 }, month: { posts: 10, withLink: 10, usd } } });
  it('says the limit is reached and that pending tasks wait for next month', () => {
    const [b] = describeQueue(spent(2), account, 'desktop', now, { postingHours: null, monthlySpendLimitUsd: 2 });
    expect(b).toMatchObject({ id: 'spend-limit', title: 'Monthly spending limit reached', actionLabel: 'Change limit' });
    expect(b!.detail).toBe('$2.00 of $2.00 this month. Pending tasks wait until the first of next month; nothing is dropped.');
  });
  it('says nothing under the limit, without one, or in a dry run', () => {
    expect(describeQueue(spent(1.99), account, 'desktop', now, { monthlySpendLimitUsd: 2 })).toEqual([]);
    expect(describeQueue(spent(5), account, 'desktop', now, { monthlySpendLimitUsd: null })).toEqual([]);
    expect(describeQueue(spent(5), { ...account, dryRun: true }, 'desktop', now, { monthlySpendLimitUsd: 2 }).map((b) => b.id)).toEqual(['dry-run']);
  });
});
