// Issue 17's task fields and status — a task in review, one approved (queuedAt), one skipped, a
// post deleted from X (deletedAt) — go through the journal and come back as they were, on the fast
// replay path; a feed's review mode is kept in feeds.json.
import { afterEach, describe, expect, it } from 'vitest';
import type { Task } from '../../../preload/contract';
import { silentLogger } from '../../../main/core/ports';
import { openStore } from '../../../main/core/store';
import { knownRecord } from '../../../main/core/store/record-shape';
import { TaskSchema } from '../../../main/core/store/records';
import type { EngineStore } from '../../../main/core/store/types';
import { DEFAULT_SETTINGS, newFeedConfig } from '../../../main/core/defaults';
import { createFakeClock } from '../../support/fake-clock';
import { tempDir } from './store-fixtures';
import { makeTask } from './task-fixture';

const open: EngineStore[] = [];
function openIn(dir: string): EngineStore {
  const store = openStore(dir, { clock: createFakeClock(), log: silentLogger });
  open.push(store);
  return store;
}
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});

const inReview: Task = makeTask(1, 'review', { edit: { at: '2026-01-01T00:01:00.000Z', composedText: 'composed' } });
const approved: Task = makeTask(2, 'pending', { queuedAt: '2026-01-01T00:02:00.001Z' });
const skipped: Task = makeTask(3, 'cancelled', { skipped: true, note: 'Skipped in review', finishedAt: '2026-01-01T00:03:00.000Z' });
const deleted: Task = makeTask(4, 'completed', { postId: '1860000000000000004', postUrl: 'https://x.com/crier/status/1860000000000000004', deletedAt: '2026-01-01T00:04:00.000Z', note: 'already gone from X' });

describe('the review and delete fields', () => {
  it('round-trip through the journal across a restart', async () => {
    const dir = tempDir();
    const first = openIn(dir);
    for (const task of [inReview, approved, skipped, deleted]) first.tasks.put(task, { durable: true });
    await first.close();
    open.splice(0);
    const again = openIn(dir);
    expect(again.tasks.get('task-1')).toEqual(inReview);
    expect(again.tasks.get('task-2')).toEqual(approved);
    expect(again.tasks.get('task-3')).toEqual(skipped);
    expect(again.tasks.get('task-4')).toEqual(deleted);
    expect(again.notices).toEqual([]);
  });

  it('are read by the fast path, not left to zod (key for key as the store writes them)', () => {
    for (const task of [inReview, approved, skipped, deleted]) expect(knownRecord({ t: 'task', v: TaskSchema.parse(task) })).not.toBeNull();
  });

  it('keep a feed in review mode in feeds.json, and an older feed without it reads as not in review', async () => {
    const dir = tempDir();
    const first = openIn(dir);
    await first.setFeeds([
      newFeedConfig('feed-r', 'https://example.com/r.xml', DEFAULT_SETTINGS, { review: true }),
      newFeedConfig('feed-o', 'https://example.com/o.xml', DEFAULT_SETTINGS),
    ]);
    await first.close();
    open.splice(0);
    const feeds = openIn(dir).getFeeds();
    expect(feeds.find((f) => f.id === 'feed-r')?.review).toBe(true);
    expect(feeds.find((f) => f.id === 'feed-o')?.review).toBeUndefined();
  });
});
