// A data dir written by the build before issue 11 (test/fixtures/README.md) opens with every
// record in place: the store's new fields and records are optional, never a reason to drop one.
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/core/ports';
import { openStore } from '../../../main/core/store';
import type { EngineStore } from '../../../main/core/store/types';
import { createFakeClock } from '../../support/fake-clock';
import { tempDir } from './store-fixtures';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures');
const opened: EngineStore[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

function openCopy(name: string): EngineStore {
  const dir = tempDir();
  cpSync(join(fixtures, name), dir, { recursive: true });
  const store = openStore(dir, { clock: createFakeClock(Date.parse('2026-12-01T12:00:00.000Z')), log: silentLogger });
  opened.push(store);
  return store;
}

describe.each(['data-dir-431bf82', 'data-dir-431bf82-killed'])('a data dir written by build 431bf82 (%s)', (name) => {
  it('keeps every task with its status, attempts, error, post and note', () => {
    const store = openCopy(name);
    const tasks = new Map(store.tasks.all().map((t) => [t.id, t]));
    expect([...tasks.keys()].sort()).toEqual(['task-1', 'task-10', 'task-2', 'task-3', 'task-4', 'task-5', 'task-6', 'task-7', 'task-8', 'task-9']);
    expect(tasks.get('task-1')).toMatchObject({ status: 'completed', postId: '1860000000000000001', attempts: 1 });
    expect(tasks.get('task-2')).toMatchObject({ status: 'completed', dryRun: true });
    expect(tasks.get('task-4')).toMatchObject({ status: 'failed', error: { kind: 'invalid-post', httpStatus: 400 } });
    expect(tasks.get('task-6')).toMatchObject({ status: 'cancelled', note: 'cancelled by the user' });
    expect(tasks.get('task-7')?.text).toBe('Item 7 https://example.com/p/7 (second write)');
    expect(tasks.get('task-8')).toMatchObject({ status: 'pending', attempts: 2, nextAttemptAt: '2026-12-01T10:01:00.000Z' });
    expect(tasks.get('task-9')).toMatchObject({ status: 'running', attempts: 1 });
    expect(tasks.get('task-10')?.imageUrl).toBe('https://example.com/img/10.png');
  });

  it('keeps the settings, the feeds, their seen ids and runtimes, and the notices', () => {
    const store = openCopy(name);
    expect(store.getSettings()).toMatchObject({ dailyCap: 7, minPostGapSeconds: 120, historyLimit: 500 });
    expect(store.getFeeds().map((f) => [f.id, f.url, f.enabled, f.name])).toEqual([
      ['feed-a', 'https://example.com/a.xml', true, 'Alpha'],
      ['feed-b', 'https://example.org/b/atom', false, null],
    ]);
    expect(store.getSeen('feed-a')?.ids).toEqual(['item-1', 'item-3', 'item-5', 'item-7', 'item-9', 'old-a']);
    expect(store.getSeen('feed-b')?.ids).toHaveLength(5);
    expect(store.getFeedRuntime('feed-a')).toMatchObject({ title: 'Alpha Feed', validators: { etag: '"abc"' } });
    expect(store.getFeedRuntime('feed-b')?.health.consecutiveFailures).toBe(2);
    expect(store.getNotices().map((n) => n.id)).toContain('notice-1');
  });

  it('raises no damage notice', () => {
    const store = openCopy(name);
    expect(store.notices).toEqual([]);
  });
});

it('the fixtures are what build 431bf82 wrote: its header carries no field of later builds', () => {
  const header = readFileSync(join(fixtures, 'data-dir-431bf82', 'state.jsonl'), 'utf8').split('\n')[0];
  expect(header).toBe('{"t":"header","format":"crier-journal","version":1}');
});
