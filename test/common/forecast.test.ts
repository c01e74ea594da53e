import { describe, expect, it } from 'vitest';
import type { Task } from '../../preload/contract';
import { forecastPending, queueOrder } from '../../common/forecast';
import { makeTask } from '../e2e/support/fixtures';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();
const pending = (id: string, createdMin: number, extra: Partial<Task> = {}): Task =>
  makeTask({ id, status: 'pending', createdAt: iso(NOW - 60 * 60_000 + createdMin * 60_000), nextAttemptAt: null, ...extra });
const queue = { paused: false, resumesAt: null, postedToday: 0, dailyCap: 100, nextPostAt: null };
const settings = { minPostGapSeconds: 60 };

describe('forecastPending', () => {
  it('puts the oldest pending task first and spaces the rest by the gap from the next allowed start', () => {
    const f = forecastPending([pending('b', 2), pending('a', 1), makeTask({ id: 'done', status: 'completed' })],
      { now: NOW, queue: { ...queue, nextPostAt: iso(NOW + 30_000) }, settings });
    expect(f).toEqual([
      { taskId: 'a', place: 1, expectedAt: iso(NOW + 30_000) },
      { taskId: 'b', place: 2, expectedAt: iso(NOW + 90_000) },
    ]);
  });

  it('lets a task backing off wait without holding up the ones behind it', () => {
    const f = forecastPending([pending('old', 1, { nextAttemptAt: iso(NOW + 10 * 60_000) }), pending('young', 2)], { now: NOW, queue, settings });
    expect(f.map((x) => [x.taskId, x.expectedAt])).toEqual([['young', iso(NOW)], ['old', iso(NOW + 10 * 60_000)]]);
  });

  it('puts a task asked to post now before all others and does not make it wait for the gap', () => {
    const f = forecastPending([pending('a', 1), pending('now', 5, { postNowAt: iso(NOW - 1000) })],
      { now: NOW, queue: { ...queue, nextPostAt: iso(NOW + 50_000) }, settings });
    expect(f[0]).toEqual({ taskId: 'now', place: 1, expectedAt: iso(NOW) });
    expect(f[1]).toEqual({ taskId: 'a', place: 2, expectedAt: iso(NOW + 60_000) });
  });

  it('moves the tasks past the daily cap to the next local midnight', () => {
    const f = forecastPending([pending('a', 1), pending('b', 2), pending('c', 3)],
      { now: NOW, queue: { ...queue, postedToday: 98, dailyCap: 100 }, settings });
    const d = new Date(NOW);
    const midnight = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
    expect(f.map((x) => x.expectedAt)).toEqual([iso(NOW), iso(NOW + 60_000), iso(midnight)]);
  });

  it('starts after a rate-limit pause ends, and tells no times while paused with no known end', () => {
    const resumes = NOW + 15 * 60_000;
    const timed = forecastPending([pending('a', 1)], { now: NOW, queue: { ...queue, paused: true, resumesAt: iso(resumes) }, settings });
    expect(timed[0]!.expectedAt).toBe(iso(resumes));
    const open = forecastPending([pending('b', 2), pending('a', 1)], { now: NOW, queue: { ...queue, paused: true }, settings });
    expect(open).toEqual([{ taskId: 'a', place: 1, expectedAt: null }, { taskId: 'b', place: 2, expectedAt: null }]);
  });

  it('forecasts 20,000 pending tasks in order without quadratic work', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => pending(`t${String(i).padStart(5, '0')}`, 0, { createdAt: iso(NOW - 20_000_000 + i * 1000) }));
    const f = forecastPending(many.slice().reverse(), { now: NOW, queue: { ...queue, dailyCap: 2400 }, settings });
    expect(f).toHaveLength(20_000);
    expect(f[0]!.taskId).toBe('t00000');
    expect(f[19_999]!.taskId).toBe('t19999');
    expect(f.every((x, i) => i === 0 || Date.parse(x.expectedAt!) >= Date.parse(f[i - 1]!.expectedAt!))).toBe(true);
  });
});

