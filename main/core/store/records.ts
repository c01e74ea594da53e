// What a journal line may hold. Replay validates every line, so a hand-edited or damaged record
// is caught at the boundary instead of surfacing later as a task without a status.
import { z } from 'zod';
import type { Notice, SkippedItem, Task } from '../../../preload/contract';
import type { PostLedger } from '../tasks/post-ledger';
import type { PostedTexts } from '../tasks/posted-texts';
import type { SavedPause } from '../tasks/types';
import type { FeedRuntime, SeenRecord } from './types';

const IsoOrNull = z.string().nullable();

const TaskErrorSchema = z.object({
  kind: z.enum(['network', 'rate-limited', 'auth', 'forbidden', 'credits-depleted',
    'invalid-post', 'media', 'in-doubt', 'duplicate', 'server', 'unknown']),
  message: z.string(),
  httpStatus: z.number().int().optional(),
});

const TaskAttemptSchema = z.object({
  at: z.string(),
  endedAt: z.string(),
  outcome: z.enum(['posted', 'failed']),
  dryRun: z.boolean(),
  error: TaskErrorSchema.nullable().optional(),
});

export const TaskSchema = z.object({
  id: z.string().min(1),
  feedId: z.string(),
  itemId: z.string(),
  itemTitle: z.string(),
  itemLink: z.string().nullable(),
  text: z.string(),
  imageUrl: z.string().nullable(),
  // 'review' is new with review mode; journals of builds before it never hold it.
  status: z.enum(['review', 'pending', 'running', 'completed', 'failed', 'cancelled']),
  attempts: z.number().int().min(0),
  nextAttemptAt: IsoOrNull,
  error: TaskErrorSchema.nullable(),
  postId: z.string().nullable(),
  postUrl: z.string().nullable(),
  dryRun: z.boolean(),
  note: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  edit: z.object({ at: z.string(), composedText: z.string() }).nullable().optional(),
  // Optional: tasks written by builds before it replay as never in doubt.
  inDoubtSince: z.string().nullable().optional(),
  // Optional, like inDoubtSince: tasks of builds before them replay without.
  finishedAt: z.string().nullable().optional(),
  attemptLog: z.array(TaskAttemptSchema).optional(),
  postNowAt: z.string().nullable().optional(),
  // Review mode and deleting a post (issue 17): optional, so older journals replay without them.
  queuedAt: z.string().nullable().optional(),
  skipped: z.boolean().optional(),
  deletedAt: z.string().nullable().optional(),
  // Several accounts (issue 16): absent on older builds' tasks, which belong to 'default'.
  accountId: z.string().min(1).optional(),
}) satisfies z.ZodType<Task>;

export const FeedRuntimeSchema = z.object({
  title: z.string().nullable(),
  validators: z.object({ etag: z.string().nullable(), lastModified: z.string().nullable() }),
  health: z.object({
    lastFetchedAt: IsoOrNull,
    lastStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
    consecutiveFailures: z.number().int().min(0),
    nextPollAt: IsoOrNull,
  }),
  recentSkips: z.array(z.object({ itemTitle: z.string(), reason: z.string(), at: z.string() })),
}) satisfies z.ZodType<FeedRuntime>;

export const SeenRecordSchema = z.object({
  ids: z.array(z.string()),
  links: z.array(z.string()),
  address: z.string().optional(),
  // Dedupe choices (issue 17): optional, so older journals replay without them.
  titles: z.array(z.string()).optional(),
  days: z.array(z.string()).optional(),
}) satisfies z.ZodType<SeenRecord>;

// The skipped log (issue 17): one record an entry, so a poll appends only what it adds.
export const SkippedItemSchema = z.object({
  id: z.string().min(1),
  feedId: z.string(),
  reason: z.string(),
  at: z.string(),
  item: z.object({
    id: z.string(),
    title: z.string(),
    link: z.string().nullable(),
    summary: z.string(),
    published: z.string().nullable(),
    author: z.string().nullable(),
    image: z.string().nullable(),
    categories: z.array(z.string()),
  }),
}) satisfies z.ZodType<SkippedItem>;

export const NoticeSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(['store-recovered', 'feed-moved', 'account', 'info']),
  message: z.string(),
  at: z.string(),
  key: z.string().optional(),
}) satisfies z.ZodType<Notice>;

export const SavedPauseSchema = z.object({
  reason: z.enum(['user', 'rate-limited', 'credits-depleted', 'auth']),
  resumesAt: IsoOrNull,
  credentials: z.string().nullable(),
}) satisfies z.ZodType<SavedPause>;

const Count = z.number().int().min(0);
export const PostLedgerSchema = z.record(z.string(), z.record(z.string(), z.object({ live: Count, dry: Count, withLink: Count }))) satisfies z.ZodType<PostLedger>;

export const PostedTextsSchema = z.array(z.object({
  hash: z.string().regex(/^[0-9a-f]{32}$/),
  at: z.string(),
  inDoubtTaskId: z.string().optional(),
  accountId: z.string().min(1).optional(),
})) satisfies z.ZodType<PostedTexts>;

export const JOURNAL_FORMAT = 'crier-journal';
/**
 * Not bumped for compactedBytes: the field is optional, and older builds read the header with
 * z.object, which ignores keys it does not know, so a journal stays readable both ways.
 */
export const JOURNAL_VERSION = 1;

export const HeaderSchema = z.object({
  t: z.literal('header'),
  format: z.literal(JOURNAL_FORMAT),
  version: z.number().int(),
  /**
   * Bytes the last compaction wrote (this line included). A file shorter than this was cut
   * inside synced data: damage. Past it, a torn last line is an append cut short by a crash.
   * Absent in journals of builds before it was recorded.
   */
  compactedBytes: z.number().int().min(0).optional(),
});

/** One line of the journal: the newest line for a key wins; `del` drops the key. */
export const RecordSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('task'), v: TaskSchema }),
  z.object({ t: z.literal('runtime'), id: z.string(), v: FeedRuntimeSchema }),
  z.object({ t: z.literal('seen'), id: z.string(), v: SeenRecordSchema }),
  z.object({ t: z.literal('notices'), v: z.array(NoticeSchema) }),
  z.object({ t: z.literal('pause'), v: SavedPauseSchema.nullable() }),
  // Each account but the default one (whose pause is 'pause', as builds before several accounts wrote it).
  z.object({ t: z.literal('account-pause'), id: z.string().min(1), v: SavedPauseSchema.nullable() }),
  z.object({ t: z.literal('posts'), v: PostLedgerSchema }),
  z.object({ t: z.literal('texts'), v: PostedTextsSchema }),
  z.object({ t: z.literal('skip'), v: SkippedItemSchema }),
  z.object({ t: z.literal('del'), k: z.string() }),
]);
export type JournalRecord = z.infer<typeof RecordSchema>;

/** The key a record replaces: later records with the same key supersede earlier ones. */
export function recordKey(record: JournalRecord): string {
  switch (record.t) {
    case 'task': return `task:${record.v.id}`;
    case 'runtime': return `runtime:${record.id}`;
    case 'seen': return `seen:${record.id}`;
    case 'notices': return 'notices';
    case 'pause': return 'pause';
    case 'account-pause': return `account-pause:${record.id}`;
    case 'posts': return 'posts';
    case 'texts': return 'texts';
    case 'skip': return `skip:${record.v.id}`;
    case 'del': return record.k;
  }
}
