// The tasks window's commands through the real engine and store (temp dir, fake clock, an X
// account that posts): what the views are told, and what survives a restart.
import { describe, expect, it } from 'vitest';
import type { StateDelta } from '../../../preload/contract';
import { createFeedParser } from '../../../main/core/feeds/executor';
import { silentLogger } from '../../../main/core/ports';
import { createAppService } from '../../../main/core/service';
import { openStore } from '../../../main/core/store/index';
import type { PostRequest } from '../../../main/core/x/types';
import { createFakeClock } from '../../support/fake-clock';
import { tempDir } from '../store/store-fixtures';
import { makeTask } from '../store/task-fixture';
import { postingAccount, useEngineRuns } from '../../support/engine-runs';
import { pinTimeZone } from './queue-harness';

pinTimeZone('America/New_York');

const { startIn, stop } = useEngineRuns('keys');

describe('the tasks window through the engine', () => {
  it('removing posted tasks tells the views, and the day\'s and month\'s counts and spend stay, across a restart', async () => {
    const dir = tempDir();
    const clock = createFakeClock();
    const posts: PostRequest[] = [];
    const first = startIn(dir, clock, posts, (store) => {
      store.setSettings({ ...store.getSettings(), minPostGapSeconds: 0, pricePerPostUsd: 0.01, pricePerPostWithUrlUsd: 0.2 });
      for (let n = 1; n <= 3; n += 1) store.tasks.put(makeTask(n));
    });
    await clock.settle();
    expect(posts).toHaveLength(3);
    const deltas: StateDelta[] = [];
    first.onDelta((d) => deltas.push(d));
    const before = (await first.getState()).queue;
    expect(before.spend?.today).toEqual({ posts: 3, withLink: 3, usd: 0.6 });

    expect(await first.removeTasks(['task-1', 'task-2', 'task-3'])).toBe(3);
    await clock.settle();
    expect(deltas.flatMap((d) => d.removedTaskIds ?? []).sort()).toEqual(['task-1', 'task-2', 'task-3']);
    const after = (await first.getState()).queue;
    expect(after).toMatchObject({ postedToday: 3, spend: before.spend });
    await stop(first);

    const second = startIn(dir, clock, posts);
    await clock.settle();
    const state = await second.getState();
    expect(state.tasks).toEqual([]);
    expect(state.queue).toMatchObject({ postedToday: 3, spend: before.spend });
  });

  it('a bulk cancel, then undo of one, comes back after a restart as the user left it', async () => {
    const dir = tempDir();
    const clock = createFakeClock();
    const posts: PostRequest[] = [];
    const first = startIn(dir, clock, posts, (store) => {
      store.setSettings({ ...store.getSettings(), minPostGapSeconds: 3600 });
      store.tasks.put(makeTask(1, 'completed'));
      store.tasks.put(makeTask(2, 'pending', { attempts: 1, nextAttemptAt: '2026-01-15T13:00:00.000Z', error: { kind: 'server', message: 'X answered 503.' } }));
      store.tasks.put(makeTask(3, 'pending', { nextAttemptAt: '2026-01-15T13:00:00.000Z' }));
    });
    await clock.settle();
    expect(await first.cancelTasks(['task-1', 'task-2', 'task-3'])).toBe(2);
    expect(await first.undoCancel('task-2')).toMatchObject({ status: 'pending', attempts: 1, error: { kind: 'server' } });
    await stop(first);

    const second = startIn(dir, clock, posts);
    const tasks = new Map((await second.getState()).tasks.map((t) => [t.id, t]));
    expect(tasks.get('task-2')).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: '2026-01-15T13:00:00.000Z' });
    expect(tasks.get('task-3')).toMatchObject({ status: 'cancelled', finishedAt: expect.any(String) });
  });

  it('post now is refused while paused and leaves the task as it was', async () => {
    const clock = createFakeClock();
    const service = startIn(tempDir(), clock, [], (store) => { store.tasks.put(makeTask(1)); });
    await service.pause();
    await expect(service.postTask('task-1')).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/paused/) });
    expect((await service.getState()).tasks[0]?.postNowAt).toBeUndefined();
  });

  it('post now is on disk before it answers (a crash right after keeps it)', async () => {
    const dir = tempDir();
    const clock = createFakeClock();
    const store = openStore(dir, { clock, log: silentLogger });
    store.tasks.put(makeTask(1));
    // Not started: nothing posts, so what is on disk is the command's alone.
    const first = createAppService({ clock, log: silentLogger, store, parser: createFeedParser({ workers: 1 }), account: postingAccount([]) });
    const asked = await first.postTask('task-1');
    // Read back by a second store, as after a crash: the first is never flushed or closed before this.
    const copy = tempDir();
    const { cpSync } = await import('node:fs');
    cpSync(dir, copy, { recursive: true, filter: (src) => !/lock/i.test(src.slice(dir.length)) });
    const reopened = openStore(copy, { clock, log: silentLogger });
    expect(reopened.tasks.get('task-1')?.postNowAt).toBe(asked.postNowAt);
    await reopened.close();
    await first.close();
  });
});
