// The feed fetch's HTTP port: headless, undici's request() must answer a feed fetch exactly as
// Node's fetch did (statuses, headers, decoded bodies, failures), and a body left unread must
// end quietly.
import { deflateRawSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchFeed } from '../../../main/core/feeds/fetch';
import { headlessGet, undiciGet } from '../../../main/core/feeds/http-get';
import { FeedError, type FetchResult } from '../../../main/core/feeds/types';
import { rssDocument, startFeedServer, type FeedServer } from '../../support/feed-server';

const FEED = rssDocument({ items: [{ title: 'Café – one', link: 'https://example.com/1' }] });
const opts = { timeoutMs: 5000, maxBytes: 1024 * 1024 };
const text = (result: FetchResult): string => (result.kind === 'ok' ? Buffer.from(result.body).toString('utf8') : `(${result.kind})`);
/** What a fetch comes to, minus what differs by nature (the body's buffer). */
const outcome = (result: FetchResult): unknown => (result.kind === 'ok' ? { ...result, body: text(result) } : result);

let server: FeedServer;
beforeAll(async () => {
  server = await startFeedServer({
    '/plain': { body: FEED, etag: '"v1"', lastModified: 'Tue, 01 Dec 2026 10:00:00 GMT' },
    '/gzip': { body: FEED, encoding: 'gzip' },
    '/deflate': { body: FEED, encoding: 'deflate' },
    '/br': { body: FEED, encoding: 'br' },
    '/raw-deflate': { handler: (_req, res) => { res.writeHead(200, { 'Content-Encoding': 'deflate' }); res.end(deflateRawSync(Buffer.from(FEED))); } },
    '/gzip-twice': { handler: (_req, res) => { res.writeHead(200, { 'Content-Encoding': 'gzip, gzip' }); res.end(gzipSync(gzipSync(Buffer.from(FEED)))); } },
    '/unknown-coding': { handler: (_req, res) => { res.writeHead(200, { 'Content-Encoding': 'x-custom' }); res.end(FEED); } },
    '/moved': { redirect: { to: '/plain', status: 301 } },
    '/gone': { status: 410, body: 'gone' },
    '/six-codings': { handler: (_req, res) => { res.writeHead(200, { 'Content-Encoding': 'gzip, gzip, gzip, gzip, gzip, gzip' }); res.end(FEED); } },
    '/broken-gzip': { handler: (_req, res) => { res.writeHead(200, { 'Content-Encoding': 'gzip' }); res.end(Buffer.from('not gzip at all')); } },
  });
});
afterAll(async () => { await server.close(); });

describe('undici as the headless client', () => {
  it('decodes gzip, deflate with and without its zlib wrapper, brotli, and two codings in a row', async () => {
    for (const path of ['/gzip', '/deflate', '/raw-deflate', '/br', '/gzip-twice']) {
      expect(text(await fetchFeed(server.url(path), opts)), path).toBe(FEED);
    }
  });

  it('leaves a body in a coding it cannot undo as it was sent, as fetch does', async () => {
    expect(text(await fetchFeed(server.url('/unknown-coding'), opts))).toBe(FEED);
  });

  it('comes to what Node’s fetch comes to: 200s, 304s, redirects and HTTP errors', async () => {
    const viaFetch = { ...opts, fetch: globalThis.fetch };
    const validators = { etag: '"v1"', lastModified: null };
    for (const [path, extra] of [['/plain', {}], ['/plain', { validators }], ['/moved', {}], ['/moved', { validators }], ['/gzip', {}]] as const) {
      expect(outcome(await fetchFeed(server.url(path), { ...opts, ...extra })), path).toEqual(outcome(await fetchFeed(server.url(path), { ...viaFetch, ...extra })));
    }
    const [mine, theirs] = await Promise.all([fetchFeed(server.url('/gone'), opts), fetchFeed(server.url('/gone'), viaFetch)].map((p) => p.catch((e: unknown) => e)));
    expect(mine).toBeInstanceOf(FeedError);
    expect(mine).toEqual(theirs);
  });

  it('reports a body that does not decode as a network failure with one line', async () => {
    const err = await fetchFeed(server.url('/broken-gzip'), opts).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'network' });
    expect((err as Error).message.split('\n')).toHaveLength(1);
  });

  it('maps a failed name lookup to a dns error, with no traffic leaving the machine', async () => {
    const http = undiciGet({
      lookup: (hostname, _options, callback) => callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), ''),
    });
    const err = await fetchFeed('https://feeds.invalid/rss', { ...opts, http }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'dns', message: 'could not find the server feeds.invalid (DNS lookup failed)' });
  });

  it('ends a body over the cap quietly: the next fetch of the same server still answers', async () => {
    server.route('/endless', { body: 'z'.repeat(3 * 1024 * 1024), trickle: { chunkBytes: 128 * 1024, intervalMs: 1 } });
    for (let i = 0; i < 3; i++) {
      expect(await fetchFeed(server.url('/endless'), opts).catch((e: unknown) => e)).toMatchObject({ kind: 'too-large' });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(text(await fetchFeed(server.url('/plain'), opts))).toBe(FEED);
  });

  it('refuses a body in more than five codings, as fetch does', async () => {
    const err = await fetchFeed(server.url('/six-codings'), opts).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'network', message: expect.stringContaining('too many content-encodings') as unknown });
  });
});

describe('the headless client', () => {
  it('is Node’s fetch when NODE_USE_ENV_PROXY asks it to honour HTTP_PROXY, and undici otherwise', async () => {
    const asked: string[] = [];
    const fetch = ((input: string | URL | Request) => {
      asked.push(String(input));
      return Promise.resolve(new Response(FEED, { status: 200 }));
    }) as typeof globalThis.fetch;
    const viaProxy = headlessGet({ NODE_USE_ENV_PROXY: '1', HTTP_PROXY: 'http://proxy.invalid:3128' }, fetch);
    expect(text(await fetchFeed('http://feeds.example/rss', { ...opts, http: viaProxy }))).toBe(FEED);
    expect(asked).toEqual(['http://feeds.example/rss']);
    const direct = headlessGet({ HTTP_PROXY: 'http://proxy.invalid:3128' }, fetch);
    expect(text(await fetchFeed(server.url('/plain'), { ...opts, http: direct }))).toBe(FEED);
    expect(asked).toHaveLength(1);
  });
});
