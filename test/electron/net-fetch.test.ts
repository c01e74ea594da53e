import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { net as electronNet } from 'electron';
import { createNetFetch } from '../../main/electron/net-fetch';
import { net, resetElectronMock } from '../mocks/electron';

/** Enough of Electron's ClientRequest for the adapter; the test plays Chromium's part. */
class FakeClientRequest extends EventEmitter {
  readonly headers: Record<string, string> = {};
  readonly written: Buffer[] = [];
  ended = false;
  aborted = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
  }
  setHeader(name: string, value: string): void {
    this.headers[name.toLowerCase()] = value;
  }
  write(chunk: Buffer): void {
    this.written.push(chunk);
  }
  end(): void {
    this.ended = true;
  }
  abort(): void {
    this.aborted = true;
  }
  /** Like Electron: a 'redirect' nobody follows and nobody aborts fails the request. */
  redirect(status: number, url: string, headers: Record<string, string[]>): void {
    this.emit('redirect', status, 'GET', url, headers);
    if (!this.aborted) this.emit('error', new Error('Redirect was cancelled'));
  }
  respond(status: number, headers: Record<string, string | string[]>, body = ''): void {
    const res = Object.assign(Readable.from(body ? [Buffer.from(body)] : []), { statusCode: status, statusMessage: 'OK', headers });
    this.emit('response', res);
  }
}

let requests: FakeClientRequest[];
beforeEach(() => {
  resetElectronMock();
  requests = [];
  net.request.mockImplementation((options: unknown) => {
    const req = new FakeClientRequest(options as Record<string, unknown>);
    requests.push(req);
    return req;
  });
});

const fetchPort = () => createNetFetch(electronNet);
const feedInit = (extra: RequestInit = {}): RequestInit => ({
  headers: { 'User-Agent': 'Crier', 'If-None-Match': '"v1"', 'Accept-Encoding': 'gzip, deflate, br' },
  redirect: 'manual', cache: 'no-store', ...extra,
});

describe('the net.fetch adapter', () => {
  it('asks Chromium for a manual, uncached, cookie-less request with the caller\'s headers', async () => {
    const pending = fetchPort()('https://example.com/feed.xml', feedInit());
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    const req = requests[0]!;
    expect(req.options).toMatchObject({ method: 'GET', url: 'https://example.com/feed.xml', redirect: 'manual', cache: 'no-store', credentials: 'omit', useSessionCookies: false });
    expect(req.headers).toMatchObject({ 'user-agent': 'Crier', 'if-none-match': '"v1"' });
    expect(req.ended).toBe(true);
    req.respond(200, { 'content-type': 'application/rss+xml', etag: '"v2"' }, '<rss/>');
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"v2"');
    expect(await res.text()).toBe('<rss/>');
  });

  it('leaves Accept-Encoding to Chromium, which only then decompresses the body itself', async () => {
    const pending = fetchPort()('https://example.com/feed.xml', feedInit());
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]!.headers).not.toHaveProperty('accept-encoding');
    requests[0]!.respond(200, {}, 'x');
    await pending;
  });

  it('answers a redirect with the 3xx and its Location instead of failing, and drops the request', async () => {
    const pending = fetchPort()('https://example.com/old.xml', feedInit());
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    requests[0]!.redirect(301, 'https://example.com/new.xml', { location: ['/new.xml'] });
    const res = await pending;
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/new.xml');
    expect(requests[0]!.aborted).toBe(true);
  });

  it('fills in Location from the redirect URL when the headers lack it', async () => {
    const pending = fetchPort()('https://example.com/old.xml', feedInit());
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    requests[0]!.redirect(302, 'https://example.com/elsewhere.xml', {});
    expect((await pending).headers.get('location')).toBe('https://example.com/elsewhere.xml');
  });

  it('gives a 304 with no body', async () => {
    const pending = fetchPort()('https://example.com/feed.xml', feedInit());
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    requests[0]!.respond(304, { etag: '"v1"' });
    const res = await pending;
    expect(res.status).toBe(304);
    expect(res.body).toBeNull();
  });

  it('rejects with a TypeError carrying the network error, as fetch does', async () => {
    const pending = fetchPort()('https://nowhere.example/feed.xml', feedInit());
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    requests[0]!.emit('error', new Error('net::ERR_NAME_NOT_RESOLVED'));
    await expect(pending).rejects.toMatchObject({ name: 'TypeError', cause: { message: 'net::ERR_NAME_NOT_RESOLVED' } });
  });

  it('aborts the request when the caller\'s signal fires', async () => {
    const controller = new AbortController();
    const pending = fetchPort()('https://slow.example/feed.xml', feedInit({ signal: controller.signal }));
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(requests[0]!.aborted).toBe(true);
  });

  it('sends other redirect modes through net.fetch, uncached and without Accept-Encoding', async () => {
    net.fetch.mockResolvedValue(new Response('ok'));
    await fetchPort()('https://example.com/x', { headers: { 'Accept-Encoding': 'gzip', Accept: 'text/xml' } });
    const sent = net.fetch.mock.calls[0]![0] as Request;
    expect(sent.cache).toBe('no-store');
    expect(sent.headers.get('accept')).toBe('text/xml');
    expect(sent.headers.has('accept-encoding')).toBe(false);
    expect(net.request).not.toHaveBeenCalled();
  });
});
