// The posting queue: picks the next task, stores it as running, posts it, records the outcome.
// One post at a time, in the background: commands return at once, the loop is driven by
// the injected clock's timers and a coalescing microtask, and every promise it makes is observed.
//
// Decisions (see also pacing.ts and transitions.ts):
// - The gap is measured from one attempt's start to the next's (live, dry, failed alike): a slow
//   or hanging request does not stretch the cadence, and X sees at most one request per gap.
//   After a restart it counts from the newest attempt's last update (errs towards waiting).
// - The daily cap counts posts per local calendar day, live and dry apart: dry runs are paced by
//   the cap like real posts, but do not use up the real posts of the day. The count comes from
//   the durable post ledger (post-ledger.ts), never from the tasks still stored, so clearing
//   history does not reset it. Over the cap, tasks stay pending, oldest first, until midnight.
// - A pause the user made, or X caused (429 with its reset, 402, 401), is saved and restored at
//   start; an auth pause is dropped when the credentials changed meanwhile. Offline is not saved.
// - If the durable outcome write fails, the task stays running in memory and in the views (in
//   doubt), the write is retried with the storage backoff, and no other post starts before it
//   lands; the ledger already counts the post.
// - The next task is the one the user asked to post now (it skips the gap, never a pause or the
//   cap), else the oldest due pending one; a task backing off does not hold up the rest. The order
//   is common/forecast.ts's, which the pages show.
// - A cancel can be undone for UNDO_CANCEL_MS (undo-cancel.ts): the task comes back exactly as it
//   was, if nothing changed it meanwhile.
// - If the durable "running" write fails, nothing is sent; the queue holds back (backoff on
//   consecutive storage failures) and tries again. Other writes failing are logged, not fatal.
// - The user's pause wins over the automatic ones; resume() clears any pause.
// - A 429 waits for the later of X's reset and retry-after, never less than a floor that grows
//   with each 429 in a row (retry-policy.ts), so a reset already past cannot become a burst.
// - A text Crier posted (or may have posted) in the last 24 hours is refused before sending, from
//   the record of posted texts (posted-texts.ts), which clearing history does not empty.
// - Before resending a task in doubt, the account's newest posts are read (a billed read, behind
//   the checkTimelineBeforeResend setting): found, the task completes with that post's id.
// - An offline pause X caused ends by its own probes, the shell's online signal or resume(); a
//   feed that answers only brings the next probe forward, once per pause (probe()).
import type { PauseReason, QueueState, Settings, Task, TaskAction, TaskStatus } from '../../../preload/contract';
import { allowedActions, TASK_STATUSES } from '../../../preload/contract';
import { CommandError } from '../errors';
import type { Clock, Logger } from '../ports';
import { XError, type PostResult, type PostTaskRef, type XClient, type XFailure } from '../x/types';
import { carriesLink } from '../compose/weighted-length';
import { dueAt, queueOrder } from '../../../common/forecast';
import { nextLocalMidnight, nextLocalMonth, nextPostAllowedAt } from './pacing';
import { nextPostingTime } from '../../../common/posting-hours';
import { DEFAULT_ACCOUNT_ID, ledgerFromTasks, postedToday, recordPost, spendOf, type PostLedger } from './post-ledger';
import { postedTextsFromTasks, refusalMessage, refusingEntry, withPostedText, type PostedTexts } from './posted-texts';
import { editCommand } from './edit';
import { changedAt } from './changed-at';
import { backoffCeilingMs } from './retry-policy';
import { approveCommand, cancelCommand, recoverInDoubt, requireAction, retryCommand, settleAttempt, skipCommand, startAttempt, withFinish, type AttemptOutcome, type QueueEffect } from './transitions';
import { deletedTask } from './delete-post';
import { createUndoCancels } from './undo-cancel';
import { memoryQueueMemory, type QueueEvents, type QueueMemory, type SavedPause, type TaskQueue, type TaskRepo } from './types';

export interface TaskQueueDeps {
  clock: Clock;
  repo: TaskRepo;
  events: QueueEvents;
  log: Logger;
  settings: () => Settings;
  /** null: no account connected → dry run. */
  x: () => XClient | null;
  /** [0, 1); injectable so tests get deterministic jitter. */
  random?: () => number;
  /** The pause and the post ledger across restarts; default: in memory only. */
  memory?: QueueMemory;
  /** A fingerprint of the account's credentials (null: none), to tell whether an auth pause still holds. */
  credentials?: () => string | null;
  /** The account whose tasks `repo` holds (several accounts: one queue each); default 'default'. */
  accountId?: string;
  /**
   * False for an account that must never run dry (one added beside the default account): with no
   * client (it was disconnected) its tasks wait, the queue paused for 'auth', instead of completing
   * as dry runs. Default true: the default account with none connected runs dry, as it always has.
   */
  dryWithoutAccount?: boolean;
  /** False for a network that bills nothing (Bluesky, Mastodon): no spend, no spending limit. Default true (X). */
  priced?: boolean;
}

