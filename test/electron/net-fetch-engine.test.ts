// The engine's own fetchFeed through the net adapter, against a real loopback server. Chromium is
// played by node:http behaving like Electron's ClientRequest: with redirect 'manual' a 3xx is a
// 'redirect' event (failing the request unless someone follows or aborts), anything else a
// 'response'.
import { EventEmitter } from 'node:events';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { net as electronNet } from 'electron';
import { fetchFeed } from '../../main/core/feeds/fetch';
import { createNetFetch } from '../../main/electron/net-fetch';
import { rssDocument, startFeedServer, type FeedServer } from '../support/feed-server';
import { net, resetElectronMock } from '../mocks/electron';

class ChromiumStandIn extends EventEmitter {
  private readonly headers: Record<string, string> = {};
  private aborted = false;
  constructor(private readonly options: { method: string; url: string; redirect: string }) {
    super();
  }
  setHeader(name: string, value: string): void {
    this.headers[name] = value;
  }
  write(): void {}
  abort(): void {
    this.aborted = true;
  }
  end(): void {
    const req = httpRequest(this.options.url, { method: this.options.method, headers: this.headers }, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status >= 300 && status < 400 && location && this.options.redirect === 'manual') {
        const raw: Record<string, string[]> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) raw[k] = Array.isArray(v) ? v : [v];
        res.resume();
        this.emit('redirect', status, this.options.method, new URL(location, this.options.url).href, raw);
        if (!this.aborted) this.emit('error', new Error('Redirect was cancelled'));
        return;
      }
      this.emit('response', res);
    });
    req.on('error', (err) => this.emit('error', err));
    req.end();
  }
}

let server: FeedServer;
const feed = rssDocument({ title: 'Moved', items: [{ title: 'One', link: 'https://example.com/1' }] });

beforeAll(async () => {
  server = await startFeedServer({
    '/old.xml': { redirect: { to: '/new.xml', status: 301 } },
    '/new.xml': { body: feed, etag: '"v1"' },
  });
});
afterAll(() => server.close());
beforeEach(() => {
  resetElectronMock();
  net.request.mockImplementation((options: unknown) => new ChromiumStandIn(options as { method: string; url: string; redirect: string }));
});

const options = (extra = {}) => ({ timeoutMs: 5_000, maxBytes: 1024 * 1024, fetch: createNetFetch(electronNet), ...extra });

describe('fetchFeed over the net adapter', () => {
  it('follows a permanent redirect itself and reports the feed moved', async () => {
    const result = await fetchFeed(server.url('/old.xml'), options());
    expect(result).toMatchObject({ kind: 'ok', status: 200, finalUrl: server.url('/new.xml'), permanentRedirect: server.url('/new.xml') });
    expect(new TextDecoder().decode((result as { body: Uint8Array }).body)).toContain('<title>Moved</title>');
  });

  it('gets a 304 for a matching ETag, not a cached 200', async () => {
    const result = await fetchFeed(server.url('/new.xml'), options({ validators: { etag: '"v1"', lastModified: null } }));
    expect(result).toMatchObject({ kind: 'not-modified', status: 304 });
    expect(server.requestsTo('/new.xml').at(-1)?.headers['if-none-match']).toBe('"v1"');
  });
});
