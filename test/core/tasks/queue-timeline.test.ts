// Before resending a task in doubt the queue looks for its post on the account's timeline (a
// billed read, behind a setting on by default); found, the task completes with that post's id.
// And the offline pause belongs to the shell's online signal: a feed's answer only probes X.
import { describe, expect, it } from 'vitest';
import { FOUND_NOTE } from '../../../main/core/tasks/transitions';
import { TIMELINE_MARGIN_MS } from '../../../main/core/tasks/queue';
import type { XFailure } from '../../../main/core/x/types';
import { createHarness, HOUR, MINUTE, SECOND } from './queue-harness';
import { makeTask } from './task-fixtures';

const lost: XFailure = { kind: 'network', message: 'X did not answer in time; the request may have reached X.', inDoubt: true };
const found = { found: { postId: '777', postUrl: 'https://x.com/crier_test/status/777', note: null } };

describe('the timeline look before a resend', () => {
  it('completes a task in doubt with the post it finds, without posting again', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0 } });
    const t0 = h.clock.now();
    h.x.reply({ fail: lost });
    h.x.timeline(found);
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.tick(MINUTE);
    expect(h.x.calls).toHaveLength(1);
    expect(h.x.looks).toEqual([{ query: { text: 'Post a https://example.com/a', since: t0 - TIMELINE_MARGIN_MS, task: expect.objectContaining({ id: 'a' }) }, at: t0 + 30 * SECOND }]);
    expect(h.task('a')).toMatchObject({ status: 'completed', attempts: 2, postId: '777', postUrl: 'https://x.com/crier_test/status/777', note: FOUND_NOTE, error: null, inDoubtSince: null });
    expect(h.queue.state().postedToday).toBe(1);
  });

  it('posts when the timeline does not show it', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0 } });
    h.x.reply({ fail: lost });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.tick(MINUTE);
    expect(h.x.looks).toHaveLength(1);
    expect(h.x.calls).toHaveLength(2);
    expect(h.task('a')).toMatchObject({ status: 'completed', postId: 'p1', inDoubtSince: null });
  });

  it('posts, leaving X\'s duplicate check to decide, when the look itself fails', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0 } });
    h.x.reply({ fail: lost }, { fail: { kind: 'duplicate', message: 'dup', httpStatus: 403 } });
    h.x.timeline({ fail: { kind: 'rate-limited', message: '429', httpStatus: 429 } });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.tick(MINUTE);
    expect(h.x.calls).toHaveLength(2);
    expect(h.task('a')).toMatchObject({ status: 'completed', note: expect.stringMatching(/duplicate/) });
    expect(h.queue.state().paused).toBe(false);
  });

  it('does not look for a task never in doubt', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0 } });
    h.x.reply({ fail: { kind: 'server', message: '503', httpStatus: 503 } });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.tick(MINUTE);
    expect(h.x.looks).toEqual([]);
    expect(h.task('a').status).toBe('completed');
  });

  it('does not look when the setting is off', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0, checkTimelineBeforeResend: false } });
    h.x.reply({ fail: lost });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.tick(MINUTE);
    expect(h.x.looks).toEqual([]);
    expect(h.x.calls).toHaveLength(2);
  });

  it('looks for a task left running when Crier stopped, from a margin before that attempt', async () => {
    const running = makeTask({ id: 'a', status: 'running', attempts: 1, updatedAt: '2026-01-15T10:00:00.000Z' });
    const h = createHarness({ tasks: [running], settings: { minPostGapSeconds: 0 } });
    h.x.timeline(found);
    h.queue.start();
    await h.clock.settle();
    expect(h.x.looks.map((l) => l.query)).toEqual([{ text: running.text, since: Date.parse('2026-01-15T10:00:00.000Z') - TIMELINE_MARGIN_MS, task: expect.objectContaining({ id: running.id }) }]);
    expect(h.task('a')).toMatchObject({ status: 'completed', postId: '777' });
  });

  it('still looks after a manual Retry of a task in doubt that failed for good', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0 }, tasks: [makeTask({ id: 'b', status: 'failed', attempts: 8, inDoubtSince: '2026-01-15T10:00:00.000Z' })] });
    h.x.timeline(found);
    h.queue.start();
    h.queue.retry('b');
    await h.clock.settle();
    expect(h.x.looks.map((l) => l.query.since)).toEqual([Date.parse('2026-01-15T09:55:00.000Z')]);
    expect(h.x.calls).toHaveLength(0);
    expect(h.task('b')).toMatchObject({ status: 'completed', postId: '777', inDoubtSince: null });
  });
});

describe('a feed that answers during an offline pause', () => {
  const offline: XFailure = { kind: 'offline', message: 'getaddrinfo ENOTFOUND api.x.com' };

  it('never ends the pause the shell reported', async () => {
    const h = createHarness();
    h.queue.start();
    h.queue.setOffline(true);
    h.queue.enqueue(makeTask({ id: 'a' }));
    h.queue.probe();
    await h.clock.tick(HOUR);
    expect(h.queue.state()).toMatchObject({ paused: true, pauseReason: 'offline' });
    expect(h.x.calls).toHaveLength(0);
    h.queue.setOffline(false);
    await h.clock.settle();
    expect(h.task('a').status).toBe('completed');
  });

  it('brings one probe of X forward, and keeps the growing wait after it fails', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0, retryBaseSeconds: 60 } });
    const t0 = h.clock.now();
    h.x.reply({ fail: offline }, { fail: offline }, { fail: offline });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.tick(10 * SECOND);
    h.queue.probe();
    await h.clock.settle();
    expect(h.x.calls.map((c) => (c.at - t0) / SECOND)).toEqual([0, 10]);
    // Every feed of the poll answers: still one probe for this pause.
    for (let i = 0; i < 5; i++) h.queue.probe();
    await h.clock.tick(HOUR);
    // After two failures the wait is 2 × 60 s, not the 60 s a reset backoff would give.
    expect(h.x.calls.map((c) => (c.at - t0) / SECOND)).toEqual([0, 10, 130, 370]);
    expect(h.task('a').status).toBe('completed');
  });

  it('does nothing when the queue is not paused offline', async () => {
    const h = createHarness();
    h.queue.start();
    h.queue.pause();
    h.queue.enqueue(makeTask({ id: 'a' }));
    h.queue.probe();
    await h.clock.tick(HOUR);
    expect(h.queue.state().pauseReason).toBe('user');
    expect(h.x.calls).toHaveLength(0);
  });
});
