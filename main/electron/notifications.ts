// Desktop notifications for tasks that just failed or were posted. Which ones and their words
// are pure (notificationFor, coalesce); createNotifier watches the state and shows them.
import { Notification } from 'electron';
import type { NotificationMode, Task } from '../../preload/contract';
import type { AppService } from '../core/app-service';
import { systemClock, type Clock, type Logger } from '../core/ports';
import { createStore } from '../../common/state';

export interface NotificationContent { title: string; body: string }

/** More than this many in one burst become a single summary. */
export const MAX_PER_BURST = 3;
/** How long a burst gathers before it is shown. */
export const BURST_MS = 750;

const TITLE_MAX = 80;
const BODY_MAX = 240;

/**
 * C0/C1 controls, and the bidi controls that could make a feed title read as something else.
 * Notifications do not render HTML, so feed text only needs to become one clean line.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

export function plainText(text: string, max: number): string {
  const clean = text.replace(UNSAFE_CHARS, ' ').replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1).trimEnd()}…` : clean;
}

const itemTitle = (task: Task): string => plainText(task.itemTitle, TITLE_MAX) || 'Untitled item';

/**
 * What to tell the user about a task's change, or null. Only a change *into* failed or
 * completed counts; completions only in 'all'.
 */
export function notificationFor(previous: Task | undefined, next: Task, mode: NotificationMode): NotificationContent | null {
  if (mode === 'off' || previous?.status === next.status) return null;
  const dry = next.dryRun ? ' (dry run)' : '';
  if (next.status === 'failed') {
    const reason = next.error?.message ? plainText(next.error.message, BODY_MAX) : 'The post could not be made.';
    return { title: plainText(`Post failed${dry}: ${itemTitle(next)}`, TITLE_MAX), body: reason };
  }
  if (next.status === 'completed' && mode === 'all') {
    return next.dryRun
      ? { title: plainText(`Dry run: ${itemTitle(next)}`, TITLE_MAX), body: plainText(`Not posted to X. Would have posted: ${next.text}`, BODY_MAX) }
      : { title: plainText(`Posted: ${itemTitle(next)}`, TITLE_MAX), body: plainText(next.note ? `${next.text} (${next.note})` : next.text, BODY_MAX) };
  }
  return null;
}

export interface BurstEntry { status: 'failed' | 'completed'; content: NotificationContent }

/**
 * New tasks in review (a feed in review mode polled): one notification for all of them, whatever
 * their number — "3 posts to review" — unless notifications are off. They wait for the user, so
 * 'failures' shows them too.
 */
export function reviewNotification(arrived: readonly Task[], mode: NotificationMode): NotificationContent | null {
  if (mode === 'off' || arrived.length === 0) return null;
  const n = arrived.length;
  const titles = arrived.slice(0, 3).map(itemTitle).join('; ');
  return {
    title: n === 1 ? '1 post to review' : `${n.toLocaleString('en-US')} posts to review`,
    body: plainText(`Approve or skip in Crier's tasks: ${titles}${n > 3 ? '; …' : ''}`, BODY_MAX),
  };
}

/** Whether `next` is a new task in review (one an undone skip puts back is no news). */
export function arrivedInReview(previous: Task | undefined, next: Task): boolean {
  return previous === undefined && next.status === 'review';
}

/** A burst as shown: each entry while there are few, else one summary by outcome. */
export function coalesce(entries: BurstEntry[], max = MAX_PER_BURST): NotificationContent[] {
  if (entries.length <= max) return entries.map((e) => e.content);
  const failed = entries.filter((e) => e.status === 'failed').length;
  const completed = entries.length - failed;
  const parts = [
    failed > 0 ? `${failed} ${failed === 1 ? 'post' : 'posts'} failed` : '',
    completed > 0 ? `${completed} ${completed === 1 ? 'post' : 'posts'} done` : '',
  ].filter(Boolean);
  const title = parts.join(', ');
  const body = plainText(`Open Crier's tasks to see them. ${entries.slice(0, 3).map((e) => e.content.title).join('; ')}`, BODY_MAX);
  return [{ title: title.charAt(0).toUpperCase() + title.slice(1), body }];
}

export interface NotifierDeps {
  service: Pick<AppService, 'getState' | 'onDelta'>;
  /** Called when the user clicks a notification. */
  openTasks?: () => void;
  clock?: Clock;
  log?: Logger;
}

export function createNotifier(deps: NotifierDeps): { dispose(): void } {
  const clock = deps.clock ?? systemClock;
  const log = deps.log ?? fallbackLog;
  const store = createStore(deps.service);
  let previous = store.get();
  let burst: BurstEntry[] = [];
  /** Tasks that arrived in review during this burst: one notification for them all. */
  let reviews: Task[] = [];
  let cancelFlush: (() => void) | null = null;
  // Electron drops a notification that nothing references before it is shown or clicked.
  const live = new Set<Notification>();

  const show = (content: NotificationContent): void => {
    if (!Notification.isSupported()) return;
    const notification = new Notification({ title: content.title, body: content.body, silent: false });
    live.add(notification);
    const forget = (): void => { live.delete(notification); };
    notification.on('click', () => { forget(); deps.openTasks?.(); });
    notification.on('close', forget);
    notification.on('failed', (_event, error) => { forget(); log.warn('a notification could not be shown', { error }); });
    notification.show();
  };

  const flush = (): void => {
    cancelFlush = null;
    const entries = burst;
    burst = [];
    const arrived = reviews;
    reviews = [];
    try {
      const review = reviewNotification(arrived, previous?.settings.notifications ?? 'all');
      if (review) show(review);
      for (const content of coalesce(entries)) show(content);
    } catch (err) {
      log.error('showing a notification failed', { error: err instanceof Error ? err.message : String(err) });
    }
  };

  const unsubscribe = store.subscribe(() => {
    const next = store.get();
    if (!next) return;
    // The first snapshot is history, not news.
    if (previous && next.epoch === previous.epoch) {
      const before = new Map(previous.tasks.map((t) => [t.id, t]));
      for (const task of next.tasks) {
        const old = before.get(task.id);
        if (old === task) continue; // unchanged entities keep their identity (applyDelta)
        if (arrivedInReview(old, task)) reviews.push(task);
        const content = notificationFor(old, task, next.settings.notifications);
        if (content && (task.status === 'failed' || task.status === 'completed')) burst.push({ status: task.status, content });
      }
      if ((burst.length > 0 || reviews.length > 0) && !cancelFlush) cancelFlush = clock.setTimeout(flush, BURST_MS);
    }
    previous = next;
  });

  return {
    dispose() {
      unsubscribe();
      store.close();
      cancelFlush?.();
      cancelFlush = null;
      burst = [];
      reviews = [];
      for (const n of live) n.close();
      live.clear();
    },
  };
}

const fallbackLog: Logger = {
  debug() {},
  info() {},
  warn: (msg, fields) => console.warn(msg, fields ?? ''),
  error: (msg, fields) => console.error(msg, fields ?? ''),
};
