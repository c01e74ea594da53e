// The task list's pure parts: orders, "N new", selection, spend, per-feed options, export names.
import { describe, expect, it } from 'vitest';
import type { Task } from '../../../preload/contract';
import { orderFor } from '../../../renderer/tasks/sort';
import { createNewTasks } from '../../../renderer/tasks/new-tasks';
import { bulkApplies, createSelection, idsFor, rangeIds, selectedText } from '../../../renderer/tasks/selection';
import { formatUsd, spendTexts } from '../../../renderer/tasks/spend';
import { countsText, feedFromHash, feedOptions, hashForFeed } from '../../../renderer/tasks/feed-filter';
import { exportFileName } from '../../../renderer/tasks/export';
import { loadCompact, saveCompact } from '../../../renderer/tasks/compact';
import { makeFeed, makeQueue, makeTask, SETTINGS } from '../../e2e/support/fixtures';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const at = (min: number): string => new Date(NOW - min * 60_000).toISOString();
const task = (id: string, fields: Partial<Task>, minutesAgo: number): Task => makeTask({ id, ...fields }, at(minutesAgo));
const ids = (ts: Task[]): string[] => ts.map((t) => t.id);

describe('orderFor', () => {
  const tasks = [
    task('done', { status: 'completed' }, 1), task('young', { status: 'pending' }, 2), task('run', { status: 'running' }, 3),
    task('asked', { status: 'pending', postNowAt: at(0) }, 4), task('waits', { status: 'pending', nextAttemptAt: new Date(NOW + 3_600_000).toISOString() }, 8),
    task('old', { status: 'pending' }, 9), task('failed', { status: 'failed' }, 10),
  ];
  const ctx = { now: NOW, queue: makeQueue(tasks), settings: SETTINGS };
  const sorted = (sort: 'newest' | 'oldest' | 'next'): string[] => ids([...tasks].sort(orderFor(sort, tasks, ctx)));

  it('puts the newest first, or the oldest', () => {
    expect(sorted('newest')).toEqual(['done', 'young', 'run', 'asked', 'waits', 'old', 'failed']);
    expect(sorted('oldest')).toEqual(['failed', 'old', 'waits', 'asked', 'run', 'young', 'done']);
  });

  it('puts the task being posted first, then the pending ones in the queue’s order (post now, due, backing off), then the rest newest first', () => {
    expect(sorted('next')).toEqual(['run', 'asked', 'old', 'young', 'waits', 'done', 'failed']);
  });
});

describe('createNewTasks', () => {
  const order = (a: Task, b: Task): number => (a.createdAt < b.createdAt ? 1 : -1);
  const held = [task('a', {}, 1), task('b', {}, 2), task('c', {}, 3)];

  it('counts tasks that arrive while the user is scrolled down, above the first task in sight', () => {
    const n = createNewTasks();
    n.observe(held, { counting: false, complete: true });
    const next = [task('new', {}, 0), ...held];
    n.observe(next, { counting: true, complete: true });
    expect(n.any()).toBe(true);
    expect(n.above(next, held[1], order)).toBe(1);
    n.clear();
    expect(n.above(next, held[1], order)).toBe(0);
  });

  it('does not count what arrives at the top, nor the rest of a first limited load', () => {
    const n = createNewTasks();
    n.observe(held.slice(0, 1), { counting: true, complete: false });
    n.observe(held, { counting: true, complete: true });
    expect(n.any()).toBe(false);
    n.observe([task('top', {}, 0), ...held], { counting: false, complete: true });
    expect(n.any()).toBe(false);
  });

  it('does not count a new task that sorts below the first task in sight', () => {
    const n = createNewTasks();
    n.observe(held, { counting: false, complete: true });
    const next = [...held, task('older', {}, 9)];
    n.observe(next, { counting: true, complete: true });
    expect(n.above(next, held[0], order)).toBe(0);
  });
});

