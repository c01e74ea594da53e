// Selecting tasks for bulk actions: which ids are chosen, and what the chosen tasks allow. The
// statuses each bulk action applies to are the engine's (allowedActions); the others are left out
// of the call and of the count on the button. Pure.
import { allowedActions, type Task, type TaskAction } from '../../preload/contract';

export type BulkAction = Extract<TaskAction, 'retry' | 'cancel' | 'remove'>;

/** Whether the action applies to the task (the engine leaves the others alone). */
export function bulkApplies(action: BulkAction, task: Pick<Task, 'status'>): boolean {
  return allowedActions(task.status).includes(action);
}

export interface Selection {
  readonly ids: ReadonlySet<string>;
  has(id: string): boolean;
  toggle(id: string): void;
  set(ids: Iterable<string>): void;
  /** Chooses (or un-chooses) each of `ids`. */
  mark(ids: Iterable<string>, chosen: boolean): void;
  clear(): void;
  /** Drops ids no longer held (removed from history, or gone from the engine). */
  prune(held: readonly Task[]): void;
  /** The chosen tasks among `tasks`, in that order. */
  chosen(tasks: readonly Task[]): Task[];
}

export function createSelection(): Selection {
  const ids = new Set<string>();
  return {
    ids,
    has: (id) => ids.has(id),
    toggle(id) { if (!ids.delete(id)) ids.add(id); },
    set(next) { ids.clear(); for (const id of next) ids.add(id); },
    mark(some, chosen) { for (const id of some) { if (chosen) ids.add(id); else ids.delete(id); } },
    clear() { ids.clear(); },
    prune(held) {
      if (ids.size === 0) return;
      const present = new Set(held.map((t) => t.id));
      for (const id of [...ids]) if (!present.has(id)) ids.delete(id);
    },
    chosen(tasks) { return ids.size === 0 ? [] : tasks.filter((t) => ids.has(t.id)); },
  };
}

/** The ids among `tasks` an action would change. */
export function idsFor(action: BulkAction, tasks: readonly Task[]): string[] {
  return tasks.filter((t) => bulkApplies(action, t)).map((t) => t.id);
}

/** "3 selected"; with a filter hiding some, "3 selected (1 not shown)". */
export function selectedText(total: number, shown: number): string {
  const hidden = total - shown;
  return hidden > 0 ? `${total.toLocaleString()} selected (${hidden.toLocaleString()} not shown)` : `${total.toLocaleString()} selected`;
}

/** The ids from `fromId` to `toId` (both included, either order) in the list as shown; [] when either is not shown. */
export function rangeIds(shown: readonly Pick<Task, 'id'>[], fromId: string, toId: string): string[] {
  const a = shown.findIndex((t) => t.id === fromId);
  const b = shown.findIndex((t) => t.id === toId);
  if (a < 0 || b < 0) return [];
  return shown.slice(Math.min(a, b), Math.max(a, b) + 1).map((t) => t.id);
}
