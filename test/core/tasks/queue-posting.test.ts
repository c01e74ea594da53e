import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DRY_RUN_NOTE, IN_DOUBT_NOTE } from '../../../main/core/tasks/transitions';
import { createHarness, MINUTE, pinTimeZone, SECOND } from './queue-harness';
import { makeTask } from './task-fixtures';

pinTimeZone('America/New_York');

// Any promise the queue leaves unobserved would land here (and vitest would fail the run too).
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => { unhandled.push(reason); };
beforeEach(() => { unhandled.length = 0; process.on('unhandledRejection', onUnhandled); });
afterEach(() => { process.off('unhandledRejection', onUnhandled); });

describe('posting in the background', () => {
  it('returns from enqueue before anything is posted, then posts and completes the task', async () => {
    const h = createHarness();
    h.queue.start();
    const returned = h.queue.enqueue(makeTask({ id: 'a' }));
    expect(returned.status).toBe('pending');
    expect(h.x.calls).toHaveLength(0);
    await h.clock.settle();
    expect(h.x.calls).toHaveLength(1);
    expect(h.x.calls[0]!.request).toEqual({ text: 'Post a https://example.com/a', imageUrl: null, task: { id: 'a', createdAt: '2026-01-15T11:00:00.000Z', itemTitle: 'Title a', itemLink: 'https://example.com/a' } });
    expect(h.task('a')).toMatchObject({ status: 'completed', attempts: 1, postId: 'p1', postUrl: 'https://x.com/i/status/p1', dryRun: false });
    expect(h.queue.state().postedToday).toBe(1);
  });

  it('stores the task as running, durably, before X is called', async () => {
    const h = createHarness();
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.settle();
    const call = h.x.calls[0]!;
    expect(call.stored).toMatchObject({ id: 'a', status: 'running', attempts: 1 });
    expect(call.durable).toBe(true);
  });

  it('does not post when the durable write fails, and tries again later', async () => {
    const h = createHarness();
    h.repo.failPut = (_task, durable) => durable;
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.settle();
    expect(h.x.calls).toHaveLength(0);
    expect(h.task('a')).toMatchObject({ status: 'pending', attempts: 0 });
    expect(h.task('a').error?.message).toMatch(/not sent/);
    h.repo.failPut = null;
    await h.clock.tick(30 * SECOND); // retryBaseSeconds
    expect(h.x.calls).toHaveLength(1);
    expect(h.task('a').status).toBe('completed');
  });

  it('posts one task at a time, oldest first', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0 } });
    h.x.reply('hang');
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'new', createdAt: '2026-01-15T11:30:00.000Z' }));
    h.queue.enqueue(makeTask({ id: 'old', createdAt: '2026-01-15T11:00:00.000Z' }));
    await h.clock.settle();
    expect(h.x.calls.map((c) => c.request.text)).toEqual(['Post old https://example.com/old']);
    expect(h.queue.inFlight()).toEqual(['old']);
    expect(h.queue.state().counts).toMatchObject({ running: 1, pending: 1 });
    h.x.release();
    await h.clock.settle();
    expect(h.x.calls).toHaveLength(2);
    expect(h.task('new').status).toBe('completed');
  });

  it('reports each task change and the queue state to its listeners', async () => {
    const h = createHarness();
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.settle();
    expect(h.taskEvents.filter((t) => t.id === 'a').map((t) => t.status)).toEqual(['pending', 'running', 'completed']);
    expect(h.queueEvents.at(-1)).toMatchObject({ paused: false, postedToday: 1, dailyCap: 50, counts: { completed: 1, pending: 0, running: 0 } });
  });

  it('survives an X client that throws something other than XError, treating the post as in doubt', async () => {
    const h = createHarness();
    h.x.reply({ throws: new TypeError('Authorization: OAuth oauth_token="secret"') });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.settle();
    expect(h.task('a')).toMatchObject({ status: 'pending', attempts: 1, note: IN_DOUBT_NOTE });
    expect(JSON.stringify(h.logs)).not.toContain('secret');
    // Backoff says 30 s, but the 60 s gap between post starts applies to retries too.
    await h.clock.tick(59 * SECOND);
    expect(h.x.calls).toHaveLength(1);
    await h.clock.tick(1 * SECOND);
    expect(h.task('a').status).toBe('completed');
    expect(unhandled).toEqual([]);
  });

  it('keeps going when a listener throws', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0 } });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    h.queue.enqueue(makeTask({ id: 'b', createdAt: '2026-01-15T11:01:00.000Z' }));
    h.taskEvents.push = () => { throw new Error('listener broke'); };
    await h.clock.settle();
    expect(h.x.calls).toHaveLength(2);
    expect(h.task('b').status).toBe('completed');
    expect(unhandled).toEqual([]);
  });

  it('keeps a task running while its outcome cannot be stored, and starts no other post until it is', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0, retryBaseSeconds: 30 } });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    h.queue.enqueue(makeTask({ id: 'b', createdAt: '2026-01-15T11:01:00.000Z' }));
    let failures = 2;
    h.repo.failPut = (task, durable) => task.id === 'a' && task.status === 'completed' && durable && failures-- > 0;
    await h.clock.settle();
    expect(h.x.calls).toHaveLength(1);
    // In doubt, not completed: neither the repo nor the views were told otherwise.
    expect(h.task('a').status).toBe('running');
    expect(h.taskEvents.filter((t) => t.id === 'a').map((t) => t.status)).toEqual(['pending', 'running']);
    // The post went out, so the day's count has it already.
    expect(h.queue.state().postedToday).toBe(1);
    expect(h.logs.some((l) => l.level === 'error' && /outcome/.test(l.msg))).toBe(true);

    await h.clock.tick(30 * SECOND); // storage backoff, first failure: the write fails again
    expect(h.task('a').status).toBe('running');
    expect(h.x.calls).toHaveLength(1);
    await h.clock.tick(60 * SECOND); // second failure doubles the wait: now it lands
    expect(h.task('a').status).toBe('completed');
    expect(h.taskEvents.filter((t) => t.id === 'a').at(-1)?.status).toBe('completed');
    await h.clock.settle();
    expect(h.x.calls).toHaveLength(2);
    expect(h.task('b').status).toBe('completed');
    expect(h.queue.state().postedToday).toBe(2);
    expect(unhandled).toEqual([]);
  });
});

