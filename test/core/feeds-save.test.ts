// A feed command answers once feeds.json holds the change, and says so when the disk refused it:
// the change stays in effect and the next save writes the whole list.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccountPort } from '../../main/core/account';
import { createFeedParser } from '../../main/core/feeds/executor';
import { silentLogger } from '../../main/core/ports';
import { createAppService, type EngineService } from '../../main/core/service';
import { openStore } from '../../main/core/store/index';
import { createFakeClock } from '../support/fake-clock';
import { dryAccount } from '../support/dry-account';

const noAccount: AccountPort = dryAccount();

let dir: string;
let service: EngineService;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crier-feeds-save-'));
  const clock = createFakeClock();
  const store = openStore(dir, { clock, log: silentLogger });
  service = createAppService({ clock, log: silentLogger, store, parser: createFeedParser({ workers: 1 }), account: noAccount, random: () => 0.5 });
});

afterEach(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

const namesOnDisk = (): unknown => (JSON.parse(readFileSync(join(dir, 'feeds.json'), 'utf8')).feeds as { name: string | null }[]).map((f) => f.name);
/** A directory where the write's temporary file goes: the disk refuses the write (EISDIR). */
const blockWrites = (): void => {
  mkdirSync(join(dir, 'feeds.json.tmp', 'in-the-way'), { recursive: true });
};
const unblockWrites = (): void => rmSync(join(dir, 'feeds.json.tmp'), { recursive: true });

describe('feed commands', () => {
  it('answer an add, a rename and a removal only once feeds.json holds them', async () => {
    const feed = await service.addFeed({ url: 'https://example.com/a.xml', name: 'A', enabled: false });
    expect(namesOnDisk()).toEqual(['A']);
    await service.updateFeed(feed.id, { name: 'B' });
    expect(namesOnDisk()).toEqual(['B']);
    await service.removeFeed(feed.id);
    expect(namesOnDisk()).toEqual([]);
  });

  it('answer an internal error when the disk refuses the write; the change stays and the next change saves the whole list', async () => {
    const feed = await service.addFeed({ url: 'https://example.com/a.xml', name: 'A', enabled: false });
    blockWrites();
    await expect(service.updateFeed(feed.id, { name: 'B' })).rejects.toMatchObject({
      code: 'internal', message: expect.stringMatching(/^The change is in effect but could not be saved to disk/),
    });
    expect((await service.getState()).feeds.map((f) => f.name)).toEqual(['B']);
    expect(namesOnDisk()).toEqual(['A']);
    unblockWrites();
    await service.addFeed({ url: 'https://example.com/c.xml', name: 'C', enabled: false });
    expect(namesOnDisk()).toEqual(['B', 'C']);
  });

  it('answer an OPML import once feeds.json holds every imported feed', async () => {
    const result = await service.importOpml('<?xml version="1.0"?><opml version="2.0"><head/><body><outline type="rss" text="X" xmlUrl="https://example.com/x.xml"/><outline type="rss" text="Y" xmlUrl="https://example.com/y.xml"/></body></opml>');
    expect(result.added).toBe(2);
    expect(namesOnDisk()).toEqual(['X', 'Y']);
  });
});
