// A connected account's session against the fake X authorization server: renewal before expiry
// and on 401, one request for racing renewals, the new pair stored before it is used, and a
// refused renewal ending the session with its reason.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildAuthorizeUrl } from '../../../../main/core/x/oauth2/authorize-url';
import { createPkcePair, createState } from '../../../../main/core/x/oauth2/pkce';
import { createOAuth2Session, oauth2XFailure, REFRESH_MARGIN_MS, type OAuth2Session } from '../../../../main/core/x/oauth2/session';
import { createTokenClient, type TokenClient } from '../../../../main/core/x/oauth2/token-client';
import { OAuth2Error, type OAuth2App, type TokenSet } from '../../../../main/core/x/oauth2/types';
import type { Logger } from '../../../../main/core/ports';
import { startFakeXOAuth, visitAuthorizePage, type FakeXOAuth } from '../../../support/fake-x-oauth';
import { createFakeClock, type FakeClock } from '../../../support/fake-clock';
import { capturedLogger, isUnauthorized, recordingStore, usersMe, type RecordingStore } from './helpers';

const REDIRECT = 'http://127.0.0.1:8917/oauth2/callback';
let fake: FakeXOAuth;
let clock: FakeClock;
let tokenClient: TokenClient;
let store: RecordingStore;
let logged: { log: Logger; output: () => string };
let app: OAuth2App;

async function connect(): Promise<TokenSet> {
  const { codeVerifier, codeChallenge } = createPkcePair();
  const back = await visitAuthorizePage(buildAuthorizeUrl({
    authorizeUrl: fake.authorizeUrl, clientId: app.clientId, redirectUri: REDIRECT, state: createState(), codeChallenge,
  }), fake.agent);
  return tokenClient.exchangeCode(app, { code: back.searchParams.get('code') ?? '', codeVerifier, redirectUri: REDIRECT });
}

async function openSession(tokens?: TokenSet): Promise<{ session: OAuth2Session; first: TokenSet }> {
  const first = tokens ?? (await connect());
  fake.tokenRequests.length = 0;
  return { session: createOAuth2Session({ app, tokens: first, tokenClient, store, clock, log: logged.log }), first };
}

const refreshRequests = (): number => fake.tokenRequests.filter((r) => r.grantType === 'refresh_token').length;

async function failureOf(promise: Promise<unknown>): Promise<OAuth2Error> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(OAuth2Error);
    return err as OAuth2Error;
  }
  throw new Error('expected a failure');
}

beforeAll(async () => {
  clock = createFakeClock();
  fake = await startFakeXOAuth({ redirectUri: REDIRECT, clock: { now: () => clock.now(), setTimeout: () => () => {} } });
  app = { clientId: fake.confidentialApp.clientId, clientSecret: fake.confidentialApp.clientSecret };
});
beforeEach(() => {
  clock = createFakeClock();
  tokenClient = createTokenClient({ apiBase: fake.url, clock, httpsAgent: fake.agent, timeoutMs: 10_000 });
  store = recordingStore();
  logged = capturedLogger();
});
afterAll(async () => {
  await fake.close();
});

