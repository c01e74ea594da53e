import { describe, expect, it } from 'vitest';
import { newestFirst, type Task } from '../../../preload/contract';
import { newestTasks } from '../../../main/core/state/newest-tasks';
import { makeTask } from '../../e2e/support/fixtures';

const at = (minute: number): string => new Date(Date.UTC(2026, 2, 1, 12, minute)).toISOString();

describe('newestTasks', () => {
  it('picks the first N in the tasks window\'s order, whatever order the tasks come in', () => {
    const tasks: Task[] = [];
    // Shuffled creation times, and two tasks created in the same millisecond (the id breaks the tie).
    for (const [i, minute] of [7, 3, 9, 1, 9, 5, 0, 8, 2, 6, 4].entries()) tasks.push(makeTask({ id: `t${i}` }, at(minute)));
    const sorted = [...tasks].sort(newestFirst);
    for (const limit of [0, 1, 3, 5, 11, 50]) expect(newestTasks(tasks, limit)).toEqual(sorted.slice(0, limit));
  });

  it('gives the same answer on the long path for limits past its insertion window', () => {
    const tasks = Array.from({ length: 600 }, (_, i) => makeTask({ id: `t${(i * 7919) % 600}` }, at((i * 31) % 600)));
    expect(newestTasks(tasks, 400)).toEqual([...tasks].sort(newestFirst).slice(0, 400));
  });

  it('leaves the tasks it was given as they were', () => {
    const tasks = [makeTask({ id: 'a' }, at(1)), makeTask({ id: 'b' }, at(2))];
    newestTasks(tasks, 1);
    expect(tasks.map((t) => t.id)).toEqual(['a', 'b']);
  });
});
