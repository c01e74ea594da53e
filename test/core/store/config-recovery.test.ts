// Damage to settings.json or feeds.json (an empty file after a power loss, a bad hand edit) never
// stops the store from opening: the file is moved aside, the previous save (`<file>.bak`, kept
// by every write) is restored when it can be read, and a notice says what happened.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../main/core/defaults';
import { silentLogger } from '../../../main/core/ports';
import { JOURNAL_FILE, openStore } from '../../../main/core/store';
import type { EngineStore, FeedConfig } from '../../../main/core/store/types';
import { createFakeClock } from '../../support/fake-clock';
import { recordingLogger, tempDir } from './store-fixtures';

const open: EngineStore[] = [];
function openIn(dir: string): EngineStore {
  const store = openStore(dir, { clock: createFakeClock(), log: silentLogger });
  open.push(store);
  return store;
}
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});

function makeFeed(n: number): FeedConfig {
  return {
    id: `feed-${n}`, url: `https://example.com/${n}.xml`, enabled: true, name: `Feed ${n}`, intervalMinutes: 30,
    template: '{title} {link}', include: [], exclude: [], maxHashtags: 2, postImages: false, backfill: 0,
  };
}
const asideFiles = (dir: string, name: string): string[] => readdirSync(dir).filter((f) => f.startsWith(`${name}.corrupt-`));
const read = (dir: string, name: string): string => readFileSync(join(dir, name), 'utf8');

/** A data dir whose last two saves of the feed list were `before` and then `after`, closed. */
async function savedTwice(before: FeedConfig[], after: FeedConfig[]): Promise<string> {
  const dir = tempDir();
  const store = openIn(dir);
  await store.setFeeds(before);
  await store.setFeeds(after);
  await store.close();
  return dir;
}

describe('an empty or blank config file', () => {
  for (const [name, text] of [['feeds.json', ''], ['feeds.json', '  \n\t\n'], ['settings.json', ''], ['settings.json', ' \r\n']] as const) {
    it(`does not stop the store from opening: ${name} holding ${JSON.stringify(text)} is moved aside with a notice`, () => {
      const dir = tempDir();
      writeFileSync(join(dir, name), text);
      const store = openIn(dir);
      expect(store.getSettings()).toEqual(DEFAULT_SETTINGS);
      expect(store.getFeeds()).toEqual([]);
      expect(store.notices).toEqual([expect.objectContaining({ kind: 'store-recovered' })]);
      expect(store.notices[0]?.message).toMatch(text === '' ? /damaged \(it was empty\)/ : /damaged \(it held only blank space\)/);
      expect(store.notices[0]?.message).toMatch(/no previous save to restore from/);
      const aside = asideFiles(dir, name);
      expect(aside).toHaveLength(1);
      expect(read(dir, aside[0]!)).toBe(text);
      expect(store.notices[0]?.message).toContain(join(dir, aside[0]!));
    });
  }

  it('restores the feed list from the previous save, keeping the empty file aside, and says how many feeds came back', async () => {
    const dir = await savedTwice([makeFeed(1), makeFeed(2)], [makeFeed(1), makeFeed(2), makeFeed(3)]);
    const backup = read(dir, 'feeds.json.bak');
    writeFileSync(join(dir, 'feeds.json'), '');

    const store = openIn(dir);
    expect(store.getFeeds()).toEqual([makeFeed(1), makeFeed(2)]);
    expect(store.notices).toHaveLength(1);
    expect(store.notices[0]?.message).toMatch(/^The feed list file was damaged \(it was empty\)\. It was moved to .*feeds\.json\.corrupt-.*, and the feed list was restored from the previous save \(2 feeds\)/);
    expect(asideFiles(dir, 'feeds.json')).toHaveLength(1);
    expect(read(dir, 'feeds.json')).toBe(backup);
    expect(read(dir, 'feeds.json.bak')).toBe(backup);
  });

  it('opens cleanly after a restore: the restored file is a good file, so the next start has no notice', async () => {
    const dir = await savedTwice([makeFeed(1)], [makeFeed(1), makeFeed(2)]);
    writeFileSync(join(dir, 'feeds.json'), '\n');
    await openIn(dir).close();
    const again = openIn(dir);
    expect(again.notices).toEqual([]);
    expect(again.getFeeds()).toEqual([makeFeed(1)]);
    expect(asideFiles(dir, 'feeds.json')).toHaveLength(1);
  });

  it('restores settings from the previous save', async () => {
    const dir = tempDir();
    const first = openIn(dir);
    first.setSettings({ ...DEFAULT_SETTINGS, dailyCap: 7 });
    first.setSettings({ ...DEFAULT_SETTINGS, dailyCap: 8 });
    await first.close();
    writeFileSync(join(dir, 'settings.json'), '   ');

    const store = openIn(dir);
    expect(store.getSettings()).toEqual({ ...DEFAULT_SETTINGS, dailyCap: 7 });
    expect(store.notices).toHaveLength(1);
    expect(store.notices[0]?.message).toMatch(/^The settings file was damaged \(it held only blank space\)\. It was moved to .*, and the settings were restored from the previous save/);
  });

  it('starts with no feeds when the previous save is empty too, moving both aside and saying so', async () => {
    const dir = await savedTwice([makeFeed(1)], [makeFeed(2)]);
    writeFileSync(join(dir, 'feeds.json'), '');
    writeFileSync(join(dir, 'feeds.json.bak'), '');

    const store = openIn(dir);
    expect(store.getFeeds()).toEqual([]);
    expect(store.notices).toHaveLength(1);
    expect(store.notices[0]?.message).toMatch(/The previous save could not be used either \(it was empty\); it was moved to .*feeds\.json\.bak\.corrupt-.*, so Crier starts with no feeds\./);
    expect(asideFiles(dir, 'feeds.json')).toHaveLength(1);
    expect(asideFiles(dir, 'feeds.json.bak')).toHaveLength(1);
    expect(existsSync(join(dir, 'feeds.json.bak'))).toBe(false);
  });

  it('starts from the default settings when the previous save is not a settings object', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'settings.json'), '');
    writeFileSync(join(dir, 'settings.json.bak'), '[1, 2]');
    const store = openIn(dir);
    expect(store.getSettings()).toEqual(DEFAULT_SETTINGS);
    expect(store.notices[0]?.message).toMatch(/previous save could not be used either \(its JSON was not an object\).*so the settings start from their defaults\./);
  });

  it('leaves the other config file and the journal byte for byte as they were', async () => {
    const dir = await savedTwice([makeFeed(1)], [makeFeed(2)]);
    const feedsBefore = read(dir, 'feeds.json');
    const journalBefore = read(dir, JOURNAL_FILE);
    writeFileSync(join(dir, 'settings.json'), '');
    const store = openIn(dir);
    expect(store.getFeeds()).toEqual([makeFeed(2)]);
    expect(read(dir, 'feeds.json')).toBe(feedsBefore);
    expect(read(dir, JOURNAL_FILE)).toBe(journalBefore);
  });

  it('runs the migrations on a restored previous save written by 0.x', () => {
    const dir = tempDir();
    const { include: _include, exclude: _exclude, ...old } = makeFeed(1);
    writeFileSync(join(dir, 'feeds.json'), '');
    writeFileSync(join(dir, 'feeds.json.bak'), JSON.stringify({ feeds: [{ ...old, filters: { include: ['rust'], exclude: ['go'] } }] }));
    const store = openIn(dir);
    expect(store.getFeeds()).toEqual([{ ...makeFeed(1), include: ['rust'], exclude: ['go'] }]);
    expect(store.notices[0]?.message).toMatch(/restored from the previous save \(1 feed\)/);
  });
});

