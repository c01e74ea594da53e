import { appendFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Task } from '../../../preload/contract';
import { DEFAULT_SETTINGS, emptyHealth } from '../../../main/core/defaults';
import { silentLogger } from '../../../main/core/ports';
import { JOURNAL_FILE, openStore } from '../../../main/core/store';
import type { EngineStore, FeedConfig, FeedRuntime } from '../../../main/core/store/types';
import { createFakeClock } from '../../support/fake-clock';
import { recordingLogger, tempDir } from './store-fixtures';
import { makeTask } from './task-fixture';

const open: EngineStore[] = [];
function openIn(dir: string, clock = createFakeClock(), log = silentLogger): EngineStore {
  const store = openStore(dir, { clock, log });
  open.push(store);
  return store;
}
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});

const feed: FeedConfig = {
  id: 'feed-1', url: 'https://example.com/feed.xml', enabled: true, name: 'Example', intervalMinutes: 30,
  template: '{title} {link}', include: ['rust'], exclude: [], maxHashtags: 2, postImages: true, backfill: 1,
};
const runtime: FeedRuntime = {
  title: 'Example blog', validators: { etag: '"abc"', lastModified: 'Wed, 14 Jan 2026 10:00:00 GMT' },
  health: { ...emptyHealth(), lastFetchedAt: '2026-01-15T11:59:00.000Z', lastStatus: 200 },
  recentSkips: [{ itemTitle: 'Old news', reason: 'excluded by "old"', at: '2026-01-15T11:59:00.000Z' }],
};
const journalLines = (dir: string): string[] => readFileSync(join(dir, JOURNAL_FILE), 'utf8').split('\n').filter(Boolean);
const asideFiles = (dir: string, name: string): string[] => readdirSync(dir).filter((f) => f.startsWith(`${name}.corrupt-`));

describe('openStore', () => {
  it('starts a new data dir with the default settings, no feeds, no tasks and no notices', () => {
    const store = openIn(tempDir());
    expect(store.getSettings()).toEqual(DEFAULT_SETTINGS);
    expect(store.getFeeds()).toEqual([]);
    expect(store.tasks.all()).toEqual([]);
    expect(store.notices).toEqual([]);
  });

  it('gives back after a restart everything that was stored', async () => {
    const dir = tempDir();
    const first = openIn(dir);
    first.setSettings({ ...DEFAULT_SETTINGS, dailyCap: 7, notifications: 'all' });
    first.setFeeds([feed]);
    first.tasks.put(makeTask(1));
    first.tasks.put(makeTask(2, 'completed'));
    first.putFeedRuntime('feed-1', runtime);
    first.putSeen('feed-1', { ids: ['a', 'b'], links: ['https://example.com/a'] });
    await first.close();

    const second = openIn(dir);
    expect(second.getSettings()).toEqual({ ...DEFAULT_SETTINGS, dailyCap: 7, notifications: 'all' });
    expect(second.getFeeds()).toEqual([feed]);
    expect(second.tasks.all().map((t) => t.id).sort()).toEqual(['task-1', 'task-2']);
    expect(second.tasks.get('task-2')).toEqual(makeTask(2, 'completed'));
    expect(second.getFeedRuntime('feed-1')).toEqual(runtime);
    expect(second.getSeen('feed-1')).toEqual({ ids: ['a', 'b'], links: ['https://example.com/a'] });
    expect(second.notices).toEqual([]);
  });

  it('writes settings in electron-store\'s format: a JSON object of the values plus conf\'s version record', async () => {
    const dir = tempDir();
    const store = openIn(dir);
    store.setSettings({ ...DEFAULT_SETTINGS, dailyCap: 9 });
    const file = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'));
    expect(file.dailyCap).toBe(9);
    expect(file.__internal__.migrations.version).toBe('1.0.0');
  });

  it('keeps a removed task and a forgotten feed gone after a restart', async () => {
    const dir = tempDir();
    const first = openIn(dir);
    first.tasks.put(makeTask(1));
    first.tasks.put(makeTask(2));
    first.putFeedRuntime('feed-1', runtime);
    first.putSeen('feed-1', { ids: ['a'], links: [] });
    first.tasks.remove(['task-1']);
    first.forgetFeed('feed-1');
    await first.close();

    const second = openIn(dir);
    expect(second.tasks.all().map((t) => t.id)).toEqual(['task-2']);
    expect(second.getFeedRuntime('feed-1')).toBeUndefined();
    expect(second.getSeen('feed-1')).toBeUndefined();
  });

  it('stores a copy, so changing the task object after put changes nothing stored', () => {
    const store = openIn(tempDir());
    const task = makeTask(1);
    store.tasks.put(task);
    task.status = 'failed';
    expect(store.tasks.get('task-1')?.status).toBe('pending');
  });
});

