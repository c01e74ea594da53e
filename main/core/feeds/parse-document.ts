// One document, start to finish, synchronously: bytes → text → feedsmith → NormalizedFeed, or a
// PolledFeed with only the items a poll needs whole (normalize.ts). Runs in the parse worker, or
// inline for small documents (executor.ts).
import { type AnyFeed, DetectError, parseFeed } from 'feedsmith';
import { decodeFeedBytes } from './charset';
import { stripDoctype } from './doctype';
import { normalizeFeed, normalizeForPoll } from './normalize';
import { FeedError, type NormalizedFeed, type PolledFeed, type Selection } from './types';
import { afterComments } from './leading-comments';

// RSS 2.0 under a namespace prefix (`<r:rss xmlns:r="http://backend.userland.com/rss2">`) is rare
// but valid; feedsmith only knows unprefixed RSS, so such a document is retried with the prefix dropped.
const PREFIXED_ROOT = /<([A-Za-z_][\w.-]*):(rss|channel)\b[^>]*?\bxmlns:\1\s*=\s*["']http:\/\/backend\.userland\.com\/rss2?["']/;

function unprefixRss(xml: string): string | null {
  const m = PREFIXED_ROOT.exec(xml.slice(0, 64 * 1024));
  if (!m) return null;
  const prefix = m[1]!.replace(/[.]/g, '\\.');
  return xml.replace(new RegExp(`<(/?)${prefix}:`, 'g'), '<$1');
}

function parseXml(xml: string): AnyFeed {
  try {
    return parseFeed(xml);
  } catch (err) {
    const retry = unprefixRss(xml);
    if (retry === null) throw err;
    return parseFeed(retry);
  }
}

const looksLikeHtml = (text: string): boolean => /^<(?:!doctype\s+html|html|head|body)\b/i.test(afterComments(text.slice(0, 4096)));

export function parseDocument(bytes: Uint8Array, contentType: string | null, baseUrl: string): NormalizedFeed;
/** `selection`: what a poll needs whole (null: every item, a NormalizedFeed). */
export function parseDocument(bytes: Uint8Array, contentType: string | null, baseUrl: string, selection: Selection | null): PolledFeed;
export function parseDocument(bytes: Uint8Array, contentType: string | null, baseUrl: string, selection: Selection | null = null): NormalizedFeed | PolledFeed {
  const parsed = parseText(decodeFeedBytes(bytes, contentType));
  return selection ? normalizeForPoll(parsed, baseUrl, selection) : normalizeFeed(parsed, baseUrl);
}

function parseText(text: string): AnyFeed {
  if (text.trim() === '') throw new FeedError('not-a-feed', 'not a feed: the document is empty');
  if (looksLikeHtml(text)) throw new FeedError('not-a-feed', 'not a feed: got an HTML page, not RSS, Atom or JSON Feed');
  const trimmed = text.trimStart();
  let parsed: AnyFeed;
  try {
    parsed = trimmed.startsWith('{') ? parseFeed(JSON.parse(trimmed)) : parseXml(stripDoctype(text));
  } catch (err) {
    if (err instanceof DetectError) {
      throw new FeedError('not-a-feed', 'not a feed: no RSS, Atom or JSON Feed found in the document');
    }
    const detail = err instanceof Error ? err.message.split('\n')[0]!.slice(0, 200) : String(err);
    throw new FeedError('parse', `could not parse the feed: ${detail}`);
  }
  return parsed;
}
