// The OAuth 2.0 routes of `crier serve`: the start route is token-protected like every /api
// route and names this server's own origin as the callback; the callback needs no token (the
// single-use state authenticates it) but keeps the Host check, answers 303 to the settings page,
// and no code or state reaches a URL Crier makes or a log line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../main/core/ports';
import { startServer, type RunningServer } from '../../main/headless/server';
import { FakeService } from '../support/fake-service';
import { rawRequest, type RawRequest, type RawResponse } from '../support/http-client';

const TOKEN = 'c'.repeat(20) + 'D-_0123456789';
const auth = { Authorization: `Bearer ${TOKEN}` };
let root: string;
let service: FakeService;
let server: RunningServer;
let logged: string[];

const log: Logger = {
  debug: (msg, fields) => { logged.push(`${msg} ${JSON.stringify(fields ?? {})}`); },
  info: (msg, fields) => { logged.push(`${msg} ${JSON.stringify(fields ?? {})}`); },
  warn: (msg, fields) => { logged.push(`${msg} ${JSON.stringify(fields ?? {})}`); },
  error: (msg, fields) => { logged.push(`${msg} ${JSON.stringify(fields ?? {})}`); },
};
const call = (req: RawRequest): Promise<RawResponse> => rawRequest(server.port, req);

beforeAll(() => { root = mkdtempSync(join(tmpdir(), 'crier-oauth2-routes-')); });
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeEach(async () => {
  logged = [];
  service = new FakeService({ epoch: 'ep1' });
  server = await startServer({ service, host: '127.0.0.1', port: 0, token: TOKEN, staticDir: root, log });
});
afterEach(async () => { await server.close(); });

describe('POST /api/x/oauth2/start', () => {
  it('needs the token, and answers X\'s page with this server\'s own callback', async () => {
    const body = JSON.stringify({ clientId: 'my-client' });
    const refused = await call({ method: 'POST', path: '/api/x/oauth2/start', headers: { 'Content-Type': 'application/json' }, body });
    expect(refused.status).toBe(401);
    const res = await call({ method: 'POST', path: '/api/x/oauth2/start', headers: { ...auth, 'Content-Type': 'application/json' }, body });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ redirectUri: `http://127.0.0.1:${server.port}/oauth2/callback`, url: expect.stringContaining('client_id=my-client') });
  });

  it('refuses a blank client id by its field', async () => {
    const res = await call({ method: 'POST', path: '/api/x/oauth2/start', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ clientId: ' ' }) });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'validation', field: 'clientId' } });
  });
});

describe('GET /oauth2/callback', () => {
  it('takes X\'s answer without a token and sends the browser to the account settings, keeping the code out of URLs and logs', async () => {
    await call({ method: 'POST', path: '/api/x/oauth2/start', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ clientId: 'my-client' }) });
    const res = await call({ path: '/oauth2/callback?state=fake-state&code=the-secret-code' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/settings.html#account');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(service.account).toMatchObject({ connected: true, method: 'oauth2' });
    expect(logged.join('\n')).not.toMatch(/the-secret-code|fake-state/);
  });

  it('keeps the Host check: a foreign Host is refused before the answer is looked at', async () => {
    const res = await call({ path: '/oauth2/callback?state=fake-state&code=c', headers: { Host: 'evil.example:80' } });
    expect(res.status).toBe(403);
    expect(service.calls).not.toContain('finishXOAuth2');
  });

  it('gives other paths no way around the token', async () => {
    expect((await call({ path: '/oauth2/callback/../settings.html' })).status).toBe(401);
    expect((await call({ path: '/oauth2/other' })).status).toBe(401);
  });
});
