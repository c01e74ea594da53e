// After a 429 the queue waits for the later of X's reset and retry-after, never less than a floor
// that starts at retryBaseSeconds and doubles with each 429 in a row, and never more than a day.
import { describe, expect, it } from 'vitest';
import { rateLimitResumeAt } from '../../../main/core/tasks/retry-policy';
import type { XFailure } from '../../../main/core/x/types';
import { createHarness, HOUR, MINUTE, SECOND, type Reply } from './queue-harness';
import { makeTask, testSettings } from './task-fixtures';

const limited = (resetAt?: number, retryAfterMs?: number): Reply => ({
  fail: { kind: 'rate-limited', message: 'Too Many Requests', httpStatus: 429, ...(resetAt === undefined ? {} : { resetAt }), ...(retryAfterMs === undefined ? {} : { retryAfterMs }) } satisfies XFailure,
});

describe('rateLimitResumeAt', () => {
  const s = testSettings({ retryBaseSeconds: 30, retryMaxSeconds: 3600 });
  const now = 1_000_000_000_000;

  it('keeps X\'s reset when it is later than the floor', () => {
    expect(rateLimitResumeAt({ resetAt: now + 10 * MINUTE }, now, 1, s)).toBe(now + 10 * MINUTE);
  });

  it('raises a reset in the past to the floor, which doubles with each 429 in a row up to retryMaxSeconds', () => {
    expect([1, 2, 3, 8, 30].map((streak) => (rateLimitResumeAt({ resetAt: now - SECOND }, now, streak, s) - now) / SECOND)).toEqual([30, 60, 120, 3600, 3600]);
  });

  it('takes the later of the reset and the retry-after', () => {
    expect(rateLimitResumeAt({ resetAt: now + MINUTE, retryAfterMs: 5 * MINUTE }, now, 1, s)).toBe(now + 5 * MINUTE);
    expect(rateLimitResumeAt({ resetAt: now + 5 * MINUTE, retryAfterMs: MINUTE }, now, 1, s)).toBe(now + 5 * MINUTE);
  });

  it('clamps an absurd reset to a day', () => {
    expect(rateLimitResumeAt({ resetAt: 1e20 }, now, 1, s)).toBe(now + 24 * HOUR);
    expect(rateLimitResumeAt({ retryAfterMs: Infinity }, now, 1, s)).toBe(now + 15 * MINUTE);
  });
});

describe('the queue after a 429', () => {
  it('does not burst when the reset is already past and there is no gap', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0 } });
    const past = h.clock.now() - MINUTE;
    h.x.reply(...Array.from({ length: 1001 }, () => limited(past)));
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.tick(10 * SECOND);
    expect(h.x.calls).toHaveLength(1);
    await h.clock.tick(HOUR - 10 * SECOND);
    const gaps = h.x.calls.slice(1).map((c, i) => c.at - h.x.calls[i]!.at);
    // 30, 60, 120, 240, 480, 960 s apart (+ the half-second margin after each wait).
    expect(gaps).toEqual([30, 60, 120, 240, 480, 960].map((s) => s * SECOND + 500));
  });

  it('sends one 429-answered request a minute at most at the default gap, and fewer as they continue', async () => {
    const h = createHarness();
    h.x.reply(...Array.from({ length: 100 }, () => limited(h.clock.now() - MINUTE)));
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.tick(HOUR);
    expect(h.x.calls.length).toBeLessThanOrEqual(7);
  });

  it('waits for a retry-after later than the reset', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0 } });
    h.x.reply(limited(h.clock.now() + MINUTE, 10 * MINUTE));
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.tick(10 * MINUTE);
    expect(h.x.calls).toHaveLength(1);
    await h.clock.tick(SECOND);
    expect(h.x.calls).toHaveLength(2);
  });

  it('clamps a reset beyond the range of a date to a day, kept as the queue\'s resumesAt, not as text on the task', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0 } });
    const t0 = h.clock.now();
    h.x.reply(limited(1e20));
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a' }));
    await h.clock.settle();
    expect(h.queue.state()).toMatchObject({ paused: true, pauseReason: 'rate-limited', resumesAt: new Date(t0 + 24 * HOUR).toISOString() });
    expect(h.task('a').error?.message).toBe("X's rate limit is reached; posting waits until it resets.");
    await h.clock.tick(24 * HOUR + SECOND);
    expect(h.task('a').status).toBe('completed');
  });

  it('starts the floor again after a request that was not a 429', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0 } });
    const past = h.clock.now() - MINUTE;
    h.x.reply(limited(past), limited(past), { ok: { postId: '1', postUrl: 'u', note: null } }, limited(past));
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a', createdAt: '2026-01-15T11:00:00.000Z' }));
    h.queue.enqueue(makeTask({ id: 'b', createdAt: '2026-01-15T11:00:01.000Z' }));
    await h.clock.tick(HOUR);
    const gaps = h.x.calls.slice(1).map((c, i) => c.at - h.x.calls[i]!.at);
    // 30, 60, then a post goes through (the next task at once), and the floor is 30 s again.
    expect(gaps).toEqual([30_500, 60_500, 0, 30_500]);
  });
});
