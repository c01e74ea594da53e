import { describe, expect, it } from 'vitest';
import type { Feed } from '../../preload/contract';
import { DEFAULT_SETTINGS, newFeed } from '../../main/core/defaults';
import { CommandError } from '../../main/core/errors';
import { exportOpml, parseOpml } from '../../main/core/opml';

const doc = (body: string): string => `<?xml version="1.0" encoding="UTF-8"?><opml version="2.0"><head><title>Subs</title></head><body>${body}</body></opml>`;

function rejection(xml: string): CommandError {
  try {
    parseOpml(xml);
  } catch (err) {
    if (err instanceof CommandError) return err;
    throw err;
  }
  throw new Error('parseOpml accepted the document');
}

describe('parseOpml', () => {
  it('returns every outline with an xmlUrl, flattening nested folders in document order', () => {
    const entries = parseOpml(doc(`
      <outline text="News"><outline text="Deep"><outline text="One" type="rss" xmlUrl="https://one.example/feed"/></outline>
        <outline text="Two" xmlUrl="https://two.example/rss"/></outline>
      <outline text="Three" xmlUrl="http://three.example/atom.xml"/>`));
    expect(entries).toEqual([
      { title: 'One', url: 'https://one.example/feed' },
      { title: 'Two', url: 'https://two.example/rss' },
      { title: 'Three', url: 'http://three.example/atom.xml' },
    ]);
  });

  it('takes the name from text, else title, else none, and decodes entities once', () => {
    const entries = parseOpml(doc(`
      <outline text="A &amp; B &amp;lt;i&amp;gt;" title="ignored" xmlUrl="https://a.example/?x=1&amp;y=2"/>
      <outline title="Only title" xmlUrl="https://b.example/"/>
      <outline xmlUrl="https://c.example/"/>`));
    expect(entries).toEqual([
      { title: 'A & B &lt;i&gt;', url: 'https://a.example/?x=1&y=2' },
      { title: 'Only title', url: 'https://b.example/' },
      { title: null, url: 'https://c.example/' },
    ]);
  });

  it('reads attribute names in any case, as real exports write them', () => {
    expect(parseOpml(doc('<outline TEXT="Caps" XMLURL="https://caps.example/"/>'))).toEqual([{ title: 'Caps', url: 'https://caps.example/' }]);
  });

  it('skips outlines without an xmlUrl and returns nothing for an empty body', () => {
    expect(parseOpml(doc('<outline text="Just a folder"/><outline text="Link" url="https://x.example/"/>'))).toEqual([]);
    expect(parseOpml(doc(''))).toEqual([]);
  });

  it('tolerates a byte order mark', () => {
    expect(parseOpml(`\uFEFF${doc('<outline text="x" xmlUrl="https://x.example/"/>')}`)).toHaveLength(1);
  });

  it('rejects malformed XML with a validation error that says so', () => {
    for (const xml of [doc('<outline text="x" xmlUrl="https://x.example/">'), '<opml><body><outline', 'not xml at all', '<a>&bogus;</b>']) {
      const err = rejection(xml);
      expect(err.code).toBe('validation');
      expect(err.message).toMatch(/^Not a valid OPML document: /);
    }
  });

  it('rejects well-formed XML that is not OPML, and an empty document', () => {
    expect(rejection('<rss version="2.0"><channel/></rss>').message).toMatch(/no <opml> element/);
    expect(rejection('   ').message).toMatch(/empty/);
  });

  it('does not expand entities declared in a DTD', () => {
    const xml = '<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY boom "BOOM">]><opml version="2.0"><body><outline text="&boom;" xmlUrl="https://x.example/"/></body></opml>';
    const entries = (() => { try { return parseOpml(xml); } catch { return []; } })();
    expect(JSON.stringify(entries)).not.toContain('BOOM');
  });
});

describe('exportOpml', () => {
  const feed = (fields: Partial<Feed>): Feed => newFeed(fields.id ?? 'f', fields.url ?? 'https://x.example/', DEFAULT_SETTINGS, fields);

  it('writes OPML 2.0 with one rss outline per feed, the user name before the feed title', () => {
    const xml = exportOpml([
      feed({ id: 'a', url: 'https://a.example/feed', name: 'Mine', title: 'Theirs' }),
      feed({ id: 'b', url: 'https://b.example/feed', title: 'Theirs only' }),
      feed({ id: 'c', url: 'https://c.example/feed' }),
    ], new Date('2026-03-01T12:00:00Z'));
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>/i);
    expect(xml).toContain('<opml version="2.0">');
    expect(xml).toContain('Sun, 01 Mar 2026 12:00:00 GMT');
    expect(parseOpml(xml)).toEqual([
      { title: 'Mine', url: 'https://a.example/feed' },
      { title: 'Theirs only', url: 'https://b.example/feed' },
      { title: 'https://c.example/feed', url: 'https://c.example/feed' },
    ]);
    expect(xml.match(/type="rss"/g)).toHaveLength(3);
  });

  it('escapes markup and quotes, and drops characters XML cannot hold', () => {
    const xml = exportOpml([feed({ url: 'https://a.example/?a=1&b="2"', name: '<script>alert("x")</script> & co\u0001' })], new Date(0));
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain('\u0001');
    expect(parseOpml(xml)).toEqual([{ title: '<script>alert("x")</script> & co', url: 'https://a.example/?a=1&b="2"' }]);
  });

  it('writes a valid document with an empty body when there are no feeds', () => {
    expect(parseOpml(exportOpml([], new Date(0)))).toEqual([]);
  });
});
