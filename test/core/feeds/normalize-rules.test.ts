// Normalisation rules the dedupe and the {author} placeholder rely on: where an id came from,
// inherited and fallback authors and titles, author names without their e-mail, and "]]>" in text.
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../main/core/feeds/parse-document';
import { authorName, htmlToText } from '../../../main/core/feeds/text';
import type { NormalizedFeed } from '../../../main/core/feeds/types';

const parse = (xml: string): NormalizedFeed => parseDocument(new TextEncoder().encode(xml), null, 'https://feeds.example.org/feed.xml');
const rss = (items: string, ns = ''): string =>
  `<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" ${ns}><channel><title>T</title><link>https://example.com/</link>${items}</channel></rss>`;

describe('where an id came from', () => {
  it('is recorded on each item: the feed\'s own id, else the link, else a hash', () => {
    const feed = parse(rss('<item><guid>g1</guid><link>https://example.com/1</link></item><item><link>https://example.com/2</link></item><item><title>No id, no link</title></item>'));
    expect(feed.items.map((i) => [i.idFrom, i.id.startsWith('sha256:') ? 'sha256:…' : i.id])).toEqual([
      ['feed', 'g1'], ['link', 'https://example.com/2'], ['hash', 'sha256:…'],
    ]);
  });

  it('takes a blank guid as no id', () => {
    expect(parse(rss('<item><guid>  </guid><link>https://example.com/1</link></item>')).items[0]).toMatchObject({ id: 'https://example.com/1', idFrom: 'link' });
  });

  it('records an Atom id as the feed\'s own', () => {
    const feed = parse('<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>f</id><entry><id>urn:e:1</id><title>E</title></entry></feed>');
    expect(feed.items[0]).toMatchObject({ id: 'urn:e:1', idFrom: 'feed' });
  });
});

describe('authors', () => {
  const atom = (entries: string, source = ''): string => `<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>f</id>
    <author><name>Feed Author</name></author>${source}${entries}</feed>`;

  it('gives an Atom entry without an author the feed\'s (RFC 4287 §4.2.1)', () => {
    const feed = parse(atom('<entry><id>1</id><title>No author</title></entry><entry><id>2</id><title>Own</title><author><name>Own Author</name></author></entry>'));
    expect(feed.items.map((i) => i.author)).toEqual(['Feed Author', 'Own Author']);
  });

  it('gives an Atom entry without an author its source\'s before the feed\'s', () => {
    const feed = parse(atom('<entry><id>1</id><title>Copied</title><source><id>s</id><author><name>Source Author</name></author></source></entry>'));
    expect(feed.items[0]?.author).toBe('Source Author');
  });

  it('falls back to itunes:author and itunes:title for RSS items', () => {
    const feed = parse(rss('<item><guid>e1</guid><itunes:title>Episode one</itunes:title><itunes:author>Pod Host</itunes:author></item>'));
    expect(feed.items[0]).toMatchObject({ title: 'Episode one', author: 'Pod Host' });
  });

  it('prefers the RSS author and title to the iTunes ones', () => {
    const feed = parse(rss('<item><guid>e1</guid><title>Own title</title><author>a@example.com (Own Name)</author><itunes:title>Episode one</itunes:title><itunes:author>Pod Host</itunes:author></item>'));
    expect(feed.items[0]).toMatchObject({ title: 'Own title', author: 'Own Name' });
  });

  it.each([
    ['jdoe@example.com (John Doe)', 'John Doe'],
    ['John Doe (jdoe@example.com)', 'John Doe'],
  ])('shows "%s" from dc:creator and an Atom name as the name alone', (written, shown) => {
    expect(parse(rss(`<item><guid>1</guid><dc:creator>${written}</dc:creator></item>`)).items[0]?.author).toBe(shown);
    expect(parse(atom(`<entry><id>1</id><title>E</title><author><name>${written}</name></author></entry>`)).items[0]?.author).toBe(shown);
  });

  it.each([
    ['John Doe', 'John Doe'],
    ['jdoe@example.com', 'jdoe@example.com'],
    ['Jane (the editor)', 'Jane (the editor)'],
    ['mailto:jdoe@example.com (John Doe)', 'John Doe'],
  ])('keeps other forms as written: %s', (written, shown) => {
    expect(authorName(written)).toBe(shown);
  });
});

describe('"]]>" in feed text', () => {
  it('is kept when it is text after the document\'s CDATA is decoded', () => {
    const feed = parse(rss('<item><guid>1</guid><title><![CDATA[a ]]]]><![CDATA[> b]]></title><description>x ]]&gt; y</description></item>'));
    expect(feed.items[0]).toMatchObject({ title: 'a ]]> b', summary: 'x ]]> y' });
  });

  it('still unwraps a CDATA section written inside escaped HTML, keeping its content', () => {
    expect(htmlToText('<p>one <![CDATA[<b>two</b>]]> three</p>')).toBe('one two three');
    expect(htmlToText('cut <![CDATA[off')).toBe('cut off');
  });
});
