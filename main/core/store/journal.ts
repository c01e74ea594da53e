// An append-only JSONL journal: one line per change, the newest line for a key wins. A change
// costs one small append instead of rewriting every task; compaction rewrites the live lines
// (write a temp file, fsync, rename) when the file has grown past twice what is live.
import * as nodeFs from 'node:fs';
import { dirname } from 'node:path';
import type { Clock, Logger } from '../ports';
import type { JournalDamage } from './journal-damage';
import { readJournal } from './journal-read';
import { moveAside } from './quarantine';
import { JOURNAL_FORMAT, JOURNAL_VERSION, recordKey, type JournalRecord } from './records';

/** Below this the file is small enough that rewriting it buys nothing. */
const MIN_COMPACT_BYTES = 256 * 1024;

/** The file calls the journal makes while writing; a test can make one fail (an antivirus holding the file). */
export type JournalFs = Pick<typeof nodeFs, 'openSync' | 'writeSync' | 'fsyncSync' | 'closeSync' | 'renameSync' | 'unlinkSync' | 'ftruncateSync'>;

export interface JournalOptions {
  clock: Clock;
  log: Logger;
  /** How long ordinary (non-durable) changes wait to be written together. */
  coalesceMs: number;
  fs?: JournalFs;
}

export interface ReplayResult {
  journal: Journal;
  /** The live record of every key, in the order they were last written. */
  records: Map<string, JournalRecord>;
  /** What was lost, when the file was damaged; the readable records are kept. */
  damage: JournalDamage | null;
  /** Where the damaged file was moved; set exactly when `damage` is. */
  movedAsideTo: string | null;
}

export class Journal {
  /** key → its newest line (without the newline); what compaction writes. */
  private readonly live = new Map<string, string>();
  private liveBytes = headerLine(0).length + 1;
  private fileBytes = 0;
  /** Changes not yet written, by key, so a task updated five times in a window is written once. */
  private readonly pending = new Map<string, string>();
  private cancelTimer: (() => void) | null = null;
  private fd: number | null = null;
  /** The file on disk holds everything written so far and ends with a newline: appends may go on. */
  private appendable = false;
  /** After a failed compaction, the next attempt waits until the file has grown to this size. */
  private compactRetryAt = 0;
  private closed = false;
  private readonly fs: JournalFs;

  private constructor(readonly path: string, private readonly options: JournalOptions) {
    this.fs = options.fs ?? nodeFs;
  }

  /** Replays the file at `path` (created when missing); never throws for damaged content. */
  static open(path: string, options: JournalOptions): ReplayResult {
    const journal = new Journal(path, options);
    const { log } = options;
    const records = new Map<string, JournalRecord>();
    let damage: JournalDamage | null = null;
    let movedAsideTo: string | null = null;
    let rewrite = !nodeFs.existsSync(path);

    if (!rewrite) {
      const bytes = nodeFs.readFileSync(path);
      const reading = readJournal(bytes);
      journal.fileBytes = bytes.length;
      if (reading.headerBytes > 0) journal.liveBytes = reading.headerBytes;
      for (const { record, line, bytes: lineBytes } of reading.entries) journal.adopt(records, record, line, lineBytes);
      // Rewritten, so the next append starts on a line of its own.
      rewrite = reading.unterminated;
      if (reading.tornBytes > 0) {
        // A crash mid-append: that write never returned to its caller as done, so dropping it loses nothing promised.
        log.warn('journal: dropped a torn last line (a write cut short by a crash)', { path, bytes: reading.tornBytes });
      }
      if (reading.damage) {
        damage = reading.damage;
        movedAsideTo = moveAside(path, options.clock.now());
        log.error('journal: damaged; moved the file aside and kept the readable records', { path, movedAsideTo, ...damage });
        rewrite = true;
      }
    }
    journal.appendable = !rewrite;
    if (rewrite || journal.shouldCompact()) journal.compact();
    else journal.fd = journal.fs.openSync(path, 'a');
    return { journal, records, damage, movedAsideTo };
  }

