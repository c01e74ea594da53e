// The fake PDS is only worth its tests if it is as strict as the real one where Crier could
// go wrong: these talk to it over plain fetch, without the destination.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeBluesky, type FakeBluesky } from '../../../support/fake-bluesky';

let pds: FakeBluesky;

async function xrpc(nsid: string, init: { token?: string; body?: unknown; query?: Record<string, string> } = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const url = new URL(`/xrpc/${nsid}`, pds.url);
  for (const [k, v] of Object.entries(init.query ?? {})) url.searchParams.set(k, v);
  const response = await fetch(url, {
    method: init.query ? 'GET' : 'POST',
    headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

async function login(): Promise<{ accessJwt: string; refreshJwt: string }> {
  const { body } = await xrpc('com.atproto.server.createSession', { body: { identifier: pds.account.handle, password: pds.account.appPassword } });
  return { accessJwt: String(body.accessJwt), refreshJwt: String(body.refreshJwt) };
}

const post = (rkey: string, text = 'hi') => ({
  repo: pds.account.did, collection: 'app.bsky.feed.post', rkey, record: { $type: 'app.bsky.feed.post', text, createdAt: new Date().toISOString() },
});

beforeAll(async () => {
  pds = await startFakeBluesky();
});
afterAll(() => pds.close());
beforeEach(() => pds.reset());

describe('fake Bluesky PDS', () => {
  it('refuses a post whose record key is not a TID, and answers an existing key with a generic 500', async () => {
    const { accessJwt } = await login();
    expect((await xrpc('com.atproto.repo.createRecord', { token: accessJwt, body: post('not-a-tid') })).status).toBe(400);
    expect((await xrpc('com.atproto.repo.createRecord', { token: accessJwt, body: post('3jzfcijpj2z2a') })).status).toBe(200);
    const again = await xrpc('com.atproto.repo.createRecord', { token: accessJwt, body: post('3jzfcijpj2z2a') });
    expect(again).toMatchObject({ status: 500, body: { error: 'InternalServerError', message: 'Internal Server Error' } });
    expect(pds.records()).toHaveLength(1);
  });

  it('tells access and refresh tokens apart, expires access tokens, and takes each refresh token once', async () => {
    const { accessJwt, refreshJwt } = await login();
    expect((await xrpc('com.atproto.repo.createRecord', { token: refreshJwt, body: post('3jzfcijpj2z2a') })).body.error).toBe('InvalidToken');
    expect((await xrpc('com.atproto.server.refreshSession', { token: accessJwt })).body.error).toBe('InvalidToken');
    pds.expireAccessTokens();
    expect((await xrpc('com.atproto.server.getSession', { token: accessJwt })).body.error).toBe('ExpiredToken');
    const renewed = await xrpc('com.atproto.server.refreshSession', { token: refreshJwt });
    expect(renewed.status).toBe(200);
    expect((await xrpc('com.atproto.server.refreshSession', { token: refreshJwt })).body.error).toBe('ExpiredToken');
    expect((await xrpc('com.atproto.server.getSession', { token: String(renewed.body.accessJwt) })).status).toBe(200);
  });

  it('refuses facets outside the text, text over 300 graphemes, and an embed blob never uploaded', async () => {
    const { accessJwt } = await login();
    const bad = post('3jzfcijpj2z2a', 'abc');
    (bad.record as Record<string, unknown>).facets = [{ index: { byteStart: 0, byteEnd: 4 }, features: [] }];
    expect((await xrpc('com.atproto.repo.createRecord', { token: accessJwt, body: bad })).status).toBe(400);
    expect((await xrpc('com.atproto.repo.createRecord', { token: accessJwt, body: post('3jzfcijpj2z2b', 'a'.repeat(301)) })).status).toBe(400);
    const card = post('3jzfcijpj2z2c');
    (card.record as Record<string, unknown>).embed = {
      $type: 'app.bsky.embed.external', external: { uri: 'https://e.example', title: '', description: '', thumb: { $type: 'blob', ref: { $link: 'bafkreinope' }, mimeType: 'image/png', size: 1 } },
    };
    expect((await xrpc('com.atproto.repo.createRecord', { token: accessJwt, body: card })).body.message).toContain('Could not find blob');
    expect(pds.records()).toHaveLength(0);
  });

  it('injects 429 with the reset as given, and stores a record before dropping the answer', async () => {
    const { accessJwt } = await login();
    pds.inject({ type: 'rate-limit', reset: '42' }, { nsid: 'com.atproto.repo.createRecord' });
    const limited = await xrpc('com.atproto.repo.createRecord', { token: accessJwt, body: post('3jzfcijpj2z2a') });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('ratelimit-reset')).toBe('42');
    pds.inject({ type: 'drop-after-record' }, { nsid: 'com.atproto.repo.createRecord' });
    await expect(xrpc('com.atproto.repo.createRecord', { token: accessJwt, body: post('3jzfcijpj2z2a') })).rejects.toThrow();
    expect(pds.records().map((r) => r.rkey)).toEqual(['3jzfcijpj2z2a']);
    expect(pds.requests().filter((r) => r.nsid === 'com.atproto.repo.createRecord').map((r) => r.status)).toEqual([429, null]);
  });

  it('serves HTTPS when asked, trusted by a child process through NODE_EXTRA_CA_CERTS', async () => {
    const secure = await startFakeBluesky({ tls: true });
    const dir = mkdtempSync(join(tmpdir(), 'crier-fake-bsky-'));
    try {
      expect(secure.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const ca = join(dir, 'ca.pem');
      writeFileSync(ca, secure.caPem ?? '');
      const script = `fetch(${JSON.stringify(`${secure.url}/xrpc/com.atproto.server.createSession`)}, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identifier: ${JSON.stringify(secure.account.handle)}, password: ${JSON.stringify(secure.account.appPassword)} }) }).then(r => console.log(r.status))`;
      const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { env: { ...process.env, NODE_EXTRA_CA_CERTS: ca } });
      expect(stdout.trim()).toBe('200');
    } finally {
      await secure.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
