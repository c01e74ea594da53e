// feeds.json is written off the event loop, grouped, and each change's promise says when the file
// holds it: with 1,000 feeds a synchronous write per change stalled every other request.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/core/ports';
import { openStore } from '../../../main/core/store';
import { type AsyncFiles, nodeAsyncFiles } from '../../../main/core/store/config-backup';
import { CONFIG_VERSION, openFeedsFile } from '../../../main/core/store/config-files';
import type { EngineStore, FeedConfig } from '../../../main/core/store/types';
import { createFakeClock } from '../../support/fake-clock';
import { recordingLogger, tempDir } from './store-fixtures';

const open: EngineStore[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});
function openIn(dir: string, log = silentLogger): EngineStore {
  const store = openStore(dir, { clock: createFakeClock(), log });
  open.push(store);
  return store;
}

function makeFeed(n: number): FeedConfig {
  return {
    id: `feed-${n}`, url: `https://example.com/${n}.xml`, enabled: true, name: `Feed ${n}`, intervalMinutes: 30,
    template: '{title} {link}', include: ['a'], exclude: [], maxHashtags: 2, postImages: false, backfill: 0,
  };
}
const feedsIn = (dir: string): unknown => JSON.parse(readFileSync(join(dir, 'feeds.json'), 'utf8')).feeds;
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The node port, recording each call; a rename onto feeds.json waits for `release` when gated. */
function recordingFiles(gated = false) {
  const calls: string[] = [];
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => { release = resolve; });
  const files: AsyncFiles = {
    readFile: (file) => { calls.push(`readFile ${file}`); return nodeAsyncFiles.readFile(file); },
    open: (file, flags) => { calls.push(`open ${file}`); return nodeAsyncFiles.open(file, flags); },
    rename: async (from, to) => {
      calls.push(`rename ${from} ${to}`);
      if (gated && to.endsWith('feeds.json')) await held;
      return nodeAsyncFiles.rename(from, to);
    },
    rm: (file, options) => { calls.push(`rm ${file}`); return nodeAsyncFiles.rm(file, options); },
  };
  return { files, calls, release };
}

const context = (dir: string) => ({ dir, now: 0, log: silentLogger, recover: () => undefined });

describe('a write of the feed list', () => {
  it('touches no file before the change returns: the write goes through the asynchronous port', async () => {
    const dir = tempDir();
    const { files, calls } = recordingFiles();
    const feedsFile = openFeedsFile(context(dir), files);
    const before = readFileSync(join(dir, 'feeds.json'), 'utf8');
    const saved = feedsFile.write([makeFeed(1)]);
    expect(calls).toEqual([]);
    expect(readFileSync(join(dir, 'feeds.json'), 'utf8')).toBe(before);
    await saved;
    expect(calls).toContain(`rename ${join(dir, 'feeds.json.tmp')} ${join(dir, 'feeds.json')}`);
    expect(calls).toContain(`rename ${join(dir, 'feeds.json.bak.tmp')} ${join(dir, 'feeds.json.bak')}`);
    expect(feedsIn(dir)).toEqual([makeFeed(1)]);
  });

  it('settles only once feeds.json holds the list', async () => {
    const dir = tempDir();
    const { files, release } = recordingFiles(true);
    const feedsFile = openFeedsFile(context(dir), files);
    const before = readFileSync(join(dir, 'feeds.json'), 'utf8');
    let settled = false;
    const saved = feedsFile.write([makeFeed(1)]).then(() => { settled = true; });
    for (let i = 0; i < 20; i += 1) await tick();
    expect(settled).toBe(false);
    expect(readFileSync(join(dir, 'feeds.json'), 'utf8')).toBe(before);
    release();
    await saved;
    expect(feedsIn(dir)).toEqual([makeFeed(1)]);
  });

  it('groups the changes made during one write: 30 changes cost two writes, the last holding the newest list', async () => {
    const dir = tempDir();
    const { files, calls, release } = recordingFiles(true);
    const feedsFile = openFeedsFile(context(dir), files);
    const lists = Array.from({ length: 30 }, (_, i) => Array.from({ length: i + 1 }, (__, n) => makeFeed(n + 1)));
    const first = feedsFile.write(lists[0]!);
    await tick();
    const rest = lists.slice(1).map((list) => feedsFile.write(list));
    release();
    await Promise.all([first, ...rest]);
    // The first write, then one for the 29 changes made while it ran.
    expect(calls.filter((c) => c === `open ${join(dir, 'feeds.json.tmp')}`)).toHaveLength(2);
    expect(feedsIn(dir)).toEqual(lists[29]);
  });

  it('writes what conf writes, so conf opens the file as migrated and reads the list back', async () => {
    const dir = tempDir();
    const store = openIn(dir);
    await store.setFeeds([makeFeed(1), makeFeed(2)]);
    const conf = new Conf<Record<string, unknown>>({ cwd: dir, configName: 'feeds', projectVersion: CONFIG_VERSION, accessPropertiesByDotNotation: false });
    expect(conf.get('feeds')).toEqual([makeFeed(1), makeFeed(2)]);
    const text = readFileSync(join(dir, 'feeds.json'), 'utf8');
    expect(JSON.parse(text).__internal__.migrations.version).toBe(CONFIG_VERSION);
    expect(text).toBe(JSON.stringify(JSON.parse(text), undefined, '\t'));
  });
});

