// The engine's persistence: settings and feed configs in conf files, everything that changes
// often (tasks, seen ids, feed runtime) in the journal. See docs/store.md for the why.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Notice, Settings, SkippedItem, Task } from '../../../preload/contract';
import type { Clock, Logger } from '../ports';
import type { PostLedger } from '../tasks/post-ledger';
import type { PostedTexts } from '../tasks/posted-texts';
import type { QueueMemory, SavedPause, TaskRepo } from '../tasks/types';
import { accountMemory, type PauseBook } from '../tasks/account-memory';
import { DEFAULT_ACCOUNT_ID } from '../../../preload/contract';
import { openFeedsFile, openSettingsFile, type Recovery } from './config-files';
import { pruneHistory } from './history';
import { Journal } from './journal';
import { journalDamageNotice } from './journal-damage';
import { withNotice } from '../state/notices';
import { acquireLock } from './lock';
import { FeedRuntimeSchema, NoticeSchema, PostedTextsSchema, PostLedgerSchema, SavedPauseSchema, SeenRecordSchema, SkippedItemSchema, TaskSchema } from './records';
import { isPlainSkipped, objectOf, SEEN_FIELDS } from './record-shape';
import type { EngineStore, FeedConfig, FeedRuntime, SeenRecord } from './types';
import { SkippedIndex } from './skipped-index';

export { pruneHistory } from './history';
export { StoreLockedError } from './lock';

export const JOURNAL_FILE = 'state.jsonl';
/** Long enough to merge a poll's burst of new tasks into one append, short enough to lose little on a crash. */
export const DEFAULT_COALESCE_MS = 250;

export interface StoreOptions {
  clock: Clock;
  log: Logger;
  coalesceMs?: number;
}

/**
 * Opens (creating when needed) the store in `dir`: takes the lock, reads and validates the
 * config files, replays the journal and drops finished tasks past `historyLimit`. Damaged files
 * are moved aside with a notice, never thrown; a live second instance throws StoreLockedError.
 */
export function openStore(dir: string, options: StoreOptions): EngineStore {
  makeDataDir(dir);
  const release = acquireLock(dir);
  try {
    return assemble(dir, options, release);
  } catch (error) {
    release();
    throw error;
  }
}

/** Creates the data directory, or says in words why it cannot be one (not Node's bare error code). */
function makeDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new Error(`The data directory ${dir} cannot be used: a file is in its place or on its path.`, { cause: error });
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new Error(`The data directory ${dir} cannot be created: no permission to write there (${code}).`, { cause: error });
    throw error;
  }
}

