// What a poll's writes cost the store: a first check logs a batch of skipped items and writes a
// seen record that may keep titles and days. Both must take the plain walk of record-shape.ts (no
// zod per item) and a batch must reach the journal as one change, while a bad entry is still
// refused by zod with a clear message and nothing of its batch kept.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SkippedItem } from '../../../preload/contract';
import { silentLogger } from '../../../main/core/ports';
import { JOURNAL_FILE, openStore } from '../../../main/core/store';
import { Journal } from '../../../main/core/store/journal';
import { SeenRecordSchema, SkippedItemSchema } from '../../../main/core/store/records';
import type { EngineStore } from '../../../main/core/store/types';
import { createFakeClock } from '../../support/fake-clock';
import { tempDir } from './store-fixtures';

const opened: EngineStore[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const store of opened.splice(0)) await store.close();
});

function open(dir: string): EngineStore {
  const store = openStore(dir, { clock: createFakeClock(), log: silentLogger });
  opened.push(store);
  return store;
}

const entry = (i: number): SkippedItem => ({
  id: `skip-${i}`, feedId: 'feed-1', reason: 'baseline: already in the feed at its first check', at: '2026-01-01T00:00:00.000Z',
  item: { id: `item-${i}`, title: `Story ${i}`, link: `https://example.com/${i}`, summary: 'A summary', published: null, author: null, image: null, categories: ['news'] },
});

describe('a poll\'s writes to the store', () => {
  it('hands the journal a batch of skipped items as one write, with no zod call per item', () => {
    const store = open(tempDir());
    const write = vi.spyOn(Journal.prototype, 'write');
    const writeAll = vi.spyOn(Journal.prototype, 'writeAll');
    const zod = vi.spyOn(SkippedItemSchema, 'safeParse');
    store.addSkipped(Array.from({ length: 20 }, (_, i) => entry(i)));
    expect(write).not.toHaveBeenCalled();
    expect(writeAll).toHaveBeenCalledTimes(1);
    expect(writeAll.mock.calls[0]?.[0]).toHaveLength(20);
    expect(zod).not.toHaveBeenCalled();
    expect(store.getSkipped().map((e) => e.id)).toEqual(Array.from({ length: 20 }, (_, i) => `skip-${i}`));
  });

  it('drops a batch of overflowing entries with one write', () => {
    const store = open(tempDir());
    store.addSkipped([entry(1), entry(2), entry(3)]);
    const write = vi.spyOn(Journal.prototype, 'write');
    const writeAll = vi.spyOn(Journal.prototype, 'writeAll');
    store.removeSkipped(['skip-1', 'skip-2', 'skip-9']);
    expect(write).not.toHaveBeenCalled();
    expect(writeAll).toHaveBeenCalledTimes(1);
    expect(writeAll.mock.calls[0]?.[0]).toEqual([{ t: 'del', k: 'skip:skip-1' }, { t: 'del', k: 'skip:skip-2' }]);
    expect(store.getSkipped().map((e) => e.id)).toEqual(['skip-3']);
  });

  it('counts each feed\'s entries as they come and go, and again after a restart', async () => {
    const dir = tempDir();
    const store = open(dir);
    store.addSkipped([entry(1), entry(2), { ...entry(3), feedId: 'feed-2' }]);
    store.removeSkipped(['skip-1']);
    expect([store.skippedCount('feed-1'), store.skippedCount('feed-2'), store.skippedCount('feed-9'), store.skippedCount()]).toEqual([1, 1, 0, 2]);
    store.forgetFeed('feed-2');
    expect([store.skippedCount('feed-2'), store.skippedCount()]).toEqual([0, 1]);
    await store.close();
    opened.splice(opened.indexOf(store), 1);
    const again = open(dir);
    expect([again.skippedCount('feed-1'), again.skippedCount()]).toEqual([1, 1]);
  });

  it('keeps its own copy of each entry, so a caller changing its object later changes nothing stored', () => {
    const store = open(tempDir());
    const mine = entry(1);
    store.addSkipped([mine]);
    mine.item.categories.push('changed');
    mine.item.title = 'changed';
    expect(store.getSkipped()[0]).toEqual(entry(1));
  });

  it('refuses a batch holding a bad entry through zod, with a clear message, and keeps none of it', () => {
    const store = open(tempDir());
    const bad = { ...entry(2), id: '' };
    expect(() => store.addSkipped([entry(1), bad])).toThrow(/invalid skipped item: id/);
    expect(store.getSkipped()).toEqual([]);
  });

  it('strips a key zod would strip, as before', () => {
    const store = open(tempDir());
    store.addSkipped([{ ...entry(1), colour: 'red' } as SkippedItem]);
    expect(store.getSkipped()[0]).toEqual(entry(1));
  });

  it('writes a seen record with titles and days without zod, and replays it', async () => {
    const dir = tempDir();
    const store = open(dir);
    const zod = vi.spyOn(SeenRecordSchema, 'safeParse');
    const record = { ids: ['a', 'b'], links: ['https://example.com/a'], address: 'https://example.com/feed.xml', titles: ['a story'], days: ['a 2026-01-01'] };
    store.putSeen('feed-1', record);
    expect(zod).not.toHaveBeenCalled();
    record.titles.push('changed');
    expect(store.getSeen('feed-1')?.titles).toEqual(['a story']);
    store.addSkipped([entry(1), entry(2)]);
    await store.close();
    opened.splice(0);
    expect(readFileSync(join(dir, JOURNAL_FILE), 'utf8')).toContain('"days":["a 2026-01-01"]');
    const again = open(dir);
    expect(again.getSeen('feed-1')).toEqual({ ...record, titles: ['a story'] });
    expect(again.getSkipped()).toEqual([entry(1), entry(2)]);
  });
});
