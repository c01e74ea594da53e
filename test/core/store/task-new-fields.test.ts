// Issue 15's task fields (finishedAt, attemptLog, postNowAt) go through the journal and come back
// as they were, after a restart and after compaction; older journals replay without them.
import { afterEach, describe, expect, it } from 'vitest';
import type { Task } from '../../../preload/contract';
import { silentLogger } from '../../../main/core/ports';
import { openStore } from '../../../main/core/store';
import { knownRecord } from '../../../main/core/store/record-shape';
import type { EngineStore } from '../../../main/core/store/types';
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

const withNewFields: Task = makeTask(1, 'failed', {
  attempts: 2,
  error: { kind: 'server', message: 'X answered 503.', httpStatus: 503 },
  inDoubtSince: null,
  finishedAt: '2026-01-01T00:05:00.000Z',
  attemptLog: [
    { at: '2026-01-01T00:01:00.000Z', endedAt: '2026-01-01T00:01:30.000Z', outcome: 'failed', dryRun: false, error: { kind: 'in-doubt', message: 'X did not answer in time; the request may have reached X.' } },
    { at: '2026-01-01T00:05:00.000Z', endedAt: '2026-01-01T00:05:01.000Z', outcome: 'failed', dryRun: false, error: { kind: 'server', message: 'X answered 503.', httpStatus: 503 } },
  ],
  postNowAt: null,
});

describe('the task fields of the tasks window', () => {
  it('round-trip through the journal across a restart', async () => {
    const dir = tempDir();
    const first = openIn(dir);
    first.tasks.put(withNewFields, { durable: true });
    first.tasks.put(makeTask(2, 'pending', { postNowAt: '2026-01-01T00:06:00.000Z' }), { durable: true });
    await first.close();
    open.splice(0);
    const again = openIn(dir);
    expect(again.tasks.get('task-1')).toEqual(withNewFields);
    expect(again.tasks.get('task-2')?.postNowAt).toBe('2026-01-01T00:06:00.000Z');
  });

  it('are read by the fast path, not left to zod (key for key as the store writes them)', () => {
    expect(knownRecord({ t: 'task', v: withNewFields })).not.toBeNull();
  });

  it('stay absent on a task that never had them', async () => {
    const dir = tempDir();
    const first = openIn(dir);
    first.tasks.put(makeTask(3), { durable: true });
    await first.close();
    open.splice(0);
    const task = openIn(dir).tasks.get('task-3');
    expect(task && 'attemptLog' in task).toBe(false);
    expect(task && 'finishedAt' in task).toBe(false);
  });

  it('refuses an attempt log entry replay could not read, at the put', () => {
    const store = openIn(tempDir());
    const bad = { ...withNewFields, attemptLog: [{ at: 'x', endedAt: 'y', outcome: 'maybe', dryRun: false }] } as unknown as Task;
    expect(() => store.tasks.put(bad)).toThrow(/attemptLog/);
  });
});
