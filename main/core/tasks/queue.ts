// The posting queue: picks the next task, stores it as running, posts it, records the outcome.
// One post at a time, in the background: commands return at once, the loop is driven by
// the injected clock's timers and a coalescing microtask, and every promise it makes is observed.
//
// Decisions (see also pacing.ts and transitions.ts):
// - The gap is measured from one attempt's start to the next's (live, dry, failed alike): a slow
//   or hanging request does not stretch the cadence, and X sees at most one request per gap.
//   After a restart it counts from the newest attempt's last update (errs towards waiting).
// - The daily cap counts completed posts per local calendar day, live and dry apart: dry runs
//   are paced by the cap like real posts, but do not use up the real posts of the day. The
//   count is read from the store at start and kept in memory after, so clearing history does
//   not reset it. Over the cap, tasks stay pending, oldest first, until local midnight.
// - The next task is the oldest due pending one; a task backing off does not hold up the rest.
// - If the durable "running" write fails, nothing is sent; the queue holds back (backoff on
//   consecutive storage failures) and tries again. Other writes failing are logged, not fatal.
// - The user's pause wins over the automatic ones; resume() clears any pause.
import type { PauseReason, QueueState, Settings, Task, TaskStatus } from '../../../preload/contract';
import { TASK_STATUSES } from '../../../preload/contract';
import { CommandError } from '../errors';
import type { Clock, Logger } from '../ports';
import { XError, type XClient, type XFailure } from '../x/types';
import { addPost, countToday, emptyDailyCount, localDayKey, nextLocalMidnight, nextPostAllowedAt, type DailyCount } from './pacing';
import { backoffCeilingMs } from './retry-policy';
import { cancelCommand, recoverInDoubt, retryCommand, settleAttempt, startAttempt, type AttemptOutcome, type QueueEffect } from './transitions';
import type { QueueEvents, TaskQueue, TaskRepo } from './types';

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
}

/** X's reset time is in whole seconds; resuming a little after it avoids one more 429. */
export const RATE_LIMIT_RESUME_MARGIN_MS = 500;
/** When the loop itself fails (the store throws on read), it tries again after this long. */
const LOOP_ERROR_RETRY_MS = 5_000;

const STORAGE_FAILURE_MESSAGE = 'Crier could not save this task before posting it, so it was not sent. It will try again.';

