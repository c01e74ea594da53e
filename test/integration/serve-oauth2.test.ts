// OAuth 2.0 with PKCE end to end under a real `crier serve --verbose`: the settings page's start
// route, X's authorize page (a loopback fake) sending the browser back to /oauth2/callback with
// no token or cookie, the account connected with its handle, a post sent with the bearer token,
// a renewal that rotates the refresh token, and a refused renewal pausing posting with 'auth'.
// Refusals (a state Crier did not hand out, consent declined, no CRIER_SECRET_KEY) are answered
// in words, and no token, code or client secret shows in a response, the events or the log.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OAuth2Start, StateSnapshot } from '../../preload/contract';
import { rssDocument, startFeedServer, type FeedServer } from '../support/feed-server';
import { startFakeXOAuth, visitAuthorizePage, X_INVALID_TOKEN, type FakeXOAuth } from '../support/fake-x-oauth';
import { startServeProcess, type ServeProcess } from '../support/serve-process';
import { freePort } from '../support/free-port';

const SECRET_KEY = 'test-secret-key-6f1c0a9e2b7d4c3a';

let dir: string;
let port: number;
let fake: FakeXOAuth;
let feeds: FeedServer;
let proc: ServeProcess | null = null;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crier-oauth2-'));
  port = await freePort();
  fake = await startFakeXOAuth({ redirectUri: `http://127.0.0.1:${port}/oauth2/callback` });
  feeds = await startFeedServer();
});

afterEach(async () => {
  await proc?.stop('SIGKILL');
  proc = null;
  await fake.close();
  await feeds.close();
  rmSync(dir, { recursive: true, force: true });
});

function envFor(withKey: boolean): Record<string, string> {
  const caFile = join(dir, 'fake-x-ca.pem');
  writeFileSync(caFile, fake.caPem);
  return {
    NODE_EXTRA_CA_CERTS: caFile,
    CRIER_X_API_BASE: fake.url,
    CRIER_X_AUTHORIZE_URL: fake.authorizeUrl,
    ...(withKey ? { CRIER_SECRET_KEY: SECRET_KEY } : {}),
  };
}

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

async function readEvents(p: ServeProcess): Promise<string> {
  const controller = new AbortController();
  const res = await fetch(`${p.origin}/api/events`, { headers: p.auth, signal: controller.signal });
  const reader = res.body!.getReader();
  const { value } = await reader.read();
  controller.abort();
  return new TextDecoder().decode(value);
}

interface Answer { status: number; text: string; json: unknown }

function client(p: ServeProcess) {
  const call = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const res = await fetch(`${p.origin}${path}`, {
      method,
      headers: { ...p.auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, text, json: text ? JSON.parse(text) : null };
  };
  const ok = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const answer = await call(method, path, body);
    expect(answer.status, `${method} ${path}: ${answer.text}`).toBeLessThan(300);
    return answer.json;
  };
  const state = async (): Promise<StateSnapshot> => (await ok('GET', '/api/state')) as StateSnapshot;
  /** The browser's part: X's page, then back to the server's callback without a token or cookie. */
  const signIn = async (app: { clientId: string; clientSecret: string | null }): Promise<{ start: OAuth2Start; back: URL; answer: Response }> => {
    const start = (await ok('POST', '/api/x/oauth2/start', app)) as OAuth2Start;
    const back = await visitAuthorizePage(start.url, fake.agent);
    const answer = await fetch(back, { redirect: 'manual' });
    return { start, back, answer };
  };
  const noticeText = async (): Promise<string> => (await state()).notices.map((n) => n.message).join('\n');
  return { call, ok, state, signIn, noticeText };
}

