// UTF-8 with a few stray bytes is still UTF-8; Latin-1 without a prolog is still Latin-1.
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeFeedBytes, detectEncoding, utf8Evidence } from '../../../main/core/feeds/charset';
import { parseDocument } from '../../../main/core/feeds/parse-document';

const utf8 = (s: string): number[] => [...new TextEncoder().encode(s)];
const bytes = (...parts: Array<string | number[]>): Uint8Array =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? utf8(p) : p)));
const items = (titles: string[]): string => titles.map((t, n) => `<item><guid>${n}</guid><title>${t}</title></item>`).join('');
const head = '<rss version="2.0"><channel><title>Feed</title>';
const tail = '</channel></rss>';

describe('a UTF-8 document with stray bytes and no declared charset', () => {
  it('reads as UTF-8, each stray byte a replacement character', () => {
    const titles = ['Café Zürich', 'Crème brûlée — “quoted”', 'Ærøskøbing', 'São Paulo', 'Grüße', 'Niño ¿qué?'];
    const doc = bytes(head, items(titles), '<item><guid>x</guid><title>stray', [0xff], ' byte</title></item>', tail);
    expect(detectEncoding(doc, null)).toBe('utf-8');
    const feed = parseDocument(doc, 'application/rss+xml', 'https://example.com/feed.xml');
    expect(feed.items.map((i) => i.title)).toEqual([...titles, 'stray\uFFFD byte']);
  });

  it('reads as UTF-8 even when it has only a couple of accented letters besides the stray byte', () => {
    const doc = bytes(head, items(['Café Zürich']), '<!-- ', [0xff], ' -->', tail);
    expect(parseDocument(doc, null, 'https://example.com/feed.xml').items[0]?.title).toBe('Café Zürich');
  });

  it('reads as UTF-8 when labelled UTF-8, too', () => {
    const doc = bytes('<?xml version="1.0" encoding="utf-8"?>', head, items(['Café Zürich', 'naïve']), [0xc3], tail);
    expect(decodeFeedBytes(doc, 'text/xml; charset=utf-8')).toContain('Café Zürich');
  });
});

describe('a Latin-1 document without a prolog or a charset', () => {
  it('still reads as Latin-1', () => {
    const text = `${head}${items(['Café Zürich', 'Crème brûlée', 'Ærøskøbing', 'São Paulo'])}${tail}`;
    const doc = new Uint8Array(iconv.encode(text, 'latin1'));
    expect(parseDocument(doc, null, 'https://example.com/feed.xml').items.map((i) => i.title))
      .toEqual(['Café Zürich', 'Crème brûlée', 'Ærøskøbing', 'São Paulo']);
  });

  it('still reads as windows-1252 when a capital accent followed by a curly quote happens to be well-formed UTF-8', () => {
    // “CAFÉ” in windows-1252 is 93 … C9 94: C9 94 is well-formed UTF-8 (U+0254), 93 is not.
    const text = `${head}${items(['“CAFÉ”', 'déjà vu'])}${tail}`;
    const doc = new Uint8Array(iconv.encode(text, 'windows-1252'));
    expect(detectEncoding(doc, null)).toBe('windows-1252');
    expect(decodeFeedBytes(doc, null)).toBe(text);
  });
});

describe('utf8Evidence', () => {
  it('counts well-formed non-ASCII sequences and broken ones as a decoder would', () => {
    expect(utf8Evidence(bytes('a é € 😀'))).toEqual({ valid: 3, invalid: 0 });
    // A lone continuation byte, a lead cut short by ASCII, an overlong lead, a surrogate.
    expect(utf8Evidence(new Uint8Array([0x80, 0xe2, 0x82, 0x41, 0xc0, 0xaf, 0xed, 0xa0, 0x80]))).toEqual({ valid: 0, invalid: 7 });
    expect(new TextDecoder().decode(new Uint8Array([0x80, 0xe2, 0x82, 0x41, 0xc0, 0xaf, 0xed, 0xa0, 0x80])).replace(/[^\uFFFD]/g, '')).toHaveLength(7);
  });
});