describe('notices', () => {
  it('keeps the notices not yet dismissed across restarts, adding those of the new open', async () => {
    const dir = tempDir();
    const first = openIn(dir);
    const moved = { id: 'n1', kind: 'feed-moved' as const, message: 'Example moved.', at: '2026-01-15T12:00:00.000Z' };
    first.setNotices([moved]);
    await first.close();
    writeFileSync(join(dir, 'settings.json'), '{ not json');

    const second = openIn(dir);
    expect(second.getNotices().map((n) => n.kind)).toEqual(['feed-moved', 'store-recovered']);
    second.setNotices([]);
    await second.close();
    expect(openIn(dir).getNotices()).toEqual([]);
  });
});

describe('writes', () => {
  it('puts a durable task on disk before put returns', () => {
    const dir = tempDir();
    const store = openIn(dir);
    store.tasks.put(makeTask(1, 'running'), { durable: true });
    expect(journalLines(dir).some((line) => line.includes('"task-1"') && line.includes('"running"'))).toBe(true);
  });

  it('holds ordinary changes until the coalescing window ends, then writes them in one append', () => {
    const dir = tempDir();
    const clock = createFakeClock();
    const store = openStore(dir, { clock, log: silentLogger, coalesceMs: 100 });
    open.push(store);
    const before = journalLines(dir).length;
    store.tasks.put(makeTask(1));
    store.tasks.put(makeTask(1, 'cancelled'));
    store.putSeen('feed-1', { ids: ['a'], links: [] });
    expect(journalLines(dir)).toHaveLength(before);
    clock.advance(100);
    // Two puts of one task in a window are one line: the newer.
    expect(journalLines(dir)).toHaveLength(before + 2);
    expect(journalLines(dir).join('\n')).toContain('"cancelled"');
  });

  it('writes everything coalesced so far on flush', async () => {
    const dir = tempDir();
    const store = openIn(dir);
    store.tasks.put(makeTask(1));
    await store.flush();
    expect(journalLines(dir).join('\n')).toContain('"task-1"');
  });

  it('compacts the journal when it grows past twice what is live', async () => {
    const dir = tempDir();
    const clock = createFakeClock();
    const store = openIn(dir, clock);
    for (let round = 0; round < 12; round += 1) {
      for (let n = 0; n < 100; n += 1) store.tasks.put(makeTask(n, 'pending', { note: `round ${round} `.repeat(40) }));
      await store.flush();
    }
    // 12 rounds × 100 tasks × ~1 KB would be 1.2 MB uncompacted; live is 100 tasks.
    expect(statSync(join(dir, JOURNAL_FILE)).size).toBeLessThan(2 * 100 * 1200 + 256 * 1024);
    await store.close();
    expect(journalLines(dir)).toHaveLength(101);
    expect(openIn(dir).tasks.get('task-5')?.note).toContain('round 11');
  });

  it('refuses a task that replay could not read back, at the put rather than at the next start', () => {
    const store = openIn(tempDir());
    const broken = { ...makeTask(1), status: 'done' } as unknown as Task;
    expect(() => store.tasks.put(broken)).toThrow(/invalid task: status/);
    expect(store.tasks.get('task-1')).toBeUndefined();
  });

  it('refuses changes after close', async () => {
    const store = openStore(tempDir(), { clock: createFakeClock(), log: silentLogger });
    await store.close();
    expect(() => store.tasks.put(makeTask(1))).toThrow(/closed/);
  });
});

describe('crash tolerance', () => {
  it('drops a torn last line silently, logging a warning, and keeps every line before it', async () => {
    const dir = tempDir();
    const first = openIn(dir);
    first.tasks.put(makeTask(1), { durable: true });
    first.tasks.put(makeTask(2), { durable: true });
    await first.close();
    const whole = JSON.stringify({ t: 'task', v: makeTask(3) });
    appendFileSync(join(dir, JOURNAL_FILE), whole.slice(0, whole.length / 2));

    const log = recordingLogger();
    const second = openIn(dir, createFakeClock(), log);
    expect(second.tasks.all().map((t) => t.id).sort()).toEqual(['task-1', 'task-2']);
    expect(second.notices).toEqual([]);
    expect(asideFiles(dir, JOURNAL_FILE)).toEqual([]);
    expect(log.lines.some((line) => line.level === 'warn' && /torn/.test(line.msg))).toBe(true);
    // The torn bytes are cut off, so the next append starts a line of its own.
    second.tasks.put(makeTask(4), { durable: true });
    await second.close();
    expect(openIn(dir).tasks.all()).toHaveLength(3);
  });

  it('keeps a complete last line that only lacks its newline', async () => {
    const dir = tempDir();
    await openIn(dir).close();
    appendFileSync(join(dir, JOURNAL_FILE), JSON.stringify({ t: 'task', v: makeTask(1) }));
    expect(openIn(dir).tasks.get('task-1')).toEqual(makeTask(1));
  });
});

