// A feed's seen record is written after the tasks of the items it marks, in every append and
// every compaction: a file cut anywhere (a crash, damage) must never keep an item marked seen
// while losing the task that was to post it, or that item is never posted.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/core/ports';
import { Journal } from '../../../main/core/store/journal';
import { readJournal } from '../../../main/core/store/journal-read';
import { recordKey, type JournalRecord } from '../../../main/core/store/records';
import { createFakeClock } from '../../support/fake-clock';
import { tempDir } from './store-fixtures';
import { makeTask } from './task-fixture';

const options = () => ({ clock: createFakeClock(), log: silentLogger, coalesceMs: 100 });
const task = (n: number, status: 'pending' | 'running' = 'pending'): JournalRecord => ({ t: 'task', v: makeTask(n, status) });
const seen = (...ns: number[]): JournalRecord => ({ t: 'seen', id: 'feed-1', v: { ids: ns.map((n) => `item-${n}`), links: [] } });

/** Item ids marked seen whose task is missing, among the items that had a task written. */
function seenWithoutTask(records: Map<string, JournalRecord>, itemsWithTasks: string[]): string[] {
  const tasked = new Set<string>();
  const marked = new Set<string>();
  for (const record of records.values()) {
    if (record.t === 'task') tasked.add(record.v.itemId);
    if (record.t === 'seen') for (const id of record.v.ids) marked.add(id);
  }
  return itemsWithTasks.filter((item) => marked.has(item) && !tasked.has(item));
}

/** Replays `path` cut to each length from `from` to its end; returns the lengths that broke the invariant. */
function cutsLosingATask(path: string, from: number, itemsWithTasks: string[]): number[] {
  const whole = readFileSync(path);
  const bad: number[] = [];
  for (let length = from; length < whole.length; length += 1) {
    // What Journal.open keeps of a file: every readable record, the newest per key.
    const records = new Map<string, JournalRecord>();
    for (const { record } of readJournal(whole.subarray(0, length)).entries) {
      records.delete(recordKey(record));
      if (record.t !== 'del') records.set(recordKey(record), record);
    }
    if (seenWithoutTask(records, itemsWithTasks).length > 0) bad.push(length);
  }
  return bad;
}

describe('the order records reach the file', () => {
  it('writes a seen record set again after a new task behind that task in one append', () => {
    const path = join(tempDir(), 'state.jsonl');
    const { journal } = Journal.open(path, options());
    const start = readFileSync(path).length;
    // A poll takes in item 1, marks it seen; a second poll in the same window adds item 2.
    journal.write(task(1), false);
    journal.write(seen(1), false);
    journal.write(task(2), false);
    journal.write(seen(1, 2), false);
    journal.flushSync();
    const saved = join(tempDir(), 'saved.jsonl');
    copyFileSync(path, saved);
    journal.close();

    expect(cutsLosingATask(saved, start, ['item-1', 'item-2'])).toEqual([]);
  });

  it('writes a seen record behind every task in a compaction, even a task changed after it', () => {
    const path = join(tempDir(), 'state.jsonl');
    const { journal } = Journal.open(path, options());
    journal.write(task(1), false);
    journal.write(task(2), false);
    journal.write(seen(1, 2), false);
    journal.flushSync();
    // Task 1 changes after its item was marked seen: it was the last written, so it came last.
    journal.write(task(1, 'running'), false);
    journal.close(); // compacts: the file has grown past its live size

    const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(4);
    expect(lines.at(-1)).toContain('"t":"seen"');
    expect(cutsLosingATask(path, 0, ['item-1', 'item-2'])).toEqual([]);
  });

  it('writes deletions of seen records with the seen records, after the tasks', () => {
    const path = join(tempDir(), 'state.jsonl');
    const { journal } = Journal.open(path, options());
    journal.write(seen(1), false);
    journal.write({ t: 'del', k: 'seen:feed-1' }, false);
    journal.write(task(3), false);
    journal.flushSync();
    const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
    expect(lines.at(-1)).toBe('{"t":"del","k":"seen:feed-1"}');
    journal.close();
  });
});
