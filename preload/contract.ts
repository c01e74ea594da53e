// The typed contract shared by main, preload and renderer. Types only: no runtime
// dependencies, so every side can import it (see docs/ARCHITECTURE.md).

/**
 * `review`: a new item of a feed in review mode (Feed.review), waiting for the user to approve it
 * (→ pending, joining the queue in approval order) or skip it (→ cancelled, `skipped`). Never
 * posted while in review, however long it waits. Builds before review mode never wrote it.
 */
export type TaskStatus = 'review' | 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';
export const TASK_STATUSES: readonly TaskStatus[] = ['review', 'pending', 'running', 'completed', 'failed', 'cancelled'];

/**
 * Why a task failed or waits. `duplicate`: the text was not sent because it already went out —
 * X's "duplicate content" 403 for a task never in doubt (another item with the same text, e.g. a
 * recurring "Weekly digest"), or Crier's own record of a text it posted in the last 24 hours.
 * For a task in doubt (`inDoubtSince`), X's duplicate answer is no error: it confirms the post.
 */
export type ErrorKind =
  | 'network' | 'rate-limited' | 'auth' | 'forbidden' | 'credits-depleted'
  | 'invalid-post' | 'media' | 'in-doubt' | 'duplicate' | 'server' | 'unknown';

export interface TaskError { kind: ErrorKind; message: string; httpStatus?: number }

/** A user's edit of a task's text: when, and the text Crier composed before any edit. */
export interface TaskEdit { at: string; composedText: string }

/**
 * One attempt to post a task: when it started, when its outcome was known, and that outcome
 * (`error` on a failure, in doubt included: kind 'in-doubt'). A task keeps its last 10.
 */
export interface TaskAttempt { at: string; endedAt: string; outcome: 'posted' | 'failed'; dryRun: boolean; error?: TaskError | null }

export interface Task {
  id: string;
  feedId: string;
  itemId: string;
  itemTitle: string;
  itemLink: string | null;
  /** The post: never recomposed (a retry sends the same text); changed only by a recorded user edit. */
  text: string;
  imageUrl: string | null;
  status: TaskStatus;
  attempts: number;
  /** ISO; pending tasks waiting for a retry or a slot. */
  nextAttemptAt: string | null;
  error: TaskError | null;
  postId: string | null;
  postUrl: string | null;
  dryRun: boolean;
  note: string | null;
  createdAt: string;
  updatedAt: string;
  /** Set by editTask; absent on tasks never edited (and on tasks of builds before editing). */
  edit?: TaskEdit | null;
  /**
   * ISO: the start of the first attempt that may have reached X without a readable answer (timed
   * out, connection lost, answer cut off, or Crier stopped mid-post). Cleared only by a confirmed
   * post (X's post id, the post found on the account's timeline, or X's duplicate answer); kept
   * across failures, retry and cancel. Absent or null: never in doubt (and on older builds' tasks).
   */
  inDoubtSince?: string | null;
  /** ISO: when it completed, failed (for good, until retried) or was cancelled; null while pending or running. */
  finishedAt?: string | null;
  /** The last 10 attempts, oldest first; absent on older builds' tasks. */
  attemptLog?: TaskAttempt[];
  /**
   * ISO: when the user asked to post it now (postTask): it goes before every other pending task,
   * without waiting for the gap. Cleared when its attempt starts.
   */
  postNowAt?: string | null;
  /**
   * ISO: when it joined the queue by approval (approveTasks). The queue orders pending tasks by it
   * instead of createdAt when present, so approved tasks post after those already pending, in the
   * order they were approved. Absent: joined the queue when created (and on older builds' tasks).
   */
  queuedAt?: string | null;
  /** True when the user skipped it in review (skipTasks): cancelled, never counted as a failure. Absent: not skipped. */
  skipped?: boolean;
  /**
   * ISO: when the user deleted its post from X (deletePost). postId and postUrl stay, to say which
   * post it was. Absent or null: not deleted (and on older builds' tasks).
   */
  deletedAt?: string | null;
  /**
   * The account it posts to (AccountState.id). Absent: 'default', the first account (and on every
   * task of builds before several accounts).
   */
  accountId?: string;
}

