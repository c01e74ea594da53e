// Contract-shaped fake data for browser tests and screenshots. No imports with side effects:
// the fake bridge bundles this into the page.
import type { Feed, QueueState, StateSnapshot, Task, TaskStatus } from '../../../preload/contract';

export const SETTINGS = {
  minPostGapSeconds: 60, dailyCap: 50, retryBaseSeconds: 30, retryMaxSeconds: 3600, maxAttempts: 8,
  maxFeedBytes: 10 * 1024 * 1024, fetchTimeoutSeconds: 20, historyLimit: 5000, failedHistoryLimit: 10_000, maxConcurrentFetches: 4,
  defaultIntervalMinutes: 15, dryRun: false, startAtLogin: false, pricePerPostUsd: 0.015,
  pricePerPostWithUrlUsd: 0.2, notifications: 'failures' as const, checkTimelineBeforeResend: true,
};

export function makeFeed(fields: Partial<Feed> & { id: string }): Feed {
  return {
    url: `https://${fields.id}.example.org/feed.xml`, enabled: true, name: null, title: null,
    intervalMinutes: 15, template: '{title} {link}', include: [], exclude: [], maxHashtags: 3,
    postImages: false, backfill: 0,
    health: { lastFetchedAt: null, lastStatus: null, lastError: null, consecutiveFailures: 0, nextPollAt: null },
    recentSkips: [], ...fields,
  };
}

export function makeTask(fields: Partial<Task> & { id: string }, at = '2026-03-01T12:00:00.000Z'): Task {
  return {
    feedId: 'blog', itemId: `item-${fields.id}`, itemTitle: `Item ${fields.id}`,
    itemLink: `https://blog.example.org/${fields.id}`, text: `Item ${fields.id} https://blog.example.org/${fields.id}`,
    imageUrl: null, status: 'pending', attempts: 0, nextAttemptAt: null, error: null, postId: null,
    postUrl: null, dryRun: false, note: null, createdAt: at, updatedAt: at, ...fields,
  };
}

export function countsOf(tasks: Task[]): Record<TaskStatus, number> {
  const c: Record<TaskStatus, number> = { review: 0, pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0 };
  for (const t of tasks) c[t.status] += 1;
  return c;
}

export function makeQueue(tasks: Task[], fields: Partial<QueueState> = {}): QueueState {
  return { paused: false, pauseReason: null, resumesAt: null, postedToday: 0, dailyCap: 50, counts: countsOf(tasks), ...fields };
}

export function makeSnapshot(fields: Partial<StateSnapshot> = {}): StateSnapshot {
  const tasks = fields.tasks ?? [];
  return {
    epoch: 'epoch-1', seq: 1, tasks, feeds: [makeFeed({ id: 'blog', title: 'The Example Blog' })],
    settings: SETTINGS, queue: makeQueue(tasks),
    account: { connected: true, handle: 'crier_test', method: 'oauth1', dryRun: false, secretsProtected: true },
    notices: [], ...fields,
  };
}

const STATUSES: TaskStatus[] = ['completed', 'completed', 'completed', 'pending', 'failed', 'cancelled', 'completed', 'pending'];

/** `n` tasks, newest first by index 0, spread one minute apart before `now`. */
export function manyTasks(n: number, now: number): Task[] {
  const out: Task[] = [];
  for (let i = 0; i < n; i++) {
    const at = new Date(now - i * 60_000).toISOString();
    out.push(makeTask({ id: `t${String(i).padStart(5, '0')}`, status: STATUSES[i % STATUSES.length] ?? 'pending',
      itemTitle: `Release notes number ${i}`, text: `Release notes number ${i} — what changed and why https://blog.example.org/${i}` }, at));
  }
  return out;
}

