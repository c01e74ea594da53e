// Every account's queue as one, for the tray and the banners.
import { describe, expect, it } from 'vitest';
import type { QueueState } from '../../../preload/contract';
import { sumQueues } from '../../../main/core/state/queue-sum';

const queue = (fields: Partial<QueueState> = {}): QueueState => ({
  paused: false, pauseReason: null, resumesAt: null, postedToday: 0, dailyCap: 50, nextPostAt: null,
  counts: { pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0, review: 0 }, ...fields,
});

describe('the queues of several accounts as one', () => {
  it('is the one account’s own state when there is one', () => {
    const one = queue({ postedToday: 3 });
    expect(sumQueues([one])).toBe(one);
  });

  it('adds up the counts, the posts, the caps and the spend', () => {
    const spend = (posts: number) => ({ today: { posts, withLink: 0, usd: posts * 0.015 }, month: { posts, withLink: 0, usd: posts * 0.015 } });
    const sum = sumQueues([
      queue({ postedToday: 2, counts: { pending: 1, running: 0, completed: 2, failed: 1, cancelled: 0, review: 1 }, spend: spend(2) }),
      queue({ postedToday: 1, counts: { pending: 3, running: 1, completed: 1, failed: 0, cancelled: 2, review: 0 }, spend: spend(1) }),
    ]);
    expect(sum).toMatchObject({ postedToday: 3, dailyCap: 100, counts: { pending: 4, running: 1, completed: 3, failed: 1, cancelled: 2, review: 1 } });
    expect(sum.spend?.month).toEqual({ posts: 3, withLink: 0, usd: 0.045 });
  });

  it('is paused only when every account is, and the next post is the soonest of those running', () => {
    const paused = queue({ paused: true, pauseReason: 'user' });
    expect(sumQueues([paused, queue({ nextPostAt: '2026-12-01T10:05:00.000Z' })])).toMatchObject({ paused: false, pauseReason: null, nextPostAt: '2026-12-01T10:05:00.000Z' });
    expect(sumQueues([queue({ nextPostAt: '2026-12-01T10:05:00.000Z' }), queue()])).toMatchObject({ nextPostAt: null });
    expect(sumQueues([paused, queue({ paused: true, pauseReason: 'rate-limited' })])).toMatchObject({ paused: true, pauseReason: 'user' });
  });
});