/** The id of the first account: the one builds before several accounts had, and the environment's headless. */
export const DEFAULT_ACCOUNT_ID = 'default';

/** The account a task posts to. */
export function accountOf(task: { accountId?: string | undefined }): string {
  return task.accountId ?? DEFAULT_ACCOUNT_ID;
}

/** QueueState.counts: every status; `review` optional only because older builds did not send it. */
export type TaskCounts = Record<Exclude<TaskStatus, 'review'>, number> & { review?: number };

export type PauseReason = 'user' | 'rate-limited' | 'credits-depleted' | 'auth' | 'offline';

export interface QueueState {
  paused: boolean;
  pauseReason: PauseReason | null;
  /** Set when X told us when (429 reset). */
  resumesAt: string | null;
  postedToday: number;
  dailyCap: number;
  /**
   * Tasks by status. This build always sends `review`; snapshots of builds before review mode have
   * none, so pages read a missing one as 0 (`counts.review ?? 0`).
   */
  counts: TaskCounts;
  /**
   * ISO: the earliest instant the next post may start by the gap and the daily cap (pauses aside:
   * see `paused` and `resumesAt`). Null when nothing holds the next post back now; absent from
   * builds before it. Either way the pages treat it as now.
   */
  nextPostAt?: string | null;
  /** Live posts sent today and this month, and their cost at the settings' prices (from the post ledger). */
  spend?: Spend;
}

/** Live posts of one period (local calendar day or month) and what X bills for them. */
export interface PeriodSpend { posts: number; withLink: number; usd: number }
export interface Spend { today: PeriodSpend; month: PeriodSpend }

/**
 * Where a pending task stands: its place among the pending (1: the next to post) and when it is
 * expected to start (ISO), or null when that cannot be told (paused with no known end).
 */
export interface TaskForecast { taskId: string; place: number; expectedAt: string | null }

export interface AccountState {
  /**
   * 'default' for the first account (the OAuth 1.0a keys, or the first OAuth 2.0 sign-in); each
   * account added after it has an id of its own. Absent only in snapshots of builds before several
   * accounts (read as 'default').
   */
  id?: string;
  /** Where it posts; absent: X (every account of builds before other networks). */
  network?: 'x' | 'bluesky' | 'mastodon';
  connected: boolean;
  handle: string | null;
  method: 'oauth1' | 'oauth2' | null;
  dryRun: boolean;
  /** False when the OS offers no real keychain. */
  secretsProtected: boolean;
  /**
   * OAuth 2.0: why the sign-in cannot be renewed (X refused the refresh token…) until the account
   * is connected again; null or absent while it works. Never a token.
   */
  failure?: { reason: string; message: string } | null;
  /**
   * What X last said about the posting budget, from the headers of its answers to POST /2/tweets
   * (successful ones too). Absent until X's first such answer (and after a disconnect); a delta
   * carries the account when a number changes, not for an answer that changed none.
   */
  quota?: AccountQuota;
}

/** One of X's limits: how many posts it allows, how many are left, and when it starts afresh (ISO). */
export interface QuotaLimit { limit: number; remaining: number; resetsAt: string }

/**
 * X's posting budget for the account. `window`: POST /2/tweets' 15-minute window (x-rate-limit-*);
 * `user24h` / `app24h`: the 24-hour limits of the user and of the developer app
 * (x-user-limit-24hour-*, x-app-limit-24hour-*). null: X has not given that one (or gave it
 * unreadable). A limit keeps its last value until X says another; past its `resetsAt` it has reset.
 * `updatedAt`: when X's last answer with any of them came (ISO).
 */
export interface AccountQuota {
  window?: QuotaLimit | null;
  user24h?: QuotaLimit | null;
  app24h?: QuotaLimit | null;
  updatedAt: string;
}

export interface FeedHealth {
  /** ISO with milliseconds; a 304 updates it too. */
  lastFetchedAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  consecutiveFailures: number;
  nextPollAt: string | null;
}