/** A believable mix for screenshots: every status, a retry waiting, an error, a note. */
export function realisticSnapshot(now: number): StateSnapshot {
  const ago = (min: number): string => new Date(now - min * 60_000).toISOString();
  const feeds = [
    makeFeed({ id: 'rust', url: 'https://blog.rust-lang.org/feed.xml', title: 'Rust Blog' }),
    makeFeed({ id: 'hn', url: 'https://hnrss.org/frontpage', name: 'HN front page' }),
    makeFeed({ id: 'lwn', url: 'https://lwn.net/headlines/rss', title: 'LWN.net' }),
    makeFeed({ id: 'notes', url: 'https://notes.example.org/atom.xml' }),
  ];
  const tasks: Task[] = [
    makeTask({ id: 'a1', feedId: 'hn', status: 'running', attempts: 1, itemTitle: 'SQLite’s query planner, explained from first principles',
      text: 'SQLite’s query planner, explained from first principles https://sqlite.org/queryplanner.html', itemLink: 'https://sqlite.org/queryplanner.html' }, ago(1)),
    makeTask({ id: 'a2', feedId: 'rust', status: 'pending', itemTitle: 'Announcing Rust 1.95.0',
      text: 'Announcing Rust 1.95.0 #rustlang https://blog.rust-lang.org/2026/03/01/Rust-1.95.0.html', itemLink: 'https://blog.rust-lang.org/2026/03/01/Rust-1.95.0.html' }, ago(3)),
    makeTask({ id: 'a3', feedId: 'lwn', status: 'pending', attempts: 2, nextAttemptAt: new Date(now + 4 * 60_000).toISOString(),
      error: { kind: 'server', message: 'X answered 503 Service Unavailable', httpStatus: 503 },
      itemTitle: 'A look at the 7.2 merge window', text: 'A look at the 7.2 merge window https://lwn.net/Articles/1001234/', itemLink: 'https://lwn.net/Articles/1001234/' }, ago(9)),
    makeTask({ id: 'a4', feedId: 'notes', status: 'failed', attempts: 1,
      error: { kind: 'invalid-post', message: 'Your Tweet text is too long.', httpStatus: 400 },
      itemTitle: 'Notes on building a calm, local-first sync engine for desktop apps',
      text: 'Notes on building a calm, local-first sync engine for desktop apps — conflict-free replicated data types, tombstones, and the long tail of clock skew, with benchmarks and a retrospective on what went wrong the first time https://notes.example.org/sync', itemLink: 'https://notes.example.org/sync' }, ago(26)),
    makeTask({ id: 'a5', feedId: 'rust', status: 'completed', attempts: 1, postId: '1895', postUrl: 'https://x.com/crier_demo/status/1895',
      itemTitle: 'Inside Rust: the 2026 project goals', text: 'Inside Rust: the 2026 project goals #rustlang https://blog.rust-lang.org/inside-rust/2026/goals.html', itemLink: 'https://blog.rust-lang.org/inside-rust/2026/goals.html' }, ago(48)),
    makeTask({ id: 'a6', feedId: 'hn', status: 'completed', attempts: 2, postId: '1894', postUrl: 'https://x.com/crier_demo/status/1894',
      note: 'Confirmed by X’s duplicate answer after a lost response', itemTitle: 'The unreasonable effectiveness of plain text',
      text: 'The unreasonable effectiveness of plain text https://example.com/plain-text', itemLink: 'https://example.com/plain-text' }, ago(95)),
    makeTask({ id: 'a7', feedId: 'lwn', status: 'cancelled', itemTitle: 'Weekly edition for March 1, 2026',
      text: 'Weekly edition for March 1, 2026 https://lwn.net/Articles/1001000/', itemLink: 'https://lwn.net/Articles/1001000/' }, ago(180)),
    makeTask({ id: 'a8', feedId: 'rust', status: 'completed', attempts: 1, postId: '1893', postUrl: 'https://x.com/crier_demo/status/1893',
      note: 'Image failed: posted text only', itemTitle: 'This Week in Rust 640', text: 'This Week in Rust 640 #rustlang https://this-week-in-rust.org/blog/2026/02/25/this-week-in-rust-640/',
      itemLink: 'https://this-week-in-rust.org/blog/2026/02/25/this-week-in-rust-640/' }, ago(60 * 20)),
  ];
  return makeSnapshot({
    tasks, feeds, queue: makeQueue(tasks, { postedToday: 12, dailyCap: 50 }),
    account: { connected: true, handle: 'crier_demo', method: 'oauth1', dryRun: false, secretsProtected: true },
    notices: [{ id: 'n1', kind: 'feed-moved', message: 'notes.example.org answered 301: the feed now lives at https://notes.example.org/atom.xml', at: ago(30) }],
  });
}

/** The settings window's screenshot data: feeds in every health, skips, a notice, a mixed cost. */
export function settingsSnapshot(now: number): StateSnapshot {
  const ago = (min: number): string => new Date(now - min * 60_000).toISOString();
  const inMin = (min: number): string => new Date(now + min * 60_000).toISOString();
  const base = realisticSnapshot(now);
  const feeds = [
    makeFeed({ id: 'rust', url: 'https://blog.rust-lang.org/feed.xml', title: 'Rust Blog', template: '{title} {hashtags} {link}',
      health: { lastFetchedAt: ago(4), lastStatus: 304, lastError: null, consecutiveFailures: 0, nextPollAt: inMin(11) },
      recentSkips: [{ itemTitle: 'Call for testing: the new trait solver', reason: 'excluded by "call for"', at: ago(300) }], exclude: ['call for'],
      counts: { posted: 214, pending: 1, failed: 0 } }),
    makeFeed({ id: 'hn', url: 'https://hnrss.org/frontpage', name: 'HN front page', intervalMinutes: 30, template: '{title} — via {feed}',
      health: { lastFetchedAt: ago(12), lastStatus: 200, lastError: null, consecutiveFailures: 0, nextPollAt: inMin(18) },
      counts: { posted: 1380, pending: 2, failed: 0 } }),
    makeFeed({ id: 'notes', url: 'https://notes.example.org/atom.xml', title: 'Field notes',
      health: { lastFetchedAt: ago(7), lastStatus: 503, lastError: 'notes.example.org answered 503 Service Unavailable', consecutiveFailures: 3, nextPollAt: inMin(25) },
      counts: { posted: 41, pending: 0, failed: 1 } }),
  ];
  return { ...base, feeds, settings: { ...base.settings, dailyCap: 20 },
    notices: [{ id: 'n1', kind: 'store-recovered', message: 'The task journal had a damaged last line after a crash; Crier kept everything before it.', at: ago(60) }] };
}
