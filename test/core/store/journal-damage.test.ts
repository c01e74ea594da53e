// A journal that lost records always says so; a torn append (a crash mid-write, nothing promised
// lost) never does. The header records how far the last compaction wrote: a cut before that point
// is damage, a torn last line past it is not.
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/core/ports';
import { JOURNAL_FILE, openStore } from '../../../main/core/store';
import { Journal } from '../../../main/core/store/journal';
import { journalDamageNotice } from '../../../main/core/store/journal-damage';
import { readJournal } from '../../../main/core/store/journal-read';
import type { EngineStore } from '../../../main/core/store/types';
import { createFakeClock } from '../../support/fake-clock';
import { recordingLogger, tempDir } from './store-fixtures';
import { makeTask } from './task-fixture';

const opened: EngineStore[] = [];
function openIn(dir: string, log = silentLogger): EngineStore {
  const store = openStore(dir, { clock: createFakeClock(), log });
  opened.push(store);
  return store;
}
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

const asideFiles = (dir: string): string[] => readdirSync(dir).filter((f) => f.startsWith(`${JOURNAL_FILE}.corrupt-`));
const taskLine = (n: number): string => JSON.stringify({ t: 'task', v: makeTask(n) });
const journalOptions = () => ({ clock: createFakeClock(), log: silentLogger, coalesceMs: 100 });

/** A data dir whose journal was compacted (closed) with tasks 1..count; returns the dir and the file. */
async function compactedDir(count: number): Promise<{ dir: string; path: string; bytes: Buffer }> {
  const dir = tempDir();
  const store = openStore(dir, { clock: createFakeClock(), log: silentLogger });
  for (let n = 1; n <= count; n += 1) store.tasks.put(makeTask(n, 'running'));
  await store.flush();
  // Changed again, so the file holds more than what is live and close compacts it.
  for (let n = 1; n <= count; n += 1) store.tasks.put(makeTask(n));
  store.putSeen('feed-1', { ids: ['item-1'], links: [] });
  await store.close();
  const path = join(dir, JOURNAL_FILE);
  return { dir, path, bytes: readFileSync(path) };
}

/** Offsets just after each newline but the last. */
function lineEnds(bytes: Buffer): number[] {
  const ends: number[] = [];
  for (let at = bytes.indexOf(0x0a); at !== -1 && at < bytes.length - 1; at = bytes.indexOf(0x0a, at + 1)) ends.push(at + 1);
  return ends;
}

describe('the header', () => {
  it('records how many bytes the last compaction wrote, itself included', async () => {
    const { bytes } = await compactedDir(3);
    const header = JSON.parse(bytes.toString('utf8').split('\n')[0] ?? '') as Record<string, unknown>;
    expect(header).toEqual({ t: 'header', format: 'crier-journal', version: 1, compactedBytes: bytes.length });
  });

  it('counts itself right when the count gains a digit', () => {
    const compactedSize = (note: number): Buffer => {
      const path = join(tempDir(), JOURNAL_FILE);
      const { journal } = Journal.open(path, journalOptions());
      journal.write({ t: 'task', v: makeTask(1, 'running') }, true);
      journal.write({ t: 'task', v: makeTask(1, 'pending', { note: 'n'.repeat(note) }) }, false);
      journal.close(); // compacts: the first line of task-1 is no longer live
      return readFileSync(path);
    };
    const base = compactedSize(0).length;
    const sizes = new Set<number>();
    // Bodies of 9,995 to 10,006 and 99,995 to 100,006 bytes: the count gains a digit in between.
    for (const boundary of [10_000, 100_000]) {
      for (let note = boundary - base - 6; note <= boundary - base + 4; note += 1) {
        const bytes = compactedSize(note);
        expect(readJournal(bytes).compactedBytes).toBe(bytes.length);
        sizes.add(bytes.length);
      }
    }
    expect([...sizes].some((size) => size < 10_000)).toBe(true);
    expect([...sizes].some((size) => size >= 10_000 && size < 10_010)).toBe(true);
    expect([...sizes].some((size) => size >= 100_000 && size < 100_010)).toBe(true);
  });
});

