// What the queue remembers across a restart beyond its tasks: the pause (the user's and X's)
// and the per-day post ledger that the daily cap reads. A "restart" is a second harness given
// the first one's tasks and memory.
import { describe, expect, it } from 'vitest';
import type { Task } from '../../../preload/contract';
import { silentLogger } from '../../../main/core/ports';
import { createTaskQueue } from '../../../main/core/tasks/queue';
import { memoryQueueMemory, type QueueMemory, type TaskRepo } from '../../../main/core/tasks/types';
import { createFakeClock } from '../../support/fake-clock';
import { createHarness, MINUTE, SECOND, type Harness, type HarnessOptions } from './queue-harness';
import { makeTask, testSettings } from './task-fixtures';

function restart(before: Harness, memory: QueueMemory, options: HarnessOptions = {}): Harness {
  const h = createHarness({ tasks: before.repo.all(), memory, start: before.clock.now(), settings: before.settings, ...options });
  h.queue.start();
  return h;
}

const pendingTasks = (n: number, prefix = 't'): Task[] =>
  Array.from({ length: n }, (_, i) => makeTask({ id: `${prefix}${i}`, createdAt: new Date(Date.UTC(2026, 0, 15, 11, 0, i)).toISOString() }));

describe('the pause across a restart', () => {
  it('keeps the user\'s pause: a paused queue comes back paused and posts nothing', async () => {
    const memory = memoryQueueMemory();
    const h = createHarness({ memory, tasks: pendingTasks(2) });
    h.queue.pause();
    h.queue.start();
    await h.clock.settle();
    expect(h.x.calls).toHaveLength(0);

    const after = restart(h, memory);
    await after.clock.tick(10 * MINUTE);
    expect(after.queue.state()).toMatchObject({ paused: true, pauseReason: 'user' });
    expect(after.x.calls).toHaveLength(0);
  });

  it('saves the pause before pause() returns', () => {
    const saved: unknown[] = [];
    const memory: QueueMemory = { ...memoryQueueMemory(), savePause: (p) => void saved.push(p) };
    const h = createHarness({ memory });
    h.queue.pause();
    expect(saved).toEqual([{ reason: 'user', resumesAt: null, credentials: null }]);
  });

  it('refuses to acknowledge a pause it could not save, and stays paused', () => {
    const memory: QueueMemory = { ...memoryQueueMemory(), savePause: () => { throw new Error('disk full'); } };
    const h = createHarness({ memory });
    expect(() => h.queue.pause()).toThrow(/could not save the pause/);
    expect(h.queue.state().paused).toBe(true);
  });

  it('keeps a rate-limit pause with its reset time, and resumes after it', async () => {
    const memory = memoryQueueMemory();
    const h = createHarness({ memory, tasks: pendingTasks(2), settings: { minPostGapSeconds: 0 } });
    const resetAt = h.clock.now() + 10 * MINUTE;
    h.x.reply({ fail: { kind: 'rate-limited', message: 'Too many requests', httpStatus: 429, resetAt } });
    h.queue.start();
    await h.clock.settle();
    expect(h.queue.state().pauseReason).toBe('rate-limited');

    const after = restart(h, memory);
    await after.clock.tick(5 * MINUTE);
    expect(after.queue.state()).toMatchObject({ pauseReason: 'rate-limited', resumesAt: new Date(resetAt).toISOString() });
    expect(after.x.calls).toHaveLength(0);
    await after.clock.tick(6 * MINUTE);
    expect(after.x.calls.length).toBeGreaterThan(0);
    expect(after.queue.state().paused).toBe(false);
  });

  it('keeps a credits-depleted pause until the user resumes', async () => {
    const memory = memoryQueueMemory();
    const h = createHarness({ memory, tasks: pendingTasks(1) });
    h.x.reply({ fail: { kind: 'credits-depleted', message: 'No credits', httpStatus: 402 } });
    h.queue.start();
    await h.clock.settle();
    const after = restart(h, memory);
    await after.clock.tick(60 * MINUTE);
    expect(after.queue.state().pauseReason).toBe('credits-depleted');
    expect(after.x.calls).toHaveLength(0);
    after.queue.resume();
    await after.clock.settle();
    expect(after.x.calls).toHaveLength(1);
  });

  it('keeps an auth pause while the credentials are the same, and drops it when they changed', async () => {
    const memory = memoryQueueMemory();
    const h = createHarness({ memory, tasks: pendingTasks(1), credentials: () => 'key-1' });
    h.x.reply({ fail: { kind: 'auth', message: 'Unauthorized', httpStatus: 401 } });
    h.queue.start();
    await h.clock.settle();
    expect(memory.loadPause()).toEqual({ reason: 'auth', resumesAt: null, credentials: 'key-1' });

    const same = restart(h, memory, { credentials: () => 'key-1' });
    await same.clock.settle();
    expect(same.queue.state().pauseReason).toBe('auth');
    expect(same.x.calls).toHaveLength(0);

    const changed = restart(h, memory, { credentials: () => 'key-2' });
    await changed.clock.settle();
    expect(changed.queue.state().paused).toBe(false);
    expect(changed.x.calls).toHaveLength(1);
    expect(memory.loadPause()).toBeNull();
  });

  it('does not save an offline pause', async () => {
    const memory = memoryQueueMemory();
    const h = createHarness({ memory });
    h.queue.start();
    h.queue.setOffline(true);
    expect(h.queue.state().pauseReason).toBe('offline');
    expect(memory.loadPause()).toBeNull();
  });

  it('forgets the pause once resumed', () => {
    const memory = memoryQueueMemory();
    const h = createHarness({ memory });
    h.queue.pause();
    h.queue.resume();
    expect(memory.loadPause()).toBeNull();
  });
});

