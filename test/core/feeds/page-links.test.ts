// The feeds a web page names in its head, read by a one-pass tokenizer: what counts as a feed link,
// how addresses resolve, what is ignored, and pages built to make a careless scanner hang.
import { describe, expect, it } from 'vitest';
import { looksLikePage, MAX_PAGE_CANDIDATES, metaCharset, PAGE_HEAD_CHARS, pageFeedLinks } from '../../../main/core/feeds/page-links';

const PAGE = 'https://example.org/blog/index.html';
const page = (head: string, body = '<p>Hello</p>'): string => `<!doctype html><html><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;

describe('pageFeedLinks', () => {
  it('finds RSS, Atom and JSON Feed links with their titles, in page order, resolving relative addresses against the page', () => {
    const html = page(`
      <link rel="stylesheet" href="/style.css">
      <link rel="alternate" type="application/rss+xml" title="Posts (RSS)" href="/feed.xml">
      <LINK REL="Alternate" TYPE="application/atom+xml" TITLE='Posts (Atom)' HREF=atom.xml>
      <link rel="alternate" type="application/feed+json" href="https://cdn.example.org/feed.json">
      <link rel="alternate" hreflang="fr" href="/fr/">`);
    expect(pageFeedLinks(html, PAGE)).toEqual([
      { url: 'https://example.org/feed.xml', title: 'Posts (RSS)', type: 'rss' },
      { url: 'https://example.org/blog/atom.xml', title: 'Posts (Atom)', type: 'atom' },
      { url: 'https://cdn.example.org/feed.json', title: null, type: 'json' },
    ]);
  });

  it('takes rel as a list of tokens, a media type with parameters, RSS 1.0, and the page’s <base href>', () => {
    const html = page(`<base href="https://static.example.org/site/">
      <link type="application/rss+xml; charset=utf-8" rel="home alternate" href="rss">
      <link rel="alternate" type="application/rdf+xml" href="rdf">`);
    expect(pageFeedLinks(html, PAGE).map((c) => [c.url, c.type])).toEqual([
      ['https://static.example.org/site/rss', 'rss'], ['https://static.example.org/site/rdf', 'rss'],
    ]);
  });

  it('leaves out plain JSON (a REST API or oEmbed), non-http addresses, repeats and the page itself', () => {
    const html = page(`
      <link rel="alternate" type="application/json" href="/wp-json/wp/v2/pages/2">
      <link rel="alternate" type="application/json+oembed" href="/oembed?url=x">
      <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
      <link rel="alternate" type="application/rss+xml" href="data:text/xml,<rss/>">
      <link rel="alternate" type="application/rss+xml" href="/feed">
      <link rel="alternate" type="application/rss+xml" href="https://example.org/feed#top">
      <link rel="alternate" type="application/rss+xml" href="${PAGE}">
      <link rel="alternate" type="application/rss+xml">`);
    expect(pageFeedLinks(html, PAGE).map((c) => c.url)).toEqual(['https://example.org/feed']);
  });

  it('decodes character references in addresses and titles', () => {
    const html = page('<link rel="alternate" type="application/rss+xml" title="News &amp; notes &#8212; &#x41;" href="/feed?a=1&amp;b=2">');
    expect(pageFeedLinks(html, PAGE)).toEqual([{ url: 'https://example.org/feed?a=1&b=2', title: 'News & notes — A', type: 'rss' }]);
  });

  it('ignores links inside comments, scripts, styles and titles, and everything after the head', () => {
    const html = page(`<!-- <link rel="alternate" type="application/rss+xml" href="/commented"> -->
      <title>A <link rel="alternate" type="application/rss+xml" href="/in-title"></title>
      <script>document.write('<link rel="alternate" type="application/rss+xml" href="/scripted">')</script>
      <style>/* <link rel="alternate" type="application/rss+xml" href="/styled"> */</style>
      <link rel="alternate" type="application/rss+xml" href="/real">`,
    '<link rel="alternate" type="application/rss+xml" href="/in-body">');
    expect(pageFeedLinks(html, PAGE).map((c) => c.url)).toEqual(['https://example.org/real']);
  });

  it('reads a quoted value holding ">" whole, and stops where a quote or comment never closes', () => {
    expect(pageFeedLinks(page('<link title="a > b" rel="alternate" type="application/rss+xml" href="/gt">'), PAGE))
      .toEqual([{ url: 'https://example.org/gt', title: 'a > b', type: 'rss' }]);
    const unclosed = '<html><head><link rel="alternate" type="application/rss+xml" href="/one"><link title="oops href=/x>'
      + '<link rel="alternate" type="application/rss+xml" href="/two">';
    expect(pageFeedLinks(unclosed, PAGE).map((c) => c.url)).toEqual(['https://example.org/one']);
    expect(pageFeedLinks('<head><!-- never closed <link rel="alternate" type="application/rss+xml" href="/x">', PAGE)).toEqual([]);
  });

  it('reads only the first 256 KB and at most 20 candidates', () => {
    const filler = `<meta name="x" content="${'a'.repeat(PAGE_HEAD_CHARS)}">`;
    expect(pageFeedLinks(page(`${filler}<link rel="alternate" type="application/rss+xml" href="/late">`), PAGE)).toEqual([]);
    const many = Array.from({ length: 30 }, (_, i) => `<link rel="alternate" type="application/rss+xml" href="/f${i}">`).join('');
    expect(pageFeedLinks(page(many), PAGE)).toHaveLength(MAX_PAGE_CANDIDATES);
  });

  it('gets through pages built against scanners — unclosed quotes, endless tags, nested comment openers — in one pass', () => {
    const nasty = [
      '<head>' + '<link a="'.repeat(20_000),
      '<head>' + '<a b=c '.repeat(30_000),
      '<head>' + '<!--<!--'.repeat(30_000),
      '<head>' + '<script>'.repeat(30_000),
      '<head>' + '<'.repeat(200_000),
    ];
    for (const html of nasty) expect(pageFeedLinks(html, PAGE)).toEqual([]);
  });
});

describe('looksLikePage', () => {
  it('tells a web page from a feed by its first tag, whatever the server calls it', () => {
    expect(looksLikePage('<!DOCTYPE html><html>', 'text/html')).toBe(true);
    expect(looksLikePage('\uFEFF  <!-- built --> <html lang="en">', null)).toBe(true);
    expect(looksLikePage('<meta charset="utf-8"><title>x</title>', 'application/octet-stream')).toBe(true);
    expect(looksLikePage('<?xml version="1.0"?><rss version="2.0">', 'text/html; charset=utf-8')).toBe(false);
    expect(looksLikePage('<feed xmlns="http://www.w3.org/2005/Atom">', 'text/html')).toBe(false);
    expect(looksLikePage('{"version":"https://jsonfeed.org/version/1.1"}', 'text/html')).toBe(false);
    expect(looksLikePage('<rss version="2.0">', 'application/rss+xml')).toBe(false);
    expect(looksLikePage('<div>hello</div>', 'text/html')).toBe(true);
  });

  it('answers at once after a long run of comments that is followed by a feed (no backtracking)', () => {
    const comments = '<!-- a -->'.repeat(40);
    expect(looksLikePage(`${comments}<rss version="2.0">`, 'application/xml')).toBe(false);
    expect(looksLikePage(`${comments}<html>`, null)).toBe(true);
  });
});

describe('metaCharset', () => {
  it('reads the charset a page declares near its top', () => {
    expect(metaCharset('<html><head><meta charset="windows-1251">')).toBe('windows-1251');
    expect(metaCharset('<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">')).toBe('ISO-8859-1');
    expect(metaCharset('<html><head><title>none</title>')).toBe(null);
  });
});