describe('damage inside the compacted part', () => {
  it('says the journal was cut short, and where, for a cut at every line boundary', async () => {
    const { bytes } = await compactedDir(4);
    const ends = lineEnds(bytes);
    expect(ends).toHaveLength(5); // header, 4 tasks, then the seen record
    for (const end of ends) {
      const dir = tempDir();
      writeFileSync(join(dir, JOURNAL_FILE), bytes.subarray(0, end));
      const store = openIn(dir);
      expect(store.notices).toHaveLength(1);
      expect(store.notices[0]?.message).toContain(`cut short: it ends at byte ${end.toLocaleString('en-US')} of the ${bytes.length.toLocaleString('en-US')}`);
      expect(asideFiles(dir)).toHaveLength(1);
      // Everything before the cut is kept.
      expect(store.tasks.all()).toHaveLength(ends.indexOf(end));
    }
  });

  it('reports a cut at every byte inside the compacted part, except one that took only the final newline', async () => {
    const { bytes } = await compactedDir(2);
    for (let length = 1; length < bytes.length; length += 1) {
      const { damage } = readJournal(bytes.subarray(0, length));
      if (length === bytes.length - 1) expect(damage).toBeNull();
      else expect(damage?.cut, `cut at ${length}`).toEqual({ keptBytes: length, expectedBytes: length < firstLineEnd(bytes) ? null : bytes.length });
    }
  });

  it('counts lines that cannot be read and says so in the notice', async () => {
    const { dir, path, bytes } = await compactedDir(3);
    const lines = bytes.toString('utf8').split('\n');
    // Same lengths, so the file is not also shorter than the header says.
    lines[1] = '{"t":"task","v":{"id":"broken"}}'.padEnd(lines[1]?.length ?? 0);
    lines[2] = 'garbage'.padEnd(lines[2]?.length ?? 0, '!');
    writeFileSync(path, lines.join('\n'));
    const store = openIn(dir);
    expect(store.tasks.all().map((t) => t.id)).toEqual(['task-3']);
    expect(store.notices[0]?.message).toMatch(/had 2 unreadable lines, whose records were lost/);
  });
});

describe('the last line', () => {
  it('drops a torn append silently at every byte it could have been cut, keeping everything before it', async () => {
    const { dir, path } = await compactedDir(2);
    appendFileSync(path, `${taskLine(3)}\n`);
    const whole = readFileSync(path);
    const start = whole.length - taskLine(3).length - 1;
    for (let length = start + 1; length < whole.length - 1; length += 1) {
      const reading = readJournal(whole.subarray(0, length));
      expect(reading.damage, `cut at ${length}`).toBeNull();
      expect(reading.entries.map((e) => e.record.t)).toEqual(['task', 'task', 'seen']);
      expect(reading.tornBytes).toBe(length - start);
    }
    // And through the store: no notice, a warning in the log, nothing moved aside.
    writeFileSync(path, whole.subarray(0, start + 40));
    const log = recordingLogger();
    const store = openIn(dir, log);
    expect(store.notices).toEqual([]);
    expect(asideFiles(dir)).toEqual([]);
    expect(store.tasks.all()).toHaveLength(2);
    expect(log.lines.some((line) => line.level === 'warn' && /torn/.test(line.msg))).toBe(true);
  });

  it('drops a zero-filled last line past the compacted part silently (a power loss during an append)', async () => {
    const { path } = await compactedDir(1);
    appendFileSync(path, Buffer.alloc(300));
    const reading = readJournal(readFileSync(path));
    expect(reading.damage).toBeNull();
    expect(reading.tornBytes).toBe(300);
  });

  it('treats a last line past the compacted part that no write of ours begins with as damage', async () => {
    const { dir, path } = await compactedDir(1);
    appendFileSync(path, 'this is not a journal');
    const store = openIn(dir);
    expect(store.notices[0]?.message).toMatch(/1 unreadable line/);
    expect(store.tasks.all()).toHaveLength(1);
  });

  it('treats an unreadable complete line in the appended part as damage', async () => {
    const { dir, path } = await compactedDir(1);
    appendFileSync(path, `{"t":"task","v":{"id":"broken"}}\n${taskLine(2)}\n`);
    const store = openIn(dir);
    expect(store.tasks.all()).toHaveLength(2);
    expect(store.notices[0]?.message).toMatch(/had 1 unreadable line, whose records were lost/);
  });
});

