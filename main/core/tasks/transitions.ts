// Status changes of a task, as pure functions: given a task and what happened, the next task
// (and what the whole queue must do). The queue applies them; the tests read them as a table.
import { allowedActions, type PauseReason, type Task, type TaskAction, type TaskAttempt, type TaskError, type TaskStatus } from '../../../preload/contract';
import { CommandError } from '../errors';
import { changedAt } from './changed-at';
import type { PostResult, XFailure } from '../x/types';
import { backoffMs, mayRetry, rateLimitResumeAt, type RetrySettings } from './retry-policy';

export const DRY_RUN_NOTE = 'dry run: not posted';
export const DUPLICATE_NOTE = "confirmed by X's duplicate answer: the post was already on X";
export const FOUND_NOTE = "found on the account's timeline: the earlier attempt had posted it";
export const IN_DOUBT_MESSAGE =
  'Crier stopped while this post was being sent, so it may already be on X. Before sending it again Crier looks for it on the account\'s timeline; X rejects a duplicate, which confirms it too.';
export const IN_DOUBT_NOTE = 'in doubt: retrying with the same text';
/** X's duplicate answer for a task that was never in doubt: the text went out before, from another task. */
export const DUPLICATE_FAILED_MESSAGE =
  'X refused this post as a duplicate: a post with this exact text is already on the account, from another item or an earlier one (a recurring title such as "Weekly digest" does this). Nothing was posted. Edit the text to post it anyway.';

export type AttemptOutcome =
  | { ok: true; result: PostResult; foundOnTimeline?: boolean }
  | { ok: true; dryRun: true }
  | { ok: false; failure: XFailure };

/** What the whole queue must do after an outcome; null: nothing. */
export type QueueEffect =
  | { pause: Exclude<PauseReason, 'user'>; resumesAt: number | null }
  | null;

export interface Settled {
  task: Task;
  effect: QueueEffect;
  /** True when the outcome is a post (live or dry) that counts toward the daily cap. */
  posted: boolean;
  /**
   * What the record of posted texts learns: 'posted' — a live post is confirmed; 'maybe' — the
   * attempt may have posted (its answer was lost); null — nothing.
   */
  text: 'posted' | 'maybe' | null;
}

