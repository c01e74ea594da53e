import { describe, expect, it } from 'vitest';
import { SUMMARY_MAX } from '../../../main/core/feeds/normalize';
import { parseDocument } from '../../../main/core/feeds/parse-document';
import { FeedError, type NormalizedFeed } from '../../../main/core/feeds/types';
import { rssDocument } from '../../support/feed-server';

const BASE = 'https://feeds.example.org/blog/feed.xml';
const parse = (xml: string, base = BASE, contentType: string | null = null): NormalizedFeed =>
  parseDocument(new TextEncoder().encode(xml), contentType, base);

function failure(xml: string): FeedError {
  try {
    parse(xml);
  } catch (err) {
    if (err instanceof FeedError) return err;
    throw err;
  }
  throw new Error('expected a FeedError');
}

describe('parseDocument: formats', () => {
  it('reads an RSS 2.0 item with its namespaced extras', () => {
    const feed = parse(`<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:media="http://search.yahoo.com/mrss/">
      <channel><title>My &amp; Blog</title><link>https://blog.example.com/</link>
      <item><title>Hello <![CDATA[<em>world</em>]]></title><link>https://blog.example.com/hello</link>
        <guid isPermaLink="false">post-1</guid><dc:date>2025-06-03T09:39:21+02:00</dc:date><dc:creator>Ann</dc:creator>
        <content:encoded><![CDATA[<p>Full <b>body</b></p>]]></content:encoded><category>news</category><category>tech</category>
        <media:thumbnail url="https://img.example.com/t.jpg"/></item>
      </channel></rss>`);
    expect(feed).toEqual({
      title: 'My & Blog', link: 'https://blog.example.com/',
      items: [{ id: 'post-1', idFrom: 'feed', title: 'Hello world', link: 'https://blog.example.com/hello', published: '2025-06-03T07:39:21.000Z',
        summary: 'Full body', author: 'Ann', categories: ['news', 'tech'], image: 'https://img.example.com/t.jpg' }],
    });
  });

  it('reads RSS without a version attribute', () => {
    const feed = parse('<rss><channel><title>T</title><item><title>A</title><pubDate>Tue, 03 Jun 2025 09:39:21 GMT</pubDate></item></channel></rss>');
    expect(feed.items[0]).toMatchObject({ title: 'A', published: '2025-06-03T09:39:21.000Z' });
  });

  it('reads RSS 1.0 (RDF) with rdf:about as the id', () => {
    const feed = parse(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="https://example.com/"><title>RDF feed</title><link>https://example.com/</link></channel>
      <item rdf:about="https://example.com/a"><title>A</title><link>https://example.com/a</link><dc:date>2002-09-28T20:01:19Z</dc:date><dc:creator>Bob</dc:creator></item>
      </rdf:RDF>`);
    expect(feed.title).toBe('RDF feed');
    expect(feed.items[0]).toMatchObject({ id: 'https://example.com/a', link: 'https://example.com/a', published: '2002-09-28T20:01:19.000Z', author: 'Bob' });
  });

  it('reads Atom 1.0, resolving relative links against xml:base and the document URL', () => {
    const feed = parse(`<feed xmlns="http://www.w3.org/2005/Atom" xml:base="/base/">
      <title type="html">&lt;b&gt;Atom&lt;/b&gt; feed</title><link rel="self" href="feed.xml"/><link href="./"/>
      <entry xml:base="posts/"><id>urn:x:1</id><title type="text">1 &lt; 2 &amp; &lt;b&gt;</title><link rel="enclosure" type="image/png" href="pic.png"/>
        <link rel="alternate" href="one.html"/><updated>2025-01-02T03:04:05Z</updated><published>2025-01-01T00:00:00Z</published>
        <author><name>Cy</name></author><category term="t1" label="Label one"/><summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Short <i>summary</i></div></summary></entry>
      </feed>`);
    expect(feed.title).toBe('Atom feed');
    expect(feed.link).toBe('https://feeds.example.org/base/');
    expect(feed.items[0]).toEqual({
      id: 'urn:x:1', idFrom: 'feed', title: '1 < 2 & <b>', link: 'https://feeds.example.org/base/posts/one.html',
      published: '2025-01-01T00:00:00.000Z', summary: 'Short summary', author: 'Cy', categories: ['Label one'],
      image: 'https://feeds.example.org/base/posts/pic.png',
    });
  });

  it('reads Atom 0.3 with its issued and modified dates', () => {
    const feed = parse(`<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old Atom</title>
      <entry><title mode="escaped" type="text/html">A &amp;amp; B</title><issued>2004-01-01T19:48:21Z</issued><id>tag:a</id></entry>
      <entry><title>C</title><modified>2004-01-02T19:48:21Z</modified></entry></feed>`);
    expect(feed.title).toBe('Old Atom');
    expect(feed.items.map((i) => [i.title, i.published])).toEqual([['A & B', '2004-01-01T19:48:21.000Z'], ['C', '2004-01-02T19:48:21.000Z']]);
  });

  it('reads a JSON Feed', () => {
    const feed = parse(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'JSON', home_page_url: 'https://j.example.com/',
      items: [{ id: 'j1', url: '/p/1', title: 'J <i>one</i>', content_text: 'plain <text>', date_published: '2025-02-03T04:05:06Z', image: 'https://j.example.com/i.png', tags: ['x'] }] }));
    expect(feed).toEqual({ title: 'JSON', link: 'https://j.example.com/', items: [{ id: 'j1', idFrom: 'feed', title: 'J one', link: 'https://feeds.example.org/p/1',
      published: '2025-02-03T04:05:06.000Z', summary: 'plain <text>', author: null, categories: ['x'], image: 'https://j.example.com/i.png' }] });
  });
});

describe('parseDocument: text, links, dates, ids, images', () => {
  it('strips tags, then decodes entities once, then collapses whitespace', () => {
    const feed = parse('<rss><channel><title>&amp;lt;b&amp;gt;</title><item><title>  Fish\n &amp;amp;   <b>Chips</b> &amp;nbsp;x </title></item></channel></rss>');
    expect(feed.title).toBe('<b>');
    expect(feed.items[0]!.title).toBe('Fish & Chips x');
  });

  it('keeps a bare ampersand readable', () => {
    expect(parse('<rss><channel><item><title>Fish & Chips</title></item></channel></rss>').items[0]!.title).toBe('Fish & Chips');
  });

  it('drops script and style content from summaries', () => {
    const item = parse(rssDocument({ items: [{ title: 'x', description: '<script>alert(1)</script><style>p{}</style><p>Visible</p>' }] })).items[0]!;
    expect(item.summary).toBe('Visible');
  });

  it('turns links other than http(s) into null and keeps the item', () => {
    const feed = parse(rssDocument({ items: [{ title: 'bad', link: 'javascript:alert(1)', guid: 'g1' }, { title: 'data', link: 'data:text/html,hi', guid: 'g2' }] }));
    expect(feed.items.map((i) => i.link)).toEqual([null, null]);
    expect(feed.items).toHaveLength(2);
  });

  it('resolves a relative item link against the document URL', () => {
    expect(parse(rssDocument({ items: [{ title: 'r', link: '../post/1' }] })).items[0]!.link).toBe('https://feeds.example.org/post/1');
  });

  it('gives null for an unreadable date without sinking the feed', () => {
    const feed = parse(rssDocument({ items: [{ title: 'a', pubDate: 'not a date' }, { title: 'b', pubDate: 'Mon, 02 Jun 2025 08:00:00 +0100' }] }));
    expect(feed.items.map((i) => i.published)).toEqual([null, '2025-06-02T07:00:00.000Z']);
  });

  it('reads RFC 822 dates with named zones and ISO dates without a zone as UTC', () => {
    const feed = parse(rssDocument({ items: [{ title: 'a', pubDate: 'Tue, 03 Jun 2025 09:39:21 PDT' }, { title: 'b', pubDate: '2025-06-03T09:39:21' }] }));
    expect(feed.items.map((i) => i.published)).toEqual(['2025-06-03T16:39:21.000Z', '2025-06-03T09:39:21.000Z']);
  });

  it('falls back from guid to link to a stable hash of title and date for the id', () => {
    const xml = rssDocument({ items: [{ title: 'g', guid: 'urn:g' }, { title: 'l', link: 'https://example.com/l' }, { title: 'h', pubDate: 'Tue, 03 Jun 2025 09:39:21 GMT' }] });
    const ids = parse(xml).items.map((i) => i.id);
    expect(ids.slice(0, 2)).toEqual(['urn:g', 'https://example.com/l']);
    expect(ids[2]).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(parse(xml).items[2]!.id).toBe(ids[2]);
    expect(parse(rssDocument({ items: [{ title: 'h2', pubDate: 'Tue, 03 Jun 2025 09:39:21 GMT' }] })).items[0]!.id).not.toBe(ids[2]);
  });

  it('picks the image from an image enclosure or image media:content, ignoring audio', () => {
    const ns = 'xmlns:media="http://search.yahoo.com/mrss/"';
    const feed = parse(rssDocument({ namespaces: ns, items: [
      { title: 'enc', extra: '<enclosure url="https://e.example.com/a.mp3" type="audio/mpeg" length="1"/><enclosure url="/img/b.jpg" type="image/jpeg" length="1"/>' },
      { title: 'media', extra: '<media:content url="https://e.example.com/v.mp4" medium="video"/><media:content url="https://e.example.com/c.png" medium="image"/>' },
      { title: 'none', extra: '<enclosure url="https://e.example.com/a.mp3" type="audio/mpeg" length="1"/>' },
      { title: 'unsafe', extra: '<media:thumbnail url="javascript:alert(1)"/>' },
    ] }));
    expect(feed.items.map((i) => i.image)).toEqual(['https://feeds.example.org/img/b.jpg', 'https://e.example.com/c.png', null, null]);
  });

  it('caps a long summary to what a post can use', () => {
    const item = parse(rssDocument({ items: [{ title: 'long', description: `<p>${'word '.repeat(5000)}</p>` }] })).items[0]!;
    expect(item.summary.length).toBeLessThanOrEqual(SUMMARY_MAX);
    expect(item.summary.endsWith('…')).toBe(true);
  });

  it('keeps items in document order', () => {
    const feed = parse(rssDocument({ items: ['c', 'a', 'b'].map((title) => ({ title })) }));
    expect(feed.items.map((i) => i.title)).toEqual(['c', 'a', 'b']);
  });

  it('expands an internal entity with plain text, as real feeds declare them', () => {
    const feed = parse('<!DOCTYPE rss [<!ENTITY id "tag:example.com,">]><rss version="2.0"><channel><item><guid isPermaLink="false">&id;2006:/x</guid></item></channel></rss>');
    expect(feed.items[0]!.id).toBe('tag:example.com,2006:/x');
  });
});

describe('parseDocument: refusals and attacks', () => {
  it('refuses an HTML page as not a feed', () => {
    const err = failure('<!DOCTYPE html><html><head><title>Blog</title></head><body><p>hi</p></body></html>');
    expect(err.kind).toBe('not-a-feed');
    expect(err.message).toMatch(/HTML/);
  });

  it('refuses XML that is no feed, and an empty document, as not a feed', () => {
    expect(failure('<?xml version="1.0"?><note><to>x</to></note>').kind).toBe('not-a-feed');
    expect(failure('   ').kind).toBe('not-a-feed');
  });

  it('reports a truncated XML feed as a parse error with a one-line message', () => {
    const err = failure('<?xml version="1.0"?><rss version="2.0"><channel><title>T</ti');
    expect(err.kind).toBe('parse');
    expect(err.message).toMatch(/^could not parse the feed: [^\n]+$/);
  });

  it('reports a broken JSON document as a parse error', () => {
    expect(failure('{"version": "https://jsonfeed.org/version/1", "items": [').kind).toBe('parse');
  });

  it('leaves a billion-laughs entity unexpanded, quickly', () => {
    const lol = ['<!ENTITY lol0 "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`)].join('');
    const started = performance.now();
    let title: string | null = null;
    try {
      title = parse(`<?xml version="1.0"?><!DOCTYPE rss [${lol}]><rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title></item></channel></rss>`).title;
    } catch (err) {
      expect(err).toBeInstanceOf(FeedError);
    }
    expect(performance.now() - started).toBeLessThan(1000);
    expect((title ?? '').length).toBeLessThan(100);
  });

  it('never reads an external entity', () => {
    let out: string;
    try {
      out = JSON.stringify(parse('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>&xxe;</title><item><title>&xxe;</title></item></channel></rss>'));
    } catch (err) {
      expect(err).toBeInstanceOf(FeedError);
      out = (err as Error).message;
    }
    expect(out).not.toMatch(/root:/);
  });
});
