import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Feed, StateDelta, StateSnapshot } from '../../preload/contract';
import type { Logger } from '../../main/core/ports';
import { CSP } from '../../main/shell/security-headers';
import { startServer, type RunningServer } from '../../main/headless/server';
import { FakeService } from '../support/fake-service';
import { openEventStream, rawRequest, type RawRequest, type RawResponse } from '../support/http-client';

const TOKEN = 'a'.repeat(20) + 'B-_0123456789';
const auth = { Authorization: `Bearer ${TOKEN}` };

let root: string;
let staticDir: string;
let service: FakeService;
let server: RunningServer;
let logLines: { level: string; msg: string; fields?: Record<string, unknown> }[];

function recordingLogger(): Logger {
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => { logLines.push({ level, msg, fields }); };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

const call = (req: RawRequest): Promise<RawResponse> => rawRequest(server.port, req);
const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawResponse> =>
  call({ method, path, headers: { ...auth, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });

function errorOf(res: RawResponse): { code: string; message: string; field?: string } {
  return (res.json() as { error: { code: string; message: string; field?: string } }).error;
}

function expectSecurityHeaders(res: RawResponse): void {
  expect(res.headers['content-security-policy']).toBe(CSP);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'crier-server-'));
  staticDir = join(root, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'tasks.html'), '<!doctype html><title>Tasks</title><script src="tasks.js"></script>');
  writeFileSync(join(staticDir, 'tasks.js'), 'console.log(1);');
  writeFileSync(join(root, 'secret.txt'), 'outside the static root');
  symlinkSync(join(root, 'secret.txt'), join(staticDir, 'link.txt'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeEach(async () => {
  logLines = [];
  service = new FakeService({ epoch: 'ep1' });
  server = await startServer({ service, host: '127.0.0.1', port: 0, token: TOKEN, staticDir, log: recordingLogger(), keepaliveMs: 50 });
});

afterEach(async () => {
  await server.close();
});

describe('the token', () => {
  it('lets a request with the bearer token read the state', async () => {
    const res = await api('GET', '/api/state');
    expect(res.status).toBe(200);
    expect((res.json() as StateSnapshot).epoch).toBe('ep1');
    expect(res.headers['cache-control']).toBe('no-store');
    expectSecurityHeaders(res);
  });

  it('answers 401 with the JSON error shape when the token is missing or wrong', async () => {
    for (const headers of [{}, { Authorization: 'Bearer wrong-token-wrong-token' }, { Authorization: `Basic ${TOKEN}` }] as Record<string, string>[]) {
      const res = await call({ path: '/api/state', headers });
      expect(res.status).toBe(401);
      expect(errorOf(res).code).toBe('unauthorized');
      expect(errorOf(res).message).toMatch(/token/);
      expectSecurityHeaders(res);
    }
  });

  it('accepts the port-named cookie instead of the header', async () => {
    const ok = await call({ path: '/api/state', headers: { Cookie: `other=1; crier_token_${server.port}=${TOKEN}` } });
    expect(ok.status).toBe(200);
    const otherPort = await call({ path: '/api/state', headers: { Cookie: `crier_token_1=${TOKEN}` } });
    expect(otherPort.status).toBe(401);
  });

  it('trades a page URL token for an HttpOnly SameSite=Strict cookie and redirects to the URL without it', async () => {
    const res = await call({ path: `/tasks.html?view=failed&token=${TOKEN}` });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/tasks.html?view=failed');
    const cookie = res.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toContain(`crier_token_${server.port}=${TOKEN}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expectSecurityHeaders(res);
    const page = await call({ path: '/tasks.html?view=failed', headers: { Cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>Tasks</title>');
  });

  it('never redirects to another site after the exchange', async () => {
    const res = await call({ path: `/x/..//evil.example/page?token=${TOKEN}` });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/evil.example/page');
  });

  it('refuses a wrong URL token without setting a cookie', async () => {
    const res = await call({ path: '/?token=not-the-token-at-all' });
    expect(res.status).toBe(401);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('answers a page request without a token with 401', async () => {
    const res = await call({ path: '/tasks.html' });
    expect(res.status).toBe(401);
    expect(errorOf(res).message).toMatch(/URL Crier printed/);
  });

  it('never writes the token into a log line', async () => {
    await call({ path: `/?token=${TOKEN}` });
    await call({ path: '/api/state', headers: auth });
    await call({ path: '/api/state', headers: { Authorization: `Bearer ${TOKEN}x` } });
    expect(JSON.stringify(logLines)).not.toContain(TOKEN);
  });
});

describe('the Host check', () => {
  it('refuses a foreign Host with 403 even with the right token', async () => {
    const res = await call({ path: '/api/state', headers: { ...auth, Host: `evil.example:${server.port}` } });
    expect(res.status).toBe(403);
    expect(errorOf(res).code).toBe('forbidden-host');
    expectSecurityHeaders(res);
  });

  it('accepts the loopback names with the port', async () => {
    for (const host of [`localhost:${server.port}`, `[::1]:${server.port}`, `LOCALHOST:${server.port}`]) {
      expect((await call({ path: '/api/state', headers: { ...auth, Host: host } })).status).toBe(200);
    }
    expect((await call({ path: '/api/state', headers: { ...auth, Host: 'localhost' } })).status).toBe(403);
  });

  it('refuses a request from a foreign Origin', async () => {
    const res = await api('POST', '/api/pause', undefined, { Origin: 'http://evil.example' });
    expect(res.status).toBe(403);
    expect(service.paused).toBe(false);
  });
});

describe('static pages', () => {
  const cookie = (): Record<string, string> => ({ Cookie: `crier_token_${server.port}=${TOKEN}` });

  it('redirects / to the tasks page', async () => {
    const res = await call({ path: '/', headers: cookie() });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/tasks.html');
  });

  it('serves files with their content type and the security headers', async () => {
    const js = await call({ path: '/tasks.js', headers: cookie() });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expectSecurityHeaders(js);
  });

  it('never serves a file outside the static root', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%2fsecret.txt', '/..\\secret.txt',
      '/link.txt', '/tasks.html%00.js', '/%2e%2e%5csecret.txt', '/.hidden']) {
      const res = await call({ path, headers: cookie() });
      expect(res.status, path).toBe(404);
      expect(res.text).not.toContain('outside the static root');
      expectSecurityHeaders(res);
    }
  });

  it('answers 405 to a POST on a page', async () => {
    const res = await call({ method: 'POST', path: '/tasks.html', headers: cookie() });
    expect(res.status).toBe(405);
  });
});

describe('requests the server refuses', () => {
  it('answers 413 to a 5 MB body, changes nothing, and keeps answering', async () => {
    const res = await api('POST', '/api/feeds', JSON.stringify({ url: 'https://example.com/feed', name: 'x'.repeat(5 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(errorOf(res).code).toBe('payload-too-large');
    expectSecurityHeaders(res);
    expect(service.feeds.size).toBe(0);
    expect((await api('GET', '/api/state')).status).toBe(200);
  });

  it('answers 413 to a chunked body that grows past 1 MB', async () => {
    const res = await call({ method: 'POST', path: '/api/feeds', headers: { ...auth, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      body: Buffer.alloc(2 * 1024 * 1024, 0x20) });
    expect(res.status).toBe(413);
    expect((await api('GET', '/api/state')).status).toBe(200);
  });

  it('answers 415 to a body that is not JSON', async () => {
    const res = await api('POST', '/api/feeds', 'url=https://example.com/', { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
    expect(errorOf(res).code).toBe('unsupported-media-type');
    expect(service.calls).not.toContain('addFeed');
  });

  it('answers 400 to malformed JSON', async () => {
    const res = await api('POST', '/api/feeds', '{"url": "https://example.com/feed",');
    expect(res.status).toBe(400);
    expect(errorOf(res).code).toBe('malformed-json');
  });

  it('answers 400 naming the field for unknown fields and out-of-range numbers', async () => {
    const unknown = await api('POST', '/api/feeds', { url: 'https://example.com/feed', bogus: 1 });
    expect(unknown.status).toBe(400);
    expect(errorOf(unknown)).toMatchObject({ code: 'validation', field: 'bogus' });
    const range = await api('POST', '/api/feeds', { url: 'https://example.com/feed', intervalMinutes: 0 });
    expect(errorOf(range)).toMatchObject({ code: 'validation', field: 'intervalMinutes' });
    const settings = await api('PUT', '/api/settings', { dailyCap: 1e9 });
    expect(settings.status).toBe(400);
    expect(errorOf(settings).field).toBe('dailyCap');
    expect(service.feeds.size).toBe(0);
    expect(service.settings.dailyCap).toBe(50);
  });

  it('refuses javascript: and file: feed URLs', async () => {
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd']) {
      const res = await api('POST', '/api/feeds', { url });
      expect(res.status).toBe(400);
      expect(errorOf(res)).toMatchObject({ code: 'validation', field: 'url' });
    }
    const preview = await api('POST', '/api/preview', { url: 'file:///etc/passwd' });
    expect(preview.status).toBe(400);
  });

  it('answers 422 with the reason when the feed to preview cannot be read', async () => {
    const res = await api('POST', '/api/preview', { url: 'https://unreachable.example/feed.xml' });
    expect(res.status).toBe(422);
    expect(errorOf(res)).toMatchObject({ code: 'feed', field: 'url', message: expect.stringMatching(/no such host/) });
  });

  it('answers 414 to a URL longer than 2,048 characters and 431 to one beyond the header limit', async () => {
    const long = await api('GET', `/api/state?x=${'a'.repeat(2100)}`);
    expect(long.status).toBe(414);
    expectSecurityHeaders(long);
    const huge = await api('GET', `/api/state?x=${'a'.repeat(40_000)}`);
    expect(huge.status).toBe(431);
    expect(errorOf(huge).code).toBe('headers-too-large');
    expect(huge.headers['content-security-policy']).toBe(CSP);
    expect((await api('GET', '/api/state')).status).toBe(200);
  });

  it('answers unknown routes with 404 and wrong methods with 405, as JSON', async () => {
    const missing = await api('GET', '/api/nope');
    expect(missing.status).toBe(404);
    expect(errorOf(missing).code).toBe('not-found');
    const wrong = await api('GET', '/api/pause');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('POST');
  });

  it('answers 501 to account connect and disconnect without echoing the credentials', async () => {
    const creds = { appKey: 'KEY-123', appSecret: 'SECRET-456', accessToken: 'AT-789', accessSecret: 'AS-000' };
    const connect = await api('POST', '/api/account/connect', creds);
    expect(connect.status).toBe(501);
    expect(errorOf(connect).code).toBe('not-supported');
    expect(connect.text).not.toMatch(/SECRET-456|KEY-123/);
    expect((await api('POST', '/api/account/disconnect')).status).toBe(501);
  });

  it('answers 501 to opening the logs folder, since headless logs go to stderr', async () => {
    const res = await api('POST', '/api/logs/open');
    expect(res.status).toBe(501);
    expect(errorOf(res)).toMatchObject({ code: 'not-supported', message: expect.stringContaining('standard error') });
  });

  it('answers 500 with a generic message and logs the real one', async () => {
    vi.spyOn(service, 'getState').mockRejectedValueOnce(new Error('disk on fire'));
    const res = await api('GET', '/api/state');
    expect(res.status).toBe(500);
    expect(errorOf(res).code).toBe('internal');
    expect(res.text).not.toContain('disk on fire');
    expect(logLines.some((l) => l.level === 'error' && JSON.stringify(l.fields).includes('disk on fire'))).toBe(true);
  });
});

describe('commands', () => {
  it('adds a feed with 201, updates and deletes it', async () => {
    const added = await api('POST', '/api/feeds', { url: 'https://example.com/feed', name: 'Example' });
    expect(added.status).toBe(201);
    const feed = added.json() as Feed;
    expect(feed).toMatchObject({ url: 'https://example.com/feed', name: 'Example' });
    const patched = await api('PATCH', `/api/feeds/${feed.id}`, { enabled: false });
    expect((patched.json() as Feed).enabled).toBe(false);
    expect((await api('POST', `/api/feeds/${feed.id}/poll`)).status).toBe(204);
    expect((await api('DELETE', `/api/feeds/${feed.id}`)).status).toBe(204);
    expect((await api('DELETE', `/api/feeds/${feed.id}`)).status).toBe(404);
  });

  it('merges a partial settings object', async () => {
    const res = await api('PUT', '/api/settings', { dailyCap: 10 });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ dailyCap: 10, minPostGapSeconds: 60 });
  });

  it('retries and cancels tasks, and answers 409 to an action the status does not allow', async () => {
    const failed = service.putTask({ status: 'failed' });
    const pending = service.putTask({ status: 'pending' });
    const completed = service.putTask({ status: 'completed' });
    expect((await api('POST', `/api/tasks/${failed.id}/retry`)).json()).toMatchObject({ status: 'pending' });
    expect((await api('POST', `/api/tasks/${pending.id}/cancel`)).json()).toMatchObject({ status: 'cancelled' });
    expect((await api('POST', `/api/tasks/${completed.id}/retry`)).status).toBe(409);
    expect((await api('POST', '/api/tasks/no-such-task/retry')).status).toBe(404);
    expect((await api('POST', '/api/tasks/retry-failed')).json()).toEqual({ retried: 0 });
    expect((await api('POST', '/api/history/clear')).json()).toEqual({ cleared: 2 });
  });

  it('edits a task\'s text with the updatedAt the caller saw, and answers 409 when it changed meanwhile', async () => {
    const pending = service.putTask({ status: 'pending' });
    const res = await api('POST', `/api/tasks/${pending.id}/edit`, { text: 'Edited https://example.com/1', expectedUpdatedAt: pending.updatedAt });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ id: pending.id, text: 'Edited https://example.com/1', edit: { composedText: pending.text } });
    const stale = await api('POST', `/api/tasks/${pending.id}/edit`, { text: 'Again', expectedUpdatedAt: pending.updatedAt });
    expect(stale.status).toBe(409);
    expect(service.calls).toContain('editTask');
  });

  it('pauses and resumes', async () => {
    expect((await api('POST', '/api/pause')).status).toBe(204);
    expect(service.paused).toBe(true);
    expect((await api('POST', '/api/resume', {})).status).toBe(204);
    expect(service.paused).toBe(false);
  });

  it('imports OPML as XML and exports it as text/x-opml', async () => {
    const opml = '<?xml version="1.0"?><opml version="2.0"><head/><body><outline text="Folder">'
      + '<outline text="A &amp; B" xmlUrl="https://a.example/feed"/></outline></body></opml>';
    const imported = await call({ method: 'POST', path: '/api/opml', headers: { ...auth, 'Content-Type': 'text/x-opml' }, body: opml });
    expect(imported.status).toBe(200);
    expect(imported.json()).toMatchObject({ added: 1, skipped: 0 });
    const again = await call({ method: 'POST', path: '/api/opml', headers: { ...auth, 'Content-Type': 'application/xml; charset=utf-8' }, body: opml });
    expect(again.json()).toMatchObject({ added: 0, skipped: 1 });
    const exported = await api('GET', '/api/opml');
    expect(exported.headers['content-type']).toMatch(/^text\/x-opml/);
    expect(exported.text).toContain('xmlUrl="https://a.example/feed"');
    const asJson = await api('POST', '/api/opml', { opml });
    expect(asJson.status).toBe(415);
    const broken = await call({ method: 'POST', path: '/api/opml', headers: { ...auth, 'Content-Type': 'text/xml' }, body: '<opml><body><outline' });
    expect(broken.status).toBe(400);
    expect(errorOf(broken).message).toMatch(/Not a valid OPML document/);
  });
});

describe('the event stream', () => {
  it('sends a snapshot first, then deltas with EPOCH:SEQ ids', async () => {
    service.emit({ queue: undefined });
    const stream = await openEventStream(server.port, auth);
    expect(stream.response.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.response.headers['content-security-policy']).toBe(CSP);
    const first = await stream.next();
    expect(first.event).toBe('snapshot');
    expect(first.id).toBe('ep1:1');
    expect((JSON.parse(first.data) as StateSnapshot).seq).toBe(1);
    await api('POST', '/api/pause');
    const delta = await stream.next();
    expect(delta.event).toBe('delta');
    expect(delta.id).toBe('ep1:2');
    expect((JSON.parse(delta.data) as StateDelta).queue?.paused).toBe(true);
    stream.close();
  });

  it('replays the deltas a reconnecting client missed when Last-Event-ID is in the ring', async () => {
    service.emit({});
    service.emit({});
    service.emit({});
    const stream = await openEventStream(server.port, { ...auth, 'Last-Event-ID': 'ep1:1' });
    expect((await stream.next()).id).toBe('ep1:2');
    expect((await stream.next()).id).toBe('ep1:3');
    stream.close();
  });

  it('sends a snapshot when Last-Event-ID names another epoch or an unknown seq', async () => {
    service.emit({});
    for (const last of ['old-epoch:1', 'ep1:99', 'garbage']) {
      const stream = await openEventStream(server.port, { ...auth, 'Last-Event-ID': last });
      const first = await stream.next();
      expect(first.event, last).toBe('snapshot');
      expect(first.id).toBe('ep1:1');
      stream.close();
    }
  });

  it('sends keepalive comments and forgets a client that disconnects', async () => {
    const stream = await openEventStream(server.port, auth);
    await stream.next();
    await vi.waitFor(() => expect(stream.comments).toContain('keepalive'));
    stream.close();
    await vi.waitFor(() => expect(logLines.length).toBeGreaterThan(0));
    service.emit({});
    expect(service.listenerCount).toBe(1);
  });

  it('refuses the stream without the token', async () => {
    const res = await call({ path: '/api/events' });
    expect(res.status).toBe(401);
  });
});

describe('shutdown', () => {
  it('ends open event streams and stops listening to the service', async () => {
    const stream = await openEventStream(server.port, auth);
    await stream.next();
    const ended = new Promise((r) => stream.response.on('end', r));
    await server.close();
    await ended;
    expect(service.listenerCount).toBe(0);
  });
});