export interface FeedSkip { itemTitle: string; reason: string; at: string }

/** What the skipped log keeps of an item: enough to post it later with the feed's template. */
export interface SkippedItemFields {
  id: string;
  title: string;
  link: string | null;
  /** Cut to 1,000 characters. */
  summary: string;
  published: string | null;
  author: string | null;
  image: string | null;
  categories: string[];
}

/**
 * An item a poll did not post (filtered out, the same link under a new id, part of a baseline,
 * nothing to post), kept in the skipped log: newest 200 a feed, 5,000 in all, oldest dropped first.
 */
export interface SkippedItem {
  id: string;
  feedId: string;
  /** In words, as the feed's recent skips say it (a filter's reason names its rule). */
  reason: string;
  at: string;
  item: SkippedItemFields;
}

/**
 * A feed's tasks by outcome, counted by the engine over every task it keeps (a page may hold only
 * some of them): posted (completed, dry runs included), pending (waiting or being posted), failed,
 * and review (waiting for approval; absent when none, and from builds before review mode).
 */
export interface FeedCounts { posted: number; pending: number; failed: number; review?: number }

/**
 * UTM tags a feed adds to the link it posts (not to the link it remembers); `{feed}` and `{date}`
 * (the item's date, as in templates) may be used in them. Empty or absent: no tag of that name.
 */
export interface UtmTags { source?: string; medium?: string; campaign?: string }

export interface Feed {
  id: string;
  url: string;
  enabled: boolean;
  /** The user's label; title comes from the feed itself. */
  name: string | null;
  title: string | null;
  intervalMinutes: number;
  template: string;
  include: string[];
  exclude: string[];
  maxHashtags: number;
  postImages: boolean;
  /** Newest N items posted on the first poll (0: mark all seen). */
  backfill: number;
  health: FeedHealth;
  /** Newest 20. */
  recentSkips: FeedSkip[];
  /** Its tasks by outcome; absent from builds before the counts (and in OPML exports). */
  counts?: FeedCounts;
  /** UTM tags added to the links it posts; absent or null: none (and on older builds' feeds). */
  utm?: UtmTags | null;
  /**
   * Review mode: its new items become tasks in `review`, posted only once the user approves them.
   * Absent or false: they are queued at once (and on older builds' feeds).
   */
  review?: boolean;
  /**
   * What else, beyond its id, makes an item already posted: 'id' (absent: the default) a link
   * naming one item, 'link' any known link, 'title' a known title too (see feeds/new-items.ts).
   */
  dedupe?: 'id' | 'link' | 'title';
  /**
   * Opt-in: an item back in the feed this many days or more after a check first found it gone is
   * posted again. Absent or null: never. An item that never left never reposts; nor does one
   * remembered from before this was set (old journals replay without the days it needs).
   */
  repostAfterDays?: number | null;
  /**
   * The accounts its new items are posted to, one task per (item, account). Absent or empty: the
   * default account only (and on older builds' feeds). An account no longer connected is passed over.
   */
  accountIds?: string[];
  /**
   * A template per network other than X (issue 18); absent or null for one: the feed's `template`.
   * Each network's post is cut to that network's own length rules.
   */
  templates?: NetworkTemplates | null;
}

/** Templates for Bluesky and Mastodon posts; a missing one means the feed's own template. */
export interface NetworkTemplates { bluesky?: string; mastodon?: string }

export type NotificationMode = 'all' | 'failures' | 'off';

/**
 * When posts may start, in the machine's local time: from `from` to `to` ("HH:MM", 24-hour; a `to`
 * before `from` runs past midnight, equal means all day) on the given days (0 Sunday … 6 Saturday;
 * a window past midnight belongs to the day it starts on).
 */
export interface PostingHours { from: string; to: string; days: number[] }