const FREE = { pricePerPostUsd: 0, pricePerPostWithUrlUsd: 0 };

const taskRef = (task: Task): PostTaskRef => ({ id: task.id, createdAt: task.createdAt, itemTitle: task.itemTitle, itemLink: task.itemLink });

/** X's reset time is in whole seconds; resuming a little after it avoids one more 429. */
export const RATE_LIMIT_RESUME_MARGIN_MS = 500;
/** When the loop itself fails (the store throws on read), it tries again after this long. */
const LOOP_ERROR_RETRY_MS = 5_000;
/** The timeline look starts this long before the first attempt in doubt: Crier's clock and X's differ. */
export const TIMELINE_MARGIN_MS = 5 * 60 * 1000;

const STORAGE_FAILURE_MESSAGE = 'Crier could not save this task before posting it, so it was not sent. It will try again.';
const PAUSE_NOT_SAVED = 'The queue is paused now, but Crier could not save the pause, so a restart would forget it. Check the data folder\'s disk space and permissions.';
const PAUSED_REFUSAL: Record<PauseReason, string> = {
  user: 'The queue is paused, so nothing is posted. Resume it to post this task now.',
  'rate-limited': 'X\'s rate limit is reached, so nothing can be posted until it resets.',
  'credits-depleted': 'The X account has no credits left, so nothing can be posted until it is topped up.',
  auth: 'X refused the account\'s credentials, so nothing can be posted until it is reconnected.',
  offline: 'Crier cannot reach X right now, so nothing can be posted until the connection is back.',
};
const RESUME_NOT_SAVED = 'The queue runs again now, but Crier could not save that, so a restart would pause it again. Check the data folder\'s disk space and permissions.';