function assemble(dir: string, options: StoreOptions, release: () => void): EngineStore {
  const { clock, log } = options;
  const notices: Notice[] = [];
  const now = clock.now();
  const recover = (recovery: Recovery): void => {
    log.warn('store recovered', { message: recovery.message });
    notices.push({ id: randomUUID(), kind: 'store-recovered', message: recovery.message, at: new Date(now).toISOString() });
  };

  const settingsFile = openSettingsFile({ dir, now, log, recover });
  const feedsFile = openFeedsFile({ dir, now, log, recover });
  let settings: Settings = settingsFile.value;
  let feeds: FeedConfig[] = feedsFile.value;
  /**
   * The feed objects the store holds (its own copies): a change of one feed in a list of 1,000
   * copies that one, not all of them. Callers replace a feed, never change one in place.
   */
  const owned = new WeakSet<FeedConfig>(feeds);
  const ownFeed = (feed: FeedConfig): FeedConfig => {
    if (owned.has(feed)) return feed;
    const copy = { ...feed, include: [...feed.include], exclude: [...feed.exclude] };
    owned.add(copy);
    return copy;
  };

  const replay = Journal.open(join(dir, JOURNAL_FILE), { clock, log, coalesceMs: options.coalesceMs ?? DEFAULT_COALESCE_MS });
  const journal = replay.journal;
  if (replay.damage && replay.movedAsideTo) recover({ message: journalDamageNotice(replay.damage, replay.movedAsideTo) });

  const tasks = new Map<string, Task>();
  const runtimes = new Map<string, FeedRuntime>();
  const seen = new Map<string, SeenRecord>();
  const skipped = new SkippedIndex();
  let savedNotices: Notice[] = [];
  let pause: SavedPause | null = null;
  const accountPauses = new Map<string, SavedPause | null>();
  let ledger: PostLedger | undefined;
  let texts: PostedTexts | undefined;
  for (const record of replay.records.values()) {
    if (record.t === 'notices') savedNotices = record.v;
    else if (record.t === 'pause') pause = record.v;
    else if (record.t === 'account-pause') accountPauses.set(record.id, record.v);
    else if (record.t === 'posts') ledger = record.v;
    else if (record.t === 'texts') texts = record.v;
    else if (record.t === 'task') tasks.set(record.v.id, record.v);
    else if (record.t === 'runtime') runtimes.set(record.id, record.v);
    else if (record.t === 'seen') seen.set(record.id, record.v);
    else if (record.t === 'skip') skipped.set(record.v);
  }

  // Done before anyone reads the tasks, so no view ever sees history the limit already dropped.
  const pruned = pruneHistory([...tasks.values()], settings.historyLimit);
  for (const id of pruned) {
    tasks.delete(id);
    journal.write({ t: 'del', k: `task:${id}` }, false);
  }
  if (pruned.length > 0) log.info('store: pruned finished tasks past the history limit', { count: pruned.length });

  if (notices.length > 0) {
    savedNotices = notices.reduce(withNotice, savedNotices);
    journal.write({ t: 'notices', v: savedNotices }, false);
  }

  let closed = false;
  const open = (): void => {
    if (closed) throw new Error('The store is closed.');
  };

  const taskRepo: TaskRepo = {
    get: (id) => tasks.get(id),
    all: () => [...tasks.values()],
    put(task, putOptions) {
      open();
      // Parsed (which also copies, so a caller changing its object later changes nothing stored):
      // a record replay would reject must fail here, at its author, not as damage at the next start.
      const stored = checked(TaskSchema, task, 'task');
      journal.write({ t: 'task', v: stored }, putOptions?.durable === true);
      tasks.set(stored.id, stored);
    },
    remove(ids) {
      open();
      for (const id of ids) {
        if (!tasks.delete(id)) continue;
        journal.write({ t: 'del', k: `task:${id}` }, false);
      }
    },
  };

  const queueMemory: QueueMemory = {
    loadPause: () => pause,
    savePause(next) {
      open();
      const stored = next === null ? null : checked(SavedPauseSchema, next, 'pause');
      journal.write({ t: 'pause', v: stored }, true);
      pause = stored;
    },
    loadLedger: () => ledger,
    saveLedger(next) {
      open();
      const stored = checked(PostLedgerSchema, next, 'post ledger');
      // Not durable by itself: it goes out with the outcome write that follows it.
      journal.write({ t: 'posts', v: stored }, false);
      ledger = stored;
    },
    loadTexts: () => texts,
    saveTexts(next) {
      open();
      const stored = checked(PostedTextsSchema, next, 'record of posted texts');
      // Like the ledger: it goes out with the outcome write that follows it.
      journal.write({ t: 'texts', v: stored }, false);
      texts = stored;
    },
  };

  const pauses: PauseBook = {
    load: (accountId) => (accountId === DEFAULT_ACCOUNT_ID ? pause : accountPauses.get(accountId) ?? null),
    save(accountId, next) {
      if (accountId === DEFAULT_ACCOUNT_ID) return queueMemory.savePause(next);
      open();
      const stored = next === null ? null : checked(SavedPauseSchema, next, 'pause');
      journal.write({ t: 'account-pause', id: accountId, v: stored }, true);
      accountPauses.set(accountId, stored);
    },
  };

  return {
    notices,
    tasks: taskRepo,
    queueMemory,
    accountMemory: (accountId) => accountMemory(queueMemory, pauses, accountId),
    getSettings: () => settings,
    setSettings(next) {
      open();
      settingsFile.write(next);
      settings = { ...next };
    },
    getFeeds: () => feeds,
    setFeeds(next) {
      open();
      feeds = next.map(ownFeed);
      return feedsFile.write(feeds);
    },
    getNotices: () => [...savedNotices],
    setNotices(next) {
      open();
      savedNotices = checked(z.array(NoticeSchema), next, 'notices');
      journal.write({ t: 'notices', v: savedNotices }, false);
    },
    getFeedRuntime: (feedId) => runtimes.get(feedId),
    putFeedRuntime(feedId, runtime) {
      open();
      const stored = checked(FeedRuntimeSchema, runtime, 'feed runtime');
      journal.write({ t: 'runtime', id: feedId, v: stored }, false);
      runtimes.set(feedId, stored);
    },
    getSeen: (feedId) => seen.get(feedId),
    putSeen(feedId, record) {
      open();
      const stored = storedSeen(record);
      journal.write({ t: 'seen', id: feedId, v: stored }, false);
      seen.set(feedId, stored);
    },
    getSkipped: () => [...skipped.values()],
    skippedCount: (feedId) => skipped.count(feedId),
    addSkipped(entries) {
      open();
      // All checked before any is kept, and written as one change: a poll adds up to a feed's bound.
      const stored = entries.map(storedSkip);
      journal.writeAll(stored.map((v) => ({ t: 'skip', v })), false);
      for (const entry of stored) skipped.set(entry);
    },
    removeSkipped(ids) {
      open();
      const gone = ids.filter((id) => skipped.delete(id));
      journal.writeAll(gone.map((id) => ({ t: 'del', k: `skip:${id}` })), false);
    },
    forgetFeed(feedId) {
      open();
      if (runtimes.delete(feedId)) journal.write({ t: 'del', k: `runtime:${feedId}` }, false);
      if (seen.delete(feedId)) journal.write({ t: 'del', k: `seen:${feedId}` }, false);
      for (const entry of [...skipped.values()]) {
        if (entry.feedId !== feedId) continue;
        skipped.delete(entry.id);
        journal.write({ t: 'del', k: `skip:${entry.id}` }, false);
      }
    },
    async flush() {
      if (closed) return;
      journal.settle();
      await feedsFile.settle().catch((error: unknown) => log.error('store: the feed list could not be saved', { error: String(error) }));
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        try {
          await feedsFile.settle();
        } catch (error) {
          log.error('store: the feed list could not be saved at close', { error: String(error) });
        }
        journal.close();
      } finally {
        release();
      }
    },
  };
}

const isPlainSeen = objectOf(SEEN_FIELDS);

/**
 * A poll writes its feed's seen record whenever it changes, up to thousands of ids: the plain walk
 * of record-shape.ts checks it and a copy is stored, as zod's would be; anything else goes to zod.
 */
function storedSeen(record: SeenRecord): SeenRecord {
  if (!isPlainSeen(record)) return checked(SeenRecordSchema, record, 'seen record');
  return {
    ids: [...record.ids], links: [...record.links],
    ...(record.address === undefined ? {} : { address: record.address }),
    ...(record.titles === undefined ? {} : { titles: [...record.titles] }),
    ...(record.days === undefined ? {} : { days: [...record.days] }),
  };
}

/** A skipped-log entry, copied as zod would return it; the plain walk first, zod for anything else. */
function storedSkip(entry: SkippedItem): SkippedItem {
  if (!isPlainSkipped(entry)) return checked(SkippedItemSchema, entry, 'skipped item');
  return { ...entry, item: { ...entry.item, categories: [...entry.item.categories] } };
}

function checked<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new Error(`The store refused an invalid ${what}: ${issue?.path.join('.') || 'value'}: ${issue?.message ?? 'invalid'}`);
}
