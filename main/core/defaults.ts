import type { Feed, FeedHealth, Settings } from '../../preload/contract';
import type { FeedConfig } from './store/types';

export const DEFAULT_SETTINGS: Settings = {
  minPostGapSeconds: 60,
  dailyCap: 50,
  retryBaseSeconds: 30,
  retryMaxSeconds: 3600,
  maxAttempts: 8,
  maxFeedBytes: 10 * 1024 * 1024,
  fetchTimeoutSeconds: 20,
  historyLimit: 5000,
  failedHistoryLimit: 10_000,
  maxConcurrentFetches: 4,
  defaultIntervalMinutes: 15,
  dryRun: false,
  startAtLogin: false,
  // X's published pay-per-use prices (developer docs, 2026).
  pricePerPostUsd: 0.015,
  pricePerPostWithUrlUsd: 0.2,
  monthlySpendLimitUsd: null,
  notifications: 'failures',
  // A billed read (about $0.025 a check), made only before resending a post in doubt.
  checkTimelineBeforeResend: true,
  postingHours: null,
};

export const DEFAULT_TEMPLATE = '{title} {link}';
export const DEFAULT_MAX_HASHTAGS = 3;
export const MAX_RECENT_SKIPS = 20;

export function emptyHealth(): FeedHealth {
  return { lastFetchedAt: null, lastStatus: null, lastError: null, consecutiveFailures: 0, nextPollAt: null };
}

/** What the user configures about a new feed: the defaults under the fields given. */
export function newFeedConfig(id: string, url: string, settings: Settings, fields: Partial<FeedConfig> = {}): FeedConfig {
  return {
    id, url, enabled: true, name: null,
    intervalMinutes: settings.defaultIntervalMinutes, template: DEFAULT_TEMPLATE,
    include: [], exclude: [], maxHashtags: DEFAULT_MAX_HASHTAGS, postImages: false, backfill: 0,
    ...fields,
  };
}

/** A new feed as views see it: its configuration, not yet polled. */
export function newFeed(id: string, url: string, settings: Settings, fields: Partial<Feed> = {}): Feed {
  return { ...newFeedConfig(id, url, settings), title: null, health: emptyHealth(), recentSkips: [], ...fields };
}
