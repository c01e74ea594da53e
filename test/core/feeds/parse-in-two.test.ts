// A poll parses a document in two light passes (the items without their bodies, then only the items
// it wants whole) and must read exactly what one whole parse reads: every key, every whole item,
// the feed's title and link. Where the markup is anything but plain, it declines and the whole
// parse runs as before.
import iconv from 'iconv-lite';
import { describe, expect, it, vi } from 'vitest';
import { detectEncoding } from '../../../main/core/feeds/charset';
import { ItemScanner, lightCopy, onlyItems } from '../../../main/core/feeds/item-ranges';
import { LIGHT_PARSE_FROM_BYTES, parseDocument, parseInTwo } from '../../../main/core/feeds/parse-document';
import { FeedError, type PolledFeed, type Selection } from '../../../main/core/feeds/types';
import { largeRssDocument, rssDocument } from '../../support/feed-server';

const parsedTexts = vi.hoisted(() => [] as number[]);
vi.mock('feedsmith', async (importOriginal) => {
  const feedsmith = await importOriginal<typeof import('feedsmith')>();
  return {
    ...feedsmith,
    parseFeed: ((value: unknown, options?: unknown) => {
      if (typeof value === 'string') parsedTexts.push(value.length);
      return (feedsmith.parseFeed as (v: unknown, o?: unknown) => unknown)(value, options);
    }) as typeof feedsmith.parseFeed,
  };
});

const BASE = 'https://feeds.example.org/blog/feed.xml';
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const day = (n: number): string => new Date(Date.UTC(2026, 0, n)).toUTCString();
const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

/** One whole parse, the reference: documents this small never take the light path. */
function whole(bytes: Uint8Array, selection: Selection, contentType: string | null = null): PolledFeed {
  expect(bytes.byteLength).toBeLessThan(LIGHT_PARSE_FROM_BYTES);
  return parseDocument(bytes, contentType, BASE, selection);
}

const inTwo = (bytes: Uint8Array, selection: Selection, contentType: string | null = null): PolledFeed | null =>
  parseInTwo(bytes, detectEncoding(bytes, contentType), BASE, selection);

function selections(bytes: Uint8Array, contentType: string | null = null): Selection[] {
  const ids = whole(bytes, { kind: 'baseline', newest: 0 }, contentType).items.map((item) => item.id);
  return [
    { kind: 'baseline', newest: 0 },
    { kind: 'baseline', newest: 3 },
    { kind: 'baseline', newest: 1000 },
    { kind: 'unseen', knownIds: ids.filter((_, i) => i % 2 === 1) },
    { kind: 'unseen', knownIds: ids },
    { kind: 'unseen', knownIds: [] },
  ];
}

function expectAgreement(bytes: Uint8Array, contentType: string | null = null): void {
  for (const selection of selections(bytes, contentType)) {
    const light = inTwo(bytes, selection, contentType);
    expect(light, JSON.stringify(selection)).not.toBeNull();
    expect(light).toEqual(whole(bytes, selection, contentType));
  }
}

const html = (i: number): string => `<p>Item ${i} says <b>hello</b> &amp; <a href="https://example.com/${i}">more</a>.</p>`;

const rssItems = Array.from({ length: 12 }, (_, i) => ({
  title: `Item ${i}`, link: `https://example.com/items/${i}`, guid: `urn:item:${i}`, pubDate: day(20 - i), description: html(i),
}));

describe('parseInTwo reads what one whole parse reads', () => {
  it('for RSS with HTML descriptions, newest first', () => {
    expectAgreement(utf8(rssDocument({ items: rssItems })));
  });

  it('for RSS listed oldest first, with relative links under xml:base', () => {
    const items = rssItems.map((item, i) => ({ ...item, link: `items/${i}`, pubDate: day(i + 1), guid: undefined,
      extra: i % 3 === 0 ? '<!-- a comment with </item> and <description> in it -->' : '' }));
    const doc = rssDocument({ items }).replace('<channel>', '<channel xml:base="https://other.example.net/base/">')
      .replace('<item>', '<item xml:base="/elsewhere/">');
    expectAgreement(utf8(doc));
  });

  it('for CDATA bodies that hold end tags, content:encoded, and items known only by title and date', () => {
    const items = Array.from({ length: 8 }, (_, i) => ({
      title: `Untitled link-less ${i}`, pubDate: day(i + 1),
      extra: `<description><![CDATA[<p>Raw </description> and </item> and <item> text ${i}</p>]]></description>`
        + `<content:encoded><![CDATA[<div>Full text ${i} ]]]]><![CDATA[> still</div>]]></content:encoded>`
        + `<enclosure url="https://example.com/${i}.jpg?a>b" type="image/jpeg" length="1"/>`,
    }));
    expectAgreement(utf8(rssDocument({ items, namespaces: 'xmlns:content="http://purl.org/rss/1.0/modules/content/"' })));
  });

  it('for a podcast whose episodes carry itunes:summary and media:title but no title', () => {
    const items = Array.from({ length: 6 }, (_, i) => ({
      guid: `ep-${i}`, pubDate: day(i + 1),
      extra: `<media:title>Episode ${i}</media:title><itunes:summary>${'Long show notes. '.repeat(40)}</itunes:summary>`
        + `<description>Notes ${i}</description><enclosure url="https://cdn.example.com/${i}.mp3" type="audio/mpeg" length="9"/>`,
    }));
    expectAgreement(utf8(rssDocument({ items, namespaces: 'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:media="http://search.yahoo.com/mrss/"' })));
  });

  it('for Atom with summaries and XHTML content that nests elements of its own name', () => {
    const entries = Array.from({ length: 7 }, (_, i) => `<entry><title type="html">Entry ${i} &amp;amp; co</title>`
      + `<id>tag:example.com,2026:${i}</id><link rel="alternate" href="/entries/${i}"/><updated>2026-01-0${i + 1}T00:00:00Z</updated>`
      + `<summary type="html">${html(i).replace(/&/g, '&amp;').replace(/</g, '&lt;')}</summary>`
      + `<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Body ${i}</p><content>inner</content><div><content/></div></div></content>`
      + '<author><name>Ann</name></author></entry>').join('\n');
    const doc = '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://example.com/blog/">'
      + `<title>Atom</title><link href="https://example.com/"/><id>urn:feed</id><updated>2026-01-09T00:00:00Z</updated>\n${entries}\n</feed>`;
    expectAgreement(utf8(doc));
  });

  it('for RSS 1.0, whose items stand beside the channel', () => {
    const items = Array.from({ length: 5 }, (_, i) => `<item rdf:about="https://example.com/rdf/${i}"><title>RDF ${i}</title>`
      + `<link>https://example.com/rdf/${i}</link><description>${html(i).replace(/&/g, '&amp;').replace(/</g, '&lt;')}</description>`
      + `<dc:date>2026-01-0${i + 1}T00:00:00Z</dc:date></item>`).join('\n');
    const doc = '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"'
      + ' xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="https://example.com/"><title>RDF</title>'
      + `<link>https://example.com/</link><description>d</description></channel>\n${items}\n</rdf:RDF>`;
    expectAgreement(utf8(doc));
  });

  it('for windows-1252 bytes, decoded as the whole document says, and for UTF-8 behind a byte order mark', () => {
    const items = rssItems.slice(0, 6).map((item, i) => ({ ...item, title: `Café ${i} – “quoted”`, description: `Zürich ${i} — naïve` }));
    const doc = rssDocument({ items }).replace('encoding="utf-8"', 'encoding="windows-1252"');
    expectAgreement(new Uint8Array(iconv.encode(doc, 'windows-1252')));
    expectAgreement(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(rssDocument({ items }))]));
  });
});