export interface Settings {
  minPostGapSeconds: number;
  dailyCap: number;
  retryBaseSeconds: number;
  retryMaxSeconds: number;
  maxAttempts: number;
  maxFeedBytes: number;
  fetchTimeoutSeconds: number;
  /** Completed and cancelled tasks kept; the oldest go first. */
  historyLimit: number;
  /** Failed tasks kept (they wait for the user, so apart and higher); the oldest go first, with a notice. */
  failedHistoryLimit: number;
  maxConcurrentFetches: number;
  defaultIntervalMinutes: number;
  /** With no account connected Crier always runs dry. */
  dryRun: boolean;
  /**
   * Accounts that run dry whatever `dryRun` says (several accounts: try a new one before it posts
   * for real). Absent or empty: none.
   */
  dryRunAccounts?: string[];
  startAtLogin: boolean;
  pricePerPostUsd: number;
  pricePerPostWithUrlUsd: number;
  /**
   * Live posts stop for the rest of the local calendar month once this month's spend (at the
   * prices above, from the post ledger) reaches it, like the daily cap; null or absent: no limit.
   */
  monthlySpendLimitUsd?: number | null;
  notifications: NotificationMode;
  /**
   * Before resending a task in doubt, look for its post among the account's newest posts on X
   * (one read of up to 5 posts, billed by X: about $0.025 at $0.005 a post returned).
   */
  checkTimelineBeforeResend: boolean;
  /** Posts start only inside these hours (tasks wait, and their expected time says so); null or absent: any time. */
  postingHours?: PostingHours | null;
  /**
   * Desktop: the loopback port X sends the browser back to after an OAuth 2.0 sign-in
   * (http://127.0.0.1:PORT/oauth2/callback, registered in the X app); absent: 8917.
   */
  oauth2RedirectPort?: number;
}

export interface Notice {
  id: string;
  kind: 'store-recovered' | 'feed-moved' | 'account' | 'info';
  message: string;
  at: string;
  /** What the notice is about (e.g. a feed id): a newer notice of the same kind and key replaces it. */
  key?: string;
}

export interface StateSnapshot {
  /** A new id each start; seq restarts with it. */
  epoch: string;
  seq: number;
  tasks: Task[];
  feeds: Feed[];
  settings: Settings;
  /**
   * Every account's tasks together (counts summed; paused only when every account is): what the
   * tray and the banners show. `queues` has each account's own.
   */
  queue: QueueState;
  /** Each account's queue by AccountState.id; absent from builds before several accounts. */
  queues?: Record<string, QueueState>;
  /** The default account: `accounts[0]`. */
  account: AccountState;
  /** Every account, the default one first; absent from builds before several accounts. */
  accounts?: AccountState[];
  notices: Notice[];
  /**
   * Only in a snapshot asked for with a `taskLimit`: how many tasks exist in all. `tasks` then
   * holds the first `taskLimit` of them in `newestFirst` order; fewer than this means more exist.
   */
  tasksTotal?: number;
}

/** What getState may be asked for. */
export interface StateOptions {
  /**
   * At most this many tasks, the newest first (`newestFirst`: the order the tasks window shows):
   * a page's first screenful. Omitted: every task.
   */
  taskLimit?: number;
}

/** Newest first by creation time; ids break ties, so the order is stable across deltas. */
export function newestFirst(a: Pick<Task, 'createdAt' | 'id'>, b: Pick<Task, 'createdAt' | 'id'>): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export interface StateDelta {
  epoch: string;
  seq: number;
  tasks?: Task[];
  removedTaskIds?: string[];
  feeds?: Feed[];
  removedFeedIds?: string[];
  settings?: Settings;
  queue?: QueueState;
  /** The accounts' queues that changed, by id. */
  queues?: Record<string, QueueState>;
  account?: AccountState;
  /** The full current list when any account changed (one came, went or changed). */
  accounts?: AccountState[];
  /** The full current list when it changed. */
  notices?: Notice[];
}

/** One offending input of a refused command: its path and, in words, what it must be. */
export interface FieldIssue { field: string; message: string }

/**
 * An error every Api call may reject with; `field` is the path of the offending input. A
 * 'validation' error lists every offending input in `issues` (the first is `field`), so a form
 * can mark all of them at once; `message` then holds all their messages.
 */
