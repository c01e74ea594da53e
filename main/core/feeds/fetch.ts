// One feed fetch: conditional GET, manual redirects (at most 5, http(s) only), one deadline for
// the whole exchange body included, a cap on the decoded bytes as they stream, and every failure
// mapped to a FeedError with a kind and a one-line message. The HTTP client is a port
// (http-get.ts): undici's request() headless, Electron's net.fetch in the desktop app.
import { USER_AGENT } from '../../version';
import { fetchGet, headlessGet, type HttpAnswer, type HttpGet } from './http-get';
import { FeedError, type FetchOptions, type FetchResult, type Validators } from './types';

export const MAX_REDIRECTS = 5;
const ACCEPT = 'application/rss+xml, application/atom+xml, application/rdf+xml, application/feed+json, '
  + 'application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5';

function parseHttpUrl(raw: string, base?: string): URL {
  let url: URL;
  try {
    url = base === undefined ? new URL(raw) : new URL(raw, base);
  } catch {
    throw new FeedError('invalid-url', `not a valid URL: ${raw.slice(0, 200)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FeedError('invalid-url', `only http and https feeds can be fetched, not ${url.protocol}`);
  }
  return url;
}

/** A Location header → the next URL; a refusal names the redirect, not the feed's own address. */
function redirectTarget(location: string, from: string): URL {
  const shown = location.slice(0, 200);
  let url: URL;
  try {
    url = new URL(location, from);
  } catch {
    throw new FeedError('invalid-url', `the server redirected to an invalid URL: ${shown}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FeedError('invalid-url', `the server redirected to ${url.protocol} (${shown}); only http and https are followed`);
  }
  return url;
}

export function formatMegabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : Number(mb.toFixed(2))} MB`;
}

/** Every cause in an error chain, outermost first (undici nests the real reason). */
function causes(err: unknown): unknown[] {
  const out: unknown[] = [];
  let cur: unknown = err;
  while (cur !== undefined && cur !== null && out.length < 8) {
    out.push(cur);
    if (cur instanceof AggregateError) out.push(...cur.errors);
    cur = (cur as { cause?: unknown }).cause;
  }
  return out;
}

function errorCode(err: unknown): string {
  for (const c of causes(err)) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET' && code !== 'ABORT_ERR') return code;
  }
  return '';
}

/** Node / undici / Chromium network failures → FeedError. */
export function networkError(err: unknown, url: URL): FeedError {
  if (err instanceof FeedError) return err;
  const code = errorCode(err);
  const text = causes(err).map((c) => (c instanceof Error ? c.message : '')).join(' ');
  const host = url.host;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || /ERR_NAME_NOT_RESOLVED/.test(text)) {
    return new FeedError('dns', `could not find the server ${url.hostname} (DNS lookup failed)`);
  }
  if (code === 'ECONNREFUSED' || /ERR_CONNECTION_REFUSED/.test(text)) return new FeedError('refused', `connection refused by ${host}`);
  if (/CERT|SSL|TLS|ERR_TLS|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/i.test(code) || /ERR_CERT|ERR_SSL/.test(text)) {
    return new FeedError('tls', `secure connection to ${host} failed: ${code || 'certificate problem'}`);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED') return new FeedError('network', `the connection to ${host} was reset`);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new FeedError('network', `cannot reach ${host} (${code})`);
  const first = causes(err).at(-1);
  const detail = first instanceof Error ? first.message : String(first);
  return new FeedError('network', `could not fetch ${host}: ${detail.split('\n')[0]!.slice(0, 160)}`);
}

async function readCapped(res: HttpAnswer, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = (): FeedError => new FeedError('too-large', `feed too large: over ${formatMegabytes(maxBytes)}`);
  // Content-Length counts encoded bytes, a lower bound on what decodes: safe to refuse early.
  const declared = Number(res.header('content-length'));
  const encoded = res.header('content-encoding');
  if ((!encoded || encoded === 'identity') && Number.isFinite(declared) && declared > maxBytes) {
    await res.discard();
    throw tooLarge();
  }
  if (!res.body) return new Uint8Array(0);
  // With the size known, each chunk is copied into place as it arrives, so a big feed is never
  // joined in one long copy on the event loop; the rest are joined a slice per turn (joinChunks).
  let body = (!encoded || encoded === 'identity') && Number.isSafeInteger(declared) && declared > 0 ? new Uint8Array(declared) : null;
  const chunks: Uint8Array[] = [];
  let total = 0;
  let sinceTurn = 0;
  // Leaving the loop early (a body over the cap) ends the stream, and with it the download.
  for await (const value of res.body) {
    // Chunks the stream already holds are read on microtasks, all in one turn of the event loop:
    // a 25 MB body that arrived while the loop was busy was copied in one stretch of tens of ms
    // (the longest block of a big feed's poll, by its CPU profile). A turn is let through after
    // every COPY_SLICE bytes: with 256 KB the bench's longest block while a 25 MB feed is polled
    // went from 35–45 ms to 7–14 ms, 1 MB left 18–28 ms (bench/big-feed-probe.mjs, same load).
    if (sinceTurn >= COPY_SLICE) {
      await nextTurn();
      sinceTurn = 0;
    }
    sinceTurn += value.byteLength;
    if (total + value.byteLength > maxBytes) throw tooLarge();
    if (body && total + value.byteLength <= body.byteLength) {
      body.set(value, total);
    } else {
      if (body) chunks.push(body.subarray(0, total));
      body = null;
      chunks.push(value);
    }
    total += value.byteLength;
  }
  if (body) return total === body.byteLength ? body : body.slice(0, total);
  return joinChunks(chunks, total);
}

/** The most of a body read in one turn of the event loop. */
const COPY_SLICE = 256 * 1024;
const JOIN_SLICE = 4 * 1024 * 1024;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** One buffer of `chunks`, copied with a turn of the event loop after every JOIN_SLICE bytes. */
async function joinChunks(chunks: readonly Uint8Array[], total: number): Promise<Uint8Array> {
  const body = new Uint8Array(total);
  let offset = 0;
  let sinceTurn = 0;
  for (const chunk of chunks) {
    if (sinceTurn >= JOIN_SLICE) {
      await nextTurn();
      sinceTurn = 0;
    }
    body.set(chunk, offset);
    offset += chunk.byteLength;
    sinceTurn += chunk.byteLength;
  }
  return body;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** The headless client, one pool of connections for every feed (http-get.ts). */
let headless: HttpGet | null = null;

export async function fetchFeed(url: string, options: FetchOptions): Promise<FetchResult> {
  let current = parseHttpUrl(url);
  const get = options.http ?? (options.fetch ? fetchGet(options.fetch) : (headless ??= headlessGet()));
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  const headers: Record<string, string> = {
    'User-Agent': options.userAgent ?? USER_AGENT,
    Accept: ACCEPT,
    'Accept-Encoding': 'gzip, deflate, br',
  };
  if (options.validators?.etag) headers['If-None-Match'] = options.validators.etag;
  if (options.validators?.lastModified) headers['If-Modified-Since'] = options.validators.lastModified;

  const visited = new Set<string>([current.href]);
  let allPermanent = true;
  let redirects = 0;
  try {
    for (;;) {
      let res: HttpAnswer;
      try {
        res = await get(current.href, { headers, signal: controller.signal });
      } catch (err) {
        throw timedOut ? timeoutError(options.timeoutMs) : networkError(err, current);
      }
      const permanentRedirect = (): string | null => (redirects > 0 && allPermanent ? current.href : null);
      if (REDIRECTS.has(res.status)) {
        const location = res.header('location');
        await res.discard();
        if (!location) throw new FeedError('http-status', `HTTP ${res.status} redirect without a Location header`, res.status);
        if (redirects >= MAX_REDIRECTS) throw new FeedError('redirects', `too many redirects (more than ${MAX_REDIRECTS})`);
        const next = redirectTarget(location, current.href);
        if (visited.has(next.href)) throw new FeedError('redirects', `redirect loop at ${next.href.slice(0, 200)}`);
        visited.add(next.href);
        if (res.status !== 301 && res.status !== 308) allPermanent = false;
        redirects++;
        current = next;
        continue;
      }
      if (res.status === 304) {
        await res.discard();
        return { kind: 'not-modified', status: 304, finalUrl: current.href, permanentRedirect: permanentRedirect() };
      }
      if (res.status >= 400 || res.status < 200 || res.status >= 300) {
        await res.discard();
        const reason = res.statusText ? ` ${res.statusText}` : '';
        throw new FeedError('http-status', `HTTP ${res.status}${reason} from ${current.host}`, res.status);
      }
      let body: Uint8Array;
      try {
        body = await readCapped(res, options.maxBytes);
      } catch (err) {
        if (err instanceof FeedError) throw err;
        throw timedOut ? timeoutError(options.timeoutMs) : networkError(err, current);
      }
      const validators: Validators = { etag: res.header('etag'), lastModified: res.header('last-modified') };
      return {
        kind: 'ok', status: res.status, body, contentType: res.header('content-type'),
        finalUrl: current.href, permanentRedirect: permanentRedirect(), validators,
      };
    }
  } finally {
    clearTimeout(timer);
  }
}

function timeoutError(ms: number): FeedError {
  const seconds = ms >= 1000 ? `${Number((ms / 1000).toFixed(1))} s` : `${ms} ms`;
  return new FeedError('timeout', `timed out after ${seconds}`);
}
