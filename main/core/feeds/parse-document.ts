// One document, start to finish, synchronously: bytes → text → feedsmith → NormalizedFeed, or a
// PolledFeed with only the items a poll needs whole (normalize.ts). Runs in the parse worker, or
// inline for small documents (executor.ts).
import { type AnyFeed, DetectError, parseFeed } from 'feedsmith';
import { asciiMarkup, decodeAs, detectEncoding } from './charset';
import { stripDoctype } from './doctype';
import { ItemScanner, lightCopy, onlyItems } from './item-ranges';
import { keysDistinct } from './new-items';
import { normalizeFeed, normalizeForPoll, type PollPlan, pollPlan } from './normalize';
import { FeedError, type FeedItem, type ItemKey, type NormalizedFeed, type PolledFeed, type Selection } from './types';
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
  const encoding = detectEncoding(bytes, contentType);
  if (selection) {
    const light = bytes.byteLength >= LIGHT_PARSE_FROM_BYTES ? parseInTwo(bytes, encoding, baseUrl, selection) : null;
    return light ?? normalizeForPoll(parseText(decodeAs(bytes, encoding)), baseUrl, selection);
  }
  return normalizeFeed(parseText(decodeAs(bytes, encoding)), baseUrl);
}

/**
 * Below this a document parses whole: the two light parses of parseInTwo pay off when the item
 * bodies are most of the bytes, and each parse has a fixed cost. 32 KB is a feed of a few items.
 */
export const LIGHT_PARSE_FROM_BYTES = 32 * 1024;

const sameKey = (a: ItemKey, b: ItemKey): boolean => a.id === b.id && a.idFrom === b.idFrom && a.link === b.link && a.published === b.published;

/**
 * What parseDocument gives a poll, from two light parses instead of one whole one: the document
 * without its item bodies, which holds every key (item-ranges.ts), then — when any item is wanted
 * whole — the document with only those items. A feed of 50 items of which a poll wants 5 parses
 * in about half the time, and never decodes the whole document into one string. Null when the
 * document is not one to cut (JSON, UTF-16, markup item-ranges.ts declines) or the two parses do
 * not agree with the cut (another count of items, another key): the caller parses it whole,
 * errors and all, as before.
 */
export function parseInTwo(bytes: Uint8Array, encoding: string, baseUrl: string, selection: Selection): PolledFeed | null {
  if (!asciiMarkup(encoding) || firstMark(bytes) !== 0x3c) return null;
  const items = new ItemScanner(bytes).items();
  if (!items || !items.some((item) => item.bodies.length > 0)) return null;
  let plan: PollPlan;
  let whole: FeedItem[] = [];
  try {
    plan = pollPlan(parseText(decodeAs(lightCopy(bytes, items), encoding)), baseUrl, selection);
    if (plan.keys.length !== items.length) return null;
    if (plan.wanted.length > 0) whole = normalizeFeed(parseText(decodeAs(onlyItems(bytes, items, plan.wanted), encoding)), baseUrl).items;
  } catch {
    return null;
  }
  const { keys, wanted } = plan;
  if (whole.length !== wanted.length || whole.some((item, j) => !sameKey(item, keys[wanted[j]!]!))) return null;
  const byIndex = new Map(wanted.map((i, j) => [i, whole[j]!]));
  return {
    title: plan.title, link: plan.link,
    items: keys.map((key, i) => byIndex.get(i) ?? { ...key, keyOnly: true }),
    distinct: keysDistinct(keys),
  };
}

/** The first byte that is not whitespace or a byte order mark's. */
function firstMark(bytes: Uint8Array): number | undefined {
  for (const b of bytes) if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0xef && b !== 0xbb && b !== 0xbf) return b;
  return undefined;
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