describe('parseInTwo declines, and the whole parse runs', () => {
  const declines = (doc: Uint8Array | string): void => {
    const bytes = typeof doc === 'string' ? utf8(doc) : doc;
    expect(inTwo(bytes, { kind: 'baseline', newest: 3 })).toBeNull();
  };

  it('for JSON Feed and for UTF-16', () => {
    declines(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'J', items: [{ id: '1', content_text: 'x' }] }));
    declines(new Uint8Array(iconv.encode(rssDocument({ items: rssItems }).replace('utf-8', 'utf-16'), 'utf-16le', { addBOM: true })));
  });

  it('for a document type that declares entities, an item inside an item, a stray <, and a document cut short', () => {
    declines(rssDocument({ items: rssItems }).replace('<rss', '<!DOCTYPE rss [<!ENTITY me "Ann">]>\n<rss'));
    declines(rssDocument({ items: rssItems }).replace('</guid>', '</guid><item><title>inner</title></item>'));
    declines(rssDocument({ items: [{ title: 't', description: 'd', extra: '<category>a < b</category>' }] }));
    const cut = rssDocument({ items: rssItems });
    declines(cut.slice(0, cut.lastIndexOf('<description>') + 20));
  });

  it('for a feed without item bodies, where a light copy would be the document itself', () => {
    declines(rssDocument({ items: rssItems.map(({ description: _, ...item }) => item) }));
  });

  it('and a document cut short is still reported as before', () => {
    const doc = largeRssDocument(60);
    const cut = utf8(doc.slice(0, doc.lastIndexOf('<item>') + 30));
    expect(cut.byteLength).toBeGreaterThan(LIGHT_PARSE_FROM_BYTES);
    expect(() => parseDocument(cut, null, BASE, { kind: 'baseline', newest: 5 })).toThrow(FeedError);
  });
});

describe('ItemScanner', () => {
  it('finds each item and the bodies inside it, skipping comments, CDATA and quoted attribute values', () => {
    const doc = utf8('<rss><channel><description>feed</description><!-- <item> -->'
      + '<item a="x>y"><title>T</title><description><![CDATA[</description>]]></description></item>'
      + '<item/><item><summary><summary>nested</summary></summary><link>l</link></item></channel></rss>');
    const items = new ItemScanner(doc).items()!;
    expect(items.map((item) => latin1(doc.subarray(item.start, item.end)))).toEqual([
      '<item a="x>y"><title>T</title><description><![CDATA[</description>]]></description></item>',
      '<item/>',
      '<item><summary><summary>nested</summary></summary><link>l</link></item>',
    ]);
    expect(latin1(lightCopy(doc, items))).toBe('<rss><channel><description>feed</description><!-- <item> -->'
      + '<item a="x>y"><title>T</title></item><item/><item><link>l</link></item></channel></rss>');
    expect(latin1(onlyItems(doc, items, [1]))).toBe('<rss><channel><description>feed</description><!-- <item> --><item/></channel></rss>');
  });
});

describe('a poll of a large feed', () => {
  it('hands the parser the items without their bodies, and then only the items it wants', () => {
    const doc = utf8(largeRssDocument(50, 2500));
    parsedTexts.length = 0;
    const feed = parseDocument(doc, null, BASE, { kind: 'baseline', newest: 5 });
    expect(feed.items.filter((item) => !('keyOnly' in item))).toHaveLength(5);
    expect(parsedTexts).toHaveLength(2);
    // The light copy is the 50 items' keys; the second holds 5 items of 50.
    expect(Math.max(...parsedTexts)).toBeLessThan(doc.byteLength / 5);
  });
});
