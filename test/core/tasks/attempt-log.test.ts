import { describe, expect, it } from 'vitest';
import {
  ATTEMPT_LOG_LENGTH, cancelCommand, recoverInDoubt, retryCommand, settleAttempt, startAttempt, type AttemptOutcome,
} from '../../../main/core/tasks/transitions';
import type { XFailure } from '../../../main/core/x/types';
import { createHarness, MINUTE, pinTimeZone } from './queue-harness';
import { makeTask } from './task-fixtures';

pinTimeZone('America/New_York');

const now = Date.parse('2026-01-15T12:00:00Z');
const start = now - 1000;
const settings = { retryBaseSeconds: 30, retryMaxSeconds: 3600, maxAttempts: 3 };
const ctx = { now, settings, random: () => 1 };
const running = (attempts = 1, fields = {}) => startAttempt(makeTask({ id: 't', attempts: attempts - 1, ...fields }), start, false);
const fail = (failure: XFailure): AttemptOutcome => ({ ok: false, failure });
const iso = (ms: number): string => new Date(ms).toISOString();

describe('the attempt log and finishedAt, by outcome', () => {
  it.each<[string, AttemptOutcome, number, object, object]>([
    ['a post', { ok: true, result: { postId: '1', postUrl: 'https://x.com/i/status/1', note: null } }, 1,
      { status: 'completed', finishedAt: iso(now) }, { outcome: 'posted' }],
    ['a dry run', { ok: true, dryRun: true }, 1, { status: 'completed', finishedAt: iso(now) }, { outcome: 'posted' }],
    ['a failure that will be retried', fail({ kind: 'server', message: 'X answered 503.', httpStatus: 503 }), 1,
      { status: 'pending', finishedAt: null }, { outcome: 'failed', error: { kind: 'server', message: 'X answered 503.', httpStatus: 503 } }],
    ['a failure for good', fail({ kind: 'invalid-post', message: 'Too long.', httpStatus: 400 }), 1,
      { status: 'failed', finishedAt: iso(now) }, { outcome: 'failed', error: expect.objectContaining({ kind: 'invalid-post' }) }],
    ['the last attempt failing', fail({ kind: 'server', message: 'X answered 503.' }), 3,
      { status: 'failed', finishedAt: iso(now) }, { outcome: 'failed', error: expect.objectContaining({ kind: 'server' }) }],
    ['a timeout that may have posted', fail({ kind: 'network', message: 'X did not answer in time.', inDoubt: true }), 1,
      { status: 'pending', finishedAt: null }, { outcome: 'failed', error: { kind: 'in-doubt', message: 'X did not answer in time.' } }],
    ['a 429 (the attempt is handed back, but it happened)', fail({ kind: 'rate-limited', message: 'X said 429.', resetAt: now + 60_000 }), 1,
      { status: 'pending', attempts: 0, finishedAt: null }, { outcome: 'failed', error: expect.objectContaining({ kind: 'rate-limited' }) }],
  ])('%s', (_name, outcome, attempts, task, entry) => {
    const { task: after } = settleAttempt(running(attempts), outcome, ctx);
    expect(after).toMatchObject(task);
    expect(after.attemptLog).toEqual([expect.objectContaining({ at: iso(start), endedAt: iso(now), dryRun: false, ...entry })]);
    if ((entry as { outcome: string }).outcome === 'posted') expect(after.attemptLog?.[0]).not.toHaveProperty('error');
  });

  it('keeps the last 10 attempts, oldest first', () => {
    const log = Array.from({ length: ATTEMPT_LOG_LENGTH }, (_, i) => ({ at: iso(i), endedAt: iso(i + 1), outcome: 'failed' as const, dryRun: false }));
    const dry = startAttempt(makeTask({ id: 't', attemptLog: log }), start, true);
    const { task } = settleAttempt(dry, { ok: true, dryRun: true }, ctx);
    expect(task.attemptLog).toHaveLength(ATTEMPT_LOG_LENGTH);
    expect(task.attemptLog?.[0]?.at).toBe(iso(1));
    expect(task.attemptLog?.at(-1)).toMatchObject({ at: iso(start), outcome: 'posted', dryRun: true });
  });

  it('logs the attempt Crier was in when it stopped, as failed and in doubt', () => {
    const t = recoverInDoubt(running(1), now, settings);
    expect(t).toMatchObject({ status: 'pending', finishedAt: null });
    expect(t.attemptLog).toEqual([expect.objectContaining({ at: iso(start), endedAt: iso(now), outcome: 'failed', error: expect.objectContaining({ kind: 'in-doubt' }) })]);
    expect(recoverInDoubt(running(3), now, settings)).toMatchObject({ status: 'failed', finishedAt: iso(now) });
  });

  it('sets finishedAt on cancel and clears it on retry', () => {
    const cancelled = cancelCommand(makeTask({ id: 't' }), now);
    expect(cancelled.finishedAt).toBe(iso(now));
    expect(retryCommand(cancelled, now + 1).finishedAt).toBeNull();
  });

  it('is kept by the queue across attempts, each with its start and end', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0, retryBaseSeconds: 60 } });
    const t0 = h.clock.now();
    h.x.reply({ fail: { kind: 'server', message: 'X answered 503.', httpStatus: 503 } });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.tick(10 * MINUTE);
    const task = h.task('a');
    expect(task).toMatchObject({ status: 'completed', attempts: 2 });
    expect(task.attemptLog?.map((e) => [e.outcome, Date.parse(e.at) - t0, e.error?.kind ?? null])).toEqual([['failed', 0, 'server'], ['posted', 60_000, null]]);
    expect(Date.parse(task.finishedAt!)).toBeGreaterThanOrEqual(t0 + 60_000);
  });
});
