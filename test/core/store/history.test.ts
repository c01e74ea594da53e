import { describe, expect, it } from 'vitest';
import type { Task, TaskStatus } from '../../../preload/contract';
import { pruneHistory } from '../../../main/core/store/history';

function task(id: string, status: TaskStatus, updatedMinute: number): Task {
  const at = new Date(Date.UTC(2026, 0, 1, 0, updatedMinute)).toISOString();
  return {
    id, feedId: 'f', itemId: id, itemTitle: id, itemLink: null, text: id, imageUrl: null, status,
    attempts: 0, nextAttemptAt: null, error: null, postId: null, postUrl: null, dryRun: false, note: null,
    createdAt: at, updatedAt: at,
  };
}

describe('pruneHistory', () => {
  it('removes the oldest finished tasks beyond the limit', () => {
    const tasks = [task('c3', 'completed', 3), task('c1', 'completed', 1), task('x2', 'cancelled', 2), task('c4', 'completed', 4)];
    expect(pruneHistory(tasks, 2)).toEqual(['c1', 'x2']);
  });

  it('never removes pending, running or failed tasks, however many there are', () => {
    const tasks = [task('p', 'pending', 0), task('r', 'running', 0), task('f', 'failed', 0), task('c', 'completed', 9)];
    expect(pruneHistory(tasks, 0)).toEqual(['c']);
  });

  it('removes nothing when the finished tasks fit within the limit', () => {
    expect(pruneHistory([task('a', 'completed', 1), task('b', 'cancelled', 2)], 2)).toEqual([]);
  });

  it('breaks ties in finishing time by creation time, then id, so the answer is stable', () => {
    const a = { ...task('b', 'completed', 5), createdAt: '2026-01-01T00:00:00.000Z' };
    const b = { ...task('a', 'completed', 5), createdAt: '2026-01-01T00:00:00.000Z' };
    const c = { ...task('c', 'completed', 5), createdAt: '2025-12-31T00:00:00.000Z' };
    expect(pruneHistory([a, b, c], 1)).toEqual(['c', 'a']);
  });
});