describe('an empty file', () => {
  it('is damage: moved aside, a notice saying tasks and seen items could not be recovered, a fresh journal', () => {
    const path = join(tempDir(), JOURNAL_FILE);
    writeFileSync(path, '');
    const { journal, records, damage, movedAsideTo } = Journal.open(path, journalOptions());
    journal.close();
    expect(damage).toEqual({ empty: true, unreadableLines: 0, cut: null });
    expect(movedAsideTo).toMatch(/state\.jsonl\.corrupt-/);
    expect(records.size).toBe(0);
    expect(readJournal(readFileSync(path)).damage).toBeNull();
  });
});

describe('a journal with a header of the build before compactedBytes', () => {
  const oldHeader = '{"t":"header","format":"crier-journal","version":1}';
  const oldJournal = `${oldHeader}\n${taskLine(1)}\n${taskLine(2)}\n`;

  it('replays every record, without a notice', () => {
    const reading = readJournal(Buffer.from(oldJournal));
    expect(reading.damage).toBeNull();
    expect(reading.compactedBytes).toBeNull();
    expect(reading.entries).toHaveLength(2);
  });

  it('keeps the old rules: a cut at a line boundary cannot be told from the end, a torn last line is dropped silently', () => {
    expect(readJournal(Buffer.from(`${oldHeader}\n${taskLine(1)}\n`)).damage).toBeNull();
    const torn = readJournal(Buffer.from(`${oldJournal}${taskLine(3).slice(0, 3)}`));
    expect(torn.damage).toBeNull();
    expect(torn.tornBytes).toBe(3);
    expect(readJournal(Buffer.from(`${oldJournal}garbage`)).damage).toEqual({ empty: false, unreadableLines: 1, cut: null });
  });

  it('gets the new header at its next compaction', () => {
    const path = join(tempDir(), JOURNAL_FILE);
    writeFileSync(path, oldJournal);
    const { journal } = Journal.open(path, journalOptions());
    journal.write({ t: 'task', v: makeTask(1, 'running') }, true);
    journal.close();
    const reading = readJournal(readFileSync(path));
    expect(reading.compactedBytes).toBe(readFileSync(path).length);
    expect(reading.entries).toHaveLength(2);
  });
});

describe('the notice', () => {
  it('says what was lost in words for people, and where the original went', () => {
    const aside = '/data/state.jsonl.corrupt-2026-01-01T00-00-00.000Z';
    expect(journalDamageNotice({ empty: true, unreadableLines: 0, cut: null }, aside)).toBe(
      'The task journal (state.jsonl) was empty, so its tasks and seen items could not be recovered: queued and failed '
      + 'tasks are gone, and each feed\'s next poll counts as its first (the items it then holds are marked seen, and '
      + `only the newest are posted, as the feed's backfill allows). The damaged file was moved to ${aside}.`,
    );
    expect(journalDamageNotice({ empty: false, unreadableLines: 2, cut: { keptBytes: 1200, expectedBytes: 5396 } }, aside)).toBe(
      'The task journal (state.jsonl) was cut short: it ends at byte 1,200 of the 5,396 it held when last saved whole, '
      + 'so the records after that point were lost, and had 2 unreadable lines, whose records were lost. Tasks and seen '
      + `items changed in the lost records are gone or back to an earlier state; everything still readable was kept. The damaged file was moved to ${aside}.`,
    );
  });
});

function firstLineEnd(bytes: Buffer): number {
  return bytes.indexOf(0x0a);
}