export interface SettleContext {
  now: number;
  settings: RetrySettings;
  random: () => number;
  /** 429s in a row, this one included; grows the floor under X's reset (retry-policy.ts). */
  rateLimitStreak?: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** A task keeps this many attempts in its log (attemptLog), the newest. */
export const ATTEMPT_LOG_LENGTH = 10;
/** X's rate limit, without a time: the page shows the queue's resumesAt in the user's own zone. */
export const RATE_LIMITED_MESSAGE = "X's rate limit is reached; posting waits until it resets.";

/** Finished (completed, failed until retried, cancelled) since `at`; null while it may still post. */
export function withFinish(task: Task, at: string): Task {
  const finished = task.status === 'completed' || task.status === 'failed' || task.status === 'cancelled';
  return { ...task, finishedAt: finished ? at : null };
}

/** The task with one more attempt at the end of its log, the oldest dropped past ATTEMPT_LOG_LENGTH. */
export function withAttempt(task: Task, attempt: TaskAttempt): Task {
  return { ...task, attemptLog: [...(task.attemptLog ?? []), attempt].slice(-ATTEMPT_LOG_LENGTH) };
}

/** A confirmed post ends the doubt; the field goes only where it was. */
function confirmed(task: Task): Task {
  return task.inDoubtSince == null ? task : { ...task, inDoubtSince: null };
}

/** The doubt starts with the first attempt that may have posted (its start) and stays. */
function inDoubtFrom(running: Task): Task {
  return running.inDoubtSince == null ? { ...running, inDoubtSince: running.updatedAt } : running;
}

/** The task as stored, durably, just before the request leaves. */
export function startAttempt(task: Task, now: number, dryRun: boolean): Task {
  // Its start (updatedAt) is the attempt's `at` in the log; a post-now request is used up by it.
  const started: Task = { ...task, status: 'running', attempts: task.attempts + 1, nextAttemptAt: null, dryRun, updatedAt: changedAt(task.updatedAt, now) };
  return task.postNowAt == null ? started : { ...started, postNowAt: null };
}

function toTaskError(f: XFailure): TaskError {
  // 'offline' is a queue-level kind; a task records what a user can act on.
  const kind = f.kind === 'offline' ? 'network' : f.kind;
  return f.httpStatus === undefined ? { kind, message: f.message } : { kind, message: f.message, httpStatus: f.httpStatus };
}

/**
 * After an attempt. `running` is the task as startAttempt stored it (attempts already counted).
 * Queue-wide conditions (429, 401, 402, offline) hand the attempt back: the task did nothing
 * wrong, and burning its retries while X refuses everyone would fail the whole backlog.
 */
export function settleAttempt(running: Task, outcome: AttemptOutcome, ctx: SettleContext): Settled {
  const settled = settleOutcome(running, outcome, ctx);
  const endedAt = iso(ctx.now);
  let task = withFinish(settled.task, endedAt);
  // A post found on the timeline for a task not being posted (an edit's look) was no attempt.
  if (running.status === 'running') {
    const posted = task.status === 'completed';
    const error: TaskError | null = posted || outcome.ok ? null
      : outcome.failure.inDoubt === true ? { ...(task.error ?? toTaskError(outcome.failure)), kind: 'in-doubt' } : (task.error ?? toTaskError(outcome.failure));
    task = withAttempt(task, { at: running.updatedAt, endedAt, outcome: posted ? 'posted' : 'failed', dryRun: running.dryRun, ...(error === null ? {} : { error }) });
  }
  return { ...settled, task };
}

function settleOutcome(running: Task, outcome: AttemptOutcome, ctx: SettleContext): Settled {
  const updatedAt = changedAt(running.updatedAt, ctx.now);
  if (outcome.ok) {
    if ('dryRun' in outcome) {
      return { task: { ...running, status: 'completed', dryRun: true, postId: null, postUrl: null, error: null, note: DRY_RUN_NOTE, updatedAt }, effect: null, posted: true, text: null };
    }
    const { postId, postUrl } = outcome.result;
    const note = outcome.foundOnTimeline === true ? FOUND_NOTE : outcome.result.note;
    return { task: confirmed({ ...running, status: 'completed', dryRun: false, postId, postUrl, error: null, note, updatedAt }), effect: null, posted: true, text: 'posted' };
  }

  const f = outcome.failure;
  // A request that may have reached X leaves the task in doubt, whatever else happens to it.
  const tried = f.inDoubt === true ? inDoubtFrom(running) : running;
  const error = toTaskError(f);
  const text = f.inDoubt === true ? 'maybe' : null;
  const handBack = (pause: Exclude<PauseReason, 'user'>, resumesAt: number | null, handError: TaskError = error): Settled => ({
    task: { ...tried, status: 'pending', attempts: running.attempts - 1, nextAttemptAt: null, error: handError, updatedAt },
    effect: { pause, resumesAt },
    posted: false,
    text,
  });
  const fail = (): Settled => ({ task: { ...tried, status: 'failed', nextAttemptAt: null, error, updatedAt }, effect: null, posted: false, text });

  switch (f.kind) {
    case 'duplicate':
      // Only a task that may have posted can take X's duplicate answer as its own post.
      if (running.inDoubtSince != null) {
        return { task: confirmed({ ...running, status: 'completed', dryRun: false, postId: null, postUrl: null, error: null, note: DUPLICATE_NOTE, updatedAt }), effect: null, posted: true, text: 'posted' };
      }
      return { task: { ...running, status: 'failed', nextAttemptAt: null, error: { ...error, message: DUPLICATE_FAILED_MESSAGE }, updatedAt }, effect: null, posted: false, text: null };
    case 'rate-limited': {
      const resumesAt = rateLimitResumeAt(f, ctx.now, ctx.rateLimitStreak ?? 1, ctx.settings);
      // No time in words: the page shows the queue's resumesAt (the wait Crier keeps) in local time.
      return handBack('rate-limited', resumesAt, { ...error, message: RATE_LIMITED_MESSAGE });
    }
    case 'credits-depleted':
      return handBack('credits-depleted', null);
    case 'auth':
      return handBack('auth', null);
    case 'offline':
      return handBack('offline', null);
    case 'invalid-post':
    case 'forbidden':
      return fail();
    case 'network':
    case 'server':
    case 'in-doubt':
    case 'media':
    case 'unknown': {
      if (!mayRetry(running.attempts, ctx.settings)) return fail();
      const wait = backoffMs(running.attempts, ctx.settings, ctx.random);
      const note = f.inDoubt ? IN_DOUBT_NOTE : running.note;
      return { task: { ...tried, status: 'pending', nextAttemptAt: iso(ctx.now + wait), error, note, updatedAt }, effect: null, posted: false, text };
    }
  }
}

/**
 * At startup, a task stored as `running` is in doubt: the request may or may not have reached
 * X. The attempt stays counted; it goes back to pending (or failed when out of attempts), in
 * doubt since that attempt started (its `running` write) — unless it was a dry run, which sent nothing.
 */
export function recoverInDoubt(task: Task, now: number, settings: RetrySettings): Task {
  const error: TaskError = { kind: 'in-doubt', message: IN_DOUBT_MESSAGE };
  const status: TaskStatus = mayRetry(task.attempts, settings) ? 'pending' : 'failed';
  const at = changedAt(task.updatedAt, now);
  const recovered = withFinish({ ...(task.dryRun ? task : inDoubtFrom(task)), status, nextAttemptAt: null, error, note: IN_DOUBT_NOTE, updatedAt: at }, at);
  // The attempt it was in: its outcome is unknown (a dry run sent nothing, but did not finish either).
  return withAttempt(recovered, { at: task.updatedAt, endedAt: at, outcome: 'failed', dryRun: task.dryRun, error });
}

const ARTICLES: Record<TaskStatus, string> = {
  review: 'A reviewed', pending: 'A pending', running: 'A running', completed: 'A completed', failed: 'A failed', cancelled: 'A cancelled',
};
const article = (status: TaskStatus): string => ARTICLES[status];

/** A task skipped in review: cancelled, marked, and never counted as a failure. */
export const SKIPPED_NOTE = 'Skipped in review';

function refusal(status: TaskStatus, action: TaskAction): string {
  if (action === 'approve' || action === 'skip') {
    if (status === 'running') return 'This task is being posted right now.';
    return `Only a task in review can be ${action === 'approve' ? 'approved' : 'skipped'}; this one is ${status}.`;
  }
  if (status === 'review') {
    if (action === 'cancel') return 'A task in review is not cancelled but skipped.';
    if (action === 'post-now') return 'A task in review must be approved before it can be posted.';
    if (action === 'remove') return 'A task in review cannot be removed from the history: skip it first.';
    return 'A task in review cannot be retried: approve it to post it.';
  }
  if (action === 'post-now') {
    if (status === 'running') return 'This task is being posted right now.';
    return `Only a pending task can be posted now; this one is ${status}.`;
  }
  if (action === 'remove') {
    if (status === 'running') return 'A running task cannot be removed: its request has already been sent to X.';
    return 'A pending task cannot be removed from the history: cancel it first.';
  }
  if (action === 'cancel') {
    if (status === 'running') return 'A running task cannot be cancelled: its request has already been sent to X.';
    if (status === 'cancelled') return 'This task is already cancelled.';
    return `${article(status)} task cannot be cancelled.`;
  }
  if (status === 'pending') return 'A pending task cannot be retried: it is already waiting to be posted.';
  if (status === 'running') return 'A running task cannot be retried: it is being posted now.';
  return `${article(status)} task cannot be retried.`;
}

/** Throws CommandError('conflict') unless the status allows the action (the contract's table). */
export function requireAction(task: Task, action: TaskAction): void {
  if (!allowedActions(task.status).includes(action)) throw new CommandError('conflict', refusal(task.status, action));
}

/**
 * retry: failed or cancelled → pending now, with a fresh set of attempts; the text stays frozen. A
 * task skipped in review is approved after all: it joins the end of the queue, as approve does.
 */
export function retryCommand(task: Task, now: number): Task {
  requireAction(task, 'retry');
  const retried: Task = { ...task, status: 'pending', attempts: 0, nextAttemptAt: null, error: null, note: null, finishedAt: null, updatedAt: changedAt(task.updatedAt, now) };
  if (task.skipped !== true) return retried;
  const approved: Task = { ...retried, queuedAt: retried.updatedAt };
  delete approved.skipped;
  return approved;
}

/**
 * approve: review → pending, joining the queue at `queuedAt` (the queue's order counts from it, so
 * it goes after every task already pending). The caller gives each approval its own instant.
 */
export function approveCommand(task: Task, now: number, queuedAt: number): Task {
  requireAction(task, 'approve');
  return { ...task, status: 'pending', nextAttemptAt: null, queuedAt: iso(queuedAt), updatedAt: changedAt(task.updatedAt, now) };
}

/** skip: review → cancelled, marked skipped (not a failure), with a note saying so. */
export function skipCommand(task: Task, now: number): Task {
  requireAction(task, 'skip');
  const at = changedAt(task.updatedAt, now);
  return { ...task, status: 'cancelled', skipped: true, note: SKIPPED_NOTE, nextAttemptAt: null, finishedAt: at, updatedAt: at };
}

/** cancel: pending or failed → cancelled. */
export function cancelCommand(task: Task, now: number): Task {
  requireAction(task, 'cancel');
  const at = changedAt(task.updatedAt, now);
  return { ...task, status: 'cancelled', nextAttemptAt: null, postNowAt: null, finishedAt: at, updatedAt: at };
}
