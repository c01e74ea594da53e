import { describe, expect, it } from 'vitest';
import type { XFailure } from '../../../main/core/x/types';
import { createHarness, HOUR, MINUTE, pinTimeZone, SECOND } from './queue-harness';
import { makeTask } from './task-fixtures';

pinTimeZone('America/New_York');

const created = (minute: number): string => new Date(Date.UTC(2026, 0, 15, 11, minute)).toISOString();
const server: XFailure = { kind: 'server', message: 'X answered 503', httpStatus: 503 };

describe('transient failures', () => {
  it('retries with exponential backoff, then fails keeping the last error', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0, maxAttempts: 4 } });
    const t0 = h.clock.now();
    h.x.reply({ fail: server }, { fail: server }, { fail: server }, { fail: server });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.tick(HOUR);
    expect(h.x.calls.map((c) => (c.at - t0) / SECOND)).toEqual([0, 30, 30 + 60, 30 + 60 + 120]);
    expect(h.task('a')).toMatchObject({ status: 'failed', attempts: 4, error: { kind: 'server', httpStatus: 503 } });
  });

  it('shows when the next attempt is due while a task backs off', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0 } });
    h.x.reply({ fail: { kind: 'network', message: 'ECONNRESET' } });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.settle();
    expect(h.task('a')).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: '2026-01-15T12:00:30.000Z' });
  });

  it('applies jitter from the injected random source', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0 }, random: () => 0 });
    const t0 = h.clock.now();
    h.x.reply({ fail: server });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.tick(MINUTE);
    expect(h.x.calls.map((c) => c.at - t0)).toEqual([0, 15 * SECOND]);
  });

  it('lets other tasks post while one backs off', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0 } });
    h.x.reply({ fail: server });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a', createdAt: created(0) }));
    h.queue.enqueue(makeTask({ id: 'b', createdAt: created(1) }));
    await h.clock.settle();
    expect(h.task('b').status).toBe('completed');
    expect(h.task('a').status).toBe('pending');
  });
});

describe('permanent failures', () => {
  it.each([
    ['invalid-post', 400],
    ['forbidden', 403],
  ] as const)('fails a task at once on %s (%i) and moves on', async (kind, httpStatus) => {
    const h = createHarness({ settings: { minPostGapSeconds: 0 } });
    h.x.reply({ fail: { kind, message: 'no', httpStatus } });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a', createdAt: created(0) }));
    h.queue.enqueue(makeTask({ id: 'b', createdAt: created(1) }));
    await h.clock.tick(HOUR);
    expect(h.x.calls).toHaveLength(2);
    expect(h.task('a')).toMatchObject({ status: 'failed', attempts: 1, error: { kind, httpStatus } });
    expect(h.task('b').status).toBe('completed');
  });
});

describe('rate limit (429)', () => {
  it('pauses the whole queue until the reset, without probing, then resumes within a second', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0 } });
    const resetAt = h.clock.now() + 7 * MINUTE;
    h.x.reply({ fail: { kind: 'rate-limited', message: 'Too Many Requests', httpStatus: 429, resetAt } });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a', createdAt: created(0) }));
    h.queue.enqueue(makeTask({ id: 'b', createdAt: created(1) }));
    await h.clock.settle();
    expect(h.queue.state()).toMatchObject({ paused: true, pauseReason: 'rate-limited', resumesAt: new Date(resetAt).toISOString() });
    expect(h.task('a')).toMatchObject({ status: 'pending', attempts: 0, error: { kind: 'rate-limited' } });

    await h.clock.tickTo(resetAt);
    expect(h.x.calls).toHaveLength(1);
    await h.clock.tickTo(resetAt + 1000);
    expect(h.x.calls.map((c) => c.request.text.split(' ')[1])).toEqual(['a', 'a', 'b']);
    expect(h.x.calls[1]!.at).toBeGreaterThan(resetAt);
    expect(h.queue.state()).toMatchObject({ paused: false, pauseReason: null, resumesAt: null });
    expect(h.task('a')).toMatchObject({ status: 'completed', attempts: 1 });
  });

  it("waits out X's 24-hour user limit without a single probe, then resumes within a second", async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0 } });
    // The client reports the later of the 15-minute and the exhausted 24-hour reset (x-failure.ts).
    const resetAt = h.clock.now() + 24 * HOUR - MINUTE;
    h.x.reply({ fail: { kind: 'rate-limited', message: 'Too Many Requests', httpStatus: 429, resetAt } });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.settle();
    expect(h.queue.state()).toMatchObject({ paused: true, pauseReason: 'rate-limited', resumesAt: new Date(resetAt).toISOString() });
    await h.clock.tickTo(resetAt);
    expect(h.x.calls).toHaveLength(1);
    await h.clock.tickTo(resetAt + SECOND);
    expect(h.x.calls).toHaveLength(2);
    expect(h.x.calls[1]!.at - resetAt).toBeLessThanOrEqual(SECOND);
    expect(h.task('a').status).toBe('completed');
  });

  it('lets the user resume early; a new 429 pauses again', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0 } });
    const resetAt = h.clock.now() + HOUR;
    const limited: XFailure = { kind: 'rate-limited', message: 'Too Many Requests', httpStatus: 429, resetAt };
    h.x.reply({ fail: limited }, { fail: limited });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.tick(MINUTE);
    h.queue.resume();
    await h.clock.settle();
    expect(h.x.calls).toHaveLength(2);
    expect(h.queue.state().pauseReason).toBe('rate-limited');
    expect(h.task('a').attempts).toBe(0);
  });

  it("keeps the user's own pause when a 429 arrives during it", async () => {
    const h = createHarness();
    h.x.reply('hang');
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.settle();
    h.queue.pause();
    h.x.release({ fail: { kind: 'rate-limited', message: '429', resetAt: h.clock.now() + MINUTE } });
    await h.clock.tick(HOUR);
    expect(h.queue.state()).toMatchObject({ paused: true, pauseReason: 'user' });
    expect(h.x.calls).toHaveLength(1);
  });
});

