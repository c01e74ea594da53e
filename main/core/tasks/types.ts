import type { PauseReason, QueueState, Task } from '../../../preload/contract';
import type { PostLedger } from './post-ledger';
import type { PostedTexts } from './posted-texts';

/**
 * Where the queue keeps tasks. `durable` writes are on disk before put returns, together with
 * every write made before them.
 */
export interface TaskRepo {
  get(id: string): Task | undefined;
  all(): Task[];
  put(task: Task, options?: { durable?: boolean }): void;
  remove(ids: string[]): void;
}

export interface QueueEvents {
  taskChanged(task: Task): void;
  queueChanged(state: QueueState): void;
  /**
   * X refused a post for a limit of the developer app (XFailure.appWide: a 402, the app's 24-hour
   * limit): this queue paused, and every other account of the same app should wait too (holdForApp).
   */
  appWidePause?(reason: 'rate-limited' | 'credits-depleted' | 'auth', resumesAt: number | null): void;
}

/**
 * The posting queue: one post at a time, in the background. Commands return at once and throw
 * CommandError ('not-found' | 'conflict') for unknown ids or actions a status does not allow.
 */
export interface TaskQueue {
  /** Recovers tasks left `running` (in doubt → pending), then starts posting. */
  start(): void;
  /** Stops starting posts; waits up to timeoutMs (injected clock) for the post in flight. */
  stop(timeoutMs: number): Promise<void>;
  /** Stores a new pending task, or one in review (never posted until approved); text already composed and frozen. */
  enqueue(task: Task): Task;
  retry(id: string): Task;
  /** Cancels; the task as it was is kept for undoCancel (undo-cancel.ts). */
  cancel(id: string): Task;
  /**
   * A pending task goes before every other and starts at once, not waiting for the gap (after the
   * post in flight, if any). 'conflict' while paused or past the day's cap. On disk before it returns.
   */
  postNow(id: string): Task;
  /** Restores a task cancelled in the last UNDO_CANCEL_MS exactly as it was; 'conflict' if too late or changed. */
  undoCancel(id: string): Task;
  /** Retries those of `ids` that allow it, the others (and unknown ids) left alone; one durable write. Returns how many. */
  retryMany(ids: string[]): number;
  /** Cancels those of `ids` that allow it (each undoable), the others left alone; one durable write. Returns how many. */
  cancelAllowed(ids: string[]): number;
  /**
   * Approves those of `ids` in review, in the order given: each becomes pending with its own
   * `queuedAt`, after every task already pending. One durable write. Returns how many.
   */
  approveMany(ids: string[]): number;
  /** Skips those of `ids` in review (cancelled, `skipped`, each undoable like a cancel); one durable write. Returns how many. */
  skipMany(ids: string[]): number;
  /** Records that a completed task's post was deleted from X (delete-post.ts); on disk before it returns. */
  recordDeletion(id: string, alreadyGone: boolean): Task;
  /** Deletes those of `ids` that are completed, cancelled or failed; never the post ledger. Returns the ids removed. */
  removeFinished(ids: string[]): string[];
  /** A user's edit of a pending or failed task's text (edit.ts); on disk before it returns. */
  edit(id: string, text: string, expectedUpdatedAt: string, options?: { inDoubtCleared?: boolean }): Task;
  /**
   * For a pending or failed task in doubt: looks on the timeline for its earlier attempt.
   * 'found' completes the task with that post; 'absent' means it is not there; 'unknown' that
   * Crier could not look (no account or findPost, the check is off, X failed, a post in flight).
   */
  lookForPostInDoubt(id: string): Promise<'found' | 'absent' | 'unknown'>;
  /** Cancels each (all must allow it, or none is cancelled); on disk before it returns. */
  cancelMany(ids: string[]): Task[];
  /** Failed → pending, all of them; returns how many. */
  retryAllFailed(): number;
  pause(): void;
  /** Clears any pause, whatever its reason. */
  resume(): void;
  /** The shell's view of the network (the OS's signal); going online ends an 'offline' pause. */
  setOffline(offline: boolean): void;
  /**
   * Some other sign the network is back (a feed answered): during an offline pause X caused,
   * the next probe of X is brought forward to now — once per pause. It never ends a pause the
   * shell reported, nor resets the growing wait between probes.
   */
  probe(): void;
  /** The machine woke: pauses past their time end and the next post is planned from the wall clock. */
  wake(): void;
  /** Settings changed: pacing and the cap are re-evaluated at once. */
  settingsChanged(): void;
  /**
   * Another account of the same developer app hit the app's limit (a 402, the app's 24-hour
   * limit): this one waits too, as if X had said so to it (saved; the user's own pause wins).
   */
  holdForApp(reason: 'rate-limited' | 'credits-depleted' | 'auth', resumesAt: number | null): void;
  /** Deletes tasks (history clearing); never the one in flight. Returns the ids removed. */
  remove(ids: string[]): string[];
  state(): QueueState;
  /** Ids of tasks with a post in flight (at most one). */
  inFlight(): string[];
}

/** A pause the user decided, or X caused, that must outlive a restart (offline never is). */
export interface SavedPause {
  reason: Exclude<PauseReason, 'offline'>;
  /** ISO; for 'rate-limited', when X said the limit resets. */
  resumesAt: string | null;
  /** For 'auth': which credentials X refused, so new ones end the pause at the next start. */
  credentials: string | null;
}

/** What the queue remembers beyond tasks: its pause, the per-day post ledger and the texts it posted. */
export interface QueueMemory {
  loadPause(): SavedPause | null;
  /** On disk before it returns: the user's pause is never acknowledged and then forgotten. */
  savePause(pause: SavedPause | null): void;
  /** undefined: never written (a data dir from before the ledger existed). */
  loadLedger(): PostLedger | undefined;
  /** Goes to disk with the next durable write (the outcome of the post it counts). */
  saveLedger(ledger: PostLedger): void;
  /** undefined: never written (a data dir from before the record existed). */
  loadTexts(): PostedTexts | undefined;
  /** Goes to disk with the next durable write (the outcome it records). */
  saveTexts(texts: PostedTexts): void;
}

/** For tests and callers without a store: remembers in memory only. */
export function memoryQueueMemory(initial: { pause?: SavedPause | null; ledger?: PostLedger; texts?: PostedTexts } = {}): QueueMemory {
  let pause = initial.pause ?? null;
  let ledger = initial.ledger;
  let texts = initial.texts;
  return {
    loadPause: () => pause,
    savePause(next) { pause = next; },
    loadLedger: () => ledger,
    saveLedger(next) { ledger = next; },
    loadTexts: () => texts,
    saveTexts(next) { texts = next; },
  };
}
