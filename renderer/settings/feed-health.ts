// A feed's health in words: when it was last fetched and how that went, when it is next
// checked, and whether it keeps failing. Pure.
import type { Feed } from '../../preload/contract';
import { relativeTime } from '../../common/time';

export type HealthTone = 'ok' | 'warn' | 'error' | 'idle';

export interface HealthSummary { tone: HealthTone; label: string }

export function healthSummary(feed: Feed): HealthSummary {
  const h = feed.health;
  if (!feed.enabled) return { tone: 'idle', label: 'Disabled' };
  if (h.consecutiveFailures > 0) {
    return { tone: h.consecutiveFailures >= 3 ? 'error' : 'warn',
      label: h.consecutiveFailures === 1 ? 'Last check failed' : `Failing (${h.consecutiveFailures} checks in a row)` };
  }
  if (!h.lastFetchedAt) return { tone: 'idle', label: 'Not checked yet' };
  return { tone: 'ok', label: 'Healthy' };
}

/** "200 OK", "304 not modified", or the bare status. */
export function statusText(status: number | null): string {
  if (status === null) return '—';
  if (status === 304) return '304 not modified';
  if (status >= 200 && status < 300) return `${status} OK`;
  return String(status);
}

export function lastFetchText(feed: Feed, now: number): string {
  return feed.health.lastFetchedAt ? relativeTime(feed.health.lastFetchedAt, now) : 'never';
}

export function nextPollText(feed: Feed, now: number): string {
  if (!feed.enabled) return 'not scheduled';
  const at = feed.health.nextPollAt;
  if (!at) return 'soon';
  return Date.parse(at) <= now ? 'due now' : relativeTime(at, now);
}
