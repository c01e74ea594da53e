// "N new": tasks that arrive while the user reads further down are not pushed into view (the
// browser's scroll anchoring keeps the rows read where they are); they are counted instead, and a
// button jumps to them. At the top of the list new tasks simply show. Pure: the page says whether
// it is scrolled down and which task is the first in sight.
import type { Task } from '../../preload/contract';

export interface NewTasks {
  /**
   * Records the tasks held. Those never seen before count as new only when `counting` (the user is
   * scrolled down) and the page held every task already: the rest of a first limited load is not news.
   */
  observe(tasks: readonly Task[], opts: { counting: boolean; complete: boolean }): void;
  /** How many new tasks are in `shown` before `anchor` (the first task in sight) in `order`. */
  above(shown: readonly Task[], anchor: Task | undefined, order: (a: Task, b: Task) => number): number;
  /** Whether any task is counted as new (the page then looks for the first row in sight). */
  any(): boolean;
  /** The user saw them (jumped or scrolled to the top, or changed the view). */
  clear(): void;
}

export function createNewTasks(): NewTasks {
  const known = new Set<string>();
  const unseen = new Set<string>();
  let lastTasks: readonly Task[] | null = null;
  let wasComplete = false;
  return {
    observe(tasks, { counting, complete }) {
      if (tasks === lastTasks) return;
      lastTasks = tasks;
      const countable = counting && wasComplete && complete;
      for (const t of tasks) {
        if (known.has(t.id)) continue;
        known.add(t.id);
        if (countable) unseen.add(t.id);
      }
      wasComplete = complete;
    },
    above(shown, anchor, order) {
      if (unseen.size === 0 || !anchor) return 0;
      let n = 0;
      for (const t of shown) if (unseen.has(t.id) && order(t, anchor) < 0) n += 1;
      return n;
    },
    any: () => unseen.size > 0,
    clear() { unseen.clear(); },
  };
}
