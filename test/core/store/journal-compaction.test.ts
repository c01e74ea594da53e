// A compaction that fails (on Windows an antivirus or indexer holds the file for a moment; a disk
// fills up) leaves the journal as it was and usable: writes go on, a later compaction succeeds.
import * as nodeFs from 'node:fs';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/core/ports';
import { Journal, type JournalFs } from '../../../main/core/store/journal';
import { readJournal } from '../../../main/core/store/journal-read';
import { createFakeClock } from '../../support/fake-clock';
import { recordingLogger, tempDir } from './store-fixtures';
import { makeTask } from './task-fixture';

/** node:fs, where `which` fails on the calls `fails` picks (counted from 1); counts its calls. */
function flakyFs(which: 'renameSync' | 'fsyncSync', fails: (call: number) => boolean): JournalFs & { calls: number } {
  const fail = (): boolean => fails((port.calls += 1));
  const port = {
    ...nodeFs,
    calls: 0,
    renameSync(from: nodeFs.PathLike, to: nodeFs.PathLike): void {
      if (which === 'renameSync' && fail()) throw Object.assign(new Error('EPERM: operation not permitted, rename'), { code: 'EPERM' });
      nodeFs.renameSync(from, to);
    },
    fsyncSync(fd: number): void {
      if (which === 'fsyncSync' && fail()) throw Object.assign(new Error('ENOSPC: no space left on device, fsync'), { code: 'ENOSPC' });
      nodeFs.fsyncSync(fd);
    },
  };
  return port;
}

const task = (n: number, round: number) => ({ t: 'task' as const, v: makeTask(n, 'pending', { note: `round ${round} `.repeat(40) }) });

/** Rewrites 100 tasks per round, settling after each, until the journal has tried to compact. */
function churnUntilCompactionTried(journal: Journal, fs: { calls: number }, firstRound = 0): number {
  let round = firstRound;
  for (const before = fs.calls; fs.calls === before; round += 1) {
    for (let n = 0; n < 100; n += 1) journal.write(task(n, round), false);
    journal.settle();
    if (round > firstRound + 50) throw new Error('no compaction was tried');
  }
  return round;
}

const liveTasks = (path: string): Map<string, string | null> => {
  const reading = readJournal(readFileSync(path));
  expect(reading.damage).toBeNull();
  return new Map(reading.entries.flatMap(({ record }) => (record.t === 'task' ? [[record.v.id, record.v.note] as const] : [])));
};

describe('a compaction whose rename fails', () => {
  it('leaves the journal taking writes on the old file, and compacts on a later try', () => {
    const dir = tempDir();
    const path = join(dir, 'state.jsonl');
    const fs = flakyFs('renameSync', (call) => call === 2);
    const log = recordingLogger();
    const { journal } = Journal.open(path, { clock: createFakeClock(), log, coalesceMs: 100, fs });
    const calledAtOpen = fs.calls;
    const round = churnUntilCompactionTried(journal, fs);
    expect(fs.calls).toBe(calledAtOpen + 1);
    expect(log.lines.some((line) => line.level === 'warn' && /could not replace the journal/.test(line.msg))).toBe(true);
    expect(existsSync(`${path}.tmp`)).toBe(false);

    // A durable write right after goes onto the old file.
    journal.write({ t: 'task', v: makeTask(500, 'running') }, true);
    expect(readFileSync(path, 'utf8')).toContain('"task-500"');

    const last = churnUntilCompactionTried(journal, fs, round);
    expect(fs.calls).toBe(calledAtOpen + 2);
    // Compacted this time: the file is exactly what the compaction wrote.
    expect(readJournal(readFileSync(path)).compactedBytes).toBe(readFileSync(path).length);
    journal.write({ t: 'task', v: makeTask(501) }, true);
    journal.close();

    const tasks = liveTasks(path);
    expect(tasks.size).toBe(102);
    expect(tasks.get('task-7')).toContain(`round ${last - 1} `);
  });

  it('closes with everything on disk when the compaction at close cannot rename', () => {
    const path = join(tempDir(), 'state.jsonl');
    const fs = flakyFs('renameSync', () => true);
    // The file exists already, so open appends to it without a rewrite.
    writeFileSync(path, '{"t":"header","format":"crier-journal","version":1}\n');
    const { journal } = Journal.open(path, { clock: createFakeClock(), log: silentLogger, coalesceMs: 100, fs });
    journal.write(task(1, 0), true);
    journal.write(task(1, 1), true); // the first line of task-1 is dead now: close compacts
    journal.write(task(2, 1), false);
    expect(() => journal.close()).not.toThrow();
    expect(fs.calls).toBe(1);
    expect(liveTasks(path)).toEqual(new Map([['task-1', task(1, 1).v.note], ['task-2', task(2, 1).v.note]]));
  });

  it('at open (a torn last line to cut off) leaves the rewrite to the next write, which writes everything', () => {
    const path = join(tempDir(), 'state.jsonl');
    writeFileSync(path, `{"t":"header","format":"crier-journal","version":1}\n${JSON.stringify(task(1, 0))}\n{"t":"task","v":{"id`);
    const fs = flakyFs('renameSync', (call) => call === 1);
    const { journal, records } = Journal.open(path, { clock: createFakeClock(), log: silentLogger, coalesceMs: 100, fs });
    expect([...records.keys()]).toEqual(['task:task-1']);
    expect(fs.calls).toBe(1);

    journal.write(task(2, 0), true);
    expect(fs.calls).toBe(2);
    expect([...liveTasks(path).keys()]).toEqual(['task-1', 'task-2']);
    journal.write(task(3, 0), true);
    journal.close();
    expect([...liveTasks(path).keys()]).toEqual(['task-1', 'task-2', 'task-3']);
  });

  it('at open of a new journal, throws from a durable write while the rename keeps failing, and writes everything once it works', () => {
    const path = join(tempDir(), 'state.jsonl');
    const fs = flakyFs('renameSync', (call) => call <= 2);
    const { journal } = Journal.open(path, { clock: createFakeClock(), log: silentLogger, coalesceMs: 100, fs });
    expect(existsSync(path)).toBe(false);
    // Not on disk, so it must not return as if it were.
    expect(() => journal.write(task(1, 0), true)).toThrow(/could not be rewritten/);
    journal.write(task(2, 0), true);
    expect([...liveTasks(path).keys()]).toEqual(['task-1', 'task-2']);
    journal.close();
  });
});

describe('a compaction whose temp file cannot be written', () => {
  it('leaves the journal taking writes, with no temp file left behind', () => {
    const path = join(tempDir(), 'state.jsonl');
    // The second fsync fails: the first is the compaction that creates the file at open.
    const fs = flakyFs('fsyncSync', (call) => call === 2);
    const log = recordingLogger();
    const { journal } = Journal.open(path, { clock: createFakeClock(), log, coalesceMs: 100, fs });
    expect(fs.calls).toBe(1);
    const round = churnUntilCompactionTried(journal, fs);
    expect(log.lines.some((line) => line.level === 'warn' && /could not write its temp file/.test(line.msg))).toBe(true);
    expect(existsSync(`${path}.tmp`)).toBe(false);

    journal.write({ t: 'task', v: makeTask(500, 'running') }, true);
    expect(readFileSync(path, 'utf8')).toContain('"task-500"');
    journal.close();
    const tasks = liveTasks(path);
    expect(tasks.size).toBe(101);
    expect(tasks.get('task-0')).toContain(`round ${round - 1} `);
  });
});
