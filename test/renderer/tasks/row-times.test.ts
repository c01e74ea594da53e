import { describe, expect, it } from 'vitest';
import type { QueueState, Task } from '../../../preload/contract';
import { clockTime } from '../../../common/time';
import { createForecastCache, ordinal, placeWords, rowTime } from '../../../renderer/tasks/row-times';
import { makeQueue, makeTask, SETTINGS } from '../../e2e/support/fixtures';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const at = (minutes: number): string => new Date(NOW + minutes * 60_000).toISOString();
const none = { forecast: undefined, pausedIndefinitely: false };

describe('ordinal and placeWords', () => {
  it('says 1st, 2nd, 3rd, 4th, 11th to 13th, 21st, 112th', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 112].map(ordinal)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '23rd', '101st', '112th']);
  });
  it('calls the first the next to post', () => {
    expect(placeWords(1)).toBe('Next to post');
    expect(placeWords(3)).toBe('3rd in line');
  });
});

describe('rowTime', () => {
  it('uses finishedAt for a finished task, else its last change', () => {
    const done = makeTask({ id: 'a', status: 'completed', finishedAt: at(-3), updatedAt: at(-1) }, at(-10));
    expect(rowTime(done, NOW, none)).toMatchObject({ iso: at(-3), text: `${clockTime(at(-3), NOW)} · 3 min ago` });
    // The tooltip keeps when it was added.
    expect(rowTime(done, NOW, none).full).toMatch(/^Posted .* · Added /);
    const failed = makeTask({ id: 'b', status: 'failed', updatedAt: at(-5) }, at(-10));
    expect(rowTime(failed, NOW, none)).toMatchObject({ iso: at(-5), text: `${clockTime(at(-5), NOW)} · 5 min ago` });
  });
  it('gives a pending task its place and expected start, or says it waits for the pause', () => {
    const t = makeTask({ id: 'p' }, at(-1));
    expect(rowTime(t, NOW, { forecast: { taskId: 'p', place: 2, expectedAt: at(5) }, pausedIndefinitely: false }).text)
      .toBe(`2nd in line · about ${clockTime(at(5), NOW)}`);
    expect(rowTime(t, NOW, { forecast: { taskId: 'p', place: 1, expectedAt: at(0) }, pausedIndefinitely: false }).text).toBe('Next to post · now');
    expect(rowTime(t, NOW, { forecast: { taskId: 'p', place: 1, expectedAt: null }, pausedIndefinitely: true }))
      .toMatchObject({ iso: '', text: 'Next to post · waits for the pause to end' });
  });
  it('puts a backing-off task’s next try first, in local time', () => {
    const t = makeTask({ id: 'r', attempts: 2, nextAttemptAt: at(4) }, at(-10));
    expect(rowTime(t, NOW, { forecast: { taskId: 'r', place: 3, expectedAt: at(4) }, pausedIndefinitely: false }))
      .toMatchObject({ iso: at(4), text: `Next try ${clockTime(at(4), NOW)} · in 4 min`, tone: 'waiting' });
  });
});

describe('createForecastCache', () => {
  const tasks: Task[] = [makeTask({ id: 'a' }, at(-2)), makeTask({ id: 'b' }, at(-1))];
  const queue: QueueState = makeQueue(tasks);
  it('recomputes only when the state changed, and says whether anything a row shows changed', () => {
    const cache = createForecastCache();
    const state = { tasks, queue, settings: SETTINGS };
    expect(cache.update(state, NOW)).toBe(true);
    expect(cache.get('a')?.place).toBe(1);
    expect(cache.get('b')?.place).toBe(2);
    expect(cache.update(state, NOW + 1000)).toBe(false);
    // A new queue object with the same forecast to the minute: nothing to re-render.
    expect(cache.update({ ...state, queue: { ...queue } }, NOW + 2000)).toBe(false);
    expect(cache.update({ ...state, queue: { ...queue, paused: true, pauseReason: 'user' } }, NOW + 3000)).toBe(true);
    expect(cache.pausedIndefinitely()).toBe(true);
  });

  it('skips the forecast when only finished tasks changed, and redoes it when a pending one did', () => {
    const cache = createForecastCache();
    const done = makeTask({ id: 'd', status: 'completed' }, at(-5));
    expect(cache.update({ tasks: [...tasks, done], queue, settings: SETTINGS }, NOW)).toBe(true);
    const before = cache.get('a');
    // A new array, a finished task changed: the same forecast objects stay.
    expect(cache.update({ tasks: [...tasks, { ...done, note: 'x' }], queue, settings: SETTINGS }, NOW + 1000)).toBe(false);
    expect(cache.get('a')).toBe(before);
    // The first pending task is cancelled: the second moves up.
    expect(cache.update({ tasks: [{ ...tasks[0]!, status: 'cancelled' }, tasks[1]!], queue, settings: SETTINGS }, NOW + 2000)).toBe(true);
    expect(cache.get('b')?.place).toBe(1);
    expect(cache.get('a')).toBeUndefined();
  });
});
