// A loopback HTTP(S) server for feed documents, configurable per route: ETag / Last-Modified
// with 304 answers, redirects, gzip / deflate / br, delayed or trickled responses, any
// Content-Type or none. Every request is recorded so tests can assert on what was sent.
// Reusable: the feeds, engine and integration suites all point their fetchers here.
import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';

export interface FeedRoute {
  /** Default 200. */
  status?: number;
  /** The body; a function is called per request (for feeds that change between polls). */
  body?: string | Uint8Array | ((req: IncomingMessage) => string | Uint8Array);
  /** Default 'application/rss+xml; charset=utf-8'; null sends no Content-Type at all. */
  contentType?: string | null;
  headers?: Record<string, string>;
  /** Sent as ETag; a request whose If-None-Match matches gets 304. */
  etag?: string;
  /** Sent as Last-Modified; a request whose If-Modified-Since equals it gets 304. */
  lastModified?: string;
  /** Answer with a redirect to `to` (absolute, or a path on this server). */
  redirect?: { to: string; status?: 301 | 302 | 303 | 307 | 308 };
  /** Compress the body with this Content-Encoding. */
  encoding?: 'gzip' | 'deflate' | 'br';
  /** Wait this long before sending the status line. */
  delayMs?: number;
  /** Send the body slowly: `chunkBytes` every `intervalMs`. */
  trickle?: { chunkBytes: number; intervalMs: number };
  /** Full control, for anything the options above do not cover. */
  handler?: (req: IncomingMessage, res: ServerResponse) => void;
}

export interface RecordedRequest { method: string; path: string; headers: IncomingHttpHeaders }

export interface FeedServer {
  /** e.g. http://127.0.0.1:40123 */
  origin: string;
  url(path: string): string;
  /** Adds or replaces a route. */
  route(path: string, route: FeedRoute): void;
  requests: RecordedRequest[];
  requestsTo(path: string): RecordedRequest[];
  close(): Promise<void>;
}

export interface FeedServerOptions {
  /** Serve HTTPS with this key and certificate (see test/support/tls.ts). */
  tls?: { key: string; cert: string };
}

function bodyBytes(route: FeedRoute, req: IncomingMessage): Buffer {
  const body = typeof route.body === 'function' ? route.body(req) : route.body ?? '';
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

function encode(bytes: Buffer, encoding: FeedRoute['encoding']): Buffer {
  if (encoding === 'gzip') return gzipSync(bytes);
  if (encoding === 'deflate') return deflateSync(bytes);
  if (encoding === 'br') return brotliCompressSync(bytes);
  return bytes;
}

export async function startFeedServer(routes: Record<string, FeedRoute> = {}, options: FeedServerOptions = {}): Promise<FeedServer> {
  const table = new Map<string, FeedRoute>(Object.entries(routes));
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const later = (fn: () => void, ms: number): void => {
    const t = setTimeout(() => { timers.delete(t); fn(); }, ms);
    timers.add(t);
  };

  const respond = (route: FeedRoute, req: IncomingMessage, res: ServerResponse): void => {
    if (route.handler) { route.handler(req, res); return; }
    if (route.redirect) {
      res.writeHead(route.redirect.status ?? 302, { Location: route.redirect.to, 'Content-Length': '0' });
      res.end();
      return;
    }
    const headers: Record<string, string> = { ...route.headers };
    if (route.contentType !== null) headers['Content-Type'] = route.contentType ?? 'application/rss+xml; charset=utf-8';
    if (route.etag) headers.ETag = route.etag;
    if (route.lastModified) headers['Last-Modified'] = route.lastModified;
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    if ((route.etag && inm === route.etag) || (route.lastModified && !route.etag && ims === route.lastModified)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const body = encode(bodyBytes(route, req), route.encoding);
    if (route.encoding) headers['Content-Encoding'] = route.encoding;
    if (!route.trickle) headers['Content-Length'] = String(body.byteLength);
    res.writeHead(route.status ?? 200, headers);
    if (!route.trickle || req.method === 'HEAD') { res.end(req.method === 'HEAD' ? undefined : body); return; }
    const { chunkBytes, intervalMs } = route.trickle;
    let offset = 0;
    const next = (): void => {
      if (res.destroyed) return;
      res.write(body.subarray(offset, offset + chunkBytes));
      offset += chunkBytes;
      if (offset >= body.byteLength) res.end();
      else later(next, intervalMs);
    };
    next();
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers });
    const route = table.get(path);
    if (!route) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    if (route.delayMs) later(() => respond(route, req, res), route.delayMs);
    else respond(route, req, res);
  };

  const server: Server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener) : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;

  return {
    origin,
    url: (path) => `${origin}${path.startsWith('/') ? path : `/${path}`}`,
    route: (path, route) => { table.set(path, route); },
    requests,
    requestsTo: (path) => requests.filter((r) => r.path === path),
    close: () => new Promise<void>((resolve) => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

// ---- small document builders, so tests state only what they are about ----

export interface RssItemSpec {
  title?: string; link?: string; guid?: string; pubDate?: string; description?: string; extra?: string;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An RSS 2.0 document; values are XML-escaped, `extra` is inserted raw into the item. */
export function rssDocument(feed: { title?: string; link?: string; items: RssItemSpec[]; namespaces?: string }): string {
  const items = feed.items.map((i) => [
    '<item>',
    i.title === undefined ? '' : `<title>${esc(i.title)}</title>`,
    i.link === undefined ? '' : `<link>${esc(i.link)}</link>`,
    i.guid === undefined ? '' : `<guid>${esc(i.guid)}</guid>`,
    i.pubDate === undefined ? '' : `<pubDate>${esc(i.pubDate)}</pubDate>`,
    i.description === undefined ? '' : `<description>${esc(i.description)}</description>`,
    i.extra ?? '',
    '</item>',
  ].join('')).join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"${feed.namespaces ? ` ${feed.namespaces}` : ''}><channel>`
    + `<title>${esc(feed.title ?? 'Test feed')}</title><link>${esc(feed.link ?? 'https://example.com/')}</link>`
    + `<description>test</description>\n${items}\n</channel></rss>\n`;
}

/** A large RSS document of `count` items, each with a ~`descriptionBytes` HTML description. */
export function largeRssDocument(count: number, descriptionBytes = 2000): string {
  const filler = '<p>Lorem ipsum dolor sit amet, <b>consectetur</b> adipiscing elit &amp; more.</p>';
  const description = esc(filler.repeat(Math.ceil(descriptionBytes / filler.length)));
  const parts: string[] = ['<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Big</title><link>https://example.com/</link><description>big</description>\n'];
  for (let i = 0; i < count; i++) {
    parts.push(`<item><title>Item ${i}</title><link>https://example.com/items/${i}</link><guid>urn:item:${i}</guid>`
      + `<pubDate>Tue, 03 Jun 2025 09:39:21 GMT</pubDate><description>${description}</description></item>\n`);
  }
  parts.push('</channel></rss>\n');
  return parts.join('');
}