describe('queueOrder', () => {
  it('orders post-now tasks by when they were asked, then the rest oldest first, ids breaking ties', () => {
    const tasks = [
      { id: 'b', createdAt: '2026-01-01' }, { id: 'a', createdAt: '2026-01-01' },
      { id: 'n2', createdAt: '2026-01-03', postNowAt: '2026-02-02' }, { id: 'n1', createdAt: '2026-01-04', postNowAt: '2026-02-01' },
      { id: 'z', createdAt: '2025-12-31' },
    ];
    expect(tasks.sort(queueOrder).map((t) => t.id)).toEqual(['n1', 'n2', 'z', 'a', 'b']);
  });

  it('orders a task approved in review by its approval (queuedAt), not its creation', () => {
    const tasks = [
      { id: 'approved-second', createdAt: '2026-01-01T00:00:00.000Z', queuedAt: '2026-01-05T00:00:00.001Z' },
      { id: 'approved-first', createdAt: '2026-01-02T00:00:00.000Z', queuedAt: '2026-01-05T00:00:00.000Z' },
      { id: 'pending', createdAt: '2026-01-03T00:00:00.000Z' },
      { id: 'later', createdAt: '2026-01-06T00:00:00.000Z', queuedAt: null },
      { id: 'now', createdAt: '2026-01-07T00:00:00.000Z', queuedAt: '2026-01-07T00:00:00.000Z', postNowAt: '2026-01-08T00:00:00.000Z' },
    ];
    expect(tasks.sort(queueOrder).map((t) => t.id)).toEqual(['now', 'pending', 'approved-first', 'approved-second', 'later']);
  });
});

describe('forecastPending with tasks approved in review', () => {
  it('forecasts approved tasks after those already pending, in approval order', () => {
    const f = forecastPending([
      pending('r2', 0, { queuedAt: iso(NOW - 1000) }), pending('r1', 1, { queuedAt: iso(NOW - 2000) }), pending('p', 30),
      makeTask({ id: 'waiting', status: 'review', createdAt: iso(NOW - 3_600_000) }),
    ], { now: NOW, queue, settings });
    expect(f.map((x) => [x.taskId, x.expectedAt])).toEqual([['p', iso(NOW)], ['r1', iso(NOW + 60_000)], ['r2', iso(NOW + 120_000)]]);
  });
});

describe('forecastPending with posting hours', () => {
  it('moves the starts outside the hours to the next opening, the gap counted from there', () => {
    const evening = new Date(2026, 11, 2, 21, 59).getTime();
    const tasks = [pending('a', 1, { createdAt: iso(evening - 2000) }), pending('b', 2, { createdAt: iso(evening - 1000) })];
    const f = forecastPending(tasks, { now: evening, queue, settings: { ...settings, postingHours: { from: '08:00', to: '22:00', days: [0, 1, 2, 3, 4, 5, 6] } } });
    const opening = new Date(2026, 11, 3, 8, 0).getTime();
    expect(f.map((x) => x.expectedAt)).toEqual([iso(evening), iso(opening)]);
  });

  it('lets a task asked to post now go at once, whatever the hours', () => {
    const night = new Date(2026, 11, 2, 23, 0).getTime();
    const f = forecastPending([pending('now', 1, { createdAt: iso(night - 1000), postNowAt: iso(night) })],
      { now: night, queue, settings: { ...settings, postingHours: { from: '08:00', to: '22:00', days: [1, 2, 3, 4, 5] } } });
    expect(f[0]!.expectedAt).toBe(iso(night));
  });

  it('tells no times when the hours have no day in them', () => {
    const f = forecastPending([pending('a', 1)], { now: NOW, queue, settings: { ...settings, postingHours: { from: '08:00', to: '22:00', days: [] } } });
    expect(f).toEqual([{ taskId: 'a', place: 1, expectedAt: null }]);
  });
});
