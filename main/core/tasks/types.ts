import type { QueueState, Task } from '../../../preload/contract';

/** Where the queue keeps tasks. `durable` writes are on disk before put returns. */
export interface TaskRepo {
  get(id: string): Task | undefined;
  all(): Task[];
  put(task: Task, options?: { durable?: boolean }): void;
  remove(ids: string[]): void;
}

export interface QueueEvents {
  taskChanged(task: Task): void;
  queueChanged(state: QueueState): void;
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
  /** Stores a new pending task (text already composed and frozen) and schedules it. */
  enqueue(task: Task): Task;
  retry(id: string): Task;
  cancel(id: string): Task;
  /** Failed → pending, all of them; returns how many. */
  retryAllFailed(): number;
  pause(): void;
  /** Clears any pause, whatever its reason. */
  resume(): void;
  /** The shell's view of the network; going online ends an 'offline' pause. */
  setOffline(offline: boolean): void;
  /** Settings changed: pacing and the cap are re-evaluated at once. */
  settingsChanged(): void;
  /** Deletes tasks (history clearing); never the one in flight. Returns the ids removed. */
  remove(ids: string[]): string[];
  state(): QueueState;
  /** Ids of tasks with a post in flight (at most one). */
  inFlight(): string[];
}