describe('a failed write of the feed list', () => {
  it('rejects, keeps the change in memory, and the next change writes the whole list', async () => {
    const dir = tempDir();
    const store = openIn(dir);
    mkdirSync(join(dir, 'feeds.json.tmp', 'in-the-way'), { recursive: true });
    await expect(store.setFeeds([makeFeed(1)])).rejects.toThrow();
    expect(store.getFeeds()).toEqual([makeFeed(1)]);
    rmSync(join(dir, 'feeds.json.tmp'), { recursive: true });
    await store.setFeeds([...store.getFeeds(), makeFeed(2)]);
    expect(feedsIn(dir)).toEqual([makeFeed(1), makeFeed(2)]);
  });

  it('is written again at close', async () => {
    const dir = tempDir();
    const store = openStore(dir, { clock: createFakeClock(), log: silentLogger });
    mkdirSync(join(dir, 'feeds.json.tmp', 'in-the-way'), { recursive: true });
    await expect(store.setFeeds([makeFeed(1)])).rejects.toThrow();
    rmSync(join(dir, 'feeds.json.tmp'), { recursive: true });
    await store.close();
    expect(feedsIn(dir)).toEqual([makeFeed(1)]);
  });

  it('fails at close too when the disk still refuses, logged, and the store still closes', async () => {
    const dir = tempDir();
    const log = recordingLogger();
    const store = openStore(dir, { clock: createFakeClock(), log });
    mkdirSync(join(dir, 'feeds.json.tmp', 'in-the-way'), { recursive: true });
    await expect(store.setFeeds([makeFeed(1)])).rejects.toThrow();
    await store.close();
    expect(log.lines).toContainEqual({ level: 'error', msg: 'store: the feed list could not be saved at close' });
    const again = openIn(dir);
    expect(again.getFeeds()).toEqual([]);
  });
});

describe('close', () => {
  it('waits for the pending write of the feed list', async () => {
    const dir = tempDir();
    const store = openStore(dir, { clock: createFakeClock(), log: silentLogger });
    void store.setFeeds([makeFeed(1)]);
    void store.setFeeds([makeFeed(1), makeFeed(2)]);
    await store.close();
    expect(feedsIn(dir)).toEqual([makeFeed(1), makeFeed(2)]);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    expect(existsSync(join(dir, 'feeds.json.bak'))).toBe(true);
  });
});

describe('setFeeds', () => {
  it('copies only the feeds that changed: an unchanged feed stays the same object', async () => {
    const dir = tempDir();
    const store = openIn(dir);
    await store.setFeeds([makeFeed(1), makeFeed(2)]);
    const [one, two] = store.getFeeds();
    const renamed = { ...two!, name: 'Renamed' };
    const saved = store.setFeeds([one!, renamed]);
    expect(store.getFeeds()[0]).toBe(one);
    expect(store.getFeeds()[1]).not.toBe(renamed);
    expect(store.getFeeds()[1]).toEqual(renamed);
    renamed.include.push('changed later');
    expect(store.getFeeds()[1]!.include).toEqual(['a']);
    await saved;
  });
});
