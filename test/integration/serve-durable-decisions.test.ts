// The user's decisions are on disk before crier serve acknowledges them: a real process killed
// with SIGKILL the moment the answer arrives comes back with the pause, the cancel and the
// removed or renamed feed exactly as answered.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StateSnapshot, Task } from '../../preload/contract';
import { DEFAULT_SETTINGS } from '../../main/core/defaults';
import { silentLogger, systemClock } from '../../main/core/ports';
import { openStore } from '../../main/core/store/index';
import { makeTask } from '../core/store/task-fixture';
import { callApi, startServeProcess, type ServeProcess } from '../support/serve-process';

let dir: string;
const running: ServeProcess[] = [];

async function serve(): Promise<ServeProcess> {
  const proc = await startServeProcess({ dataDir: dir });
  running.push(proc);
  return proc;
}

/** SIGKILL at once, without waiting for anything the process might still want to write. */
async function kill(proc: ServeProcess): Promise<void> {
  proc.child.kill('SIGKILL');
  await proc.exited;
}

/** A data dir with pending tasks that will not post by themselves (cap 0) and one feed. */
async function seed(tasks: Task[]): Promise<void> {
  const store = openStore(dir, { clock: systemClock, log: silentLogger });
  store.setSettings({ ...DEFAULT_SETTINGS, dailyCap: 0 });
  store.setFeeds([{ id: 'feed-1', url: 'http://127.0.0.1:9/feed.xml', enabled: false, name: 'Doomed', intervalMinutes: 60, template: '{title}', include: [], exclude: [], maxHashtags: 0, postImages: false, backfill: 0 }]);
  for (const task of tasks) store.tasks.put(task);
  await store.close();
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crier-durable-'));
});

afterEach(async () => {
  for (const proc of running.splice(0)) await proc.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('crier serve killed right after answering', () => {
  it('comes back paused after a pause', async () => {
    const first = await serve();
    await callApi(first, 'POST', '/api/pause');
    await kill(first);
    const second = await serve();
    expect((await callApi<StateSnapshot>(second, 'GET', '/api/state')).queue).toMatchObject({ paused: true, pauseReason: 'user' });
  });

  it('comes back running after a resume', async () => {
    const first = await serve();
    await callApi(first, 'POST', '/api/pause');
    await callApi(first, 'POST', '/api/resume');
    await kill(first);
    const second = await serve();
    expect((await callApi<StateSnapshot>(second, 'GET', '/api/state')).queue.paused).toBe(false);
  });

  it('keeps a cancelled task cancelled', async () => {
    await seed([makeTask(1), makeTask(2)]);
    const first = await serve();
    await callApi(first, 'POST', '/api/tasks/task-1/cancel');
    await kill(first);
    const second = await serve();
    const tasks = (await callApi<StateSnapshot>(second, 'GET', '/api/state')).tasks;
    expect(tasks.find((t) => t.id === 'task-1')?.status).toBe('cancelled');
    expect(tasks.find((t) => t.id === 'task-2')?.status).toBe('pending');
  });

  it('keeps a removed feed removed and its waiting tasks cancelled', async () => {
    await seed([makeTask(1), makeTask(2), makeTask(3, 'completed')]);
    const first = await serve();
    await callApi(first, 'DELETE', '/api/feeds/feed-1');
    await kill(first);
    const second = await serve();
    const state = await callApi<StateSnapshot>(second, 'GET', '/api/state');
    expect(state.feeds).toEqual([]);
    expect(state.tasks.map((t) => [t.id, t.status]).sort()).toEqual([['task-1', 'cancelled'], ['task-2', 'cancelled'], ['task-3', 'completed']]);
  });

  it('keeps a renamed feed renamed', async () => {
    await seed([]);
    const first = await serve();
    await callApi(first, 'PATCH', '/api/feeds/feed-1', { name: 'Renamed' });
    await kill(first);
    const second = await serve();
    expect((await callApi<StateSnapshot>(second, 'GET', '/api/state')).feeds.map((f) => f.name)).toEqual(['Renamed']);
  });
});
