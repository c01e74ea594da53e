// Turns the engine's many small changes into StateDeltas: changes made in one tick are merged
// into one delta, each delta gets seq + 1, and a new epoch marks every start.
import { randomUUID } from 'node:crypto';
import type { AccountState, Feed, Notice, QueueState, Settings, StateDelta, Task } from '../../../preload/contract';

export interface DeltaStream {
  readonly epoch: string;
  /** The seq of the last delta sent (a snapshot taken now carries it). */
  readonly seq: number;
  task(task: Task): void;
  removeTasks(ids: string[]): void;
  feed(feed: Feed): void;
  removeFeed(id: string): void;
  settings(settings: Settings): void;
  queue(queue: QueueState): void;
  account(account: AccountState): void;
  /** One account's queue; merged with the others that changed in the same tick. */
  accountQueue(accountId: string, queue: QueueState): void;
  accounts(accounts: AccountState[]): void;
  notices(notices: Notice[]): void;
  subscribe(listener: (delta: StateDelta) => void): () => void;
  /** Sends what is pending now instead of at the end of the tick. */
  flush(): void;
}

export function createDeltaStream(options: { onListenerError?: (err: unknown) => void } = {}): DeltaStream {
  const epoch = randomUUID();
  let seq = 0;
  const listeners = new Set<(delta: StateDelta) => void>();
  let tasks = new Map<string, Task>();
  let removedTasks = new Set<string>();
  let feeds = new Map<string, Feed>();
  let removedFeeds = new Set<string>();
  let rest: Pick<StateDelta, 'settings' | 'queue' | 'account' | 'accounts' | 'notices'> = {};
  let queues: Record<string, QueueState> | null = null;
  let scheduled = false;

  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(flush);
  };

  function flush(): void {
    scheduled = false;
    if (tasks.size === 0 && removedTasks.size === 0 && feeds.size === 0 && removedFeeds.size === 0 && Object.keys(rest).length === 0 && queues === null) return;
    seq += 1;
    const delta: StateDelta = { epoch, seq, ...rest };
    if (queues !== null) delta.queues = queues;
    queues = null;
    if (tasks.size) delta.tasks = [...tasks.values()];
    if (removedTasks.size) delta.removedTaskIds = [...removedTasks];
    if (feeds.size) delta.feeds = [...feeds.values()];
    if (removedFeeds.size) delta.removedFeedIds = [...removedFeeds];
    tasks = new Map();
    removedTasks = new Set();
    feeds = new Map();
    removedFeeds = new Set();
    rest = {};
    for (const listener of [...listeners]) {
      try {
        listener(delta);
      } catch (err) {
        options.onListenerError?.(err);
      }
    }
  }

  return {
    epoch,
    get seq() {
      return seq;
    },
    task(task) {
      removedTasks.delete(task.id);
      tasks.set(task.id, task);
      schedule();
    },
    removeTasks(ids) {
      for (const id of ids) {
        tasks.delete(id);
        removedTasks.add(id);
      }
      if (ids.length) schedule();
    },
    feed(feed) {
      removedFeeds.delete(feed.id);
      feeds.set(feed.id, feed);
      schedule();
    },
    removeFeed(id) {
      feeds.delete(id);
      removedFeeds.add(id);
      schedule();
    },
    settings(settings) {
      rest.settings = settings;
      schedule();
    },
    queue(queue) {
      rest.queue = queue;
      schedule();
    },
    account(account) {
      rest.account = account;
      schedule();
    },
    accountQueue(accountId, queue) {
      queues = { ...queues, [accountId]: queue };
      schedule();
    },
    accounts(accounts) {
      rest.accounts = accounts;
      schedule();
    },
    notices(notices) {
      rest.notices = notices;
      schedule();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    flush,
  };
}
