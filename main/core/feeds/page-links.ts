// The feeds a web page names in its head: `<link rel="alternate" type="application/rss+xml"
// href="…">` and its Atom and JSON Feed kin. Feed text is untrusted and pages can be anything, so
// this is a small tokenizer, not a parser: one pass, every character read once (a quote or comment
// that never closes ends the scan instead of being searched for again), over at most the first
// PAGE_HEAD_CHARS of the page, stopping at </head> or <body>. Pure.
import type { FeedCandidate } from '../../../preload/contract';
import { afterComments } from './leading-comments';

export const PAGE_HEAD_CHARS = 256 * 1024;
/** More than any real page offers; a page listing hundreds is not asked about all of them. */
export const MAX_PAGE_CANDIDATES = 20;

const FEED_TYPES: Record<string, FeedCandidate['type']> = {
  'application/rss+xml': 'rss',
  'application/rdf+xml': 'rss',
  'application/atom+xml': 'atom',
  'application/feed+json': 'json',
};

/** Elements whose content is text, never tags: a `<link` inside a script is no link. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'template', 'noscript', 'xmp', 'iframe', 'noembed', 'noframes']);

type Attributes = Map<string, string>;
interface Tag { name: string; attrs: Attributes; end: number }

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f';
const NAME_START = /[A-Za-z]/;

/** Reads a start tag's attributes from `pos` (just after its name); null when the text ends inside it. */
function readAttributes(text: string, pos: number): { attrs: Attributes; end: number } | null {
  const attrs: Attributes = new Map();
  let i = pos;
  for (;;) {
    while (i < text.length && (isSpace(text[i]) || text[i] === '/')) i++;
    if (i >= text.length) return null;
    if (text[i] === '>') return { attrs, end: i + 1 };
    const nameStart = i;
    while (i < text.length && !isSpace(text[i]) && text[i] !== '/' && text[i] !== '>' && (text[i] !== '=' || i === nameStart)) i++;
    const name = text.slice(nameStart, i).toLowerCase();
    while (i < text.length && isSpace(text[i])) i++;
    let value = '';
    if (text[i] === '=') {
      i++;
      while (i < text.length && isSpace(text[i])) i++;
      const quote = text[i];
      if (quote === '"' || quote === '\'') {
        const close = text.indexOf(quote, i + 1);
        if (close < 0) return null;
        value = text.slice(i + 1, close);
        i = close + 1;
      } else {
        const start = i;
        while (i < text.length && !isSpace(text[i]) && text[i] !== '>') i++;
        value = text.slice(start, i);
      }
    }
    // The first of a repeated attribute wins, as in browsers.
    if (name && !attrs.has(name)) attrs.set(name, value);
  }
}

/** The start tags of a page's head, in order: link and base with their attributes. */
function* headTags(text: string): Generator<Tag> {
  const lower = text.toLowerCase();
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) return;
    if (text.startsWith('<!--', lt)) {
      const close = text.indexOf('-->', lt + 4);
      if (close < 0) return;
      i = close + 3;
      continue;
    }
    if (text[lt + 1] === '!' || text[lt + 1] === '?') {
      // A doctype or a processing instruction.
      const close = text.indexOf('>', lt + 2);
      if (close < 0) return;
      i = close + 1;
      continue;
    }
    const closing = text[lt + 1] === '/';
    const nameAt = lt + (closing ? 2 : 1);
    if (!NAME_START.test(text[nameAt] ?? '')) { i = lt + 1; continue; }
    let nameEnd = nameAt;
    while (nameEnd < text.length && !isSpace(text[nameEnd]) && text[nameEnd] !== '/' && text[nameEnd] !== '>') nameEnd++;
    const name = lower.slice(nameAt, nameEnd);
    if (closing) {
      if (name === 'head') return;
      const close = text.indexOf('>', nameEnd);
      if (close < 0) return;
      i = close + 1;
      continue;
    }
    if (name === 'body') return;
    const read = readAttributes(text, nameEnd);
    if (!read) return;
    i = read.end;
    if (RAW_TEXT.has(name)) {
      const close = lower.indexOf(`</${name}`, i);
      if (close < 0) return;
      i = close;
      continue;
    }
    if (name === 'link' || name === 'base') yield { name, attrs: read.attrs, end: read.end };
  }
}