describe('corruption', () => {
  it('moves a garbage journal aside, starts with no tasks, says so in a notice and leaves the config files alone', async () => {
    const dir = tempDir();
    const first = openIn(dir);
    first.setSettings({ ...DEFAULT_SETTINGS, dailyCap: 3 });
    first.setFeeds([feed]);
    await first.close();
    const settingsBefore = readFileSync(join(dir, 'settings.json'), 'utf8');
    const feedsBefore = readFileSync(join(dir, 'feeds.json'), 'utf8');
    writeFileSync(join(dir, JOURNAL_FILE), '\u0000\u0001garbage\n{"not": "a record"}\n[1,2,3]\n');

    const clock = createFakeClock(Date.UTC(2026, 1, 2, 3, 4, 5, 678));
    const second = openIn(dir, clock);
    expect(second.tasks.all()).toEqual([]);
    expect(asideFiles(dir, JOURNAL_FILE)).toEqual([`${JOURNAL_FILE}.corrupt-2026-02-02T03-04-05.678Z`]);
    expect(readFileSync(join(dir, `${JOURNAL_FILE}.corrupt-2026-02-02T03-04-05.678Z`), 'utf8')).toContain('garbage');
    expect(second.notices).toEqual([expect.objectContaining({ kind: 'store-recovered', at: '2026-02-02T03:04:05.678Z' })]);
    expect(second.notices[0]?.message).toMatch(/journal/);
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(settingsBefore);
    expect(readFileSync(join(dir, 'feeds.json'), 'utf8')).toBe(feedsBefore);
    expect(second.getSettings().dailyCap).toBe(3);
    expect(second.getFeeds()).toEqual([feed]);
  });

  it('treats a last line that is not the start of a record as damage, not as a torn write', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, JOURNAL_FILE), 'this is not a journal');
    const store = openIn(dir);
    expect(store.notices).toEqual([expect.objectContaining({ kind: 'store-recovered' })]);
    expect(asideFiles(dir, JOURNAL_FILE)).toHaveLength(1);
  });

  it('treats an empty journal file as damage: it is always created whole, so everything in it was lost', () => {
    const dir = tempDir();
    writeFileSync(join(dir, JOURNAL_FILE), '');
    const store = openIn(dir);
    expect(store.notices).toEqual([expect.objectContaining({ kind: 'store-recovered', message: expect.stringMatching(/was empty/) })]);
    expect(asideFiles(dir, JOURNAL_FILE)).toHaveLength(1);
    expect(journalLines(dir)[0]).toContain('crier-journal');
  });

  it('keeps the readable records of a journal damaged in the middle', async () => {
    const dir = tempDir();
    const first = openIn(dir);
    first.tasks.put(makeTask(1), { durable: true });
    await first.close();
    appendFileSync(join(dir, JOURNAL_FILE), `{"t":"task","v":{"id":"broken"}}\n${JSON.stringify({ t: 'task', v: makeTask(2) })}\n`);

    const second = openIn(dir);
    expect(second.tasks.all().map((t) => t.id).sort()).toEqual(['task-1', 'task-2']);
    expect(second.notices).toHaveLength(1);
    expect(asideFiles(dir, JOURNAL_FILE)).toHaveLength(1);
  });

  it('moves an unreadable settings file aside and starts from the default settings, keeping feeds and tasks', async () => {
    const dir = tempDir();
    const first = openIn(dir);
    first.setFeeds([feed]);
    first.tasks.put(makeTask(1), { durable: true });
    await first.close();
    const feedsBefore = readFileSync(join(dir, 'feeds.json'), 'utf8');
    const journalBefore = readFileSync(join(dir, JOURNAL_FILE), 'utf8');
    writeFileSync(join(dir, 'settings.json'), '{"dailyCap": 5,');

    const second = openIn(dir);
    expect(second.getSettings()).toEqual(DEFAULT_SETTINGS);
    expect(second.notices).toEqual([expect.objectContaining({ kind: 'store-recovered' })]);
    expect(second.notices[0]?.message).toMatch(/^The settings file was damaged \(it was not valid JSON\)/);
    expect(asideFiles(dir, 'settings.json')).toHaveLength(1);
    expect(readFileSync(join(dir, 'feeds.json'), 'utf8')).toBe(feedsBefore);
    expect(readFileSync(join(dir, JOURNAL_FILE), 'utf8')).toBe(journalBefore);
    expect(second.getFeeds()).toEqual([feed]);
    expect(second.tasks.get('task-1')).toBeDefined();
  });

  it('treats a settings file holding valid JSON of the wrong shape as unreadable', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'settings.json'), '[1, 2, 3]');
    const store = openIn(dir);
    expect(store.getSettings()).toEqual(DEFAULT_SETTINGS);
    expect(store.notices).toHaveLength(1);
    expect(asideFiles(dir, 'settings.json')).toHaveLength(1);
  });

  it('resets only the hand-edited settings that fail validation, keeps the rest, and keeps a copy of the file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ dailyCap: 'lots', minPostGapSeconds: 90, notifications: 'loud' }));
    const store = openIn(dir);
    expect(store.getSettings()).toEqual({ ...DEFAULT_SETTINGS, minPostGapSeconds: 90 });
    expect(store.notices).toHaveLength(1);
    expect(store.notices[0]?.message).toMatch(/dailyCap, notifications/);
    expect(asideFiles(dir, 'settings.json')).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')).dailyCap).toBe(DEFAULT_SETTINGS.dailyCap);
  });

  it('fills settings missing from an older file with their defaults, without a notice', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ dailyCap: 12, __internal__: { migrations: { version: '1.0.0' } } }));
    const store = openIn(dir);
    expect(store.getSettings()).toEqual({ ...DEFAULT_SETTINGS, dailyCap: 12 });
    expect(store.notices).toEqual([]);
  });

  it('drops a feed without a usable URL and repairs a feed with a bad field, with a notice', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'feeds.json'), JSON.stringify({
      __internal__: { migrations: { version: '1.0.0' } },
      feeds: [{ ...feed, intervalMinutes: -5 }, { id: 'feed-2', url: 'javascript:alert(1)' }],
    }));
    const store = openIn(dir);
    expect(store.getFeeds()).toEqual([{ ...feed, intervalMinutes: DEFAULT_SETTINGS.defaultIntervalMinutes }]);
    expect(store.notices).toHaveLength(1);
    expect(store.notices[0]?.message).toMatch(/intervalMinutes/);
    expect(store.notices[0]?.message).toMatch(/feed 2 had no valid URL/);
  });
});

