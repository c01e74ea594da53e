import { describe, expect, it } from 'vitest';
import type { TaskStatus } from '../../../preload/contract';
import { CommandError } from '../../../main/core/errors';
import {
  cancelCommand, DRY_RUN_NOTE, DUPLICATE_NOTE, recoverInDoubt, retryCommand, settleAttempt, startAttempt, type AttemptOutcome,
} from '../../../main/core/tasks/transitions';
import type { XFailure } from '../../../main/core/x/types';
import { makeTask } from './task-fixtures';

const now = Date.parse('2026-01-15T12:00:00Z');
const settings = { retryBaseSeconds: 30, retryMaxSeconds: 3600, maxAttempts: 8 };
// random 1 (the top of the range, clamped) makes the jittered wait equal its ceiling.
const ctx = { now, settings, random: () => 1 };
const running = (attempts: number) => startAttempt(makeTask({ id: 't', attempts: attempts - 1 }), now - 1000, false);
const fail = (failure: XFailure): AttemptOutcome => ({ ok: false, failure });

describe('starting an attempt', () => {
  it('marks the task running and counts the attempt before anything is sent', () => {
    const t = startAttempt(makeTask({ id: 't', attempts: 2, nextAttemptAt: '2026-01-15T11:59:00.000Z' }), now, true);
    expect(t).toMatchObject({ status: 'running', attempts: 3, nextAttemptAt: null, dryRun: true, updatedAt: '2026-01-15T12:00:00.000Z' });
  });
});

describe('settling an attempt', () => {
  it('completes with the post id, url and the client note on success', () => {
    const r = settleAttempt(running(1), { ok: true, result: { postId: '42', postUrl: 'https://x.com/i/status/42', note: 'image failed: posted text only' } }, ctx);
    expect(r.task).toMatchObject({ status: 'completed', postId: '42', postUrl: 'https://x.com/i/status/42', note: 'image failed: posted text only', dryRun: false, error: null });
    expect(r).toMatchObject({ effect: null, posted: true });
  });

  it('completes a dry run without a post id and says it was not posted', () => {
    const r = settleAttempt(running(1), { ok: true, dryRun: true }, ctx);
    expect(r.task).toMatchObject({ status: 'completed', dryRun: true, postId: null, postUrl: null, note: DRY_RUN_NOTE });
    expect(r.posted).toBe(true);
  });

  it("treats X's duplicate-content answer as already posted for a task in doubt", () => {
    const inDoubt = { ...running(2), inDoubtSince: '2026-01-15T11:50:00.000Z' };
    const r = settleAttempt(inDoubt, fail({ kind: 'duplicate', message: 'You are not allowed to create a Tweet with duplicate content.', httpStatus: 403 }), ctx);
    expect(r.task).toMatchObject({ status: 'completed', note: DUPLICATE_NOTE, error: null, attempts: 2, inDoubtSince: null });
    expect(r.posted).toBe(true);
  });

  // [kind, attempts made, expected status, expected nextAttemptAt offset in s | null, attempts after]
  it.each([
    ['network', 1, 'pending', 30, 1],
    ['server', 2, 'pending', 60, 2],
    ['in-doubt', 3, 'pending', 120, 3],
    ['unknown', 7, 'pending', 1920, 7],
    ['network', 8, 'failed', null, 8],
    ['server', 8, 'failed', null, 8],
    ['invalid-post', 1, 'failed', null, 1],
    ['forbidden', 1, 'failed', null, 1],
  ] as const)('after a %s failure on attempt %i the task is %s (retry in %ss)', (kind, attempts, status, retryIn, attemptsAfter) => {
    const r = settleAttempt(running(attempts), fail({ kind, message: 'boom', httpStatus: 500 }), ctx);
    expect(r.task.status).toBe(status);
    expect(r.task.attempts).toBe(attemptsAfter);
    expect(r.task.nextAttemptAt).toBe(retryIn === null ? null : new Date(now + retryIn * 1000).toISOString());
    expect(r.task.error).toEqual({ kind, message: 'boom', httpStatus: 500 });
    expect(r.effect).toBeNull();
    expect(r.posted).toBe(false);
  });

  // [kind, pause reason, resumesAt]
  it.each([
    ['rate-limited', 'rate-limited', now + 120_000],
    ['credits-depleted', 'credits-depleted', null],
    ['auth', 'auth', null],
    ['offline', 'offline', null],
  ] as const)('hands the attempt back and pauses the queue on %s', (kind, pause, resumesAt) => {
    const r = settleAttempt(running(3), fail({ kind, message: 'stop', resetAt: now + 120_000 }), ctx);
    expect(r.task).toMatchObject({ status: 'pending', attempts: 2, nextAttemptAt: null });
    expect(r.effect).toEqual({ pause, resumesAt });
  });

  it('waits X’s 15-minute window when a 429 carries no reset time', () => {
    const r = settleAttempt(running(1), fail({ kind: 'rate-limited', message: '429' }), ctx);
    expect(r.effect).toEqual({ pause: 'rate-limited', resumesAt: now + 15 * 60_000 });
  });

  it('records an offline failure as a network error on the task', () => {
    const r = settleAttempt(running(1), fail({ kind: 'offline', message: 'getaddrinfo ENOTFOUND api.x.com' }), ctx);
    expect(r.task.error).toEqual({ kind: 'network', message: 'getaddrinfo ENOTFOUND api.x.com' });
  });

  it('notes a lost response as in doubt so the retry is understood', () => {
    const r = settleAttempt(running(1), fail({ kind: 'network', message: 'socket hang up', inDoubt: true }), ctx);
    expect(r.task.note).toMatch(/in doubt/);
    expect(r.task.status).toBe('pending');
  });
});