describe('user commands are durable before they return', () => {
  it('writes a cancel through, not coalesced', () => {
    const h = createHarness({ tasks: pendingTasks(1) });
    h.queue.cancel('t0');
    expect(h.repo.lastWrite('t0')).toMatchObject({ durable: true, task: { status: 'cancelled' } });
  });

  it('cancels several tasks with the last write durable, so all are on disk together', () => {
    const h = createHarness({ tasks: pendingTasks(3) });
    const cancelled = h.queue.cancelMany(['t0', 't1', 't2']);
    expect(cancelled.map((t) => t.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(h.repo.writes.map((w) => w.durable)).toEqual([false, false, true]);
  });

  it('cancels none when one of them cannot be cancelled', () => {
    const h = createHarness({ tasks: [...pendingTasks(1), makeTask({ id: 'done', status: 'completed' })] });
    expect(() => h.queue.cancelMany(['t0', 'done'])).toThrow(/cannot be cancelled/);
    expect(h.task('t0').status).toBe('pending');
  });

  it('writes a retry through', () => {
    const h = createHarness({ tasks: [makeTask({ id: 'f', status: 'failed' })] });
    h.queue.retry('f');
    expect(h.repo.lastWrite('f')?.durable).toBe(true);
  });
});

describe('the daily cap reads the post ledger', () => {
  it('does not post past the cap after the history was cleared and Crier restarted', async () => {
    const memory = memoryQueueMemory();
    const h = createHarness({ memory, tasks: pendingTasks(5), settings: { dailyCap: 3, minPostGapSeconds: 0 } });
    h.queue.start();
    await h.clock.settle();
    expect(h.x.calls).toHaveLength(3);
    // Clear history: the completed tasks are gone from the store.
    h.queue.remove(h.repo.all().filter((t) => t.status === 'completed').map((t) => t.id));

    const after = restart(h, memory);
    await after.clock.tick(SECOND);
    expect(after.queue.state().postedToday).toBe(3);
    expect(after.x.calls).toHaveLength(0);
  });

  it('counts the day\'s posts from completed tasks when a data dir has no ledger yet', () => {
    const done = (id: string): Task => makeTask({ id, status: 'completed', updatedAt: '2026-01-15T11:30:00.000Z' });
    const memory = memoryQueueMemory();
    const h = createHarness({ memory, tasks: [done('a'), done('b')] });
    h.queue.start();
    expect(h.queue.state().postedToday).toBe(2);
    expect(memory.loadLedger()?.['2026-01-15']?.default).toMatchObject({ live: 2, withLink: 2 });
  });
});

describe('a backlog of any size', () => {
  it('posts the oldest due of 200,000 pending tasks and plans the next post', async () => {
    const tasks = new Map<string, Task>();
    for (let i = 0; i < 200_000; i += 1) {
      const task = makeTask({
        id: `b${i}`,
        createdAt: new Date(Date.UTC(2026, 0, 15, 11, 0, 0) - (i % 1000) * 1000).toISOString(),
        nextAttemptAt: i % 3 === 0 ? '2026-01-15T13:00:00.000Z' : null,
      });
      tasks.set(task.id, task);
    }
    // A repo without the memory repo's defensive copies: 200,000 clones per pass would test the fixture, not the queue.
    const repo: TaskRepo = {
      get: (id) => tasks.get(id),
      all: () => [...tasks.values()],
      put: (task) => void tasks.set(task.id, task),
      remove: (ids) => ids.forEach((id) => tasks.delete(id)),
    };
    const clock = createFakeClock();
    const posted: string[] = [];
    const queue = createTaskQueue({
      clock, repo, log: silentLogger, settings: () => testSettings({ minPostGapSeconds: 60 }), random: () => 1,
      events: { taskChanged: () => {}, queueChanged: () => {} },
      x: () => ({ post: async (r) => { posted.push(r.text); return { postId: '1', postUrl: 'https://x.com/i/status/1', note: null }; }, me: async () => ({ handle: 'h' }) }),
    });
    queue.start();
    await clock.settle();
    // Oldest createdAt is 999 s before 11:00; ids break the tie; b999 itself waits for its retry time.
    const oldestDue = [...tasks.values()].filter((t) => t.createdAt === '2026-01-15T10:43:21.000Z' && t.id !== 'b999').map((t) => t.id).sort()[0]!;
    expect(posted).toEqual([`Post ${oldestDue} https://example.com/${oldestDue}`]);
    expect(clock.nextTimerAt()).toBe(clock.now() + 60 * SECOND);
    expect(queue.state().counts.pending).toBe(199_999);
  }, 30_000);
});
