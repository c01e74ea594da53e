// Review mode in the tasks window (issue 17): tasks waiting in review come before everything else
// whatever the order chosen, the keys a focused review row answers to, and the words for them. Pure.
import type { Task } from '../../preload/contract';

type Order = (a: Task, b: Task) => number;

/** `order`, with every task in review before the rest (among themselves they keep `order`). */
export function reviewFirst(order: Order): Order {
  return (a, b) => {
    const ra = a.status === 'review' ? 0 : 1;
    const rb = b.status === 'review' ? 0 : 1;
    return ra !== rb ? ra - rb : order(a, b);
  };
}

export type ReviewKey = 'approve' | 'skip' | 'edit';

/** a / s / e, as aria-keyshortcuts names them on the row's buttons. */
export const REVIEW_KEYS: Record<ReviewKey, string> = { approve: 'A', skip: 'S', edit: 'E' };

/** What a key pressed on a review row asks for; null for any other key or with a modifier (Ctrl+S, Alt+A stay the browser's). */
export function reviewKeyAction(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>): ReviewKey | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  switch (e.key) {
    case 'a': case 'A': return 'approve';
    case 's': case 'S': return 'skip';
    case 'e': case 'E': return 'edit';
    default: return null;
  }
}

/** "3 to review". */
export function reviewWords(n: number): string {
  return `${n.toLocaleString()} to review`;
}

/**
 * The chosen tasks in review in the order the list shows them (approval order is queue order),
 * then any chosen but not shown (a filter hides them), in `held` order.
 */
export function reviewIdsInOrder(shown: readonly Task[], held: readonly Task[], chosen: (id: string) => boolean): string[] {
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const list of [shown, held]) {
    for (const t of list) {
      if (t.status !== 'review' || !chosen(t.id) || seen.has(t.id)) continue;
      seen.add(t.id);
      ids.push(t.id);
    }
  }
  return ids;
}

/**
 * The review task the keyboard goes to once `id` has been answered: the next in review after it in
 * the list, else the one before it; null when it was the last.
 */
export function nextInReview(shown: readonly Task[], id: string): string | null {
  const i = shown.findIndex((t) => t.id === id);
  if (i < 0) return null;
  for (let j = i + 1; j < shown.length; j++) if (shown[j]!.status === 'review') return shown[j]!.id;
  for (let j = i - 1; j >= 0; j--) if (shown[j]!.status === 'review') return shown[j]!.id;
  return null;
}