  /** Records a change; `durable` writes it (and everything pending) before returning. */
  write(record: JournalRecord, durable: boolean): void {
    if (this.closed) throw new Error(`The journal ${this.path} is closed.`);
    this.stage(record);
    if (durable) this.flushSync();
    else this.schedule();
  }

  /**
   * Records several changes as one: a poll's skipped-log entries (up to a feed's bound) go in with
   * one call and one timer check instead of one each, and out in the same append.
   */
  writeAll(records: readonly JournalRecord[], durable: boolean): void {
    if (this.closed) throw new Error(`The journal ${this.path} is closed.`);
    if (records.length === 0) return;
    for (const record of records) this.stage(record);
    if (durable) this.flushSync();
    else this.schedule();
  }

  /** Keeps `record` as the live line of its key and queues it for the next append. */
  private stage(record: JournalRecord): void {
    const line = JSON.stringify(record);
    const key = recordKey(record);
    this.track(key, record, line);
    this.pending.set(key, line);
  }

  /** Writes every pending change now; compacts when the file has grown past twice the live size. */
  flushSync(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    if (this.pending.size === 0) return;
    if (this.prepareAppend() === 'rewritten') {
      this.pending.clear();
      return;
    }
    this.append(Buffer.from(`${inWriteOrder(this.pending).join('\n')}\n`));
    this.pending.clear();
  }

  /** Flushes and compacts if due: what the coalescing timer and `flush()` run. */
  settle(): void {
    this.flushSync();
    if (this.shouldCompact()) this.compact();
  }

  /** Flushes, compacts, closes the file. */
  close(): void {
    if (this.closed) return;
    try {
      this.flushSync();
      // A failed compaction here is logged: the file it would have replaced already holds everything,
      // unless that file could take no appends (a rewrite at open failed), which must not pass unseen.
      if (this.fileBytes !== this.liveBytes && !this.compact() && !this.appendable) {
        throw new Error(`The journal ${this.path} could not be rewritten; changes since it was opened are not on disk.`);
      }
    } finally {
      this.cancelTimer?.();
      this.cancelTimer = null;
      if (this.fd !== null) this.fs.closeSync(this.fd);
      this.fd = null;
      this.closed = true;
    }
  }

  private adopt(records: Map<string, JournalRecord>, record: JournalRecord, line: string, lineBytes: number): void {
    const key = recordKey(record);
    records.delete(key);
    if (record.t !== 'del') records.set(key, record);
    this.track(key, record, line, lineBytes);
  }

  /** `lineBytes`: the line's UTF-8 length, when the caller knows it already (replay: from the file). */
  private track(key: string, record: JournalRecord, line: string, lineBytes = Buffer.byteLength(line)): void {
    const previous = this.live.get(key);
    if (previous !== undefined) this.liveBytes -= Buffer.byteLength(previous) + 1;
    this.live.delete(key);
    if (record.t === 'del') return;
    this.live.set(key, line);
    this.liveBytes += lineBytes + 1;
  }

  /**
   * Gets a file ready to append to. When the file on disk cannot take appends (a rewrite at
   * open failed), rewrites it instead, which writes the pending changes too ('rewritten').
   */
  private prepareAppend(): 'append' | 'rewritten' {
    if (this.closed) throw new Error(`The journal ${this.path} is closed.`);
    if (this.fd !== null) return 'append';
    if (this.appendable) {
      this.fd = this.fs.openSync(this.path, 'a');
      return 'append';
    }
    if (this.compact()) return 'rewritten';
    throw new Error(`The journal ${this.path} could not be rewritten; the changes are kept and written with the next one.`);
  }

