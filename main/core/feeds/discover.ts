// Feed autodiscovery, for a preview of an address the user typed: a feed is read as it is; a web
// page is searched for the feeds it names (`<link rel="alternate">`, page-links.ts), and when it
// names none, its site's usual feed paths are tried — at most six extra requests, through the same
// fetch port, caps and concurrency cap as polls, each kept only if it parses as a feed. With one
// feed found the preview reads it; with several the user picks.
import type { FeedCandidate } from '../../../preload/contract';
import { looksLikePage, metaCharset, pageFeedLinks } from './page-links';
import { FeedError, type FetchResult, type NormalizedFeed } from './types';

/** Tried in this order when a page names no feed; each resolved against the page's origin. */
export const USUAL_FEED_PATHS = ['/feed', '/rss', '/feed.xml', '/rss.xml', '/atom.xml', '/index.xml'] as const;

/** How much of a document is decoded to tell a page from a feed. */
const SNIFF_BYTES = 4096;
/** How much of a page is read for its links: its head, in any real page. */
export const PAGE_HEAD_BYTES = 256 * 1024;

export interface DiscoveryPorts {
  /** The address the user typed: one unconditional fetch under the feed caps. */
  fetch(url: string): Promise<FetchResult>;
  /** Discovery's own requests (a page's one feed, the usual paths): each waits for a slot under the concurrency cap. */
  fetchExtra(url: string): Promise<FetchResult>;
  /** Takes ownership of `bytes` (a worker may receive them by transfer). */
  parse(bytes: Uint8Array, contentType: string | null, baseUrl: string): Promise<NormalizedFeed>;
}

export type Reading =
  /** The address is a feed (or answered 304: an empty one). */
  | { kind: 'feed'; feed: NormalizedFeed }
  /** The address is a page; `chosen`, when it offers exactly one feed that reads, is that feed. */
  | { kind: 'page'; candidates: FeedCandidate[]; chosen: { url: string; feed: NormalizedFeed } | null };

const EMPTY_FEED: NormalizedFeed = { title: null, link: null, items: [] };

type Decode = typeof import('./charset').decodeFeedBytes;
let charset: Promise<Decode> | null = null;
/** The decoder, with iconv-lite's tables, loads with the first preview, not with `crier serve` (issue 13). */
const decoder = (): Promise<Decode> => (charset ??= import('./charset').then((m) => m.decodeFeedBytes));

function sniffText(decodeFeedBytes: Decode, body: Uint8Array, contentType: string | null): string {
  return decodeFeedBytes(body.subarray(0, SNIFF_BYTES), contentType);
}

/** The head of a page as text: its charset from the header, else from a `<meta>` near the top. */
function pageHead(decodeFeedBytes: Decode, body: Uint8Array, contentType: string | null, sniffed: string): string {
  const head = body.subarray(0, PAGE_HEAD_BYTES);
  const declared = /;\s*charset\s*=/i.test(contentType ?? '') ? null : metaCharset(sniffed);
  return decodeFeedBytes(head, declared ? `text/html; charset=${declared}` : contentType);
}

function feedType(sniffed: string): FeedCandidate['type'] {
  const start = sniffed.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('{')) return 'json';
  return /<(?:[A-Za-z_][\w.-]*:)?feed\b/.test(start) ? 'atom' : 'rss';
}

/** Reads `url` as a feed, or null when it is not one (a page, an error, anything unreadable). */
async function tryFeed(url: string, ports: DiscoveryPorts): Promise<{ url: string; feed: NormalizedFeed; type: FeedCandidate['type'] } | null> {
  try {
    const result = await ports.fetchExtra(url);
    if (result.kind !== 'ok') return null;
    const sniffed = sniffText(await decoder(), result.body, result.contentType);
    if (looksLikePage(sniffed, result.contentType)) return null;
    const type = feedType(sniffed);
    const feed = await ports.parse(result.body, result.contentType, result.finalUrl);
    // A feed that moved for good is followed at its new address, as a poll would.
    return { url: result.permanentRedirect ?? url, feed, type };
  } catch {
    return null;
  }
}

export async function readFeedOrPage(url: string, ports: DiscoveryPorts): Promise<Reading> {
  const first = await ports.fetch(url);
  if (first.kind === 'not-modified') return { kind: 'feed', feed: EMPTY_FEED };
  const decode = await decoder();
  const sniffed = sniffText(decode, first.body, first.contentType);
  if (!looksLikePage(sniffed, first.contentType)) {
    return { kind: 'feed', feed: await ports.parse(first.body, first.contentType, first.finalUrl) };
  }
  const links = pageFeedLinks(pageHead(decode, first.body, first.contentType, sniffed), first.finalUrl);
  if (links.length > 0) {
    const only = links.length === 1 ? links[0]! : null;
    const read = only ? await tryFeed(only.url, ports) : null;
    if (only && read) return { kind: 'page', candidates: [{ ...only, title: only.title ?? read.feed.title }], chosen: { url: read.url, feed: read.feed } };
    return { kind: 'page', candidates: links, chosen: null };
  }
  const page = new URL(first.finalUrl);
  const probes = USUAL_FEED_PATHS.map((path) => new URL(path, page.origin).href).filter((u) => u !== page.href && u !== url);
  const found = await Promise.all(probes.map((u) => tryFeed(u, ports)));
  const byUrl = new Map<string, { url: string; feed: NormalizedFeed; type: FeedCandidate['type'] }>();
  for (const f of found) if (f && !byUrl.has(f.url)) byUrl.set(f.url, f);
  const feeds = [...byUrl.values()];
  if (feeds.length === 0) {
    throw new FeedError('not-a-feed', `not a feed: ${page.host} sent a web page that names no feed, and none of ${USUAL_FEED_PATHS.join(', ')} there is one`);
  }
  const candidates = feeds.map((f) => ({ url: f.url, title: f.feed.title, type: f.type }));
  const chosen = feeds.length === 1 ? { url: feeds[0]!.url, feed: feeds[0]!.feed } : null;
  return { kind: 'page', candidates, chosen };
}
