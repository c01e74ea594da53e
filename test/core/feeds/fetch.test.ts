import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transferable } from '../../../main/core/feeds/executor';
import { fetchFeed } from '../../../main/core/feeds/fetch';
import { FeedError, type FetchResult } from '../../../main/core/feeds/types';
import { USER_AGENT } from '../../../main/version';
import { rssDocument, startFeedServer, type FeedServer } from '../../support/feed-server';
import { testTls } from '../../support/tls';

const FEED = rssDocument({ items: [{ title: 'One', link: 'https://example.com/1' }] });
const opts = { timeoutMs: 5000, maxBytes: 1024 * 1024 };

async function failure(promise: Promise<unknown>): Promise<FeedError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof FeedError) return err;
    throw err;
  }
  throw new Error('expected a FeedError');
}

function ok(result: FetchResult): Extract<FetchResult, { kind: 'ok' }> {
  if (result.kind !== 'ok') throw new Error(`expected ok, got ${result.kind}`);
  return result;
}

let server: FeedServer;
beforeAll(async () => { server = await startFeedServer(); });
afterAll(async () => { await server.close(); });

describe('fetchFeed', () => {
  it('returns the body, content type and validators of a 200 and names Crier in the User-Agent', async () => {
    server.route('/plain', { body: FEED, etag: '"v1"', lastModified: 'Tue, 03 Jun 2025 09:39:21 GMT' });
    const result = ok(await fetchFeed(server.url('/plain'), opts));
    expect(new TextDecoder().decode(result.body)).toBe(FEED);
    expect(result.contentType).toBe('application/rss+xml; charset=utf-8');
    expect(result.validators).toEqual({ etag: '"v1"', lastModified: 'Tue, 03 Jun 2025 09:39:21 GMT' });
    expect(result.finalUrl).toBe(server.url('/plain'));
    expect(result.permanentRedirect).toBeNull();
    const sent = server.requestsTo('/plain')[0]!.headers;
    expect(sent['user-agent']).toBe(USER_AGENT);
    expect(sent['user-agent']).toMatch(/^Crier\//);
    expect(sent['accept-encoding']).toMatch(/gzip/);
    expect(sent['accept-encoding']).toMatch(/br/);
  });

  it('sends If-None-Match and treats a 304 as not modified', async () => {
    server.route('/etag', { body: FEED, etag: '"abc"' });
    const first = ok(await fetchFeed(server.url('/etag'), opts));
    const second = await fetchFeed(server.url('/etag'), { ...opts, validators: first.validators });
    expect(second).toEqual({ kind: 'not-modified', status: 304, finalUrl: server.url('/etag'), permanentRedirect: null });
    expect(server.requestsTo('/etag')[1]!.headers['if-none-match']).toBe('"abc"');
  });

  it('sends If-Modified-Since and treats a 304 as not modified', async () => {
    const lastModified = 'Wed, 04 Jun 2025 10:00:00 GMT';
    server.route('/lm', { body: FEED, lastModified });
    const second = await fetchFeed(server.url('/lm'), { ...opts, validators: { etag: null, lastModified } });
    expect(second.kind).toBe('not-modified');
    expect(server.requestsTo('/lm')[0]!.headers['if-modified-since']).toBe(lastModified);
  });

  it('gets the whole document again when the ETag no longer matches', async () => {
    server.route('/changed', { body: FEED, etag: '"new"' });
    const result = await fetchFeed(server.url('/changed'), { ...opts, validators: { etag: '"old"', lastModified: null } });
    expect(result.kind).toBe('ok');
  });

  it('follows redirects, records the final URL and reports a chain of permanent ones', async () => {
    server.route('/p1', { redirect: { to: '/p2', status: 301 } });
    server.route('/p2', { redirect: { to: server.url('/p3'), status: 308 } });
    server.route('/p3', { body: FEED });
    const result = ok(await fetchFeed(server.url('/p1'), opts));
    expect(result.finalUrl).toBe(server.url('/p3'));
    expect(result.permanentRedirect).toBe(server.url('/p3'));
  });

  it('does not move the feed when any redirect in the chain is temporary', async () => {
    server.route('/t1', { redirect: { to: '/t2', status: 301 } });
    server.route('/t2', { redirect: { to: '/t3', status: 302 } });
    server.route('/t3', { body: FEED });
    const result = ok(await fetchFeed(server.url('/t1'), opts));
    expect(result.finalUrl).toBe(server.url('/t3'));
    expect(result.permanentRedirect).toBeNull();
  });

  it('reports a permanent redirect on a 304 too', async () => {
    server.route('/moved-etag', { redirect: { to: '/etag-target', status: 301 } });
    server.route('/etag-target', { body: FEED, etag: '"same"' });
    const result = await fetchFeed(server.url('/moved-etag'), { ...opts, validators: { etag: '"same"', lastModified: null } });
    expect(result).toMatchObject({ kind: 'not-modified', permanentRedirect: server.url('/etag-target') });
  });

  it('follows five redirects but refuses a sixth', async () => {
    for (let i = 0; i < 6; i++) server.route(`/hop${i}`, { redirect: { to: `/hop${i + 1}` } });
    server.route('/hop6', { body: FEED });
    expect(ok(await fetchFeed(server.url('/hop1'), opts)).finalUrl).toBe(server.url('/hop6'));
    const err = await failure(fetchFeed(server.url('/hop0'), opts));
    expect(err.kind).toBe('redirects');
    expect(err.message).toMatch(/too many redirects/);
  });

  it('stops at a redirect loop', async () => {
    server.route('/loop-a', { redirect: { to: '/loop-b' } });
    server.route('/loop-b', { redirect: { to: '/loop-a' } });
    const err = await failure(fetchFeed(server.url('/loop-a'), opts));
    expect(err.kind).toBe('redirects');
    expect(err.message).toMatch(/loop/);
  });

  it('refuses a redirect to anything but http or https, saying it was the redirect', async () => {
    server.route('/to-file', { redirect: { to: 'file:///etc/passwd' } });
    const err = await failure(fetchFeed(server.url('/to-file'), opts));
    expect(err.kind).toBe('invalid-url');
    expect(err.message).toBe('the server redirected to file: (file:///etc/passwd); only http and https are followed');
  });

  it('refuses a redirect to a URL that does not parse, with one line naming it', async () => {
    server.route('/to-garbage', { redirect: { to: 'http://[::1' } });
    const err = await failure(fetchFeed(server.url('/to-garbage'), opts));
    expect(err.kind).toBe('invalid-url');
    expect(err.message).toBe('the server redirected to an invalid URL: http://[::1');
  });

  it('does not move the feed when a temporary redirect comes before a permanent one', async () => {
    server.route('/tp1', { redirect: { to: '/tp2', status: 307 } });
    server.route('/tp2', { redirect: { to: '/tp3', status: 308 } });
    server.route('/tp3', { body: FEED });
    const result = ok(await fetchFeed(server.url('/tp1'), opts));
    expect(result.finalUrl).toBe(server.url('/tp3'));
    expect(result.permanentRedirect).toBeNull();
  });

  it.each(['gzip', 'deflate', 'br'] as const)('decodes a %s-compressed body', async (encoding) => {
    server.route(`/enc-${encoding}`, { body: FEED, encoding });
    const result = ok(await fetchFeed(server.url(`/enc-${encoding}`), opts));
    expect(new TextDecoder().decode(result.body)).toBe(FEED);
  });

  it('times out when the server is slow to answer', async () => {
    server.route('/slow', { body: FEED, delayMs: 3000 });
    const started = Date.now();
    const err = await failure(fetchFeed(server.url('/slow'), { ...opts, timeoutMs: 200 }));
    expect(err.kind).toBe('timeout');
    expect(err.message).toBe('timed out after 200 ms');
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('times out when the body trickles in past the deadline', async () => {
    server.route('/trickle', { body: FEED.repeat(20), trickle: { chunkBytes: 100, intervalMs: 50 } });
    const err = await failure(fetchFeed(server.url('/trickle'), { ...opts, timeoutMs: 300 }));
    expect(err.kind).toBe('timeout');
  });

  it('refuses a body over the size cap', async () => {
    server.route('/big', { body: 'x'.repeat(2 * 1024 * 1024) });
    const err = await failure(fetchFeed(server.url('/big'), opts));
    expect(err.kind).toBe('too-large');
    expect(err.message).toBe('feed too large: over 1 MB');
  });

  it('applies the size cap to the decoded bytes of a compressed body', async () => {
    server.route('/bomb', { body: ' '.repeat(8 * 1024 * 1024), encoding: 'gzip' });
    const err = await failure(fetchFeed(server.url('/bomb'), opts));
    expect(err.kind).toBe('too-large');
  });

  it('applies the size cap to a streamed body without Content-Length', async () => {
    server.route('/stream-big', { body: 'y'.repeat(1536 * 1024), trickle: { chunkBytes: 256 * 1024, intervalMs: 1 } });
    const err = await failure(fetchFeed(server.url('/stream-big'), opts));
    expect(err.kind).toBe('too-large');
  });

  it('reports an HTTP error status with its code', async () => {
    server.route('/gone', { status: 410, body: 'gone' });
    const err = await failure(fetchFeed(server.url('/gone'), opts));
    expect(err.kind).toBe('http-status');
    expect(err.status).toBe(410);
    expect(err.message).toMatch(/^HTTP 410/);
    const missing = await failure(fetchFeed(server.url('/nothing-here'), opts));
    expect(missing.status).toBe(404);
  });

  it.each(['ftp://example.com/feed.xml', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url'])('refuses %s as an invalid URL', async (url) => {
    const err = await failure(fetchFeed(url, opts));
    expect(err.kind).toBe('invalid-url');
  });

  it('reports a refused connection', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((r) => probe.close(() => r()));
    const err = await failure(fetchFeed(`http://127.0.0.1:${port}/feed`, opts));
    expect(err.kind).toBe('refused');
    expect(err.message).toBe(`connection refused by 127.0.0.1:${port}`);
  });

  it('reports an untrusted certificate as a TLS failure', async () => {
    const tlsServer = await startFeedServer({ '/feed': { body: FEED } }, { tls: await testTls() });
    try {
      const err = await failure(fetchFeed(tlsServer.url('/feed'), opts));
      expect(err.kind).toBe('tls');
      expect(err.message.split('\n')).toHaveLength(1);
    } finally {
      await tlsServer.close();
    }
  });

  it('maps a DNS failure from the fetch port to a dns error', async () => {
    const dnsFailure: typeof fetch = () => Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND feeds.invalid'), { code: 'ENOTFOUND' }) }));
    const err = await failure(fetchFeed('https://feeds.invalid/rss', { ...opts, fetch: dnsFailure }));
    expect(err.kind).toBe('dns');
    expect(err.message).toMatch(/feeds\.invalid/);
  });

  it('uses the injected fetch, asking for manual redirects and no cache', async () => {
    const seen: RequestInit[] = [];
    const fake: typeof fetch = async (_url, init) => {
      seen.push(init ?? {});
      return new Response(FEED, { status: 200, headers: { 'content-type': 'application/xml' } });
    };
    const result = ok(await fetchFeed('https://example.com/feed', { ...opts, fetch: fake, userAgent: 'Test/1' }));
    expect(result.contentType).toBe('application/xml');
    expect(seen[0]).toMatchObject({ redirect: 'manual', cache: 'no-store' });
    expect((seen[0]!.headers as Record<string, string>)['User-Agent']).toBe('Test/1');
  });
});

describe('reading a big body', () => {
  const big = (seed: string): Uint8Array => {
    const bytes = new Uint8Array(6 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + seed.charCodeAt(i % seed.length)) & 0xff;
    return bytes;
  };
  const large = { timeoutMs: 20_000, maxBytes: 10 * 1024 * 1024 };

  it('reads a body of declared length into one buffer of that length, ready to hand over by transfer', async () => {
    const bytes = big('declared');
    server.route('/declared', { body: bytes });
    const { body } = ok(await fetchFeed(server.url('/declared'), large));
    expect(Buffer.from(body.buffer, body.byteOffset, body.byteLength).equals(bytes)).toBe(true);
    expect(transferable(body)).toBe(true);
  });

  it('reads a body the stream already holds whole across turns of the event loop, a quarter megabyte or so each', async () => {
    const bytes = big('held');
    const chunk = 64 * 1024;
    // Every chunk is queued before the first read: each read then resolves on a microtask.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += chunk) controller.enqueue(bytes.slice(at, at + chunk));
        controller.close();
      },
    });
    const held: typeof fetch = async () => new Response(stream, { status: 200, headers: { 'content-length': String(bytes.length) } });
    let turns = 0;
    let reading = true;
    const count = (): void => { if (reading) { turns += 1; setImmediate(count); } };
    setImmediate(count);
    const { body } = ok(await fetchFeed('https://example.com/held.xml', { ...large, fetch: held }));
    reading = false;
    expect(Buffer.from(body.buffer, body.byteOffset, body.byteLength).equals(bytes)).toBe(true);
    // 6 MB: a turn after every 256 KB.
    expect(turns).toBeGreaterThanOrEqual(20);
  });

  it('joins a body of unknown length, sent in many small writes, into one whole buffer', async () => {
    const bytes = big('chunked');
    server.route('/chunked', {
      handler: (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
        for (let at = 0; at < bytes.length; at += 16 * 1024) res.write(bytes.subarray(at, at + 16 * 1024));
        res.end();
      },
    });
    const { body } = ok(await fetchFeed(server.url('/chunked'), large));
    expect(Buffer.from(body.buffer, body.byteOffset, body.byteLength).equals(bytes)).toBe(true);
    expect(transferable(body)).toBe(true);
  });

  it('reads a compressed body, whose Content-Length counts the encoded bytes, whole', async () => {
    const bytes = big('gzip');
    server.route('/gzip-big', { body: bytes, encoding: 'gzip' });
    const { body } = ok(await fetchFeed(server.url('/gzip-big'), large));
    expect(Buffer.from(body.buffer, body.byteOffset, body.byteLength).equals(bytes)).toBe(true);
  });
});

