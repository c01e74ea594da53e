// A data dir written by build 5f09d39, the last with one account (test/fixtures/README.md), opens
// under several accounts as that one account, the default one, with everything in place: its
// tasks, its pause, its day's and month's counts, its record of posted texts and its feeds.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFeedParser } from '../../main/core/feeds/executor';
import { silentLogger } from '../../main/core/ports';
import { createAppService, type EngineService } from '../../main/core/service';
import { openStore } from '../../main/core/store/index';
import type { EngineStore } from '../../main/core/store/types';
import { postingAccount } from '../support/engine-runs';
import { createFakeClock } from '../support/fake-clock';

const fixture = join(import.meta.dirname, '..', 'fixtures', 'data-dir-5f09d39');
let dir: string;
let store: EngineStore;
let service: EngineService;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crier-migrate-'));
  cpSync(fixture, dir, { recursive: true });
  // The ledger's days are local calendar days: noon of the fixture's day, wherever the test runs.
  const clock = createFakeClock(new Date(2026, 11, 1, 12, 0, 0).getTime());
  store = openStore(dir, { clock, log: silentLogger });
  service = createAppService({ clock, log: silentLogger, store, parser: createFeedParser({ workers: 1 }), account: postingAccount([]), random: () => 0.5 });
  service.start();
});

afterEach(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a data dir of the build before several accounts', () => {
  it('opens as one account, the default one, holding every task', async () => {
    const state = await service.getState();
    expect(state.accounts?.map((a) => a.id)).toEqual(['default']);
    expect(Object.keys(state.queues ?? {})).toEqual(['default']);
    expect(state.tasks.map((t) => t.id).sort()).toEqual(['task-1', 'task-2', 'task-3', 'task-4', 'task-5', 'task-6', 'task-7']);
    expect(state.tasks.every((t) => t.accountId === undefined)).toBe(true);
    const byId = new Map(state.tasks.map((t) => [t.id, t]));
    expect(byId.get('task-2')).toMatchObject({ status: 'completed', deletedAt: expect.any(String) });
    expect(byId.get('task-5')).toMatchObject({ status: 'review' });
    expect(byId.get('task-6')).toMatchObject({ status: 'cancelled', skipped: true });
    expect(byId.get('task-7')).toMatchObject({ status: 'pending', inDoubtSince: expect.any(String) });
  });

  it('keeps the account paused by the user, with its day’s and month’s posts counted', async () => {
    const { queue, queues } = await service.getState();
    expect(queue).toMatchObject({ paused: true, pauseReason: 'user', postedToday: 2, dailyCap: 7 });
    expect(queues?.default).toEqual(queue);
    // The day before is November's: this month holds only today's.
    expect(queue.spend?.month.posts).toBe(2);
  });

  it('keeps the record of posted texts as the default account’s, and the feeds as they were', async () => {
    expect(store.accountMemory('default').loadTexts()?.map((e) => e.hash)).toEqual(['0123456789abcdef0123456789abcdef', 'fedcba9876543210fedcba9876543210']);
    expect(store.accountMemory('other-a').loadTexts()).toEqual([]);
    const feeds = (await service.getState()).feeds;
    expect(feeds.map((f) => [f.id, f.review ?? false, f.dedupe ?? 'id', f.repostAfterDays ?? null, f.accountIds])).toEqual([
      ['feed-a', true, 'link', null, undefined], ['feed-b', false, 'id', 30, undefined],
    ]);
  });
});