export function createTaskQueue(deps: TaskQueueDeps): TaskQueue {
  const { clock, repo, events, log } = deps;
  const random = deps.random ?? Math.random;
  const memory = deps.memory ?? memoryQueueMemory();
  const credentials = deps.credentials ?? ((): string | null => null);
  const accountId = deps.accountId ?? DEFAULT_ACCOUNT_ID;
  /** Dry run for every account (the setting), or for this one (Settings.dryRunAccounts). */
  const runsDry = (): boolean => {
    const settings = deps.settings();
    return settings.dryRun || (settings.dryRunAccounts ?? []).includes(accountId);
  };

  let started = false;
  let stopped = false;
  let pauseReason: PauseReason | null = null;
  /** For 'rate-limited': when X said the limit resets. */
  let resumesAt: number | null = null;
  /** The shell says we are offline; such a pause waits for setOffline(false) or resume(). */
  let shellOffline = false;
  /** An 'offline' pause X's failures caused is probed again at this time (headless has no shell to tell us). */
  let offlineProbeAt: number | null = null;
  let offlineFailures = 0;
  /** A feed's answer already brought a probe forward in this offline spell (probe()). */
  let earlyProbeUsed = false;
  /** 429s in a row: each one raises the floor under X's reset. */
  let rateLimitStreak = 0;
  let postedTexts: PostedTexts = [];
  /** After the durable write failed, nothing is sent before this time. */
  let storageHoldUntil = 0;
  let storageFailures = 0;
  let lastStartAt: number | null = null;
  let ledger: PostLedger = {};
  /** An outcome whose durable write failed: retried before any other post starts. */
  let unsettled: Task | null = null;
  let disarmWake: (() => void) | null = null;
  let pumpQueued = false;
  let lastQueueJson = '';
  /** The registry of posts in flight: task id → the promise that records its outcome. */
  const inFlight = new Map<string, Promise<void>>();
  const undo = createUndoCancels();

  const iso = (ms: number): string => new Date(ms).toISOString();
  const errorName = (err: unknown): string => (err instanceof Error ? err.name : typeof err);

  function currentClient(): XClient | null {
    try {
      return runsDry() ? null : deps.x();
    } catch (err) {
      // A broken account port must not post for real by accident, nor crash the loop.
      log.error('queue: could not get the X client; treating as dry run', { error: errorName(err) });
      return null;
    }
  }

  function notifyTask(task: Task): void {
    try { events.taskChanged(task); } catch (err) { log.error('queue: taskChanged listener threw', { error: errorName(err) }); }
  }

  function emitQueue(): void {
    let st: QueueState;
    try { st = state(); } catch (err) { log.error('queue: could not compute its state', { error: errorName(err) }); return; }
    const json = JSON.stringify(st);
    if (json === lastQueueJson) return;
    lastQueueJson = json;
    try { events.queueChanged(st); } catch (err) { log.error('queue: queueChanged listener threw', { error: errorName(err) }); }
  }

  /** A write whose failure must not stop the loop: logged, and the event still tells the truth of what happened. */
  function putQuietly(task: Task, durable: boolean): void {
    try { repo.put(task, { durable }); } catch (err) {
      log.error('queue: could not store a task', { taskId: task.id, status: task.status, error: errorName(err) });
    }
  }

  function schedulePump(): void {
    if (pumpQueued) return;
    pumpQueued = true;
    // Coalesces a burst of commands (a backfill enqueues many tasks) into one pass.
    queueMicrotask(() => { pumpQueued = false; pump(); });
  }

  function arm(at: number): void {
    disarmWake?.();
    disarmWake = clock.setTimeout(() => { disarmWake = null; pump(); }, Math.max(0, at - clock.now()));
  }

  function disarm(): void {
    disarmWake?.();
    disarmWake = null;
  }

  function autoResumeAt(): number | null {
    if (pauseReason === 'rate-limited' && resumesAt !== null) return resumesAt + RATE_LIMIT_RESUME_MARGIN_MS;
    if (pauseReason === 'offline' && !shellOffline) return offlineProbeAt;
    return null;
  }

  function clearPause(): void {
    pauseReason = null;
    resumesAt = null;
    offlineProbeAt = null;
  }

  function pump(): void {
    try {
      pumpOnce();
    } catch (err) {
      log.error('queue: scheduling failed; trying again shortly', { error: errorName(err) });
      if (started && !stopped) arm(clock.now() + LOOP_ERROR_RETRY_MS);
    }
    emitQueue();
  }

  function pumpOnce(): void {
    disarm();
    if (!started || stopped || inFlight.size > 0) return;
    const now = clock.now();
    if (unsettled !== null) {
      if (now < storageHoldUntil) { arm(storageHoldUntil); return; }
      if (!writeOutcome(unsettled, now)) return;
    }
    const wakes: number[] = [];
    // Wakes at midnight too, so postedToday drops to 0 in the views on time.
    // And when the month has live posts: its spend starts again at the first of the month.
    if (postedToday(ledger, now, accountId, false) + postedToday(ledger, now, accountId, true) > 0
      || monthHasPosts(now)) wakes.push(nextLocalMidnight(now));

    if (pauseReason !== null) {
      const until = autoResumeAt();
      if (until === null || now < until) {
        if (until !== null) wakes.push(until);
        armEarliest(wakes);
        return;
      }
      log.info('queue: resuming on its own', { reason: pauseReason });
      clearPause();
      persistPause();
    }

    // One pass, no spread into Math.min: a backlog of any size (200,000 and more) stays workable.
    let earliestDue = Infinity;
    // The queue's order (common/forecast.ts): post-now first, then the oldest due; a task backing
    // off does not hold up the ones behind it.
    let next: Task | null = null;
    for (const t of repo.all()) {
      if (t.status !== 'pending') continue;
      const due = dueAt(t, now);
      if (due < earliestDue) earliestDue = due;
      if (due <= now && (next === null || queueOrder(t, next) < 0)) next = t;
    }
    if (earliestDue === Infinity) { armEarliest(wakes); return; }

    const client = currentClient();
    if (client === null && deps.dryWithoutAccount === false && !runsDry()) {
      // An account gone (disconnected): its tasks wait for it to be connected again.
      pauseReason = 'auth';
      persistPause();
      log.warn('queue: the account is not connected; its tasks wait', { accountId });
      armEarliest(wakes);
      return;
    }
    // Post now does not wait for the gap (its start becomes the gap's), never for the cap.
    const allowedAt = allowedStartAt(now, client === null, next?.postNowAt != null);
    const at = Math.max(allowedAt, earliestDue);
    if (at > now || next === null) {
      wakes.push(at);
      armEarliest(wakes);
      return;
    }
    if (client !== null && refuseRepeat(next, now)) {
      schedulePump();
      return;
    }
    launch(next, client, now);
  }

  /**
   * A text already posted (or perhaps posted by another task in doubt) in the last 24 hours is
   * not sent: the task fails with 'duplicate', no request leaves, and the gap is not used.
   */
  function refuseRepeat(task: Task, now: number): boolean {
    const entry = refusingEntry(postedTexts, task, now);
    if (entry === null) return false;
    const refused = withFinish({ ...task, status: 'failed', nextAttemptAt: null, postNowAt: null, error: { kind: 'duplicate', message: refusalMessage(entry) }, updatedAt: changedAt(task.updatedAt, now) }, iso(now));
    log.warn('queue: refused a text posted less than 24 hours ago', { taskId: task.id, confirmed: entry.inDoubtTaskId === undefined });
    try {
      repo.put(refused, { durable: true });
    } catch (err) {
      // Nothing was sent, so nothing is lost: the task stays pending and is refused again later.
      const wait = holdForStorage(now);
      log.error('queue: could not store a refused task', { taskId: task.id, error: errorName(err), retryInMs: wait });
      arm(storageHoldUntil);
      return true;
    }
    notifyTask(refused);
    return true;
  }

  function monthHasPosts(now: number): boolean {
    return spendOf(ledger, now, accountId, FREE).month.posts > 0;
  }

  /**
   * The earliest start the storage hold, the gap and the posting hours (both skipped by post now)
   * and the day's cap allow: now or later.
   */
  function allowedStartAt(now: number, dryRun: boolean, skipGap: boolean): number {
    const settings = deps.settings();
    const at = Math.max(storageHoldUntil, nextPostAllowedAt({
      now, lastStartAt: skipGap ? null : lastStartAt, postedToday: postedToday(ledger, now, accountId, dryRun), settings,
    }));
    const limited = dryRun ? at : Math.max(at, spendLimitLiftsAt(now));
    return skipGap ? limited : nextPostingTime(limited, settings.postingHours ?? null) ?? limited;
  }

  /** Now when the month's live spend is under the limit (or there is none), else the next month's first instant. */
  function spendLimitLiftsAt(now: number): number {
    const settings = deps.settings();
    const limit = settings.monthlySpendLimitUsd ?? null;
    if (limit === null) return now;
    if (deps.priced === false) return now;
    return spendOf(ledger, now, accountId, settings).month.usd >= limit ? nextLocalMonth(now) : now;
  }

  function armEarliest(wakes: number[]): void {
    let earliest = Infinity;
    for (const at of wakes) earliest = Math.min(earliest, at);
    if (earliest !== Infinity) arm(earliest);
  }

  /** Holds every post back after a storage failure, growing the wait with each one in a row. */
  function holdForStorage(now: number): number {
    storageFailures += 1;
    const wait = backoffCeilingMs(storageFailures, deps.settings());
    storageHoldUntil = now + wait;
    return wait;
  }

  /**
   * The outcome's durable write; true when it landed. Until it does, the task stays running in
   * memory and in the views (the post may be on X: in doubt), and no other post starts.
   */
  function writeOutcome(task: Task, now: number): boolean {
    try {
      repo.put(task, { durable: true });
    } catch (err) {
      unsettled = task;
      const wait = holdForStorage(now);
      log.error('queue: could not store a post\'s outcome; the task stays in doubt and the write is retried', { taskId: task.id, status: task.status, error: errorName(err), retryInMs: wait });
      arm(storageHoldUntil);
      return false;
    }
    unsettled = null;
    storageFailures = 0;
    storageHoldUntil = 0;
    notifyTask(task);
    return true;
  }

  function savedPause(): SavedPause | null {
    if (pauseReason === null || pauseReason === 'offline') return null;
    return {
      reason: pauseReason,
      resumesAt: pauseReason === 'rate-limited' && resumesAt !== null ? iso(resumesAt) : null,
      credentials: pauseReason === 'auth' ? credentials() : null,
    };
  }

  /** Saves the pause as it is now; `refusal` makes a failure the command's answer instead of a log line. */
  function persistPause(refusal?: string): void {
    try {
      memory.savePause(savedPause());
    } catch (err) {
      log.error('queue: could not save the pause state', { reason: pauseReason, error: errorName(err) });
      if (refusal !== undefined) throw new CommandError('internal', refusal);
    }
  }

  function restorePause(now: number): void {
    let saved: SavedPause | null;
    try { saved = memory.loadPause(); } catch (err) { log.error('queue: could not read the saved pause', { error: errorName(err) }); return; }
    if (saved === null) return;
    if (saved.reason === 'auth' && saved.credentials !== null && saved.credentials !== credentials()) {
      log.info('queue: the credentials X refused were replaced while Crier was stopped; not pausing');
      persistPause();
      return;
    }
    pauseReason = saved.reason;
    const at = saved.resumesAt === null ? NaN : Date.parse(saved.resumesAt);
    resumesAt = saved.reason === 'rate-limited' ? (Number.isNaN(at) ? now : at) : null;
    log.info('queue: paused as it was when Crier stopped', { reason: pauseReason, resumesAt: resumesAt === null ? null : iso(resumesAt) });
  }

  function loadLedger(now: number): PostLedger {
    let stored: PostLedger | undefined;
    try { stored = memory.loadLedger(); } catch (err) { log.error('queue: could not read the post ledger', { error: errorName(err) }); }
    if (stored !== undefined) return stored;
    // A data dir from before the ledger: what the completed tasks tell, written once.
    const rebuilt = ledgerFromTasks(repo.all(), now, carriesLink);
    saveLedgerQuietly(rebuilt);
    return rebuilt;
  }

  function saveLedgerQuietly(next: PostLedger): void {
    try { memory.saveLedger(next); } catch (err) { log.error('queue: could not store the post ledger', { error: errorName(err) }); }
  }

  function loadPostedTexts(now: number): PostedTexts {
    let stored: PostedTexts | undefined;
    try { stored = memory.loadTexts(); } catch (err) { log.error('queue: could not read the record of posted texts', { error: errorName(err) }); }
    if (stored !== undefined) return stored;
    // A data dir from before the record: what the tasks tell, written once.
    const rebuilt = postedTextsFromTasks(repo.all(), now);
    saveTextsQuietly(rebuilt);
    return rebuilt;
  }

  /** Enters a text ('maybe': `inDoubtTaskId` may still send it); written with the next durable write. */
  function notePostedText(text: string, at: number, inDoubtTaskId: string | null): void {
    postedTexts = withPostedText(postedTexts, text, at, inDoubtTaskId);
    saveTextsQuietly(postedTexts);
  }

  function saveTextsQuietly(next: PostedTexts): void {
    try { memory.saveTexts(next); } catch (err) { log.error('queue: could not store the record of posted texts', { error: errorName(err) }); }
  }

  function launch(task: Task, client: XClient | null, now: number): void {
    const running = startAttempt(task, now, client === null);
    try {
      // Written through before the request leaves: after a crash this task is known to be in doubt.
      repo.put(running, { durable: true });
    } catch (err) {
      const wait = holdForStorage(now);
      log.error('queue: could not store the task as running, so it was not posted', { taskId: task.id, error: errorName(err), retryInMs: wait });
      const back: Task = { ...task, error: { kind: 'unknown', message: STORAGE_FAILURE_MESSAGE }, updatedAt: changedAt(task.updatedAt, now) };
      putQuietly(back, false);
      notifyTask(back);
      arm(storageHoldUntil);
      return;
    }
    storageFailures = 0;
    storageHoldUntil = 0;
    lastStartAt = now;
    notifyTask(running);

    const work = attempt(running, client, lookSince(task))
      .then((outcome) => settle(running, outcome))
      .catch((err: unknown) => {
        // settle() guards its own effects; reaching here is a bug, but it must not go unobserved.
        log.error('queue: recording a post outcome failed', { taskId: running.id, error: errorName(err) });
      })
      .finally(() => {
        inFlight.delete(running.id);
        schedulePump();
      });
    inFlight.set(running.id, work);
  }

  /** Where a post of a task in doubt can start on the timeline; null for a task never in doubt. */
  function lookSince(task: Task): number | null {
    const since = task.inDoubtSince == null ? NaN : Date.parse(task.inDoubtSince);
    return Number.isNaN(since) ? null : since - TIMELINE_MARGIN_MS;
  }

  async function attempt(running: Task, client: XClient | null, since: number | null): Promise<AttemptOutcome> {
    if (client === null) return { ok: true, dryRun: true };
    try {
      if (since !== null) {
        const found = await lookOnTimeline(running, client, since);
        if (found !== null) return { ok: true, result: found, foundOnTimeline: true };
      }
      const result = await client.post({ text: running.text, imageUrl: running.imageUrl, task: taskRef(running) });
      return { ok: true, result };
    } catch (err) {
      return { ok: false, failure: toFailure(err, running.id) };
    }
  }

  /** The post of an earlier attempt, if the timeline shows it; any failure to look just means "post". */
  async function lookOnTimeline(running: Task, client: XClient, since: number): Promise<PostResult | null> {
    if (client.findPost === undefined || !deps.settings().checkTimelineBeforeResend) return null;
    try {
      const found = await client.findPost({ text: running.text, since, task: taskRef(running) });
      log.info('queue: looked for a post in doubt on the timeline', { taskId: running.id, found: found !== null });
      return found;
    } catch (err) {
      // X's duplicate check stays the guard: the post goes out, and a duplicate answer confirms it.
      const failure = err instanceof XError ? err.failure : null;
      log.warn('queue: could not look for a post in doubt on the timeline; posting, X\'s duplicate check decides', { taskId: running.id, kind: failure?.kind ?? errorName(err) });
      return null;
    }
  }

  function toFailure(err: unknown, taskId: string): XFailure {
    if (err instanceof XError) return err.failure;
    // The X port promises XError only; anything else is a bug whose text may carry request
    // details, so only its name is logged. The request may have left: treat it as in doubt.
    log.error('queue: the X client failed with an unexpected error', { taskId, error: errorName(err) });
    return { kind: 'unknown', message: 'Posting failed unexpectedly; the details are in the log.', inDoubt: true };
  }

  function settle(running: Task, outcome: AttemptOutcome): void {
    const now = clock.now();
    const settings = deps.settings();
    const limited = !outcome.ok && outcome.failure.kind === 'rate-limited';
    rateLimitStreak = limited ? rateLimitStreak + 1 : 0;
    const { task, effect, posted, text } = settleAttempt(running, outcome, { now, settings, random, rateLimitStreak });
    if (posted) {
      // Counted before the outcome is written, and written with it: the cap never forgets a post.
      ledger = recordPost(ledger, now, { accountId, dryRun: task.dryRun, withLink: !task.dryRun && carriesLink(task.text) });
      saveLedgerQuietly(ledger);
    }
    // Entered before the outcome is written, and written with it, like the ledger.
    if (text === 'posted') notePostedText(task.text, now, null);
    else if (text === 'maybe') notePostedText(task.text, Date.parse(running.updatedAt), task.id);
    // Durable too: a lost completion would make the task look in doubt after a crash.
    writeOutcome(task, now);
    if (outcome.ok) endOfflineSpell();
    applyEffect(effect, now, settings);
    if (effect !== null && !outcome.ok && outcome.failure.appWide === true && effect.pause !== 'offline') {
      try { events.appWidePause?.(effect.pause, effect.resumesAt); } catch (err) { log.error('queue: appWidePause listener threw', { error: errorName(err) }); }
    }
    if (!outcome.ok && outcome.failure.kind !== 'offline') endOfflineSpell();
    log.info('queue: attempt settled', { taskId: task.id, status: task.status, attempts: task.attempts, dryRun: task.dryRun, error: task.error?.kind ?? null });
  }

  function applyEffect(effect: QueueEffect, now: number, settings: Settings): void {
    if (effect === null) return;
    if (effect.pause === 'offline') {
      offlineFailures += 1;
      offlineProbeAt = now + backoffCeilingMs(offlineFailures, settings);
    }
    // The user's own pause wins; resuming it lets the next post find out whether X still refuses.
    if (pauseReason === 'user') return;
    pauseReason = effect.pause;
    resumesAt = effect.pause === 'rate-limited' ? effect.resumesAt : null;
    persistPause();
    log.warn('queue: paused', { reason: effect.pause, resumesAt: resumesAt === null ? null : iso(resumesAt) });
  }

  function endOfflineSpell(): void {
    offlineFailures = 0;
    earlyProbeUsed = false;
  }

  /** The tasks among `ids` (each once; unknown ones skipped) whose status allows the action. */
  function allowedAmong(ids: readonly string[], action: TaskAction): Task[] {
    const out: Task[] = [];
    for (const id of new Set(ids)) {
      const task = repo.get(id);
      if (task !== undefined && allowedActions(task.status).includes(action)) out.push(task);
    }
    return out;
  }

  function mustGet(id: string): Task {
    const task = repo.get(id);
    if (!task) throw new CommandError('not-found', 'There is no task with this id.');
    return task;
  }

  /** User commands change several tasks at once; all are on disk before the command returns. */
  function putAllDurably(tasks: Task[]): void {
    tasks.forEach((task, index) => repo.put(task, { durable: index === tasks.length - 1 }));
    for (const task of tasks) notifyTask(task);
    schedulePump();
  }

  function state(): QueueState {
    const counts = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<TaskStatus, number>;
    for (const t of repo.all()) counts[t.status] += 1;
    const now = clock.now();
    const settings = deps.settings();
    const dryRun = currentClient() === null;
    // Null when nothing holds the next post back now; a stable instant otherwise (not "now", which
    // would make every state differ from the last and send a queue delta each time).
    const allowedAt = allowedStartAt(now, dryRun, false);
    return {
      paused: pauseReason !== null,
      pauseReason,
      resumesAt: pauseReason === 'rate-limited' && resumesAt !== null ? iso(resumesAt) : null,
      postedToday: postedToday(ledger, now, accountId, dryRun),
      dailyCap: settings.dailyCap,
      counts,
      nextPostAt: allowedAt > now ? iso(allowedAt) : null,
      spend: spendOf(ledger, now, accountId, deps.priced === false ? FREE : settings),
    };
  }

  return {
    start() {
      if (started) return;
      started = true;
      stopped = false;
      const now = clock.now();
      const settings = deps.settings();
      const all = repo.all();
      // Where the gap counts from after a restart: the newest attempt we know of (its last
      // update is no earlier than its start, so this errs on the side of waiting).
      let lastTouched = -Infinity;
      for (const t of all) {
        const at = t.attempts > 0 ? Date.parse(t.updatedAt) : NaN;
        if (!Number.isNaN(at)) lastTouched = Math.max(lastTouched, at);
      }
      lastStartAt = Number.isFinite(lastTouched) ? Math.min(lastTouched, now) : null;
      postedTexts = loadPostedTexts(now);
      for (const t of all) {
        if (t.status !== 'running') continue;
        const recovered = recoverInDoubt(t, now, settings);
        log.warn('queue: task was running at startup; it is in doubt', { taskId: t.id, status: recovered.status });
        // Its text may be on X: no other task sends it while this one is in doubt.
        if (!t.dryRun) notePostedText(t.text, Date.parse(t.updatedAt), t.id);
        putQuietly(recovered, false);
        notifyTask(recovered);
      }
      ledger = loadLedger(now);
      restorePause(now);
      schedulePump();
    },

    async stop(timeoutMs) {
      stopped = true;
      disarm();
      const work = [...inFlight.values()];
      if (work.length === 0) {
        if (unsettled !== null) writeOutcome(unsettled, clock.now());
        return;
      }
      await new Promise<void>((resolve) => {
        const cancel = clock.setTimeout(() => {
          log.warn('queue: stopped while a post was still in flight', { taskIds: [...inFlight.keys()] });
          resolve();
        }, timeoutMs);
        void Promise.allSettled(work).then(() => { cancel(); resolve(); });
      });
    },

    enqueue(task) {
      if (task.status !== 'pending' && task.status !== 'review') throw new CommandError('validation', 'A new task must be pending or in review.', 'status');
      if (repo.get(task.id)) throw new CommandError('conflict', 'A task with this id already exists.');
      repo.put(task);
      notifyTask(task);
      schedulePump();
      return task;
    },

    retry(id) {
      const task = retryCommand(mustGet(id), clock.now());
      putAllDurably([task]);
      return task;
    },

    cancel(id) {
      const before = mustGet(id);
      const task = cancelCommand(before, clock.now());
      putAllDurably([task]);
      undo.cancelled(before, task, clock.now());
      return task;
    },

    postNow(id) {
      const task = mustGet(id);
      requireAction(task, 'post-now');
      const now = clock.now();
      if (pauseReason !== null) throw new CommandError('conflict', PAUSED_REFUSAL[pauseReason]);
      if (postedToday(ledger, now, accountId, currentClient() === null) >= deps.settings().dailyCap) {
        throw new CommandError('conflict', 'Today\'s cap of posts is reached, so nothing more is posted before midnight. Raise the daily cap in the settings to post it today.');
      }
      if (currentClient() !== null && spendLimitLiftsAt(now) > now) {
        throw new CommandError('conflict', 'This month\'s spending limit is reached, so nothing more is posted before the first of next month. Raise the limit in the settings to post it now.');
      }
      // Kept when asked again: the first request keeps its place among the posts-now.
      const next: Task = { ...task, postNowAt: task.postNowAt ?? iso(now), updatedAt: changedAt(task.updatedAt, now) };
      putAllDurably([next]);
      return next;
    },

    undoCancel(id) {
      const now = clock.now();
      const restored = undo.restore(mustGet(id), now);
      putAllDurably([restored]);
      return restored;
    },

    retryMany(ids) {
      const now = clock.now();
      const tasks = allowedAmong(ids, 'retry').map((t) => retryCommand(t, now));
      putAllDurably(tasks);
      return tasks.length;
    },

    cancelAllowed(ids) {
      const now = clock.now();
      const befores = allowedAmong(ids, 'cancel');
      const tasks = befores.map((t) => cancelCommand(t, now));
      putAllDurably(tasks);
      befores.forEach((before, i) => undo.cancelled(before, tasks[i]!, now));
      return tasks.length;
    },

    approveMany(ids) {
      const now = clock.now();
      const approvable = allowedAmong(ids, 'approve');
      if (approvable.length === 0) return 0;
      // Each approval joins the queue after every task waiting in it, in the order given: its own
      // instant, past the latest place already taken (a task created or approved this millisecond).
      let latest = now - 1;
      for (const t of repo.all()) {
        if (t.status !== 'pending' && t.status !== 'running') continue;
        const at = Date.parse(t.queuedAt ?? t.createdAt);
        if (at > latest) latest = at;
      }
      const tasks = approvable.map((t, i) => approveCommand(t, now, latest + 1 + i));
      putAllDurably(tasks);
      log.info('queue: approved tasks in review', { count: tasks.length });
      return tasks.length;
    },

    skipMany(ids) {
      const now = clock.now();
      const befores = allowedAmong(ids, 'skip');
      const tasks = befores.map((t) => skipCommand(t, now));
      putAllDurably(tasks);
      // Undone like a cancel: the task goes back to review as it was.
      befores.forEach((before, i) => undo.cancelled(before, tasks[i]!, now));
      return tasks.length;
    },

    recordDeletion(id, alreadyGone) {
      const task = deletedTask(mustGet(id), clock.now(), alreadyGone);
      putAllDurably([task]);
      return task;
    },

    removeFinished(ids) {
      const removable = allowedAmong(ids, 'remove').filter((t) => !inFlight.has(t.id)).map((t) => t.id);
      // The post ledger is another record: the day's and month's counts do not change.
      if (removable.length > 0) repo.remove(removable);
      undo.forget(removable);
      schedulePump();
      return removable;
    },

    edit(id, text, expectedUpdatedAt, options) {
      const task = editCommand(mustGet(id), text, expectedUpdatedAt, clock.now(), options?.inDoubtCleared === true);
      putAllDurably([task]);
      return task;
    },

    async lookForPostInDoubt(id) {
      const task = mustGet(id);
      const since = lookSince(task);
      if (since === null) return 'absent';
      const client = currentClient();
      if (client?.findPost === undefined || !deps.settings().checkTimelineBeforeResend || inFlight.has(id)) return 'unknown';
      let found: PostResult | null;
      try {
        found = await client.findPost({ text: task.text, since, task: taskRef(task) });
      } catch (err) {
        log.warn('queue: could not look for a post in doubt on the timeline before an edit', { taskId: id, error: errorName(err) });
        return 'unknown';
      }
      if (found === null) return 'absent';
      const current = repo.get(id);
      // Only if nothing happened to the task while X was asked; otherwise whatever did wins.
      if (current !== undefined && current.updatedAt === task.updatedAt && !inFlight.has(id) && (current.status === 'pending' || current.status === 'failed')) {
        settle(current, { ok: true, result: found, foundOnTimeline: true });
        schedulePump();
      }
      return 'found';
    },

    cancelMany(ids) {
      const now = clock.now();
      const tasks = ids.map((id) => cancelCommand(mustGet(id), now));
      putAllDurably(tasks);
      return tasks;
    },

    retryAllFailed() {
      const now = clock.now();
      const tasks = repo.all().filter((t) => t.status === 'failed').map((t) => retryCommand(t, now));
      putAllDurably(tasks);
      return tasks.length;
    },

    pause() {
      pauseReason = 'user';
      resumesAt = null;
      offlineProbeAt = null;
      log.info('queue: paused by the user');
      schedulePump();
      persistPause(PAUSE_NOT_SAVED);
    },

    resume() {
      clearPause();
      endOfflineSpell();
      schedulePump();
      persistPause(RESUME_NOT_SAVED);
    },

    setOffline(offline) {
      shellOffline = offline;
      if (offline && pauseReason === null) {
        pauseReason = 'offline';
        log.info('queue: paused, offline');
      } else if (!offline && pauseReason === 'offline') {
        clearPause();
        endOfflineSpell();
        persistPause();
        log.info('queue: back online');
      }
      schedulePump();
    },

    probe() {
      // The OS's signal owns a pause the shell reported; a feed's answer only hurries X's own probe.
      if (pauseReason !== 'offline' || shellOffline || earlyProbeUsed) return;
      earlyProbeUsed = true;
      offlineProbeAt = Math.min(offlineProbeAt ?? Infinity, clock.now());
      log.info('queue: a feed answered; probing X now');
      schedulePump();
    },

    settingsChanged() {
      schedulePump();
    },

    holdForApp(reason, until) {
      applyEffect({ pause: reason, resumesAt: until }, clock.now(), deps.settings());
      schedulePump();
    },

    wake() {
      // The pump re-arms its one timer from the clock (the wall clock in production), ending a
      // rate-limit pause whose reset passed while the machine slept.
      schedulePump();
    },

    remove(ids) {
      const removable = ids.filter((id) => {
        const t = repo.get(id);
        return t !== undefined && t.status !== 'running' && !inFlight.has(id);
      });
      if (removable.length > 0) repo.remove(removable);
      undo.forget(removable);
      schedulePump();
      return removable;
    },

    state,
    inFlight: () => [...inFlight.keys()],
  };
}
