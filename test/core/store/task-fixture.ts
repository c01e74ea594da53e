import type { Task, TaskStatus } from '../../../preload/contract';

/** A task numbered n; also bundled into the crash driver, so it imports nothing from vitest. */
export function makeTask(n: number, status: TaskStatus = 'pending', fields: Partial<Task> = {}): Task {
  const at = new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString();
  return {
    id: `task-${n}`, feedId: 'feed-1', itemId: `item-${n}`, itemTitle: `Item ${n}`,
    itemLink: `https://example.com/${n}`, text: `Item ${n} https://example.com/${n}`, imageUrl: null, status,
    attempts: 0, nextAttemptAt: null, error: null, postId: null, postUrl: null, dryRun: false, note: null,
    createdAt: at, updatedAt: at, ...fields,
  };
}
