// What the engine keeps across a restart beyond tasks and feeds, through a real store in a temp
// dir: the queue's pause, the post ledger the daily cap reads, notices with keys, and the bound
// on failed tasks.
import { describe, expect, it } from 'vitest';
import type { Task } from '../../preload/contract';
import type { PostRequest } from '../../main/core/x/types';
import { createFakeClock } from '../support/fake-clock';
import { tempDir } from './store/store-fixtures';
import { makeTask } from './store/task-fixture';
import { useEngineRuns } from '../support/engine-runs';

const { startIn, stop } = useEngineRuns('same-keys');

describe('across a restart', () => {
  it('a paused queue comes back paused and posts none of its pending tasks', async () => {
    const dir = tempDir();
    const clock = createFakeClock();
    const posts: PostRequest[] = [];
    const first = startIn(dir, clock, posts);
    await first.pause();
    await stop(first);

    const second = startIn(dir, clock, posts, (store) => store.tasks.put(makeTask(1)));
    await clock.tick(60 * 60_000);
    expect((await second.getState()).queue).toMatchObject({ paused: true, pauseReason: 'user' });
    expect(posts).toEqual([]);
  });

  it('the day\'s post count survives clearing the history, so the cap holds', async () => {
    const dir = tempDir();
    const clock = createFakeClock();
    const posts: PostRequest[] = [];
    const first = startIn(dir, clock, posts, (store) => {
      store.setSettings({ ...store.getSettings(), dailyCap: 2, minPostGapSeconds: 0 });
      for (let n = 1; n <= 4; n += 1) store.tasks.put(makeTask(n));
    });
    await clock.tick(0);
    await clock.settle();
    expect(posts).toHaveLength(2);
    expect(await first.clearHistory()).toBe(2);
    await stop(first);

    const second = startIn(dir, clock, posts);
    await clock.tick(60_000);
    expect((await second.getState()).queue.postedToday).toBe(2);
    expect(posts).toHaveLength(2);
  });
});

describe('failed tasks are kept, but not without bound', () => {
  const failed = (n: number): Task => makeTask(n, 'failed', {
    error: { kind: 'invalid-post', message: 'too long', httpStatus: 400 }, updatedAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
  });

  it('drops the oldest failed tasks past failedHistoryLimit, with one notice that replaces itself', async () => {
    const dir = tempDir();
    const clock = createFakeClock();
    const service = startIn(dir, clock, [], (store) => {
      store.setSettings({ ...store.getSettings(), failedHistoryLimit: 10 });
      for (let n = 1; n <= 13; n += 1) store.tasks.put(failed(n));
    });
    await clock.settle();
    let state = await service.getState();
    expect(state.tasks.map((t) => t.id).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `task-${i + 4}`).sort());
    expect(state.notices.filter((n) => n.key === 'failed-pruned')).toHaveLength(1);
    expect(state.notices[0]?.message).toMatch(/oldest 3 were removed/);

    await service.updateSettings({ failedHistoryLimit: 10 });
    await service.updateSettings({ failedHistoryLimit: 20 });
    await clock.settle();
    state = await service.getState();
    expect(state.notices.filter((n) => n.key === 'failed-pruned')).toHaveLength(1);
  });

  it('never drops a failed task under the limit, whatever historyLimit says', async () => {
    const dir = tempDir();
    const clock = createFakeClock();
    const service = startIn(dir, clock, [], (store) => {
      store.setSettings({ ...store.getSettings(), historyLimit: 10 });
      for (let n = 1; n <= 30; n += 1) store.tasks.put(failed(n));
    });
    await clock.settle();
    expect((await service.getState()).tasks).toHaveLength(30);
  });
});
