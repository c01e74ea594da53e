// What a row says about time: when a finished task finished (a local clock time one glance away,
// not only in a tooltip), and for a pending task its place in the queue and expected start, from
// the same forecast the engine posts by (common/forecast.ts).
import type { QueueState, Settings, StateSnapshot, Task, TaskForecast } from '../../preload/contract';
import { clockTime, exactTime, relativeTime } from '../../common/time';
import { forecastPending } from '../../common/forecast';

export interface RowTime {
  /** The instant the row's main time stands for (ISO), for <time datetime>; '' when none. */
  iso: string;
  /** What the row shows, e.g. "14:05 · 3 min ago", "Next to post · about 14:07". */
  text: string;
  /** The same in full words for the tooltip and the row's label, e.g. "Posted Mar 1, 2026, 14:05:09". */
  full: string;
  /** 'waiting' for a pending task backing off, so it stands out. */
  tone: 'plain' | 'waiting';
}

/** "1st", "2nd", "3rd", "11th", "22nd". */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

/** When a task that is no longer waiting got there: finishedAt, else its last change. */
export function finishedAt(task: Task): string {
  return task.finishedAt ?? task.updatedAt;
}

const FINISHED_VERBS = { completed: 'Posted', failed: 'Failed', cancelled: 'Cancelled', running: 'Posting since' } as const;

/** "14:05 · 3 min ago" (with the date when not today). */
export function clockAndAgo(iso: string, now: number): string {
  const clock = clockTime(iso, now);
  const ago = relativeTime(iso, now);
  return clock && ago ? `${clock} · ${ago}` : clock || ago;
}

export interface PendingContext {
  forecast: TaskForecast | undefined;
  /** The queue is paused (by the user or by X) with no known end. */
  pausedIndefinitely: boolean;
}

/** A pending task's place words: "Next to post", "3rd in line". */
export function placeWords(place: number): string {
  return place === 1 ? 'Next to post' : `${ordinal(place)} in line`;
}

/** The row's main time. `pending` only matters for pending tasks. */
export function rowTime(task: Task, now: number, pending: PendingContext): RowTime {
  if (task.status === 'pending') return pendingTime(task, now, pending);
  if (task.status === 'review') return { iso: task.createdAt, text: `Added ${clockAndAgo(task.createdAt, now)}`, full: `Added ${exactTime(task.createdAt)}`, tone: 'plain' };
  const iso = task.status === 'running' ? task.updatedAt : finishedAt(task);
  const verb = FINISHED_VERBS[task.status];
  return { iso, text: clockAndAgo(iso, now), full: `${verb} ${exactTime(iso)} · Added ${exactTime(task.createdAt)}`, tone: 'plain' };
}

function pendingTime(task: Task, now: number, { forecast, pausedIndefinitely }: PendingContext): RowTime {
  const created = `Added ${exactTime(task.createdAt)}`;
  const retryAt = task.nextAttemptAt ? Date.parse(task.nextAttemptAt) : NaN;
  // Backing off after a failed attempt: the next try, in local time, comes first.
  if (!Number.isNaN(retryAt) && retryAt > now && !task.postNowAt) {
    const iso = task.nextAttemptAt!;
    const place = forecast ? ` · ${placeWords(forecast.place)}` : '';
    return { iso, text: `Next try ${clockAndAgo(iso, now)}`, full: `Next try ${exactTime(iso)}${place} · ${created}`, tone: 'waiting' };
  }
  if (!forecast) return { iso: task.createdAt, text: `Added ${clockAndAgo(task.createdAt, now)}`, full: created, tone: 'plain' };
  const place = placeWords(forecast.place);
  if (forecast.expectedAt === null || pausedIndefinitely) {
    return { iso: '', text: `${place} · waits for the pause to end`, full: `${place}; waits for the pause to end · ${created}`, tone: 'plain' };
  }
  const at = forecast.expectedAt;
  const soon = Date.parse(at) <= now + 30_000;
  const when = soon ? 'now' : `about ${clockTime(at, now)}`;
  return { iso: at, text: `${place} · ${when}`, full: `${place}, expected ${soon ? 'now' : exactTime(at)} · ${created}`, tone: 'plain' };
}

/** Rows show expected times to the minute: a forecast that moved by seconds changes nothing shown. */
const minute = (iso: string | null): number => (iso === null ? -1 : Math.floor(Date.parse(iso) / 60_000));

type ForecastState = Pick<StateSnapshot, 'tasks'> & { queue: QueueState; settings: Settings };

/** What the forecast reads of the queue and settings: a new queue object with the same values changes nothing. */
function inputsKey(queue: QueueState, settings: Settings): string {
  return [queue.paused, queue.resumesAt, queue.postedToday, queue.dailyCap, queue.nextPostAt ?? '', settings.minPostGapSeconds].join('|');
}

/**
 * Each pending task's forecast, recomputed only when the pending tasks (the same objects: the
 * store replaces a task that changed), what it reads of the queue and settings, or the minute
 * changed (expected times move with the clock). A delta about finished tasks costs one pass over
 * the tasks, not a forecast. `update` says whether anything a row shows changed, so the page
 * re-renders the rows in sight only then.
 */
export function createForecastCache(): {
  update(state: ForecastState, now: number): boolean;
  get(taskId: string): TaskForecast | undefined;
  pausedIndefinitely(): boolean;
} {
  let pending: Task[] = [];
  let key = '';
  let at = -Infinity;
  let byId = new Map<string, TaskForecast>();
  let paused = false;
  return {
    update(state, now) {
      const nextPending = state.tasks.filter((t) => t.status === 'pending');
      const nextKey = inputsKey(state.queue, state.settings);
      const samePending = nextPending.length === pending.length && nextPending.every((t, i) => t === pending[i]);
      if (samePending && nextKey === key && now - at < 60_000) return false;
      pending = nextPending;
      key = nextKey;
      at = now;
      const next = new Map(forecastPending(nextPending, { now, queue: state.queue, settings: state.settings }).map((f) => [f.taskId, f]));
      const nextPaused = state.queue.paused && !state.queue.resumesAt;
      const changed = nextPaused !== paused || next.size !== byId.size
        || [...next].some(([id, f]) => { const old = byId.get(id); return !old || old.place !== f.place || minute(old.expectedAt) !== minute(f.expectedAt); });
      byId = next;
      paused = nextPaused;
      return changed;
    },
    get: (id) => byId.get(id),
    pausedIndefinitely: () => paused,
  };
}