/** A page's text without its character references in attribute values: the few that matter in a URL or title. */
function decodeAttribute(value: string): string {
  return value.replace(/&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|(amp|lt|gt|quot|apos|nbsp));?/gi, (ref, dec?: string, hex?: string, named?: string) => {
    if (named) return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: '\'', nbsp: '\u00a0' } as Record<string, string>)[named.toLowerCase()] ?? ref;
    const code = dec ? Number(dec) : Number.parseInt(hex ?? '', 16);
    return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : ref;
  });
}

function httpUrl(href: string, base: string): string | null {
  try {
    const url = new URL(href.trim(), base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    url.hash = '';
    return url.href;
  } catch {
    return null;
  }
}

/**
 * The feeds a page's head links to, in page order, without repeats, at most MAX_PAGE_CANDIDATES:
 * `rel` holding the token "alternate" (or "feed") and a feed media type. Relative hrefs resolve
 * against the page's `<base href>` if it has one, else against `pageUrl` (the address the page
 * came from, after redirects); anything but http(s) is left out, as is the page itself.
 */
export function pageFeedLinks(html: string, pageUrl: string): FeedCandidate[] {
  const text = html.length > PAGE_HEAD_CHARS ? html.slice(0, PAGE_HEAD_CHARS) : html;
  let base = pageUrl;
  let baseSeen = false;
  const out: FeedCandidate[] = [];
  const urls = new Set<string>([httpUrl(pageUrl, pageUrl) ?? pageUrl]);
  for (const tag of headTags(text)) {
    if (tag.name === 'base') {
      const href = tag.attrs.get('href');
      // Only the first <base href> counts, as in browsers.
      if (!baseSeen && href !== undefined) {
        baseSeen = true;
        base = httpUrl(decodeAttribute(href), pageUrl) ?? pageUrl;
      }
      continue;
    }
    const rel = (tag.attrs.get('rel') ?? '').toLowerCase().split(/[\s]+/);
    if (!rel.includes('alternate') && !rel.includes('feed')) continue;
    const mediaType = (tag.attrs.get('type') ?? '').toLowerCase().split(';')[0]!.trim();
    const type = FEED_TYPES[mediaType];
    const href = tag.attrs.get('href');
    if (!type || href === undefined) continue;
    const url = httpUrl(decodeAttribute(href), base);
    if (!url || urls.has(url)) continue;
    urls.add(url);
    const title = decodeAttribute(tag.attrs.get('title') ?? '').replace(/\s+/g, ' ').trim().slice(0, 200);
    out.push({ url, title: title === '' ? null : title, type });
    if (out.length === MAX_PAGE_CANDIDATES) break;
  }
  return out;
}

/**
 * Whether a document is a web page rather than a feed: its first tag is html, head or body (or an
 * HTML doctype), or the server calls it HTML and it does not begin like a feed (some servers label
 * their feeds text/html).
 */
export function looksLikePage(head: string, contentType: string | null): boolean {
  const start = afterComments(head.slice(0, 4096).replace(/^\uFEFF/, ''));
  if (/^<(?:!doctype\s+html|html|head|body|meta|title|link)\b/i.test(start)) return true;
  const mediaType = (contentType ?? '').toLowerCase().split(';')[0]!.trim();
  if (mediaType !== 'text/html' && mediaType !== 'application/xhtml+xml') return false;
  return !/^(?:<\?xml|<rss\b|<feed\b|<rdf:RDF\b|\{)/i.test(start);
}


/** The charset a page names in a `<meta>` within its first 1,024 bytes (HTML's prescan, simplified). */
export function metaCharset(headBytes: string): string | null {
  const m = /<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i.exec(headBytes.slice(0, 1024));
  return m?.[1] ?? null;
}
