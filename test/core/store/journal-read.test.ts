// Reading the journal's lines: a valid UTF-8 file is decoded in one piece (journal-read.ts says
// why), which must find exactly the lines, byte offsets and text that decoding each line's bytes
// finds — with multi-byte characters, with invalid bytes, and cut at any byte.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/core/ports';
import { Journal } from '../../../main/core/store/journal';
import { readJournal, splitLines, type Segment } from '../../../main/core/store/journal-read';
import { createFakeClock } from '../../support/fake-clock';
import { tempDir } from './store-fixtures';
import { makeTask } from './task-fixture';

/** The reference: lines found in the bytes, each decoded by itself (how the journal was read before). */
function byteLines(bytes: Buffer): Segment[] {
  const segments: Segment[] = [];
  let start = 0;
  for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, start)) {
    const text = bytes.toString('utf8', start, at);
    segments.push({ start, end: at, complete: true, text, textBytes: Buffer.byteLength(text) });
    start = at + 1;
  }
  if (start < bytes.length) {
    const text = bytes.toString('utf8', start);
    segments.push({ start, end: bytes.length, complete: false, text, textBytes: Buffer.byteLength(text) });
  }
  return segments;
}

const header = JSON.stringify({ t: 'header', format: 'crier-journal', version: 1 });
const line = (n: number, title: string): string => JSON.stringify({ t: 'task', v: makeTask(n, 'pending', { itemTitle: title, text: `${title} https://example.com/${n}` }) });
const journal = (titles: string[]): Buffer => Buffer.from(`${[header, ...titles.map((t, i) => line(i + 1, t))].join('\n')}\n`);

const ASCII = ['Plain news', 'More plain news'];
const MULTI_BYTE = ['Café “quotes” — naïve', '日本語のニュース', 'Emoji 🎉👩‍💻 and ZWJ', 'Ελληνικά'];

describe('the lines of a journal file', () => {
  it('are the same, byte for byte, as when each line is decoded by itself, cut at every byte', () => {
    for (const bytes of [journal(ASCII), journal(MULTI_BYTE)]) {
      for (let cut = 0; cut <= bytes.length; cut += 1) {
        const prefix = bytes.subarray(0, cut);
        expect(splitLines(prefix), `cut at ${cut}`).toEqual(byteLines(prefix));
      }
    }
  });

  it('are the same when the file holds invalid UTF-8, wherever it is', () => {
    const good = journal(MULTI_BYTE);
    // A lone continuation byte, a cut 4-byte sequence, an overlong form, a stray lead byte before a newline.
    for (const junk of [[0x80], [0xf0, 0x9f, 0x98], [0xc0, 0xaf], [0xe2]]) {
      for (let at = 0; at <= good.length; at += 7) {
        const bytes = Buffer.concat([good.subarray(0, at), Buffer.from(junk), good.subarray(at)]);
        expect(splitLines(bytes), `${junk.join(',')} at ${at}`).toEqual(byteLines(bytes));
      }
    }
  });

  it('reads multi-byte records whole, with their byte counts', () => {
    const bytes = journal(MULTI_BYTE);
    const reading = readJournal(bytes);
    expect(reading.damage).toBeNull();
    expect(reading.entries.map((e) => (e.record.t === 'task' ? e.record.v.itemTitle : null))).toEqual(MULTI_BYTE);
    expect(reading.headerBytes).toBe(Buffer.byteLength(header) + 1);
  });

  it('drops a torn multi-byte last line by its byte count, and counts a line with invalid bytes as damage', () => {
    const whole = journal(MULTI_BYTE);
    const torn = Buffer.concat([whole, Buffer.from(line(9, '日本語').slice(0, 40))]);
    expect(readJournal(torn)).toMatchObject({ damage: null, tornBytes: 40, unterminated: true });
    const broken = Buffer.concat([whole, Buffer.from('{"t":"task","v":'), Buffer.from([0xff, 0xfe]), Buffer.from('}\n')]);
    expect(readJournal(broken).damage).toEqual({ empty: false, unreadableLines: 1, cut: null });
    expect(readJournal(broken).entries).toHaveLength(MULTI_BYTE.length);
  });
});

describe('replaying a journal with multi-byte records', () => {
  it('counts each line\'s bytes exactly, so closing an unchanged journal leaves the file alone', () => {
    const path = join(tempDir(), 'state.jsonl');
    const options = { clock: createFakeClock(), log: silentLogger, coalesceMs: 100 };
    const first = Journal.open(path, options).journal;
    MULTI_BYTE.forEach((title, i) => first.write({ t: 'task', v: makeTask(i + 1, 'pending', { itemTitle: title }) }, true));
    first.close();
    const written = statSync(path);

    // Closing compacts only when the file holds more than what is live: a byte miscounted on replay would rewrite it.
    const again = Journal.open(path, options);
    expect(again.records.size).toBe(MULTI_BYTE.length);
    again.journal.close();
    expect(statSync(path).ino).toBe(written.ino);
  });
});
