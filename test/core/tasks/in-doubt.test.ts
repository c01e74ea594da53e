// A task that was ever in doubt carries inDoubtSince until a confirmed post clears it, and only
// such a task may take X's "duplicate content" 403 as its own post. On a first attempt that
// answer means another item with the same text went out before: the task fails, posting nothing.
import { describe, expect, it } from 'vitest';
import {
  DUPLICATE_FAILED_MESSAGE, DUPLICATE_NOTE, recoverInDoubt, retryCommand, cancelCommand, settleAttempt, startAttempt, type AttemptOutcome,
} from '../../../main/core/tasks/transitions';
import type { XFailure } from '../../../main/core/x/types';
import { createHarness, MINUTE, pinTimeZone } from './queue-harness';
import { makeTask } from './task-fixtures';

pinTimeZone('UTC');

const now = Date.parse('2026-01-15T12:00:00Z');
const settings = { retryBaseSeconds: 30, retryMaxSeconds: 3600, maxAttempts: 8 };
const ctx = { now, settings, random: () => 1 };
const fail = (failure: XFailure): AttemptOutcome => ({ ok: false, failure });
const duplicate: XFailure = { kind: 'duplicate', message: 'X already has a post with this exact text.', httpStatus: 403 };
const lost: XFailure = { kind: 'network', message: 'The connection to X was lost (ECONNRESET); the request may have reached X.', inDoubt: true };
const attemptAt = (ms: number, attempts = 0) => startAttempt(makeTask({ id: 't', attempts }), ms, false);

describe('inDoubtSince', () => {
  it('is set to the start of the attempt whose answer was lost', () => {
    const r = settleAttempt(attemptAt(now - 30_000), fail(lost), ctx);
    expect(r.task).toMatchObject({ status: 'pending', inDoubtSince: new Date(now - 30_000).toISOString() });
    expect(r.text).toBe('maybe');
  });

  it('is set by the startup recovery of a task left running, to when that attempt started', () => {
    const running = attemptAt(now - 5 * MINUTE);
    const recovered = recoverInDoubt(running, now, settings);
    expect(recovered).toMatchObject({ status: 'pending', error: { kind: 'in-doubt' }, inDoubtSince: running.updatedAt });
  });

  it('is not set for a dry run left running: nothing was sent', () => {
    const dry = startAttempt(makeTask({ id: 't' }), now - MINUTE, true);
    expect(recoverInDoubt(dry, now, settings)).not.toHaveProperty('inDoubtSince');
  });

  it('keeps the first doubt through later failures, a failure for good, cancel and Retry', () => {
    const first = settleAttempt(attemptAt(now - 10 * MINUTE), fail(lost), ctx).task;
    const since = first.inDoubtSince;
    const again = settleAttempt(startAttempt(first, now - 5 * MINUTE, false), fail(lost), ctx).task;
    expect(again.inDoubtSince).toBe(since);
    const server = settleAttempt(startAttempt(again, now - MINUTE, false), fail({ kind: 'server', message: '503', httpStatus: 503 }), ctx).task;
    expect(server.inDoubtSince).toBe(since);
    const refused = settleAttempt(startAttempt(server, now, false), fail({ kind: 'invalid-post', message: '400', httpStatus: 400 }), ctx).task;
    expect(refused).toMatchObject({ status: 'failed', inDoubtSince: since });
    expect(retryCommand(refused, now).inDoubtSince).toBe(since);
    expect(cancelCommand(refused, now).inDoubtSince).toBe(since);
  });

  it('is cleared by a post X confirms with its id', () => {
    const inDoubt = { ...attemptAt(now - MINUTE, 1), inDoubtSince: '2026-01-15T11:00:00.000Z' };
    const r = settleAttempt(inDoubt, { ok: true, result: { postId: '9', postUrl: 'https://x.com/i/status/9', note: null } }, ctx);
    expect(r.task).toMatchObject({ status: 'completed', postId: '9', inDoubtSince: null });
    expect(r.text).toBe('posted');
  });

  it('stays absent on a task never in doubt', () => {
    const r = settleAttempt(attemptAt(now), { ok: true, result: { postId: '9', postUrl: 'https://x.com/i/status/9', note: null } }, ctx);
    expect(r.task).not.toHaveProperty('inDoubtSince');
  });
});

describe("X's duplicate answer", () => {
  it('fails a task never in doubt with the duplicate kind, counting no post', () => {
    const r = settleAttempt(attemptAt(now), fail(duplicate), ctx);
    expect(r.task).toMatchObject({ status: 'failed', postId: null, error: { kind: 'duplicate', httpStatus: 403, message: DUPLICATE_FAILED_MESSAGE } });
    expect(r.task.error?.message).toMatch(/another item/);
    expect(r).toMatchObject({ posted: false, text: null, effect: null });
  });

  it('confirms the post of a task in doubt', () => {
    const inDoubt = { ...attemptAt(now, 1), inDoubtSince: '2026-01-15T11:59:00.000Z' };
    const r = settleAttempt(inDoubt, fail(duplicate), ctx);
    expect(r.task).toMatchObject({ status: 'completed', note: DUPLICATE_NOTE, error: null, inDoubtSince: null });
    expect(r).toMatchObject({ posted: true, text: 'posted' });
  });
});

describe('the queue and a recurring title', () => {
  it('fails the "Weekly digest" whose text X already has, leaving the day\'s count alone', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0 } });
    h.x.reply({ fail: duplicate });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'digest', text: 'Weekly digest https://example.com/digest' }));
    await h.clock.tick(MINUTE);
    expect(h.task('digest')).toMatchObject({ status: 'failed', attempts: 1, postId: null, error: { kind: 'duplicate' } });
    expect(h.queue.state().postedToday).toBe(0);
    expect(h.x.calls).toHaveLength(1);
  });

  it('completes a task whose answer was lost when X then calls its resend a duplicate', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0 } });
    h.x.reply({ fail: lost }, { fail: duplicate });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.tick(MINUTE);
    expect(h.task('a')).toMatchObject({ status: 'completed', attempts: 2, note: DUPLICATE_NOTE, inDoubtSince: null });
    expect(h.queue.state().postedToday).toBe(1);
  });
});