  private append(chunk: Buffer): void {
    const fd = this.fd;
    if (fd === null) throw new Error(`The journal ${this.path} is closed.`);
    try {
      for (let offset = 0; offset < chunk.length;) offset += this.fs.writeSync(fd, chunk, offset);
      this.fileBytes += chunk.length;
    } catch (error) {
      // Cut a half-written chunk off again, so the next append does not glue onto a broken line.
      try {
        this.fs.ftruncateSync(fd, this.fileBytes);
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
    return this.fileBytes > MIN_COMPACT_BYTES && this.fileBytes > 2 * this.liveBytes && this.fileBytes >= this.compactRetryAt;
  }

  /**
   * Rewrites the live lines to a temp file, syncs it and renames it over the journal. A failure
   * (a full disk, or on Windows an antivirus or indexer holding the file) is logged and returns
   * false: the journal is left as it was, and appends go on to the old file when it can take them.
   */
  private compact(): boolean {
    const { fs, path } = this;
    const tmp = `${path}.tmp`;
    const lines = inWriteOrder(this.live);
    const bodyBytes = lines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
    const body = Buffer.from(`${[headerLine(bodyBytes), ...lines].join('\n')}\n`);
    try {
      const fd = fs.openSync(tmp, 'w');
      try {
        for (let offset = 0; offset < body.length;) offset += fs.writeSync(fd, body, offset);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    } catch (error) {
      return this.compactionFailed('could not write its temp file', tmp, error);
    }
    // Closed first: Windows refuses to replace a file that is open.
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
    try {
      fs.renameSync(tmp, path);
    } catch (error) {
      return this.compactionFailed('could not replace the journal with its temp file', tmp, error);
    }
    syncDir(dirname(path));
    this.appendable = true;
    this.fileBytes = body.length;
    this.liveBytes = body.length;
    this.compactRetryAt = 0;
    this.fd = fs.openSync(path, 'a');
    return true;
  }

  private compactionFailed(what: string, tmp: string, error: unknown): false {
    try {
      this.fs.unlinkSync(tmp);
    } catch {
      // Not there, or held too: the next compaction overwrites it.
    }
    // Retried once the file has grown by a quarter of what is live, not on every flush.
    this.compactRetryAt = this.fileBytes + Math.max(MIN_COMPACT_BYTES / 4, this.liveBytes / 4);
    const next = this.appendable ? 'appends go on to the old file' : 'the next write tries again';
    this.options.log.warn(`journal: compaction ${what}; ${next}`, { path: this.path, error: String(error) });
    if (this.appendable && this.fd === null) {
      try {
        this.fd = this.fs.openSync(this.path, 'a');
      } catch {
        // The next append opens it again (prepareAppend).
      }
    }
    return false;
  }
}

/** The header line of a compacted body of `bodyBytes` after it; it counts its own bytes too. */
function headerLine(bodyBytes: number): string {
  const line = (total: number): string => JSON.stringify({ t: 'header', format: JOURNAL_FORMAT, version: JOURNAL_VERSION, compactedBytes: total });
  // The count's digits change the line's length: settle on a total that counts itself.
  for (let total = bodyBytes; ;) {
    const candidate = line(total);
    const counted = bodyBytes + Buffer.byteLength(candidate) + 1;
    if (counted === total) return candidate;
    total = counted;
  }
}

/**
 * Every line but seen records, then seen records (and their deletions): a file cut after any
 * line then never keeps an item marked seen while losing the task that was to post it.
 * Within each group, the order the lines were last written.
 */
function inWriteOrder(lines: Map<string, string>): string[] {
  const first: string[] = [];
  const last: string[] = [];
  for (const [key, line] of lines) (key.startsWith('seen:') ? last : first).push(line);
  return [...first, ...last];
}

/** Makes the rename itself durable where the OS allows opening a directory (not on Windows). */
function syncDir(dir: string): void {
  try {
    const fd = nodeFs.openSync(dir, 'r');
    try {
      nodeFs.fsyncSync(fd);
    } finally {
      nodeFs.closeSync(fd);
    }
  } catch {
    // Not supported here; the rename is still atomic.
  }
}
