import iconv from 'iconv-lite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeFeedBytes, detectEncoding } from '../../../main/core/feeds/charset';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const enc = (s: string, e: string): Uint8Array => new Uint8Array(iconv.encode(s, e));
const doc = (title: string, prolog = '<?xml version="1.0"?>'): string => `${prolog}<rss><channel><title>${title}</title></channel></rss>`;

describe('decodeFeedBytes', () => {
  it('reads UTF-8 when nothing is declared', () => {
    expect(decodeFeedBytes(utf8(doc('Café – 東京')), null)).toBe(doc('Café – 東京'));
  });

  it('honours a UTF-8 byte order mark and drops it', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(doc('Ünïcode'))]);
    expect(decodeFeedBytes(bytes, 'text/xml; charset=iso-8859-1')).toBe(doc('Ünïcode'));
  });

  it.each(['utf-16le', 'utf-16be'])('honours a %s byte order mark', (encoding) => {
    const bom = encoding === 'utf-16le' ? [0xff, 0xfe] : [0xfe, 0xff];
    const bytes = new Uint8Array([...bom, ...enc(doc('Grüße'), encoding)]);
    expect(decodeFeedBytes(bytes, 'application/xml')).toBe(doc('Grüße'));
  });

  it('uses the Content-Type charset before the XML prolog', () => {
    const text = doc('déjà vu', '<?xml version="1.0" encoding="utf-8"?>');
    expect(decodeFeedBytes(enc(text, 'windows-1252'), 'application/rss+xml; charset="windows-1252"')).toBe(text);
  });

  it('uses the XML prolog when the Content-Type has no charset', () => {
    const text = doc('Ærøskøbing', '<?xml version="1.0" encoding="ISO-8859-1"?>');
    expect(decodeFeedBytes(enc(text, 'latin1'), 'text/xml')).toBe(text);
  });

  it('decodes Shift_JIS declared in the prolog', () => {
    const text = doc('日本語のフィード', '<?xml version="1.0" encoding="Shift_JIS"?>');
    expect(decodeFeedBytes(enc(text, 'Shift_JIS'), null)).toBe(text);
  });

  it('never garbles UTF-8 that a server labels as Latin-1', () => {
    const text = doc('naïve café ✓');
    expect(decodeFeedBytes(utf8(text), 'text/xml; charset=ISO-8859-1')).toBe(text);
    expect(detectEncoding(utf8(text), 'text/xml; charset=ISO-8859-1')).toBe('utf-8');
  });

  it('falls back to windows-1252 for bytes labelled UTF-8 that are not UTF-8', () => {
    const text = doc('Crème brûlée “quoted”');
    expect(decodeFeedBytes(enc(text, 'windows-1252'), 'application/xml; charset=utf-8')).toBe(text);
  });

  it('prefers the prolog over the guess when a UTF-8 label is wrong', () => {
    const text = doc('Łódź', '<?xml version="1.0" encoding="iso-8859-2"?>');
    expect(decodeFeedBytes(enc(text, 'iso-8859-2'), 'text/xml; charset=utf-8')).toBe(text);
  });

  it('ignores an unknown charset name', () => {
    expect(decodeFeedBytes(utf8(doc('ok é')), 'text/xml; charset=x-nonsense')).toBe(doc('ok é'));
  });
});

describe('decoding cost', () => {
  afterEach(() => { vi.restoreAllMocks(); });

  it('decodes a UTF-8 document once: its bytes are checked as UTF-8 without a second decode', () => {
    const decode = vi.spyOn(TextDecoder.prototype, 'decode');
    expect(decodeFeedBytes(utf8(doc('Café – 東京')), 'application/rss+xml; charset=utf-8')).toBe(doc('Café – 東京'));
    expect(decodeFeedBytes(utf8(doc('Café – 東京')), null)).toBe(doc('Café – 東京'));
    expect(decode).toHaveBeenCalledTimes(2);
  });

  it('checks a document labelled Latin-1 for UTF-8 without decoding it twice', () => {
    const decode = vi.spyOn(TextDecoder.prototype, 'decode');
    expect(decodeFeedBytes(utf8(doc('Café')), 'text/xml; charset=iso-8859-1')).toBe(doc('Café'));
    expect(decode).toHaveBeenCalledTimes(1);
  });
});