export function createTaskQueue(deps: TaskQueueDeps): TaskQueue {
  const { clock, repo, events, log } = deps;
  const random = deps.random ?? Math.random;

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
  /** After the durable write failed, nothing is sent before this time. */
  let storageHoldUntil = 0;
  let storageFailures = 0;
  let lastStartAt: number | null = null;
  let daily: DailyCount = emptyDailyCount(clock.now());
  let disarmWake: (() => void) | null = null;
  let pumpQueued = false;
  let lastQueueJson = '';
  /** The registry of posts in flight: task id → the promise that records its outcome. */
  const inFlight = new Map<string, Promise<void>>();

  const iso = (ms: number): string => new Date(ms).toISOString();
  const errorName = (err: unknown): string => (err instanceof Error ? err.name : typeof err);

  function currentClient(): XClient | null {
    try {
      return deps.settings().dryRun ? null : deps.x();
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
    const wakes: number[] = [];
    // Wakes at midnight too, so postedToday drops to 0 in the views on time.
    if (daily.live + daily.dry > 0 && daily.day === localDayKey(now)) wakes.push(nextLocalMidnight(now));

    if (pauseReason !== null) {
      const until = autoResumeAt();
      if (until === null || now < until) {
        if (until !== null) wakes.push(until);
        armEarliest(wakes);
        return;
      }
      log.info('queue: resuming on its own', { reason: pauseReason });
      clearPause();
    }

    const pending = repo.all().filter((t) => t.status === 'pending');
    if (pending.length === 0) { armEarliest(wakes); return; }

    const client = currentClient();
    const settings = deps.settings();
    const allowedAt = Math.max(
      storageHoldUntil,
      nextPostAllowedAt({ now, lastStartAt, postedToday: countToday(daily, now, client === null), settings }),
    );
    const dueOf = (t: Task): number => {
      const at = t.nextAttemptAt === null ? NaN : Date.parse(t.nextAttemptAt);
      return Number.isNaN(at) ? now : at;
    };
    const earliestDue = Math.min(...pending.map(dueOf));
    const at = Math.max(allowedAt, earliestDue);
    if (at > now) {
      wakes.push(at);
      armEarliest(wakes);
      return;
    }
    // Oldest first among those due; a task backing off does not hold up the ones behind it.
    const next = pending
      .filter((t) => dueOf(t) <= now)
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1))[0]!;
    launch(next, client, now);
  }

  function armEarliest(wakes: number[]): void {
    if (wakes.length > 0) arm(Math.min(...wakes));
  }

  function launch(task: Task, client: XClient | null, now: number): void {
    const running = startAttempt(task, now, client === null);
    try {
      // Written through before the request leaves: after a crash this task is known to be in doubt.
      repo.put(running, { durable: true });
    } catch (err) {
      storageFailures += 1;
      const wait = backoffCeilingMs(storageFailures, deps.settings());
      storageHoldUntil = now + wait;
      log.error('queue: could not store the task as running, so it was not posted', { taskId: task.id, error: errorName(err), retryInMs: wait });
      const back: Task = { ...task, error: { kind: 'unknown', message: STORAGE_FAILURE_MESSAGE }, updatedAt: iso(now) };
      putQuietly(back, false);
      notifyTask(back);
      arm(storageHoldUntil);
      return;
    }
    storageFailures = 0;
    storageHoldUntil = 0;
    lastStartAt = now;
    notifyTask(running);

    const work = attempt(running, client)
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

  async function attempt(running: Task, client: XClient | null): Promise<AttemptOutcome> {
    if (client === null) return { ok: true, dryRun: true };
    try {
      const result = await client.post({ text: running.text, imageUrl: running.imageUrl });
      return { ok: true, result };
    } catch (err) {
      return { ok: false, failure: toFailure(err, running.id) };
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
    const { task, effect, posted } = settleAttempt(running, outcome, { now, settings, random });
    // Durable too: a lost completion would make the task look in doubt after a crash.
    putQuietly(task, true);
    notifyTask(task);
    if (posted) daily = addPost(daily, now, task.dryRun);
    if (outcome.ok) offlineFailures = 0;
    applyEffect(effect, now, settings);
    if (!outcome.ok && outcome.failure.kind !== 'offline') offlineFailures = 0;
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
    log.warn('queue: paused', { reason: effect.pause, resumesAt: resumesAt === null ? null : iso(resumesAt) });
  }

  function mustGet(id: string): Task {
    const task = repo.get(id);
    if (!task) throw new CommandError('not-found', 'There is no task with this id.');
    return task;
  }

  function countPostedOnStart(now: number): DailyCount {
    let count = emptyDailyCount(now);
    for (const t of repo.all()) {
      if (t.status === 'completed' && localDayKey(Date.parse(t.updatedAt)) === count.day) count = addPost(count, now, t.dryRun);
    }
    return count;
  }

  function state(): QueueState {
    const counts = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<TaskStatus, number>;
    for (const t of repo.all()) counts[t.status] += 1;
    const now = clock.now();
    return {
      paused: pauseReason !== null,
      pauseReason,
      resumesAt: pauseReason === 'rate-limited' && resumesAt !== null ? iso(resumesAt) : null,
      postedToday: countToday(daily, now, currentClient() === null),
      dailyCap: deps.settings().dailyCap,
      counts,
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
      const lastTouched = Math.max(-Infinity, ...all.filter((t) => t.attempts > 0).map((t) => Date.parse(t.updatedAt)).filter((n) => !Number.isNaN(n)));
      lastStartAt = Number.isFinite(lastTouched) ? Math.min(lastTouched, now) : null;
      for (const t of all) {
        if (t.status !== 'running') continue;
        const recovered = recoverInDoubt(t, now, settings);
        log.warn('queue: task was running at startup; it is in doubt', { taskId: t.id, status: recovered.status });
        putQuietly(recovered, false);
        notifyTask(recovered);
      }
      daily = countPostedOnStart(now);
      schedulePump();
    },

    async stop(timeoutMs) {
      stopped = true;
      disarm();
      const work = [...inFlight.values()];
      if (work.length === 0) return;
      await new Promise<void>((resolve) => {
        const cancel = clock.setTimeout(() => {
          log.warn('queue: stopped while a post was still in flight', { taskIds: [...inFlight.keys()] });
          resolve();
        }, timeoutMs);
        void Promise.allSettled(work).then(() => { cancel(); resolve(); });
      });
    },

    enqueue(task) {
      if (task.status !== 'pending') throw new CommandError('validation', 'A new task must be pending.', 'status');
      if (repo.get(task.id)) throw new CommandError('conflict', 'A task with this id already exists.');
      repo.put(task);
      notifyTask(task);
      schedulePump();
      return task;
    },

    retry(id) {
      const task = retryCommand(mustGet(id), clock.now());
      repo.put(task);
      notifyTask(task);
      schedulePump();
      return task;
    },

    cancel(id) {
      const task = cancelCommand(mustGet(id), clock.now());
      repo.put(task);
      notifyTask(task);
      schedulePump();
      return task;
    },

    retryAllFailed() {
      const now = clock.now();
      let n = 0;
      for (const t of repo.all()) {
        if (t.status !== 'failed') continue;
        const task = retryCommand(t, now);
        repo.put(task);
        notifyTask(task);
        n += 1;
      }
      schedulePump();
      return n;
    },

    pause() {
      pauseReason = 'user';
      resumesAt = null;
      offlineProbeAt = null;
      log.info('queue: paused by the user');
      schedulePump();
    },

    resume() {
      clearPause();
      offlineFailures = 0;
      schedulePump();
    },

    setOffline(offline) {
      shellOffline = offline;
      if (offline && pauseReason === null) {
        pauseReason = 'offline';
        log.info('queue: paused, offline');
      } else if (!offline && pauseReason === 'offline') {
        clearPause();
        offlineFailures = 0;
        log.info('queue: back online');
      }
      schedulePump();
    },

    settingsChanged() {
      schedulePump();
    },

    remove(ids) {
      const removable = ids.filter((id) => {
        const t = repo.get(id);
        return t !== undefined && t.status !== 'running' && !inFlight.has(id);
      });
      if (removable.length > 0) repo.remove(removable);
      schedulePump();
      return removable;
    },

    state,
    inFlight: () => [...inFlight.keys()],
  };
}
