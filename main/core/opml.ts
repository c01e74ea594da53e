// OPML in and out, pure. Parsing goes through feedsmith's OPML reader after a strict
// well-formedness check (fast-xml-parser alone accepts unclosed tags). Writing is by hand:
// feedsmith's generator refuses a document with no outlines, and an empty list must export too.
import type * as FastXmlParser from 'fast-xml-parser';
import type * as Feedsmith from 'feedsmith';
import type { Feed } from '../../preload/contract';
import { CommandError } from './errors';
import { lazyRequire } from './lazy-require';

// Loaded by parseOpml only: the engine imports this file for exportOpml, which needs neither.
const xmlParser = lazyRequire<typeof FastXmlParser>('fast-xml-parser');
const feedsmith = lazyRequire<typeof Feedsmith>('feedsmith');

export interface OpmlEntry { title: string | null; url: string }

type Outline = { text?: string; title?: string; xmlUrl?: string; outlines?: Outline[] };

function invalid(reason: string): CommandError {
  return new CommandError('validation', `Not a valid OPML document: ${reason}`, 'opml');
}

/** Every outline with an xmlUrl, in document order, folders flattened; names from text, else title. */
export function parseOpml(xml: string): OpmlEntry[] {
  const text = xml.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw invalid('the file is empty.');
  const check = xmlParser().XMLValidator.validate(text);
  if (check !== true) throw invalid(`the XML is malformed near line ${check.err.line}, column ${check.err.col}.`);
  let doc: { body?: { outlines?: Outline[] } };
  try {
    doc = feedsmith().parseOpml(text);
  } catch {
    throw invalid('there is no <opml> element with a <body>.');
  }
  const entries: OpmlEntry[] = [];
  const visit = (outlines: Outline[] | undefined): void => {
    for (const o of outlines ?? []) {
      const url = o.xmlUrl?.trim();
      if (url) entries.push({ title: (o.text ?? o.title)?.trim() || null, url });
      visit(o.outlines);
    }
  };
  visit(doc.body?.outlines);
  return entries;
}

// XML 1.0 forbids most C0 controls even escaped; a feed title can carry them.
const stripInvalidXmlChars = (s: string): string => s.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '');

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const escapeXml = (s: string): string => stripInvalidXmlChars(s).replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);

/** An OPML 2.0 subscription list: one rss outline per feed, the user's name before the feed's title. */
export function exportOpml(feeds: Feed[], now: Date): string {
  const outlines = feeds.map((f) => {
    const label = escapeXml(f.name ?? f.title ?? f.url);
    return `    <outline type="rss" text="${label}" title="${label}" xmlUrl="${escapeXml(f.url)}"/>`;
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<opml version="2.0">',
    '  <head>',
    '    <title>Crier feeds</title>',
    `    <dateCreated>${now.toUTCString()}</dateCreated>`,
    '  </head>',
    outlines.length > 0 ? ['  <body>', ...outlines, '  </body>'].join('\n') : '  <body/>',
    '</opml>',
    '',
  ].join('\n');
}
