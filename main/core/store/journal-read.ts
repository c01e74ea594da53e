// Reading a journal file's bytes into records, telling a torn append (a crash mid-write, which
// loses nothing promised) from damage (records lost, which the user is told about). Pure.
import { isAscii, isUtf8 } from 'node:buffer';
import type { JournalDamage } from './journal-damage';
import { knownRecord } from './record-shape';
import { HeaderSchema, RecordSchema, type JournalRecord } from './records';

/** How every line we write begins; a torn append is a prefix of a line, so it begins this way too. */
const LINE_START = '{"t":"';
const NEWLINE = 0x0a;

export interface JournalReading {
  /** Every readable record in file order, with its line as written and the line's length in bytes. */
  entries: Array<{ record: JournalRecord; line: string; bytes: number }>;
  /** Bytes of the header line, its newline included; 0 when the file has none. */
  headerBytes: number;
  /** Where the last compaction's part ends, from the header; null for headers written before it was recorded. */
  compactedBytes: number | null;
  /** Records were lost; null when nothing was. */
  damage: JournalDamage | null;
  /** Bytes of a torn last line (an append cut short), dropped without damage; 0 when none. */
  tornBytes: number;
  /** The file does not end with a newline, so it must be rewritten before anything is appended. */
  unterminated: boolean;
}

/**
 * A line: its byte range in the file (newline excluded), its text, and that text's UTF-8 length
 * (the range's length, unless invalid bytes were decoded as replacement characters).
 */
export interface Segment { start: number; end: number; complete: boolean; text: string; textBytes: number }

export function readJournal(bytes: Buffer): JournalReading {
  const reading: JournalReading = { entries: [], headerBytes: 0, compactedBytes: null, damage: null, tornBytes: 0, unterminated: false };
  // The journal is created whole, header first: an empty file is damage, never a crash of ours.
  if (bytes.length === 0) return { ...reading, damage: { empty: true, unreadableLines: 0, cut: null } };

  const segments = splitLines(bytes);
  const last = segments[segments.length - 1];
  reading.unterminated = last !== undefined && !last.complete;

  let body = segments;
  const first = segments[0];
  const header = first ? parseHeader(first.text) : null;
  if (first && header) {
    reading.headerBytes = first.end - first.start + (first.complete ? 1 : 0);
    reading.compactedBytes = header.compactedBytes ?? null;
    body = segments.slice(1);
  } else if (first && !first.complete) {
    // One unfinished line that is not a header: the file ends inside its header line.
    return { ...reading, damage: { empty: false, unreadableLines: 0, cut: { keptBytes: bytes.length, expectedBytes: null } } };
  }

  const compacted = reading.compactedBytes;
  const shortOfCompacted = compacted !== null && bytes.length < compacted;
  let unreadableLines = 0;
  let lastLineRead = reading.headerBytes > 0 && body.length === 0;
  for (const segment of body) {
    const line = segment.text;
    if (segment.complete && line.trim() === '') continue;
    const record = parseRecord(line);
    if (record) {
      reading.entries.push({ record, line, bytes: segment.textBytes });
      lastLineRead = true;
      continue;
    }
    lastLineRead = false;
    if (segment.complete) unreadableLines += 1;
    else if (shortOfCompacted) {
      // Part of the cut inside the compacted part: reported as such, not as a line.
    } else if (compacted !== null ? segment.start >= compacted && isTorn(line) : isTorn(line)) {
      reading.tornBytes = segment.end - segment.start;
    } else unreadableLines += 1;
  }

  // Cut inside what the last compaction wrote and synced: records were lost, unless all that is
  // missing is the final newline after a line that still reads whole.
  const cut = shortOfCompacted && !(bytes.length === compacted - 1 && reading.unterminated && lastLineRead);
  if (cut || unreadableLines > 0) {
    reading.damage = { empty: false, unreadableLines, cut: cut ? { keptBytes: bytes.length, expectedBytes: compacted } : null };
  }
  return reading;
}

/**
 * A torn append is a prefix of a line we wrote; a power loss can instead leave the appended
 * range zero-filled. Anything else in the last line is damage, not a crash of ours.
 */
function isTorn(line: string): boolean {
  return line.startsWith(LINE_START) || LINE_START.startsWith(line) || /^\0+$/.test(line);
}

/**
 * The file's lines ('\n' never occurs inside a UTF-8 sequence); the last is incomplete when the
 * file lacks a final newline. Valid UTF-8 is decoded in one piece and each line is a slice of that
 * string: V8 keeps a string that large out of the young generation, so a start-up's garbage
 * collector no longer copies every line of the journal around (about half its work on 10,000
 * tasks). The slices keep the decoded file alive while the journal holds any of its lines, about
 * what separate strings would take. A file with invalid bytes (damage) is decoded line by line,
 * so the replacement characters fall exactly where they did.
 */
export function splitLines(bytes: Buffer): Segment[] {
  const segments: Segment[] = [];
  let start = 0;
  // ASCII (what the journal almost always is: JSON.stringify escapes nothing else, but a title
  // may hold any character) is valid UTF-8 and decodes as latin1, a plain copy into a one-byte
  // string, instead of a UTF-8 decode after a separate UTF-8 check of the whole file.
  const ascii = isAscii(bytes);
  if (ascii || isUtf8(bytes)) {
    const whole = bytes.toString(ascii ? 'latin1' : 'utf8');
    // Byte offsets follow from each line's UTF-8 length, which is its length when all is ASCII.
    let from = 0;
    for (let at = whole.indexOf('\n'); at !== -1; at = whole.indexOf('\n', from)) {
      const text = whole.slice(from, at);
      const textBytes = ascii ? text.length : Buffer.byteLength(text);
      segments.push({ start, end: start + textBytes, complete: true, text, textBytes });
      start += textBytes + 1;
      from = at + 1;
    }
    if (from < whole.length) segments.push({ start, end: bytes.length, complete: false, text: whole.slice(from), textBytes: bytes.length - start });
    return segments;
  }
  const segment = (end: number, complete: boolean): Segment => {
    const text = bytes.toString('utf8', start, end);
    return { start, end, complete, text, textBytes: Buffer.byteLength(text) };
  };
  for (let at = bytes.indexOf(NEWLINE); at !== -1; at = bytes.indexOf(NEWLINE, start)) {
    segments.push(segment(at, true));
    start = at + 1;
  }
  if (start < bytes.length) segments.push(segment(bytes.length, false));
  return segments;
}

function parseHeader(line: string) {
  const parsed = HeaderSchema.safeParse(parseJson(line));
  return parsed.success ? parsed.data : null;
}

/** Every line is validated: the common records by a plain walk (record-shape.ts), all others by zod. */
function parseRecord(line: string): JournalRecord | null {
  const value = parseJson(line);
  const known = knownRecord(value);
  if (known) return known;
  const parsed = RecordSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
