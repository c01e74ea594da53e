// The queue with the real X client against the HTTPS fake X API, on the injected clock (the fake
// stamps posts with it too): X's answers as they arrive on the wire, end to end.
import { Agent } from 'node:https';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Task } from '../../../preload/contract';
import { silentLogger } from '../../../main/core/ports';
import { createTaskQueue } from '../../../main/core/tasks/queue';
import { FOUND_NOTE } from '../../../main/core/tasks/transitions';
import type { TaskQueue } from '../../../main/core/tasks/types';
import { createXClient } from '../../../main/core/x/client';
import { createFakeClock, type FakeClock } from '../../support/fake-clock';
import { startFakeXApi, type FakeXApi } from '../../support/fake-x-api';
import { createMemoryTaskRepo, type MemoryTaskRepo } from '../../support/memory-task-repo';
import { MINUTE, SECOND } from './queue-harness';
import { makeTask, testSettings } from './task-fixtures';

let clock: FakeClock;
let fake: FakeXApi;
let agent: Agent;
let repo: MemoryTaskRepo;
let queue: TaskQueue;

beforeAll(async () => {
  fake = await startFakeXApi({ now: () => clock.now() });
  agent = new Agent({ ca: fake.caPem });
});
afterAll(async () => {
  agent.destroy();
  await fake.close();
});

beforeEach(() => {
  clock = createFakeClock();
  repo = createMemoryTaskRepo();
  const x = createXClient({ credentials: fake.credentials, apiBase: fake.url, log: silentLogger, httpsAgent: agent, timeoutMs: 5_000 });
  queue = createTaskQueue({
    clock, repo, log: silentLogger, random: () => 1,
    events: { taskChanged: () => {}, queueChanged: () => {} },
    settings: () => testSettings({ minPostGapSeconds: 0 }),
    x: () => x,
  });
  queue.start();
});
afterEach(async () => {
  await queue.stop(0);
  fake.reset();
});

const task = (id: string): Task => {
  const t = repo.get(id);
  if (!t) throw new Error(`no task ${id}`);
  return t;
};

/** Lets real requests finish while the fake clock stands still. */
async function until(check: () => void): Promise<void> {
  await vi.waitFor(async () => {
    await clock.settle();
    check();
  }, { timeout: 10_000, interval: 20 });
}

describe('the queue and X on the wire', () => {
  it('finds the post whose answer was lost on the timeline and completes with its id, posting once', async () => {
    fake.inject({ type: 'drop-after-record' }, { path: '/2/tweets' });
    queue.enqueue(makeTask({ id: 'a', text: 'Release 2.0 & notes https://example.com/releases/2.0' }));
    await until(() => expect(task('a')).toMatchObject({ status: 'pending', inDoubtSince: '2026-01-15T12:00:00.000Z' }));
    await clock.tick(30 * SECOND);
    await until(() => expect(task('a').status).toBe('completed'));
    expect(fake.posts).toHaveLength(1);
    expect(task('a')).toMatchObject({ postId: fake.posts[0]?.id, postUrl: `https://x.com/${fake.handle}/status/${fake.posts[0]?.id}`, note: FOUND_NOTE, inDoubtSince: null });
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /2/tweets', 'GET /2/users/me', `GET /2/users/${fake.userId}/tweets`]);
    expect(fake.postsRead).toBeLessThanOrEqual(5);
  });

  it("fails a 'Weekly digest' X already has from another item, counting no post", async () => {
    fake.addPost('Weekly digest https://example.com/digest', clock.now() - 2 * 24 * 60 * MINUTE);
    queue.enqueue(makeTask({ id: 'b', text: 'Weekly digest https://example.com/digest' }));
    await until(() => expect(task('b').status).toBe('failed'));
    expect(task('b')).toMatchObject({ attempts: 1, postId: null, error: { kind: 'duplicate', httpStatus: 403 } });
    expect(queue.state().postedToday).toBe(0);
  });

  it("keeps a task whose 200 answer carries X's errors pending with X's message, not in doubt", async () => {
    fake.inject({ type: 'ok-with-errors', message: 'Something is wrong with this account.' }, { path: '/2/tweets' });
    queue.enqueue(makeTask({ id: 'c' }));
    await until(() => expect(task('c').attempts).toBe(1));
    await until(() => expect(task('c').status).toBe('pending'));
    expect(task('c').error).toEqual({ kind: 'unknown', message: 'X answered without creating the post: Something is wrong with this account.' });
    expect(task('c').inDoubtSince).toBeUndefined();
    await clock.tick(30 * SECOND);
    await until(() => expect(task('c').status).toBe('completed'));
    expect(fake.requests.filter((r) => r.path.endsWith('/tweets') && r.method === 'GET')).toEqual([]);
  });

  it('waits out a 429 whose reset is past by the floor, not at once', async () => {
    fake.inject({ type: 'rate-limit', resetAt: Math.floor(clock.now() / 1000) - 60 }, { path: '/2/tweets', times: 3 });
    queue.enqueue(makeTask({ id: 'd' }));
    await until(() => expect(queue.state().pauseReason).toBe('rate-limited'));
    expect(queue.state().resumesAt).toBe(new Date(clock.now() + 30 * SECOND).toISOString());
    await clock.tick(30 * SECOND + 500);
    await until(() => expect(fake.requests).toHaveLength(2));
    await until(() => expect(queue.state().resumesAt).toBe(new Date(clock.now() + 60 * SECOND).toISOString()));
  });
});
