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