describe('a missing config file', () => {
  it('is a fresh start without a notice, even beside a previous save', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'feeds.json.bak'), JSON.stringify({ feeds: [makeFeed(1)] }));
    const store = openIn(dir);
    expect(store.getFeeds()).toEqual([]);
    expect(store.notices).toEqual([]);
  });
});

describe('every save', () => {
  it('keeps the file as it was before the save in <file>.bak, byte for byte, and leaves no temporary file', async () => {
    const dir = tempDir();
    const store = openIn(dir);
    await store.setFeeds([makeFeed(1)]);
    const first = read(dir, 'feeds.json');
    await store.setFeeds([makeFeed(1), makeFeed(2)]);
    expect(read(dir, 'feeds.json.bak')).toBe(first);
    const settingsBefore = read(dir, 'settings.json');
    store.setSettings({ ...DEFAULT_SETTINGS, dailyCap: 3 });
    expect(read(dir, 'settings.json.bak')).toBe(settingsBefore);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('keeps the last good previous save rather than a file damaged while Crier was running', () => {
    const dir = tempDir();
    const store = openIn(dir);
    store.setSettings({ ...DEFAULT_SETTINGS, dailyCap: 7 });
    store.setSettings({ ...DEFAULT_SETTINGS, dailyCap: 8 });
    const good = read(dir, 'settings.json.bak');
    writeFileSync(join(dir, 'settings.json'), '{"dailyCap": ');
    store.setSettings({ ...DEFAULT_SETTINGS, dailyCap: 9 });
    expect(read(dir, 'settings.json.bak')).toBe(good);
    expect(JSON.parse(read(dir, 'settings.json')).dailyCap).toBe(9);
  });

  it('still saves when the previous save cannot be kept, logging why and leaving no temporary file', async () => {
    const dir = tempDir();
    const log = recordingLogger();
    const store = openStore(dir, { clock: createFakeClock(), log });
    open.push(store);
    await store.setFeeds([makeFeed(1)]);
    rmSync(join(dir, 'feeds.json.bak'));
    mkdirSync(join(dir, 'feeds.json.bak', 'in-the-way'), { recursive: true });
    await store.setFeeds([makeFeed(2)]);
    expect(JSON.parse(read(dir, 'feeds.json')).feeds).toEqual([makeFeed(2)]);
    expect(log.lines).toContainEqual({ level: 'warn', msg: 'could not keep the previous save of a config file' });
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});