describe('dry run', () => {
  it('completes tasks without calling X when no account is connected', async () => {
    const h = createHarness({ connected: false });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.settle();
    expect(h.x.calls).toHaveLength(0);
    expect(h.task('a')).toMatchObject({ status: 'completed', dryRun: true, postId: null, postUrl: null, note: DRY_RUN_NOTE, attempts: 1 });
  });

  it('runs dry when the setting says so, even with an account', async () => {
    const h = createHarness({ settings: { dryRun: true } });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.settle();
    expect(h.x.calls).toHaveLength(0);
    expect(h.task('a').dryRun).toBe(true);
  });

  it('paces dry runs with the same gap as real posts', async () => {
    const h = createHarness({ connected: false });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    h.queue.enqueue(makeTask({ id: 'b', createdAt: '2026-01-15T11:01:00.000Z' }));
    await h.clock.settle();
    expect(h.task('b').status).toBe('pending');
    await h.clock.tick(MINUTE);
    expect(h.task('b')).toMatchObject({ status: 'completed', dryRun: true });
  });
});

describe('crash recovery', () => {
  it('retries a task left running at startup as in doubt, with the same text', async () => {
    const h = createHarness({ tasks: [makeTask({ id: 'a', status: 'running', attempts: 1, updatedAt: '2026-01-15T11:58:00.000Z' })] });
    h.x.reply({ fail: { kind: 'duplicate', message: 'You are not allowed to create a Tweet with duplicate content.', httpStatus: 403 } });
    h.queue.start();
    expect(h.task('a')).toMatchObject({ status: 'pending', attempts: 1, error: { kind: 'in-doubt' } });
    // The gap counts from the last attempt we know of: 11:58 + 60 s is already past at 12:00.
    await h.clock.settle();
    expect(h.x.calls[0]!.request.text).toBe('Post a https://example.com/a');
    expect(h.task('a')).toMatchObject({ status: 'completed', attempts: 2, postId: null });
    expect(h.task('a').note).toMatch(/duplicate/);
  });

  it('counts the posts already completed today toward the cap after a restart', () => {
    const h = createHarness({
      tasks: [
        makeTask({ id: 'today', status: 'completed', attempts: 1, updatedAt: '2026-01-15T10:00:00.000Z' }),
        makeTask({ id: 'yesterday', status: 'completed', attempts: 1, updatedAt: '2026-01-15T04:00:00.000Z' }), // 23:00 local on the 14th
        makeTask({ id: 'dry', status: 'completed', dryRun: true, attempts: 1, updatedAt: '2026-01-15T10:00:00.000Z' }),
      ],
    });
    h.queue.start();
    expect(h.queue.state().postedToday).toBe(1);
  });
});

describe('stopping', () => {
  it('waits for the post in flight and records its outcome', async () => {
    const h = createHarness();
    h.x.reply('hang');
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    h.queue.enqueue(makeTask({ id: 'b', createdAt: '2026-01-15T11:01:00.000Z' }));
    await h.clock.settle();
    let stopped = false;
    const stopping = h.queue.stop(10 * SECOND).then(() => { stopped = true; });
    await h.clock.settle();
    expect(stopped).toBe(false);
    h.x.release();
    await stopping;
    expect(h.task('a').status).toBe('completed');
    await h.clock.tick(5 * MINUTE);
    expect(h.x.calls).toHaveLength(1); // nothing new starts after stop
    expect(h.task('b').status).toBe('pending');
  });

  it('gives up waiting after the timeout, leaving the task running (in doubt at next start)', async () => {
    const h = createHarness();
    h.x.reply('hang');
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.settle();
    let stopped = false;
    const stopping = h.queue.stop(10 * SECOND).then(() => { stopped = true; });
    await h.clock.tick(9 * SECOND);
    expect(stopped).toBe(false);
    await h.clock.tick(1 * SECOND);
    await stopping;
    expect(stopped).toBe(true);
    expect(h.task('a').status).toBe('running');
  });
});