export interface ApiError { code: string; message: string; field?: string; issues?: FieldIssue[] }

export interface FeedInput {
  url: string;
  enabled?: boolean;
  name?: string | null;
  intervalMinutes?: number;
  template?: string;
  include?: string[];
  exclude?: string[];
  maxHashtags?: number;
  postImages?: boolean;
  backfill?: number;
  utm?: UtmTags | null;
  review?: boolean;
  dedupe?: 'id' | 'link' | 'title';
  repostAfterDays?: number | null;
  accountIds?: string[];
  templates?: NetworkTemplates | null;
}
export type FeedPatch = Partial<FeedInput>;

export interface PreviewOptions {
  template?: string; include?: string[]; exclude?: string[]; maxHashtags?: number;
  /** The posted link's UTM tags to preview with (an edited feed's own tags when absent). */
  utm?: UtmTags | null;
  /** The templates per network to preview with (an edited feed's own when absent). */
  templates?: NetworkTemplates | null;
  /**
   * A followed feed being edited: the preview shows what its next check would post — the items its
   * seen record does not hold, by the same rules as a poll — not the newest items, which it posted.
   */
  feedId?: string;
}
export interface PreviewPost {
  itemId: string; itemTitle: string; text: string; weightedLength: number; imageUrl: string | null;
  /**
   * The same item as each other network an account is connected on would post it (issue 18): its
   * own template and rules, the length as that network counts it, and its limit. Absent: X only.
   */
  networks?: NetworkPreview[];
}
export interface NetworkPreview { network: 'bluesky' | 'mastodon'; text: string; length: number; limit: number }
export interface PreviewSkip { itemId: string; itemTitle: string; reason: string }
/** A feed a web page offers: its address, its title (the link's or the feed's own) and its format. */
export interface FeedCandidate { url: string; title: string | null; type: 'rss' | 'atom' | 'json' }
export interface PreviewResult {
  feedTitle: string | null; posts: PreviewPost[]; skipped: PreviewSkip[];
  /**
   * Present when the address was a web page rather than a feed: the feeds it names with
   * `<link rel="alternate">`, or else those of its usual paths (/feed, /rss, …) that read as feeds.
   * With one that reads, the preview is of it (`feedUrl`); with several, posts and skipped are empty
   * and the user picks one.
   */
  candidates?: FeedCandidate[];
  /** The feed the posts come from, when it is not the address asked for (a page's one feed). */
  feedUrl?: string;
  /** With `feedId`: how many of the document's items the feed has seen already (not listed). */
  alreadySeen?: number;
  /**
   * With `feedId` and nothing new to post: the newest item already seen, composed with these options,
   * so a template can still be judged. It is not posted again.
   */
  example?: PreviewPost;
}

/**
 * `accountId`: the account to connect (again): absent, the default one; `addAccount: true` connects
 * another account beside those already connected (its id is made when X sends the browser back).
 */
export interface OAuth2AppInput { clientId: string; clientSecret?: string | null; accountId?: string; addAccount?: boolean }
export interface OAuth2Start { url: string; redirectUri: string }
export interface OAuth1Credentials { appKey: string; appSecret: string; accessToken: string; accessSecret: string }
/** A Bluesky account: its handle (or email) and an app password; `service`: its PDS when not bsky.social. */
export interface BlueskyCredentials {
  identifier: string; appPassword: string; service?: string | null;
  /** A Bluesky account Crier has (or had) to connect again: its tasks stay its own and resume. */
  accountId?: string;
}
/** A Mastodon account: its instance's address and an access token made there (Preferences → Development). */
export interface MastodonCredentials { instanceUrl: string; accessToken: string; accountId?: string }
export interface ConnectionTestResult { ok: boolean; handle: string | null; message: string }
export interface OpmlImportResult { added: number; skipped: number; feeds: Feed[] }

