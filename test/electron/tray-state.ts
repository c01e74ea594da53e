// State snapshots and tasks for the tray, notification and menu specs.
import type { QueueState, StateSnapshot, Task } from '../../preload/contract';
import { DEFAULT_SETTINGS } from '../../main/core/defaults';

export function queueState(fields: Partial<Omit<QueueState, 'counts'>> & { counts?: Partial<QueueState['counts']> } = {}): QueueState {
  const { counts, ...rest } = fields;
  return {
    paused: false, pauseReason: null, resumesAt: null, postedToday: 0, dailyCap: 50,
    ...rest,
    counts: { pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0, ...counts },
  };
}

export function snapshot(fields: Partial<StateSnapshot> = {}): StateSnapshot {
  return {
    epoch: 'epoch-1', seq: 0, tasks: [], feeds: [],
    settings: { ...DEFAULT_SETTINGS },
    queue: queueState(),
    account: { connected: true, handle: 'crier', method: 'oauth1', dryRun: false, secretsProtected: true },
    notices: [],
    ...fields,
  };
}

let nextId = 1;
export function task(fields: Partial<Task> = {}): Task {
  const id = `task-${nextId++}`;
  return {
    id, feedId: 'feed-1', itemId: `item-${id}`, itemTitle: 'Release 2.0 is out', itemLink: 'https://example.com/2.0',
    text: 'Release 2.0 is out https://example.com/2.0', imageUrl: null, status: 'pending', attempts: 0, nextAttemptAt: null,
    error: null, postId: null, postUrl: null, dryRun: false, note: null,
    createdAt: '2026-01-15T12:00:00.000Z', updatedAt: '2026-01-15T12:00:00.000Z',
    ...fields,
  };
}
