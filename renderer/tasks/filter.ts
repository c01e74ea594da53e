// Which tasks the list shows, in which order, and the counts for the filter bar. Pure.
import { newestFirst, TASK_STATUSES, type Feed, type Task, type TaskStatus } from '../../preload/contract';

export type StatusFilter = 'all' | TaskStatus;
export const STATUS_FILTERS: readonly StatusFilter[] = ['all', ...TASK_STATUSES];

/** `feedId` '' (or absent): every feed. */
export interface TaskFilter {
  status: StatusFilter; query: string; feedId?: string;
  /** '' (or absent): every account. */
  accountId?: string;
}

/** What a feed is called in the views: the user's name, else the feed's title, else its host. */
export function feedLabel(feed: Feed | undefined, fallbackUrl?: string): string {
  if (feed?.name) return feed.name;
  if (feed?.title) return feed.title;
  const url = feed?.url ?? fallbackUrl;
  if (!url) return 'Unknown feed';
  try { return new URL(url).host || url; } catch { return url; }
}

export function countByStatus(tasks: readonly Task[]): Record<StatusFilter, number> {
  const counts: Record<StatusFilter, number> = { all: tasks.length, review: 0, pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0 };
  for (const t of tasks) counts[t.status] += 1;
  return counts;
}

/** Newest first: the contract's order, the one getState's taskLimit picks the first tasks by. */
export { newestFirst };

function normalise(s: string): string {
  return s.toLocaleLowerCase().normalize('NFKD').replace(/\p{M}/gu, '');
}

/** Every whitespace-separated word of the query must appear in the feed label, title or post text. */
export function matchesQuery(task: Task, feedName: string, query: string): boolean {
  const words = normalise(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = normalise(`${feedName}\n${task.itemTitle}\n${task.text}`);
  return words.every((w) => hay.includes(w));
}

/** The tasks the filter lets through, in `order` (newest first unless told). */
export function visibleTasks(tasks: readonly Task[], feeds: readonly Feed[], filter: TaskFilter,
  order: (a: Task, b: Task) => number = newestFirst): Task[] {
  const feedsById = new Map(feeds.map((f) => [f.id, f]));
  const query = filter.query.trim();
  const feedId = filter.feedId ?? '';
  const accountId = filter.accountId ?? '';
  const out = tasks.filter((t) =>
    (filter.status === 'all' || t.status === filter.status) &&
    (feedId === '' || t.feedId === feedId) &&
    (accountId === '' || (t.accountId ?? 'default') === accountId) &&
    (query === '' || matchesQuery(t, feedLabel(feedsById.get(t.feedId)), query)));
  return out.sort(order);
}