describe('migrations', () => {
  it('upgrades a 0.x settings file, turning minPostGapMinutes into minPostGapSeconds', () => {
    const dir = tempDir();
    // A file as 0.x wrote it: no version record, the gap in minutes.
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ minPostGapMinutes: 2, dailyCap: 20 }, null, '\t'));
    const store = openIn(dir);
    expect(store.getSettings()).toEqual({ ...DEFAULT_SETTINGS, minPostGapSeconds: 120, dailyCap: 20 });
    expect(store.notices).toEqual([]);
    const file = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'));
    expect(file.minPostGapMinutes).toBeUndefined();
    expect(file.__internal__.migrations.version).toBe('1.0.0');
  });

  it('upgrades a 0.x feeds file, lifting include and exclude out of filters', () => {
    const dir = tempDir();
    const { include: _include, exclude: _exclude, ...old } = feed;
    writeFileSync(join(dir, 'feeds.json'), JSON.stringify({ feeds: [{ ...old, filters: { include: ['rust'], exclude: [] } }] }));
    const store = openIn(dir);
    expect(store.getFeeds()).toEqual([feed]);
    expect(store.notices).toEqual([]);
  });

  it('does not run a migration again on a file already at the current version', async () => {
    const dir = tempDir();
    const first = openIn(dir);
    first.setSettings({ ...DEFAULT_SETTINGS, minPostGapSeconds: 45 });
    await first.close();
    expect(openIn(dir).getSettings().minPostGapSeconds).toBe(45);
  });
});

describe('history', () => {
  it('drops finished tasks past historyLimit at startup, oldest first, and never a pending or failed one', async () => {
    const dir = tempDir();
    const first = openIn(dir);
    first.setSettings({ ...DEFAULT_SETTINGS, historyLimit: 10 });
    for (let n = 0; n < 15; n += 1) first.tasks.put(makeTask(n, 'completed'));
    for (let n = 15; n < 20; n += 1) first.tasks.put(makeTask(n, n % 2 ? 'failed' : 'pending'));
    await first.close();

    const ids = openIn(dir).tasks.all().map((t) => t.id);
    expect(ids).toHaveLength(15);
    for (let n = 0; n < 5; n += 1) expect(ids).not.toContain(`task-${n}`);
    for (let n = 5; n < 20; n += 1) expect(ids).toContain(`task-${n}`);
  });
});

describe('scale', () => {
  it('opens a journal of 10,000 tasks with every task intact', async () => {
    const dir = tempDir();
    const first = openIn(dir);
    for (let n = 0; n < 10_000; n += 1) first.tasks.put(makeTask(n, n % 2 ? 'failed' : 'completed'));
    await first.close();

    const second = openIn(dir);
    expect(second.tasks.all()).toHaveLength(10_000);
    expect(second.tasks.get('task-9999')).toEqual(makeTask(9999, 'failed'));
    expect(existsSync(join(dir, `${JOURNAL_FILE}.tmp`))).toBe(false);
  });
});