describe('an OAuth 2.0 session', () => {
  it('hands out the access token it has, without a request, while more than the margin is left', async () => {
    const { session, first } = await openSession();
    clock.advance(7200_000 - REFRESH_MARGIN_MS - 1);
    expect(await session.accessToken()).toBe(first.accessToken);
    expect(refreshRequests()).toBe(0);
  });

  it('renews shortly before expiry and stores the new pair before the new access token is used', async () => {
    const { session, first } = await openSession();
    clock.advance(7200_000 - REFRESH_MARGIN_MS);
    const handle = await session.withAccessToken(async (token) => {
      // The store has the pair whose access token is about to be sent.
      expect(store.saved.map((t) => t.accessToken)).toEqual([token]);
      return usersMe(fake, token);
    }, isUnauthorized);
    expect(handle).toBe('crier_test');
    expect(refreshRequests()).toBe(1);
    expect(store.saved[0]?.refreshToken).not.toBe(first.refreshToken);
    expect(fake.liveRefreshTokens()).toContain(store.saved[0]?.refreshToken);
    expect(fake.liveRefreshTokens()).not.toContain(first.refreshToken);
    expect(session.expiresAt()).toBe(clock.now() + 7200_000);
  });

  it('never hands out a renewed access token while its pair is still being stored', async () => {
    const { first } = await openSession();
    let finishSave: () => void = () => {};
    const saving = new Promise<void>((resolve) => { finishSave = resolve; });
    let saveStarted = false;
    const slowStore = { async save(tokens: TokenSet) { saveStarted = true; await saving; store.saved.push(tokens); } };
    const slow = createOAuth2Session({ app, tokens: first, tokenClient, store: slowStore, clock, log: logged.log });
    fake.revokeAccessTokens();
    const renewing = slow.withAccessToken((token) => usersMe(fake, token), isUnauthorized);
    await expect.poll(() => saveStarted).toBe(true);
    // Asked while the store has not taken the new pair yet: the old token, never the new one.
    expect(await slow.accessToken()).toBe(first.accessToken);
    finishSave();
    expect(await renewing).toBe('crier_test');
    expect(await slow.accessToken()).toBe(store.saved[0]?.accessToken);
  });

  it('renews when X answers 401 and tries the call once more with the new token', async () => {
    const { session, first } = await openSession();
    fake.revokeAccessTokens();
    const seen: string[] = [];
    const handle = await session.withAccessToken((token) => {
      seen.push(token);
      return usersMe(fake, token);
    }, isUnauthorized);
    expect(handle).toBe('crier_test');
    expect(seen).toEqual([first.accessToken, store.saved[0]?.accessToken]);
    expect(refreshRequests()).toBe(1);
  });

  it('makes ONE renewal request when two callers need one at once', async () => {
    const { session } = await openSession();
    clock.advance(7200_000);
    const gate = fake.holdTokenAnswers();
    const a = session.accessToken();
    const b = session.accessToken();
    await expect.poll(() => gate.waiting()).toBe(1);
    gate.release();
    const [ta, tb] = await Promise.all([a, b]);
    expect(ta).toBe(tb);
    expect(refreshRequests()).toBe(1);
    expect(store.saved).toHaveLength(1);
  });

  it('makes ONE renewal request when two calls are answered 401 at once', async () => {
    const { session } = await openSession();
    fake.revokeAccessTokens();
    const gate = fake.holdTokenAnswers();
    const calls = [0, 1].map(() => session.withAccessToken((token) => usersMe(fake, token), isUnauthorized));
    await expect.poll(() => gate.waiting()).toBe(1);
    gate.release();
    expect(await Promise.all(calls)).toEqual(['crier_test', 'crier_test']);
    expect(refreshRequests()).toBe(1);
  });

  it('tries a token renewed meanwhile instead of renewing again', async () => {
    const { session, first } = await openSession();
    fake.revokeAccessTokens();
    const seen: string[] = [];
    const handle = await session.withAccessToken(async (token) => {
      seen.push(token);
      // Another caller renews while this call is with X.
      if (token === first.accessToken) await session.refresh();
      return usersMe(fake, token);
    }, isUnauthorized);
    expect(handle).toBe('crier_test');
    expect(seen).toEqual([first.accessToken, store.saved[0]?.accessToken]);
    expect(refreshRequests()).toBe(1);
  });

  it('ends the session with the reason when X refuses the renewal, and asks X nothing more until reconnected', async () => {
    const { session } = await openSession();
    clock.advance(7200_000);
    fake.failNextToken({ type: 'status', status: 400, body: { error: 'invalid_grant', error_description: 'Value passed for the token was invalid.' } });
    const err = await failureOf(session.accessToken());
    expect(err.reason).toBe('grant-refused');
    expect(err.message).toContain('the account has to be connected again');
    expect(session.failure()).toBe(err);
    expect(oauth2XFailure(err)).toMatchObject({ kind: 'auth', httpStatus: 400, message: err.message });

    expect(await failureOf(session.withAccessToken((t) => usersMe(fake, t), isUnauthorized))).toBe(err);
    expect(refreshRequests()).toBe(1);

    session.replaceTokens(await connect());
    expect(session.failure()).toBeNull();
    expect(await session.withAccessToken((t) => usersMe(fake, t), isUnauthorized)).toBe('crier_test');
  });

  it('keeps using the token in hand when a renewal inside the margin fails for a while, and renews later', async () => {
    const { session, first } = await openSession();
    clock.advance(7200_000 - REFRESH_MARGIN_MS + 1000);
    fake.failNextToken({ type: 'status', status: 503 });
    expect(await session.accessToken()).toBe(first.accessToken);
    expect(session.failure()).toBeNull();
    const renewed = await session.accessToken();
    expect(renewed).not.toBe(first.accessToken);
    expect(refreshRequests()).toBe(2);
  });

  it('reports a passing failure once the token has expired, as a network failure to the queue', async () => {
    const { session } = await openSession();
    clock.advance(7200_000);
    fake.failNextToken({ type: 'status', status: 503 });
    const err = await failureOf(session.accessToken());
    expect(err.reason).toBe('unavailable');
    expect(oauth2XFailure(err)).toMatchObject({ kind: 'server', httpStatus: 503 });
    expect(session.failure()).toBeNull();
  });

  it('cannot help a renewal whose answer was lost: X spent the refresh token, so the next try ends the session', async () => {
    const { session, first } = await openSession();
    clock.advance(7200_000);
    fake.failNextToken({ type: 'drop-after-spend' });
    const lost = await failureOf(session.accessToken());
    expect([lost.reason, lost.passing]).toEqual(['unavailable', true]);
    expect(fake.liveRefreshTokens()).not.toContain(first.refreshToken);
    const refused = await failureOf(session.accessToken());
    expect(refused.reason).toBe('grant-refused');
    expect(session.failure()).toBe(refused);
    expect(refreshRequests()).toBe(2);
  });

  it('does not use a renewed pair the store refused, and stores it on the next try without asking X again', async () => {
    const { session, first } = await openSession();
    clock.advance(7200_000);
    store.failNext('disk full');
    const err = await failureOf(session.accessToken());
    expect([err.reason, err.passing]).toEqual(['store-failed', true]);
    expect(err.message).toContain('disk full');
    expect(session.failure()).toBeNull();
    expect(store.saved).toHaveLength(0);
    // The old refresh token is spent at X: the pair held back is the only way on.
    expect(fake.liveRefreshTokens()).not.toContain(first.refreshToken);

    const token = await session.accessToken();
    expect(refreshRequests()).toBe(1);
    expect(store.saved.map((t) => t.accessToken)).toEqual([token]);
    expect(await usersMe(fake, token)).toBe('crier_test');
  });

  it('ends the session when it expires without a refresh token', async () => {
    const { session } = await openSession({ accessToken: 'fake-access-x', refreshToken: null, expiresAt: clock.now() + 60_000, scopes: [] });
    clock.advance(60_000);
    const err = await failureOf(session.accessToken());
    expect(err.reason).toBe('no-refresh-token');
    expect(oauth2XFailure(err).kind).toBe('auth');
    expect(refreshRequests()).toBe(0);
  });

  it('logs renewals and failures without a token or secret in any line', async () => {
    const { session, first } = await openSession();
    clock.advance(7200_000);
    await session.accessToken();
    clock.advance(7200_000);
    fake.failNextToken({ type: 'status', status: 400, body: { error: 'invalid_grant', error_description: `bad ${store.saved[0]?.refreshToken ?? ''}` } });
    await failureOf(session.accessToken());
    const output = logged.output();
    expect(output).toContain('renewed the X sign-in');
    expect(output).toContain('grant-refused');
    const secrets = [first.accessToken, first.refreshToken, ...store.saved.flatMap((t) => [t.accessToken, t.refreshToken]), app.clientSecret];
    for (const secret of secrets) expect(output).not.toContain(secret ?? '-');
    expect(session.failure()?.message).not.toContain(store.saved[0]?.refreshToken ?? '-');
  });
});
