// A post's text as Bluesky stores it: links made clickable with facets, whose offsets count
// UTF-8 bytes (not UTF-16 units, not graphemes), and the limits the PDS checks — 300
// graphemes and 3,000 bytes of the record's text, links counted as written. When a post does
// not fit with its links written out, each long link's displayed text is shortened (host,
// the start of the path, "…") while its facet keeps the full URL, as the Bluesky app does.

export const BLUESKY_MAX_GRAPHEMES = 300;
export const BLUESKY_MAX_BYTES = 3000;
/** Past this many characters of path (query and fragment included), a shortened link is cut. */
const SHORT_PATH_CHARS = 15;

const encoder = new TextEncoder();
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function graphemeCount(text: string): number {
  let n = 0;
  for (const _ of graphemes.segment(text)) n++;
  return n;
}

export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

export interface LinkFacet {
  index: { byteStart: number; byteEnd: number };
  features: [{ $type: 'app.bsky.richtext.facet#link'; uri: string }];
}

/** A link found in the text: UTF-16 offsets into it, and the URL it points to. */
export interface FoundLink { start: number; end: number; url: string }

const URL_PATTERN = /https?:\/\/[^\s<>"'`{}|\\^\u00a0\u2000-\u200b\u3000]+/gi;

/**
 * Every http(s) URL written in the text. Trailing punctuation that usually ends a sentence is
 * left out, and a closing parenthesis only stays when the URL opened one.
 */
export function findLinks(text: string): FoundLink[] {
  const out: FoundLink[] = [];
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index;
    // "xhttps://…" is not a link start; a URL must follow a boundary.
    if (start > 0 && /[\p{L}\p{N}_]/u.test(text[start - 1] ?? '')) continue;
    let url = match[0];
    for (;;) {
      const trimmed = url.replace(/[.,;:!?…]+$/u, '');
      const unbalanced = trimmed.endsWith(')') && count(trimmed, '(') < count(trimmed, ')');
      const next = unbalanced ? trimmed.slice(0, -1) : trimmed;
      if (next === url) break;
      url = next;
    }
    if (!isWebUrl(url)) continue;
    out.push({ start, end: start + url.length, url });
  }
  return out;
}

function count(text: string, ch: string): number {
  return text.split(ch).length - 1;
}

function isWebUrl(text: string): boolean {
  try {
    const parsed = new URL(text);
    const web = parsed.protocol === 'http:' || parsed.protocol === 'https:';
    return web && (parsed.hostname.includes('.') || parsed.hostname === 'localhost');
  } catch {
    return false;
  }
}

/**
 * How a long link is shown when the post must be shorter: host, then the first characters of
 * the path (query and fragment included) and "…" — "example.com/2026/01/a-very…". A link that
 * is short already, or that does not parse, is shown as written.
 */
export function shortLinkText(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  const path = (parsed.pathname === '/' ? '' : parsed.pathname) + parsed.search + parsed.hash;
  const shown = path.length > SHORT_PATH_CHARS ? `${parsed.host}${[...path].slice(0, SHORT_PATH_CHARS - 2).join('')}…` : `${parsed.host}${path}`;
  return shown.length < url.length ? shown : url;
}

export interface PreparedText {
  /** The record's text: as given, or with long links shortened. */
  text: string;
  facets: LinkFacet[];
  /** Whether any link's displayed text was shortened. */
  shortened: boolean;
  graphemes: number;
  bytes: number;
}

function withinLimits(text: string): boolean {
  return utf8Length(text) <= BLUESKY_MAX_BYTES && graphemeCount(text) <= BLUESKY_MAX_GRAPHEMES;
}

/** The text and facets a post goes out with; links are shortened only when the post would not fit. */
export function prepareText(text: string): PreparedText {
  const links = findLinks(text);
  if (withinLimits(text) || links.every((l) => shortLinkText(l.url) === l.url)) return build(text, links, false);
  let out = '';
  let at = 0;
  const moved: FoundLink[] = [];
  for (const link of links) {
    out += text.slice(at, link.start);
    const shown = shortLinkText(link.url);
    moved.push({ start: out.length, end: out.length + shown.length, url: link.url });
    out += shown;
    at = link.end;
  }
  out += text.slice(at);
  return build(out, moved, true);
}

function build(text: string, links: FoundLink[], shortened: boolean): PreparedText {
  const facets = links.map((link): LinkFacet => {
    const byteStart = utf8Length(text.slice(0, link.start));
    return {
      index: { byteStart, byteEnd: byteStart + utf8Length(text.slice(link.start, link.end)) },
      features: [{ $type: 'app.bsky.richtext.facet#link', uri: link.url }],
    };
  });
  return { text, facets, shortened, graphemes: graphemeCount(text), bytes: utf8Length(text) };
}

/** Why the prepared text is refused by Bluesky's limits, or null when it fits. */
export function overLimit(prepared: PreparedText): string | null {
  if (prepared.graphemes > BLUESKY_MAX_GRAPHEMES) {
    return `The post is ${prepared.graphemes} characters; Bluesky allows ${BLUESKY_MAX_GRAPHEMES}.`;
  }
  if (prepared.bytes > BLUESKY_MAX_BYTES) {
    return `The post is ${prepared.bytes} bytes of text; Bluesky allows ${BLUESKY_MAX_BYTES}.`;
  }
  return null;
}
