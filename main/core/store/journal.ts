// An append-only JSONL journal: one line per change, the newest line for a key wins. A change
// costs one small append instead of rewriting every task; compaction rewrites the live lines
// (write a temp file, fsync, rename) when the file has grown past twice what is live.
import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock, Logger } from '../ports';
import { moveAside } from './quarantine';
import { HeaderSchema, JOURNAL_FORMAT, JOURNAL_VERSION, RecordSchema, recordKey, type JournalRecord } from './records';

const HEADER_LINE = JSON.stringify({ t: 'header', format: JOURNAL_FORMAT, version: JOURNAL_VERSION });
/** How every line we write begins; a last line that does not is damage, not a torn write. */
const LINE_START = '{"t":"';
/** Below this the file is small enough that rewriting it buys nothing. */
const MIN_COMPACT_BYTES = 256 * 1024;

export interface JournalOptions {
  clock: Clock;
  log: Logger;
  /** How long ordinary (non-durable) changes wait to be written together. */
  coalesceMs: number;
}

export interface ReplayResult {
  journal: Journal;
  /** The live record of every key, in the order they were last written. */
  records: Map<string, JournalRecord>;
  /** Set when unreadable lines were found: the damaged file was moved here, readable records kept. */
  movedAsideTo: string | null;
  unreadableLines: number;
}

export class Journal {
  /** key → its newest line (without the newline); what compaction writes. */
  private readonly live = new Map<string, string>();
  private liveBytes = Buffer.byteLength(HEADER_LINE) + 1;
  private fileBytes = 0;
  /** Changes not yet written, by key, so a task updated five times in a window is written once. */
  private readonly pending = new Map<string, string>();
  private cancelTimer: (() => void) | null = null;
  private fd: number | null = null;

  private constructor(readonly path: string, private readonly options: JournalOptions) {}

  /** Replays the file at `path` (created when missing); never throws for damaged content. */
  static open(path: string, options: JournalOptions): ReplayResult {
    const journal = new Journal(path, options);
    const records = new Map<string, JournalRecord>();
    let movedAsideTo: string | null = null;
    let unreadableLines = 0;
    let rewrite = !existsSync(path);

    if (!rewrite) {
      const bytes = readFileSync(path);
      journal.fileBytes = bytes.length;
      // An empty file (a crash right after creating it) gets its header line back.
      if (bytes.length === 0) rewrite = true;
      const lines = bytes.toString('utf8').split('\n');
      // '' when the file ends with a newline; otherwise a last line whose write may have been cut short.
      const tail = lines.pop() ?? '';
      lines.forEach((line, index) => {
        if ((index === 0 && isHeader(line)) || line.trim() === '') return;
        const record = parseRecord(line);
        if (record) journal.adopt(records, record, line);
        else unreadableLines += 1;
      });
      if (tail !== '') {
        // Rewritten either way, so the next append starts on a line of its own.
        rewrite = true;
        const record = parseRecord(tail);
        if (record) journal.adopt(records, record, tail);
        else if (!tail.startsWith(LINE_START)) unreadableLines += 1;
        else if (!(lines.length === 0 && isHeader(tail))) {
          // A crash mid-append: that write never returned to its caller as done, so dropping it loses nothing promised.
          options.log.warn('journal: dropped a torn last line (a write cut short by a crash)', { path, bytes: tail.length });
        }
      }
      if (unreadableLines > 0) {
        movedAsideTo = moveAside(path, options.clock.now());
        options.log.error('journal: unreadable lines; moved the file aside and kept the readable records', { path, unreadableLines, movedAsideTo });
        rewrite = true;
      }
    }
    if (rewrite || journal.shouldCompact()) journal.compact();
    else journal.fd = openSync(path, 'a');
    return { journal, records, movedAsideTo, unreadableLines };
  }

  /** Records a change; `durable` writes it (and everything pending) before returning. */
  write(record: JournalRecord, durable: boolean): void {
    const line = JSON.stringify(record);
    const key = recordKey(record);
    this.track(key, record, line);
    this.pending.set(key, line);
    if (durable) this.flushSync();
    else this.schedule();
  }

  /** Writes every pending change now; compacts when the file has grown past twice the live size. */
  flushSync(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    if (this.pending.size > 0) {
      const chunk = Buffer.from(`${[...this.pending.values()].join('\n')}\n`);
      this.append(chunk);
      this.pending.clear();
    }
  }

  /** Flushes and compacts if due: what the coalescing timer and `flush()` run. */
  settle(): void {
    this.flushSync();
    if (this.shouldCompact()) this.compact();
  }

  /** Flushes, compacts, closes the file. */
  close(): void {
    this.flushSync();
    if (this.fileBytes !== this.liveBytes) this.compact();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private adopt(records: Map<string, JournalRecord>, record: JournalRecord, line: string): void {
    const key = recordKey(record);
    records.delete(key);
    if (record.t !== 'del') records.set(key, record);
    this.track(key, record, line);
  }

  private track(key: string, record: JournalRecord, line: string): void {
    const previous = this.live.get(key);
    if (previous !== undefined) this.liveBytes -= Buffer.byteLength(previous) + 1;
    this.live.delete(key);
    if (record.t === 'del') return;
    this.live.set(key, line);
    this.liveBytes += Buffer.byteLength(line) + 1;
  }

  private append(chunk: Buffer): void {
    if (this.fd === null) throw new Error(`The journal ${this.path} is closed.`);
    try {
      for (let offset = 0; offset < chunk.length;) offset += writeSync(this.fd, chunk, offset);
      this.fileBytes += chunk.length;
    } catch (error) {
      // Cut a half-written chunk off again, so the next append does not glue onto a broken line.
      try {
        ftruncateSync(this.fd, this.fileBytes);
      } catch {
        // Best effort: replay tolerates what is left.
      }
      throw error;
    }
  }

  private schedule(): void {
    if (this.cancelTimer) return;
    this.cancelTimer = this.options.clock.setTimeout(() => {
      this.cancelTimer = null;
      try {
        this.settle();
      } catch (error) {
        // Pending changes stay queued and go out with the next write or flush.
        this.options.log.error('journal: a coalesced write failed', { path: this.path, error: String(error) });
      }
    }, this.options.coalesceMs);
  }

  private shouldCompact(): boolean {
    return this.fileBytes > MIN_COMPACT_BYTES && this.fileBytes > 2 * this.liveBytes;
  }

  /** Rewrites the live lines to a temp file, syncs it and renames it over the journal. */
  private compact(): void {
    const tmp = `${this.path}.tmp`;
    const body = Buffer.from(`${[HEADER_LINE, ...this.live.values()].join('\n')}\n`);
    const fd = openSync(tmp, 'w');
    try {
      for (let offset = 0; offset < body.length;) offset += writeSync(fd, body, offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    renameSync(tmp, this.path);
    syncDir(dirname(this.path));
    this.fd = openSync(this.path, 'a');
    this.fileBytes = statSync(this.path).size;
    this.liveBytes = body.length;
  }
}

function isHeader(line: string): boolean {
  return HeaderSchema.safeParse(parseJson(line)).success;
}

function parseRecord(line: string): JournalRecord | null {
  const parsed = RecordSchema.safeParse(parseJson(line));
  return parsed.success ? parsed.data : null;
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** Makes the rename itself durable where the OS allows opening a directory (not on Windows). */
function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not supported here; the rename is still atomic.
  }
}