export interface Api {
  /**
   * The state and the `seq` it stands at. A page asks first for what it shows at once, e.g.
   * `getState({ taskLimit: 60 })` (the newest 60 tasks, and `tasksTotal`), paints, then asks for
   * the rest with `getState()` (no limit: every task, one full load), applying deltas to whichever
   * it holds. Over HTTP: `GET /api/state?taskLimit=N`; the event stream's first snapshot honours
   * the same limit (`GET /api/events?taskLimit=N`), so a page that listens needs no request of its
   * own before its first paint. A `taskLimit` that is not a whole number from 0 to 1,000,000 is a
   * 'validation' error (field 'taskLimit').
   */
  getState(options?: StateOptions): Promise<StateSnapshot>;
  /** Returns the unsubscribe function. */
  onDelta(listener: (delta: StateDelta) => void): () => void;
  addFeed(input: FeedInput): Promise<Feed>;
  updateFeed(id: string, patch: FeedPatch): Promise<Feed>;
  removeFeed(id: string): Promise<void>;
  pollNow(feedId?: string): Promise<void>;
  previewFeed(url: string, options?: PreviewOptions): Promise<PreviewResult>;
  retryTask(id: string): Promise<Task>;
  cancelTask(id: string): Promise<Task>;
  /**
   * Replaces the text of a task in review, pending or failed (canEditText). `expectedUpdatedAt` is the task's
   * updatedAt as the caller saw it: if the task changed since, the edit is refused ('conflict').
   * The text must fit X's 280 and keep every link of the composed text whole ('validation', field 'text').
   */
  editTask(id: string, text: string, expectedUpdatedAt: string): Promise<Task>;
  /**
   * Moves a pending task before every other and starts it at once, its start counting as the gap's
   * (after the post in flight, if one is). Refused ('conflict') while the queue is paused or past
   * the daily cap, and for a task that is not pending.
   */
  postTask(id: string): Promise<Task>;
  /**
   * Restores a task the user cancelled — or skipped in review — in the last 10 seconds exactly as it
   * was before (status, attempts, error, place in the queue; a skipped one is back in review).
   * 'conflict' when the time is up or it changed since.
   */
  undoCancel(id: string): Promise<Task>;
  /**
   * Approves the listed tasks in review, in the order given: each becomes pending and joins the
   * queue after every task already pending (`queuedAt`), the list's first first. Tasks not in review
   * (and unknown ids) are left as they are. One durable write. Returns how many.
   */
  approveTasks(ids: string[]): Promise<number>;
  /**
   * Skips the listed tasks in review: each becomes cancelled with `skipped: true` and the note
   * "Skipped in review" (not a failure; Retry queues it after all). The others are left as they
   * are. One durable write. Returns how many.
   */
  skipTasks(ids: string[]): Promise<number>;
  /**
   * Deletes a completed task's post from X (DELETE /2/tweets/:id) and records it (`deletedAt`, on
   * disk before it answers; postId and postUrl stay). Only for a live post with a post id, not yet
   * deleted ('conflict' otherwise, and while no account is connected). X refusing rejects with
   * 'x-refused' and X's words, and nothing is recorded; a post X no longer has is recorded as
   * deleted with the note "already gone from X". The item stays seen: Crier never posts it again
   * by itself.
   */
  deletePost(taskId: string): Promise<Task>;
  /**
   * The skipped log, newest first: every feed's, or one feed's. Over HTTP: `GET /api/skipped?feedId=`.
   */
  listSkipped(feedId?: string): Promise<SkippedItem[]>;
  /**
   * "Post anyway": composes the logged item with its feed's current template, as a poll would, and
   * queues it as a pending task (returned); the entry leaves the log. 'not-found' for an entry not
   * in the log; 'conflict' when its feed is gone, the item already has a task, or the template
   * leaves it empty. Over HTTP: `POST /api/skipped/:id/post`.
   */
  postSkipped(skipId: string): Promise<Task>;
  /** Retries each listed task its status allows to be retried; the others are left as they are. Returns how many. */
  retryTasks(ids: string[]): Promise<number>;
  /** Cancels each listed task its status allows to be cancelled; the others are left as they are. Returns how many. */
  cancelTasks(ids: string[]): Promise<number>;
  /**
   * Deletes completed, cancelled and failed tasks from the history (others listed are left alone);
   * the day's and month's post counts do not change. Returns how many.
   */
  removeTasks(ids: string[]): Promise<number>;
  /**
   * The task history as a file's text: CSV (RFC 4180, a header line, one task a line) or JSON (an
   * array of tasks). Over HTTP: `GET /api/tasks/export?format=csv|json`, sent as an attachment.
   */
  exportTasks(format: 'csv' | 'json'): Promise<string>;
  retryAllFailed(): Promise<number>;
  /** Pauses one account's posting, or every account's when none is named. */
  pause(accountId?: string): Promise<void>;
  /** Resumes one account's posting (whatever paused it), or every account's when none is named. */
  resume(accountId?: string): Promise<void>;
  updateSettings(partial: Partial<Settings>): Promise<Settings>;
  clearHistory(): Promise<number>;
  dismissNotice(id: string): Promise<void>;
  /** Asks X who the account is (the default one when none is named) and remembers the handle. */
  testConnection(accountId?: string): Promise<ConnectionTestResult>;
  connectX(credentials: OAuth1Credentials): Promise<AccountState>;
  /**
   * Starts connecting with OAuth 2.0 (PKCE) through the user's own X app: `url` is X's authorize
   * page (the desktop opens it in the system browser; a page of `crier serve` goes there itself),
   * `redirectUri` the callback URL the app must have registered. X sends the browser back there;
   * the account state then says how it ended. A client secret is given for a confidential app only.
   */
  startXOAuth2(input: OAuth2AppInput): Promise<OAuth2Start>;
  /**
   * Forgets an account's credentials (the default one when none is named). The default account
   * stays in the list, unconnected; another account leaves it, and its tasks waiting to be posted
   * (pending or in review) are cancelled — a page says how many before it asks. Its history stays.
   */
  disconnectX(accountId?: string): Promise<AccountState>;
  /**
   * Connects a Bluesky account beside the others (issue 18): signs in once with the app password,
   * then keeps it encrypted (headless: needs CRIER_SECRET_KEY). Returns the new account. A refused
   * sign-in is a 'validation' error naming the field, in Bluesky's words.
   */
  connectBluesky(credentials: BlueskyCredentials): Promise<AccountState>;
  /** Connects a Mastodon account beside the others: the token is tried once (verify_credentials), then kept like Bluesky's. */
  connectMastodon(credentials: MastodonCredentials): Promise<AccountState>;
  importOpml(xml: string): Promise<OpmlImportResult>;
  exportOpml(): Promise<string>;
  /** Opens the folder holding Crier's log in the OS file manager (desktop only; headless: not-supported). */
  openLogsFolder(): Promise<void>;
}

