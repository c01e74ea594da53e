import { describe, expect, it } from 'vitest';
import { newestFirst, type Task } from '../../../preload/contract';
import { nextInReview, reviewFirst, reviewIdsInOrder, reviewKeyAction, reviewWords } from '../../../renderer/tasks/review';
import { makeTask } from '../../e2e/support/fixtures';

const t = (id: string, status: Task['status'], minute: number): Task => makeTask({ id, status }, new Date(Date.UTC(2026, 2, 1, 12, minute)).toISOString());
const oldestFirst = (a: Task, b: Task): number => newestFirst(b, a);

describe('review mode in the tasks list', () => {
  const tasks = [t('p1', 'pending', 5), t('r1', 'review', 1), t('c1', 'completed', 9), t('r2', 'review', 3), t('f1', 'failed', 7)];

  it('puts tasks in review before every other, each group keeping the order chosen', () => {
    expect([...tasks].sort(reviewFirst(newestFirst)).map((x) => x.id)).toEqual(['r2', 'r1', 'c1', 'f1', 'p1']);
    expect([...tasks].sort(reviewFirst(oldestFirst)).map((x) => x.id)).toEqual(['r1', 'r2', 'p1', 'f1', 'c1']);
  });

  it('reads a, s and e (either case) as approve, skip and edit, and leaves keys with a modifier to the browser', () => {
    const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey', boolean>> = {}) =>
      reviewKeyAction({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...mods });
    expect([key('a'), key('S'), key('e'), key('x'), key('Enter')]).toEqual(['approve', 'skip', 'edit', null, null]);
    expect([key('s', { ctrlKey: true }), key('a', { metaKey: true }), key('e', { altKey: true })]).toEqual([null, null, null]);
  });

  it('lists the chosen tasks in review in the order shown, then the chosen ones a filter hides, leaving out the rest', () => {
    const shown = [t('r2', 'review', 3), t('r1', 'review', 1), t('p1', 'pending', 5)];
    const held = [t('r9', 'review', 0), ...shown];
    const chosen = new Set(['r1', 'r2', 'p1', 'r9']);
    expect(reviewIdsInOrder(shown, held, (id) => chosen.has(id))).toEqual(['r2', 'r1', 'r9']);
    expect(reviewIdsInOrder(shown, held, () => false)).toEqual([]);
  });

  it('goes on to the next task in review after the one answered, else back to the one before, else nowhere', () => {
    const shown = [t('r1', 'review', 1), t('r2', 'review', 2), t('p1', 'pending', 3), t('r3', 'review', 4)];
    expect(nextInReview(shown, 'r1')).toBe('r2');
    expect(nextInReview(shown, 'r2')).toBe('r3');
    expect(nextInReview(shown, 'r3')).toBe('r2');
    expect(nextInReview([shown[0]!], 'r1')).toBeNull();
    expect(nextInReview(shown, 'gone')).toBeNull();
  });

  it('says how many wait', () => {
    expect(reviewWords(1)).toBe('1 to review');
    expect(reviewWords(1234)).toBe(`${(1234).toLocaleString()} to review`);
  });
});