describe('pauses that wait for the user', () => {
  it.each([
    ['credits-depleted', 402],
    ['auth', 401],
  ] as const)('pauses on %s (%i), keeps the task pending with its attempt, and waits for resume', async (kind, httpStatus) => {
    const h = createHarness({ settings: { minPostGapSeconds: 0 } });
    h.x.reply({ fail: { kind, message: 'no', httpStatus } });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a', createdAt: created(0) }));
    h.queue.enqueue(makeTask({ id: 'b', createdAt: created(1) }));
    await h.clock.tick(24 * HOUR);
    expect(h.x.calls).toHaveLength(1);
    expect(h.queue.state()).toMatchObject({ paused: true, pauseReason: kind, resumesAt: null });
    expect(h.task('a')).toMatchObject({ status: 'pending', attempts: 0, error: { kind, httpStatus } });
    h.queue.resume();
    await h.clock.settle();
    expect(h.task('a')).toMatchObject({ status: 'completed', attempts: 1 });
    expect(h.task('b').status).toBe('completed');
  });
});

describe('offline', () => {
  it('pauses without spending attempts when X cannot be reached at all, and resumes when the shell says online', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0, retryBaseSeconds: 600 } });
    h.x.reply({ fail: { kind: 'offline', message: 'getaddrinfo ENOTFOUND api.x.com' } });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.settle();
    expect(h.queue.state().pauseReason).toBe('offline');
    expect(h.task('a')).toMatchObject({ status: 'pending', attempts: 0 });
    h.queue.setOffline(false);
    await h.clock.settle();
    expect(h.task('a')).toMatchObject({ status: 'completed', attempts: 1 });
  });

  it('probes again on its own after an offline failure when no shell reports the network', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0 } });
    const t0 = h.clock.now();
    const offline: XFailure = { kind: 'offline', message: 'getaddrinfo ENOTFOUND api.x.com' };
    h.x.reply({ fail: offline }, { fail: offline });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.tick(HOUR);
    expect(h.x.calls.map((c) => (c.at - t0) / SECOND)).toEqual([0, 30, 90]);
    expect(h.task('a')).toMatchObject({ status: 'completed', attempts: 1 });
  });

  it('does not post while the shell says offline, and resumes when it is back', async () => {
    const h = createHarness();
    h.queue.start();
    h.queue.setOffline(true);
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.tick(HOUR);
    expect(h.x.calls).toHaveLength(0);
    expect(h.queue.state()).toMatchObject({ paused: true, pauseReason: 'offline' });
    h.queue.setOffline(false);
    await h.clock.settle();
    expect(h.task('a').status).toBe('completed');
  });

  it('does not end a user pause when the network comes back', async () => {
    const h = createHarness();
    h.queue.start();
    h.queue.pause();
    h.queue.setOffline(true);
    h.queue.setOffline(false);
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.tick(HOUR);
    expect(h.queue.state().pauseReason).toBe('user');
    expect(h.x.calls).toHaveLength(0);
  });
});

describe('lost responses', () => {
  it('retries an in-doubt post with the same text and completes it on X’s duplicate answer', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0 } });
    h.x.reply(
      { fail: { kind: 'in-doubt', message: 'The connection closed after the post was sent.', inDoubt: true } },
      { fail: { kind: 'duplicate', message: 'You are not allowed to create a Tweet with duplicate content.', httpStatus: 403 } },
    );
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.tick(MINUTE);
    expect(h.x.calls.map((c) => c.request.text)).toEqual(['Post a https://example.com/a', 'Post a https://example.com/a']);
    expect(h.task('a')).toMatchObject({ status: 'completed', attempts: 2, error: null });
    expect(h.task('a').note).toMatch(/duplicate/);
  });
});
