import type { Feed, FeedHealth, FeedSkip, Notice, Settings, SkippedItem } from '../../../preload/contract';
import type { Validators } from '../feeds/types';
import type { QueueMemory, TaskRepo } from '../tasks/types';

/** What the user configures about a feed (settings file); the rest changes at run time (journal). */
export type FeedConfig = Omit<Feed, 'health' | 'recentSkips' | 'title' | 'counts'>;

/** What polling learns about a feed; written often, so it lives in the journal. */
export interface FeedRuntime {
  title: string | null;
  validators: Validators;
  health: FeedHealth;
  recentSkips: FeedSkip[];
}

/**
 * Item ids and links a feed has already turned into tasks (or marked seen), newest first, and the
 * address they were read from (absent in records written before it was kept).
 */
export interface SeenRecord {
  ids: string[];
  links: string[];
  address?: string;
  /** Titles (titleKey), for a feed deduping by title; absent otherwise and in older records. */
  titles?: string[];
  /**
   * For a feed that reposts, one per id (aligned with `ids`): '+' (in the feed at the last poll),
   * the day (YYYY-MM-DD, UTC) a poll found it gone, or '' (not tracked: never reposted).
   */
  days?: string[];
}

export interface EngineStore {
  /** Notices produced while opening (a corrupt file moved aside, …). */
  readonly notices: Notice[];
  /** Every notice not yet dismissed, across restarts: earlier ones plus those of this open. */
  getNotices(): Notice[];
  setNotices(notices: Notice[]): void;
  getSettings(): Settings;
  setSettings(settings: Settings): void;
  getFeeds(): FeedConfig[];
  /**
   * Every reader sees `feeds` at once; the promise settles when feeds.json holds this list or a
   * later one (writes are grouped, off the event loop) and rejects when that write failed.
   */
  setFeeds(feeds: FeedConfig[]): Promise<void>;
  readonly tasks: TaskRepo;
  /** The queue's pause and post ledger (journal records `pause` and `posts`). */
  readonly queueMemory: QueueMemory;
  /** One account's pause, and its part of the ledger and of the posted texts (tasks/account-memory.ts). */
  accountMemory(accountId: string): QueueMemory;
  getFeedRuntime(feedId: string): FeedRuntime | undefined;
  putFeedRuntime(feedId: string, runtime: FeedRuntime): void;
  getSeen(feedId: string): SeenRecord | undefined;
  putSeen(feedId: string, seen: SeenRecord): void;
  /** The skipped log, oldest first (journal records `skip`, one an entry). */
  getSkipped(): SkippedItem[];
  /** How many entries the skipped log holds: one feed's, or all. */
  skippedCount(feedId?: string): number;
  /** Appends entries (oldest first); the caller keeps the log within its bounds (skip-log.ts). */
  addSkipped(entries: readonly SkippedItem[]): void;
  removeSkipped(ids: readonly string[]): void;
  /** Drops a removed feed's runtime, seen ids and skipped log. */
  forgetFeed(feedId: string): void;
  /** Writes everything coalesced so far. */
  flush(): Promise<void>;
  /** Flushes (the feed list's pending write too), releases the lock. */
  close(): Promise<void>;
}
