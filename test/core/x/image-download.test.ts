import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isLoopback, type Resolver } from '../../../main/core/net/address-guard';
import {
  connectDirect, downloadImage, ImageDownloadError, type ConnectTarget, type Connector, type ImageDownloadOptions,
} from '../../../main/core/x/image-download';
import { startFeedServer, type FeedServer } from '../../support/feed-server';
import { testTls } from '../../support/tls';
import { PNG } from '../../support/client-test-kit';

/** Test names → addresses, without DNS. Every other name is unknown. */
const DNS: Record<string, string[]> = {
  'loop.test': ['127.0.0.1'],
  'private.test': ['10.0.0.1'],
  'metadata.test': ['169.254.169.254'],
  'ula.test': ['fd00::1'],
  'mapped.test': ['::ffff:10.0.0.1'],
  'cgnat.test': ['100.64.1.1'],
  'mixed.test': ['93.184.215.14', '192.168.1.10'],
};

let asked: string[] = [];
const resolve: Resolver = async (hostname) => {
  asked.push(hostname);
  return (DNS[hostname] ?? []).map((address): LookupAddress => ({ address, family: isIP(address) }));
};

/**
 * Records every connection attempt, and dials only loopback: if the guard ever let a
 * non-loopback address through, the test fails here instead of sending a packet.
 */
let dialled: ConnectTarget[] = [];
const connect: Connector = (target) => {
  dialled.push(target);
  const stray = target.addresses.find((a) => !isLoopback(a.address));
  if (stray) throw new Error(`the test would have dialled ${stray.address}`);
  return connectDirect(target);
};

let server: FeedServer;

const download = (url: string, overrides: Partial<ImageDownloadOptions> = {}) =>
  downloadImage(url, { timeoutMs: 5_000, allowLoopback: true, resolve, connect, ...overrides });

async function refusal(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ImageDownloadError);
  return (err as Error).message;
}

beforeAll(async () => {
  server = await startFeedServer({
    '/pic.png': { body: PNG, contentType: 'image/png' },
    '/page.html': { body: '<html>not an image</html>', contentType: 'image/png' },
    '/huge.png': { body: Buffer.concat([PNG, Buffer.alloc(64 * 1024)]), contentType: 'image/png' },
    '/to-metadata': { redirect: { to: 'http://169.254.169.254/latest/meta-data/' } },
    '/to-mapped-metadata': { redirect: { to: 'http://[::ffff:169.254.169.254]/latest/meta-data/', status: 307 } },
    '/to-file': { redirect: { to: 'file:///etc/passwd' } },
    '/loop': { redirect: { to: '/loop' } },
    '/silent.png': { body: PNG, contentType: 'image/png', delayMs: 600_000 },
    '/trickle.png': { body: PNG, contentType: 'image/png', trickle: { chunkBytes: 8, intervalMs: 600_000 } },
  });
  const port = new URL(server.origin).port;
  server.route('/to-private-name', { redirect: { to: `http://private.test:${port}/pic.png`, status: 301 } });
  server.route('/to-loop-name', { redirect: { to: `http://loop.test:${port}/pic.png` } });
});

afterAll(() => server.close());

beforeEach(() => {
  asked = [];
  dialled = [];
  server.requests.length = 0;
});

describe('downloadImage on loopback (allowed by the engine option)', () => {
  it('downloads an image from 127.0.0.1', async () => {
    const image = await download(server.url('/pic.png'));
    expect(image.mediaType).toBe('image/png');
    expect(image.bytes.equals(PNG)).toBe(true);
    expect(dialled.map((t) => t.host)).toEqual(['127.0.0.1']);
  });

  it('downloads through a name the resolver maps to loopback, following a redirect to it', async () => {
    const image = await download(server.url('/to-loop-name'));
    expect(image.bytes.equals(PNG)).toBe(true);
    expect(asked).toEqual(['loop.test']);
    expect(dialled.map((t) => t.host)).toEqual(['127.0.0.1', 'loop.test']);
    expect(dialled[1]?.addresses).toEqual([{ address: '127.0.0.1', family: 4 }]);
  });

  it('keeps the limits: HTTP errors, non-images and oversized images are refused with a reason', async () => {
    expect(await refusal(download(server.url('/gone.png')))).toBe('the image server answered HTTP 404');
    expect(await refusal(download(server.url('/page.html')))).toBe('the file is not a JPEG, PNG, GIF or WebP image');
    expect(await refusal(download(server.url('/huge.png'), { maxBytes: 1024 }))).toBe('the image is larger than 1024 bytes');
  });

  it('gives up on a server that never answers, or stalls mid-image, once the deadline passes', async () => {
    expect(await refusal(download(server.url('/silent.png'), { timeoutMs: 100 }))).toBe('the image download took longer than 100 ms');
    expect(await refusal(download(server.url('/trickle.png'), { timeoutMs: 100 }))).toBe('the image download took longer than 100 ms');
  });

  it('sends no cookies or credentials, just a plain GET', async () => {
    await download(server.url('/pic.png'));
    const [request] = server.requests;
    expect(request?.method).toBe('GET');
    expect(Object.keys(request?.headers ?? {}).sort()).toEqual(['accept', 'connection', 'host', 'user-agent']);
  });
});