describe('crier serve with OAuth 2.0', () => {
  it('connects through X\'s authorize page, posts with the bearer token, renews, and pauses when X refuses a renewal', async () => {
    const data = join(dir, 'data');
    proc = await startServeProcess({ dataDir: data, port, args: ['--verbose'], env: envFor(true) });
    const p = proc;
    const { ok, state, signIn, noticeText } = client(p);
    const app = { clientId: fake.confidentialApp.clientId, clientSecret: fake.confidentialApp.clientSecret };

    const { start, back, answer } = await signIn(app);
    expect(start.redirectUri).toBe(`http://127.0.0.1:${port}/oauth2/callback`);
    expect(new URL(start.url).searchParams.get('code_challenge_method')).toBe('S256');
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/settings.html#account');
    const code = back.searchParams.get('code');
    expect(code).toBeTruthy();

    const connected = await state();
    expect(connected.account).toMatchObject({ connected: true, handle: 'crier_test', method: 'oauth2', dryRun: false, failure: null });
    expect(await noticeText()).toContain('Connected @crier_test with OAuth 2.0.');

    // A post goes out with the access token X granted.
    await ok('PUT', '/api/settings', { minPostGapSeconds: 0, retryBaseSeconds: 1, retryMaxSeconds: 1 });
    feeds.route('/one.xml', { body: rssDocument({ title: 'One', items: [{ title: 'First story', link: 'https://example.com/1', guid: 'one-1' }] }) });
    await ok('POST', '/api/feeds', { url: feeds.url('/one.xml'), backfill: 1 });
    await vi.waitFor(() => expect(fake.posts).toHaveLength(1), { timeout: 20_000, interval: 100 });
    const firstToken = fake.posts[0]!.accessToken;
    expect(fake.posts[0]!.text).toContain('First story');

    // X stops taking that token (expired early): Crier renews once, rotating the refresh token, and posts.
    fake.revokeAccessTokens();
    const refreshBefore = fake.liveRefreshTokens();
    feeds.route('/two.xml', { body: rssDocument({ title: 'Two', items: [{ title: 'Second story', link: 'https://example.com/2', guid: 'two-1' }] }) });
    await ok('POST', '/api/feeds', { url: feeds.url('/two.xml'), backfill: 1 });
    await vi.waitFor(() => expect(fake.posts).toHaveLength(2), { timeout: 20_000, interval: 100 });
    expect(fake.posts[1]!.accessToken).not.toBe(firstToken);
    expect(fake.tokenRequests.filter((r) => r.grantType === 'refresh_token').map((r) => r.status)).toEqual([200]);
    expect(fake.liveRefreshTokens()).not.toEqual(refreshBefore);
    expect((await state()).queue.paused).toBe(false);

    // X refuses the next renewal: posting pauses with 'auth' and the account says why.
    fake.revokeAccessTokens();
    fake.failNextToken({ type: 'status', status: 400, body: X_INVALID_TOKEN });
    feeds.route('/three.xml', { body: rssDocument({ title: 'Three', items: [{ title: 'Third story', link: 'https://example.com/3', guid: 'three-1' }] }) });
    await ok('POST', '/api/feeds', { url: feeds.url('/three.xml'), backfill: 1 });
    await vi.waitFor(async () => expect((await state()).queue.pauseReason).toBe('auth'), { timeout: 20_000, interval: 100 });
    const paused = await state();
    expect(paused.account.failure).toMatchObject({ reason: 'grant-refused', message: expect.stringContaining('connected again') });
    expect(fake.posts).toHaveLength(2);

    // Reconnecting is the answer: the same account, new tokens, and posting goes on.
    const again = await signIn(app);
    expect(again.answer.status).toBe(303);
    await vi.waitFor(() => expect(fake.posts).toHaveLength(3), { timeout: 20_000, interval: 100 });
    const resumed = await state();
    expect(resumed.queue.paused).toBe(false);
    expect(resumed.account).toMatchObject({ connected: true, method: 'oauth2', failure: null });

    const secrets = [
      ...fake.posts.map((post) => post.accessToken), ...fake.liveAccessTokens(), ...fake.liveRefreshTokens(), ...refreshBefore,
      code!, again.back.searchParams.get('code')!, app.clientSecret!,
    ];
    const seen = [
      p.stdout(), p.stderr(), JSON.stringify(resumed), await readEvents(p),
      ...filesUnder(data).map((f) => readFileSync(f, 'utf8')),
    ].join('\n');
    expect(p.stderr()).toMatch(/renewed the X sign-in/);
    for (const secret of secrets) expect(seen).not.toContain(secret);
    // The tokens are at rest in the encrypted file only.
    expect(filesUnder(data).some((f) => f.endsWith('x-oauth2-tokens.json'))).toBe(true);

    // After a restart the account is restored from the encrypted file.
    await p.stop();
    proc = await startServeProcess({ dataDir: data, port, env: envFor(true) });
    const restarted = client(proc);
    expect((await restarted.state()).account).toMatchObject({ connected: true, handle: 'crier_test', method: 'oauth2' });

    // Disconnecting forgets it, here and after the next restart.
    expect(await restarted.ok('POST', '/api/account/disconnect')).toMatchObject({ connected: false, method: null, dryRun: true });
    await proc.stop();
    proc = await startServeProcess({ dataDir: data, port, env: envFor(true) });
    expect((await client(proc).state()).account).toMatchObject({ connected: false, method: null });
  });

  it('refuses a login with a CRIER_SECRET_KEY too short, saying so', async () => {
    proc = await startServeProcess({ dataDir: join(dir, 'data'), port, env: { ...envFor(true), CRIER_SECRET_KEY: 'short' } });
    const { call, noticeText } = client(proc);
    const answer = await call('POST', '/api/x/oauth2/start', { clientId: fake.publicApp.clientId });
    expect(answer.status).toBe(409);
    expect(answer.json).toMatchObject({ error: { message: expect.stringContaining('CRIER_SECRET_KEY is too short') } });
    expect(await noticeText()).toContain('CRIER_SECRET_KEY is too short');
  });

  it('answers a state it did not hand out and a declined consent in words, connecting nothing', async () => {
    proc = await startServeProcess({ dataDir: join(dir, 'data'), port, env: envFor(true) });
    const p = proc;
    const { state, signIn, noticeText } = client(p);

    const stray = await fetch(`${p.origin}/oauth2/callback?state=not-ours&code=some-code`, { redirect: 'manual' });
    expect(stray.status).toBe(303);
    expect(stray.headers.get('location')).toBe('/settings.html#account');
    expect(await noticeText()).toContain('does not belong to a login Crier started');

    fake.consent = 'deny';
    const { answer } = await signIn({ clientId: fake.publicApp.clientId, clientSecret: null });
    expect(answer.status).toBe(303);
    expect(await noticeText()).toContain('The sign-in was declined on X');
    expect((await state()).account).toMatchObject({ connected: false, method: null });
    expect(fake.tokenRequests).toHaveLength(0);
    expect(p.stderr()).not.toContain('some-code');
  });

  it('refuses to start a login without CRIER_SECRET_KEY, saying why, before anything goes to X', async () => {
    proc = await startServeProcess({ dataDir: join(dir, 'data'), port, env: envFor(false) });
    const { call } = client(proc);
    const answer = await call('POST', '/api/x/oauth2/start', { clientId: fake.publicApp.clientId });
    expect(answer.status).toBe(409);
    expect(answer.json).toMatchObject({ error: { code: 'conflict', message: expect.stringContaining('CRIER_SECRET_KEY is not set') } });
    const invalid = await call('POST', '/api/x/oauth2/start', { clientId: '' });
    expect(invalid.status).toBe(400);
    expect(fake.tokenRequests).toHaveLength(0);
  });
});