describe('recovering at startup', () => {
  it('turns a running task into a pending, in-doubt one with its text unchanged', () => {
    const t = recoverInDoubt(running(1), now, settings);
    expect(t).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: null, text: running(1).text });
    expect(t.error?.kind).toBe('in-doubt');
  });

  it('fails an in-doubt task that has no attempts left', () => {
    expect(recoverInDoubt(running(8), now, settings).status).toBe('failed');
  });
});

describe('commands by status', () => {
  const statuses: TaskStatus[] = ['review', 'pending', 'running', 'completed', 'failed', 'cancelled'];
  const table: Record<TaskStatus, { retry: string | null; cancel: string | null }> = {
    review: { retry: 'A task in review cannot be retried: approve it to post it.', cancel: 'A task in review is not cancelled but skipped.' },
    pending: { retry: 'A pending task cannot be retried: it is already waiting to be posted.', cancel: null },
    running: { retry: 'A running task cannot be retried: it is being posted now.', cancel: 'A running task cannot be cancelled: its request has already been sent to X.' },
    completed: { retry: 'A completed task cannot be retried.', cancel: 'A completed task cannot be cancelled.' },
    failed: { retry: null, cancel: null },
    cancelled: { retry: null, cancel: 'This task is already cancelled.' },
  };

  it.each(statuses)('retries and cancels a %s task only when the contract allows it', (status) => {
    const task = makeTask({ id: 't', status, attempts: 8, error: { kind: 'server', message: 'x' } });
    for (const [action, run] of [['retry', retryCommand], ['cancel', cancelCommand]] as const) {
      const refusal = table[status][action];
      if (refusal === null) {
        expect(() => run(task, now)).not.toThrow();
      } else {
        let thrown: unknown;
        try { run(task, now); } catch (err) { thrown = err; }
        expect(thrown).toBeInstanceOf(CommandError);
        expect(thrown).toMatchObject({ code: 'conflict', message: refusal });
      }
    }
  });

  it('gives a retried task a fresh set of attempts and keeps its frozen text', () => {
    const t = retryCommand(makeTask({ id: 't', status: 'failed', attempts: 8, error: { kind: 'server', message: 'x' } }), now);
    expect(t).toMatchObject({ status: 'pending', attempts: 0, error: null, nextAttemptAt: null, text: 'Post t https://example.com/t' });
  });
});
