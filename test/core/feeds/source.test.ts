import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeedParser } from '../../../main/core/feeds/executor';
import { loadFeedSource } from '../../../main/core/feeds/source';
import { FeedError, type FeedParser } from '../../../main/core/feeds/types';
import { rssDocument, startFeedServer, type FeedServer } from '../../support/feed-server';

const FEED = rssDocument({ title: 'Source test', items: [{ title: 'Relative', link: '/posts/1' }] });
let dir: string;
let server: FeedServer;
let parser: FeedParser;
const opts = (): { parser: FeedParser; timeoutMs: number; maxBytes: number } => ({ parser, timeoutMs: 5000, maxBytes: 1024 * 1024 });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crier-source-'));
  await writeFile(join(dir, 'feed.xml'), FEED);
  server = await startFeedServer();
  parser = createFeedParser({ inlineBelowBytes: 0 });
});
afterAll(async () => {
  await parser.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('loadFeedSource', () => {
  it('reads a local file by path', async () => {
    const feed = await loadFeedSource(join(dir, 'feed.xml'), opts());
    expect(feed.title).toBe('Source test');
    // A relative link in a local file resolves to file:, which is not a web link.
    expect(feed.items[0]!.link).toBeNull();
  });

  it('reads a local file by file:// URL', async () => {
    const feed = await loadFeedSource(pathToFileURL(join(dir, 'feed.xml')).href, opts());
    expect(feed.items[0]!.title).toBe('Relative');
  });

  it('says clearly when the file does not exist', async () => {
    const err = await loadFeedSource(join(dir, 'missing.xml'), opts()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedError);
    expect(err).toMatchObject({ kind: 'file', message: `no such file: ${join(dir, 'missing.xml')}` });
  });

  it.each(['javascript:alert(1)', 'data:text/xml,<rss/>', 'ftp://example.com/feed.xml'])('refuses %s as neither a web URL nor a local file', async (source) => {
    const err = await loadFeedSource(source, opts()).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'invalid-url', message: `only http, https and local files can be read, not ${source.split(':')[0]}:` });
  });

  it('fetches a URL and resolves relative links against the final URL', async () => {
    server.route('/moved', { redirect: { to: '/blog/feed.xml', status: 301 } });
    server.route('/blog/feed.xml', { body: FEED });
    const feed = await loadFeedSource(server.url('/moved'), opts());
    expect(feed.items[0]!.link).toBe(server.url('/posts/1'));
  });

  it('decodes a served feed whose charset is only in the XML prolog', async () => {
    const xml = '<?xml version="1.0" encoding="windows-1252"?><rss version="2.0"><channel><title>Café “Noir”</title><item><title>Über</title></item></channel></rss>';
    server.route('/cp1252', { body: new Uint8Array(iconv.encode(xml, 'windows-1252')), contentType: 'application/xml' });
    const feed = await loadFeedSource(server.url('/cp1252'), opts());
    expect(feed.title).toBe('Café “Noir”');
  });

  it('decodes a served feed whose Content-Type charset is wrong', async () => {
    const xml = '<rss version="2.0"><channel><title>Zoë’s naïve café</title></channel></rss>';
    server.route('/mislabelled', { body: xml, contentType: 'text/xml; charset=iso-8859-1' });
    expect((await loadFeedSource(server.url('/mislabelled'), opts())).title).toBe('Zoë’s naïve café');
  });

  it('decodes a served feed with no Content-Type at all', async () => {
    server.route('/no-type', { body: rssDocument({ title: 'Ελληνικά', items: [] }), contentType: null });
    expect((await loadFeedSource(server.url('/no-type'), opts())).title).toBe('Ελληνικά');
  });

  it('reports an HTML page served instead of a feed', async () => {
    server.route('/page', { body: '<!doctype html><html><body>Welcome</body></html>', contentType: 'text/html' });
    await expect(loadFeedSource(server.url('/page'), opts())).rejects.toMatchObject({ kind: 'not-a-feed' });
  });

  it('reads a gzip-compressed feed', async () => {
    server.route('/gz', { body: FEED, encoding: 'gzip' });
    expect((await loadFeedSource(server.url('/gz'), opts())).title).toBe('Source test');
  });

  it('refuses schemes other than http, https and file', async () => {
    await expect(loadFeedSource('ftp://example.com/feed.xml', opts())).rejects.toMatchObject({ kind: 'invalid-url' });
  });

  it('refuses a local file over the size cap', async () => {
    await writeFile(join(dir, 'big.xml'), 'x'.repeat(2048));
    await expect(loadFeedSource(join(dir, 'big.xml'), { ...opts(), maxBytes: 1024 })).rejects.toMatchObject({ kind: 'too-large' });
  });
});