/**
 * `approve` and `skip` are for tasks in review (approveTasks, skipTasks); skip is a review task's
 * cancel. `delete-post` (deletePost) is not in this table: it depends on more than the status
 * (canDeletePost).
 */
export type TaskAction = 'retry' | 'cancel' | 'post-now' | 'remove' | 'approve' | 'skip';

/** Whether a task's text may be edited: in review, pending or failed, never while it is being posted. */
export function canEditText(task: Pick<Task, 'status'>): boolean {
  return task.status === 'review' || task.status === 'pending' || task.status === 'failed';
}

/** Whether deletePost may act on a task: a completed live post with a post id, not deleted yet. */
export function canDeletePost(task: Pick<Task, 'status' | 'postId' | 'dryRun'> & { deletedAt?: string | null | undefined }): boolean {
  return task.status === 'completed' && !task.dryRun && task.postId !== null && task.deletedAt == null;
}

/** Which actions a task status allows: one answer for the engine and the views (Kap's pattern). */
export function allowedActions(status: TaskStatus): TaskAction[] {
  switch (status) {
    case 'review': return ['approve', 'skip'];
    case 'pending': return ['post-now', 'cancel'];
    case 'failed': return ['retry', 'cancel', 'remove'];
    case 'cancelled': return ['retry', 'remove'];
    case 'completed': return ['remove'];
    case 'running': return [];
  }
}