describe('selection', () => {
  const tasks = [task('p', { status: 'pending' }, 1), task('f', { status: 'failed' }, 2), task('c', { status: 'completed' }, 3),
    task('x', { status: 'cancelled' }, 4), task('r', { status: 'running' }, 5)];

  it('sends each bulk action only the tasks it applies to', () => {
    expect(idsFor('retry', tasks)).toEqual(['f', 'x']);
    expect(idsFor('cancel', tasks)).toEqual(['p', 'f']);
    expect(idsFor('remove', tasks)).toEqual(['f', 'c', 'x']);
    expect(bulkApplies('remove', { status: 'running' })).toBe(false);
  });

  it('toggles, drops tasks no longer held, and says how many are chosen and how many the filter hides', () => {
    const s = createSelection();
    s.toggle('p'); s.toggle('c'); s.toggle('gone'); s.toggle('c');
    expect([...s.ids]).toEqual(['p', 'gone']);
    s.prune(tasks);
    expect(ids(s.chosen(tasks))).toEqual(['p']);
    expect(selectedText(3, 3)).toBe('3 selected');
    expect(selectedText(1200, 1000)).toBe('1,200 selected (200 not shown)');
  });

  it('takes a range in the order shown, either way round, and nothing when an end is not shown', () => {
    expect(rangeIds(tasks, 'f', 'x')).toEqual(['f', 'c', 'x']);
    expect(rangeIds(tasks, 'x', 'f')).toEqual(['f', 'c', 'x']);
    expect(rangeIds(tasks, 'p', 'p')).toEqual(['p']);
    expect(rangeIds(tasks, 'p', 'hidden')).toEqual([]);
    const s = createSelection();
    s.mark(['p', 'f'], true);
    s.mark(['f'], false);
    expect([...s.ids]).toEqual(['p']);
  });
});

describe('spend', () => {
  it('shows posts and dollars for today and the month, and nothing without spend', () => {
    expect(formatUsd(184.5)).toMatch(/^\$184\.50$|^US\$184\.50$/);
    const t = spendTexts({ today: { posts: 1, withLink: 1, usd: 0.2 }, month: { posts: 40, withLink: 12, usd: 2.82 } });
    expect(t?.text).toMatch(/^Today 1 post · .*0\.20 · Month 40 posts · .*2\.82$/);
    expect(t?.title).toContain('40 posts (12 with a link)');
    expect(spendTexts(undefined)).toBeNull();
  });
});

describe('feedOptions', () => {
  it('lists all feeds, then each feed by its label with its non-zero counts', () => {
    const feeds = [makeFeed({ id: 'z', title: 'Zeta', counts: { posted: 1500, pending: 0, failed: 2 } }), makeFeed({ id: 'a', name: 'Alpha' }),
      makeFeed({ id: 'e', title: 'Empty', counts: { posted: 0, pending: 0, failed: 0 } })];
    expect(feedOptions(feeds)).toEqual([
      { value: '', label: 'All feeds' }, { value: 'a', label: 'Alpha' }, { value: 'e', label: 'Empty (no tasks)' },
      { value: 'z', label: 'Zeta (1,500 posted · 2 failed)' }]);
    expect(countsText(undefined)).toBe('');
  });

  it('reads and writes the feed in the address’s hash', () => {
    expect(feedFromHash('#feed=news')).toBe('news');
    expect(feedFromHash(hashForFeed('a b&c'))).toBe('a b&c');
    expect(feedFromHash('')).toBe('');
    expect(hashForFeed('')).toBe('');
  });
});

describe('exportFileName and compact mode', () => {
  it('names the file for the local day', () => {
    expect(exportFileName('csv', new Date(2026, 2, 1, 23, 59))).toBe('crier-tasks-2026-03-01.csv');
    expect(exportFileName('json', new Date(2026, 11, 31, 0, 0))).toBe('crier-tasks-2026-12-31.json');
  });

  it('keeps compact mode in storage, and storage that refuses only forgets it', () => {
    const items = new Map<string, string>();
    const storage = { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => { items.set(k, v); } };
    expect(loadCompact(storage)).toBe(false);
    saveCompact(storage, true);
    expect(loadCompact(storage)).toBe(true);
    const refusing = { getItem: (): string => { throw new Error('denied'); }, setItem: (): void => { throw new Error('quota'); } };
    expect(() => saveCompact(refusing, true)).not.toThrow();
    expect(loadCompact(refusing)).toBe(false);
    expect(loadCompact(null)).toBe(false);
  });
});