describe('downloadImage refuses non-public addresses before any connection', () => {
  it('refuses loopback unless the engine option allows it', async () => {
    for (const url of [server.url('/pic.png'), 'http://loop.test/pic.png', 'http://[::1]/pic.png', 'http://0x7f.1/pic.png', 'http://2130706433/pic.png']) {
      expect(await refusal(download(url, { allowLoopback: false }))).toMatch(/a loopback address; only public addresses are fetched$/);
    }
    expect(dialled).toEqual([]);
    expect(server.requests).toEqual([]);
  });

  it.each([
    ['private.test', '10.0.0.1', 'a private address'],
    ['metadata.test', '169.254.169.254', 'a link-local address (where cloud metadata services live)'],
    ['ula.test', 'fd00::1', 'a private (unique local) address'],
    ['mapped.test', '::ffff:10.0.0.1', 'a private address'],
    ['cgnat.test', '100.64.1.1', 'a carrier-grade NAT address'],
    ['mixed.test', '192.168.1.10', 'a private address'],
  ])('refuses %s, which resolves to %s, even with loopback allowed', async (host, address, range) => {
    const message = await refusal(download(`http://${host}/latest/meta-data/`));
    expect(message).toBe(`the image was not fetched: ${host} resolves to ${address}, ${range}; only public addresses are fetched`);
    expect(asked).toEqual([host]);
    expect(dialled).toEqual([]);
  });

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'https://10.0.0.1/pic.png',
    'http://[fd00::1]/pic.png',
    'http://[::ffff:10.0.0.1]/pic.png',
    'http://[::ffff:a9fe:a9fe]/pic.png',
    'http://[fe80::1]/pic.png',
    'http://0/pic.png',
    'http://[::]/pic.png',
    'http://0251.0376.0251.0376/pic.png',
    'http://0xa9fea9fe/pic.png',
    'http://192.168.0.1./pic.png',
    'http://255.255.255.255/pic.png',
  ])('refuses the literal address in %s without asking the resolver', async (url) => {
    expect(await refusal(download(url))).toMatch(/^the image was not fetched: .* is (an?|the) [^;]+; only public addresses are fetched$/);
    expect(asked).toEqual([]);
    expect(dialled).toEqual([]);
  });

  it('refuses a redirect from an allowed loopback server to the metadata address', async () => {
    expect(await refusal(download(server.url('/to-metadata')))).toBe(
      'the image was not fetched (after a redirect): 169.254.169.254 is a link-local address (where cloud metadata services live); only public addresses are fetched',
    );
    expect(await refusal(download(server.url('/to-mapped-metadata')))).toMatch(/^the image was not fetched \(after a redirect\): ::ffff:a9fe:a9fe is a link-local/);
    expect(dialled.map((t) => t.host)).toEqual(['127.0.0.1', '127.0.0.1']);
  });

  it('refuses a redirect to a name that resolves to a private address', async () => {
    expect(await refusal(download(server.url('/to-private-name')))).toBe(
      'the image was not fetched (after a redirect): private.test resolves to 10.0.0.1, a private address; only public addresses are fetched',
    );
    expect(asked).toEqual(['private.test']);
    expect(dialled.map((t) => t.host)).toEqual(['127.0.0.1']);
  });

  it('follows only http(s) redirects, at most five', async () => {
    expect(await refusal(download(server.url('/to-file')))).toBe('the image server redirected to file: (file:///etc/passwd); only http and https are followed');
    expect(await refusal(download(server.url('/loop')))).toBe('the image server redirected more than 5 times');
    expect(server.requestsTo('/loop')).toHaveLength(6);
  });

  it('says so when the name does not resolve', async () => {
    expect(await refusal(download('http://nowhere.test/pic.png'))).toBe('could not find the image server nowhere.test (DNS lookup failed)');
    expect(dialled).toEqual([]);
  });

  it('gives up on a resolver that never answers once the deadline passes', async () => {
    const silent: Resolver = () => new Promise(() => {});
    expect(await refusal(download('http://slow.test/pic.png', { resolve: silent, timeoutMs: 50 }))).toBe('the image download took longer than 50 ms');
    expect(dialled).toEqual([]);
  });
});

describe('downloadImage over https', () => {
  let secure: FeedServer;
  let ca: string;
  beforeAll(async () => {
    const pems = await testTls();
    ca = pems.cert;
    secure = await startFeedServer({ '/pic.png': { body: PNG, contentType: 'image/png' } }, { tls: pems });
  });
  afterAll(() => secure.close());

  it('verifies the server certificate', async () => {
    expect(await refusal(download(secure.url('/pic.png')))).toMatch(/^the image could not be fetched \((SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT)\)$/);
  });

  it('downloads over TLS from a server the connector trusts', async () => {
    const trusting: Connector = (target) => {
      dialled.push(target);
      return tls.connect({ host: target.host, port: target.port, lookup: target.lookup, ca });
    };
    const image = await download(secure.url('/pic.png'), { connect: trusting });
    expect(image.bytes.equals(PNG)).toBe(true);
    expect(dialled.map((t) => t.secure)).toEqual([true]);
  });
});
