// The token endpoint client over real HTTPS against the fake X authorization server: how it
// authenticates each kind of app, that codes and refresh tokens are single-use, and how each
// refusal reads.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTokenClient, type TokenClient } from '../../../../main/core/x/oauth2/token-client';
import { buildAuthorizeUrl } from '../../../../main/core/x/oauth2/authorize-url';
import { createPkcePair, createState } from '../../../../main/core/x/oauth2/pkce';
import { OAuth2Error, type OAuth2App, type OAuth2FailureReason } from '../../../../main/core/x/oauth2/types';
import { startFakeXOAuth, visitAuthorizePage, type FakeApp, type FakeXOAuth } from '../../../support/fake-x-oauth';
import { createFakeClock, type FakeClock } from '../../../support/fake-clock';

const REDIRECT = 'http://127.0.0.1:8917/oauth2/callback';
let fake: FakeXOAuth;
let clock: FakeClock;
let tokens: TokenClient;

const appOf = (a: FakeApp): OAuth2App => ({ clientId: a.clientId, clientSecret: a.clientSecret });

/** Plays the user approving on the fake's page: the code and the verifier it belongs to. */
async function authorizedCode(app: FakeApp): Promise<{ code: string; codeVerifier: string }> {
  const { codeVerifier, codeChallenge } = createPkcePair();
  const back = await visitAuthorizePage(buildAuthorizeUrl({
    authorizeUrl: fake.authorizeUrl, clientId: app.clientId, redirectUri: REDIRECT, state: createState(), codeChallenge,
  }), fake.agent);
  const code = back.searchParams.get('code');
  if (!code) throw new Error(`no code: ${back.toString()}`);
  return { code, codeVerifier };
}

async function refusal(promise: Promise<unknown>): Promise<OAuth2Error> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(OAuth2Error);
    return err as OAuth2Error;
  }
  throw new Error('expected a refusal');
}

beforeAll(async () => {
  fake = await startFakeXOAuth({ redirectUri: REDIRECT });
});
beforeEach(() => {
  clock = createFakeClock();
  tokens = createTokenClient({ apiBase: fake.url, clock, httpsAgent: fake.agent, timeoutMs: 10_000 });
  fake.tokenRequests.length = 0;
  fake.consent = 'approve';
});
afterAll(async () => {
  await fake.close();
});

describe('the code exchange', () => {
  it.each([
    ['a confidential app, with Basic auth', () => fake.confidentialApp, true],
    ['a public app, with client_id in the body', () => fake.publicApp, false],
  ])('gets a token pair for %s', async (_name, which, basic) => {
    const app = which();
    const { code, codeVerifier } = await authorizedCode(app);
    const granted = await tokens.exchangeCode(appOf(app), { code, codeVerifier, redirectUri: REDIRECT });
    expect(granted.accessToken).toMatch(/^fake-access-/);
    expect(granted.refreshToken).toMatch(/^fake-refresh-/);
    expect(granted.expiresAt).toBe(clock.now() + 7200 * 1000);
    expect(granted.scopes).toEqual(['tweet.read', 'tweet.write', 'users.read', 'offline.access', 'media.write']);
    expect(fake.tokenRequests).toEqual([{
      grantType: 'authorization_code', clientId: app.clientId, basicAuth: basic, contentType: 'application/x-www-form-urlencoded;charset=UTF-8', status: 200,
    }]);
  });

  it('is refused with a verifier that does not match the challenge', async () => {
    const { code } = await authorizedCode(fake.publicApp);
    const err = await refusal(tokens.exchangeCode(appOf(fake.publicApp), { code, codeVerifier: createPkcePair().codeVerifier, redirectUri: REDIRECT }));
    expect(err.reason).toBe('grant-refused');
    expect(err.message).toContain('X refused the sign-in code');
  });

  it('is refused the second time the same code is used', async () => {
    const { code, codeVerifier } = await authorizedCode(fake.publicApp);
    await tokens.exchangeCode(appOf(fake.publicApp), { code, codeVerifier, redirectUri: REDIRECT });
    const err = await refusal(tokens.exchangeCode(appOf(fake.publicApp), { code, codeVerifier, redirectUri: REDIRECT }));
    expect(err.reason).toBe('grant-refused');
    expect(err.message).toContain('Value passed for the authorization code was invalid.');
  });

  it('reads a wrong client secret as the app refused, and never says the secret or the code', async () => {
    const { code, codeVerifier } = await authorizedCode(fake.confidentialApp);
    const wrong = { clientId: fake.confidentialApp.clientId, clientSecret: 'not-the-secret-0000' };
    const err = await refusal(tokens.exchangeCode(wrong, { code, codeVerifier, redirectUri: REDIRECT }));
    expect(err.reason).toBe('client-refused');
    expect(err.httpStatus).toBe(401);
    expect(err.message).toContain('client id or secret');
    for (const secret of ['not-the-secret-0000', code, codeVerifier]) expect(err.message).not.toContain(secret);
  });
});

describe('the refresh grant', () => {
  async function connected(app: FakeApp) {
    const { code, codeVerifier } = await authorizedCode(app);
    return tokens.exchangeCode(appOf(app), { code, codeVerifier, redirectUri: REDIRECT });
  }

  it('rotates the pair, and the old refresh token is refused after use', async () => {
    const first = await connected(fake.confidentialApp);
    clock.advance(60_000);
    const second = await tokens.refresh(appOf(fake.confidentialApp), first.refreshToken ?? '');
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.expiresAt).toBe(clock.now() + 7200 * 1000);
    const err = await refusal(tokens.refresh(appOf(fake.confidentialApp), first.refreshToken ?? ''));
    expect(err.reason).toBe('grant-refused');
    expect(err.message).toBe('X refused to renew the sign-in (400 invalid_request: Value passed for the token was invalid.): the account has to be connected again.');
    expect(err.message).not.toContain(first.refreshToken ?? '-');
    expect(fake.tokenRequests.map((r) => [r.grantType, r.status])).toEqual([['authorization_code', 200], ['refresh_token', 200], ['refresh_token', 400]]);
  });

  it('reads invalid_grant as the grant refused', async () => {
    const first = await connected(fake.publicApp);
    fake.failNextToken({ type: 'status', status: 400, body: { error: 'invalid_grant', error_description: 'refresh token revoked' } });
    const err = await refusal(tokens.refresh(appOf(fake.publicApp), first.refreshToken ?? ''));
    expect([err.reason, err.oauthError, err.passing]).toEqual(['grant-refused', 'invalid_grant', false]);
  });

  it.each<[string, Parameters<FakeXOAuth['failNextToken']>[0], OAuth2FailureReason, boolean]>([
    ['a 503', { type: 'status', status: 503 }, 'unavailable', true],
    ['a 429', { type: 'status', status: 429 }, 'unavailable', true],
    ['a dropped connection', { type: 'drop-after-spend' }, 'unavailable', true],
    ['a 200 without a token', { type: 'status', status: 200, body: { token_type: 'bearer' } }, 'bad-answer', false],
  ])('reads %s as %s', async (_name, fault, reason, passing) => {
    const first = await connected(fake.publicApp);
    fake.failNextToken(fault);
    const err = await refusal(tokens.refresh(appOf(fake.publicApp), first.refreshToken ?? ''));
    expect([err.reason, err.passing]).toEqual([reason, passing]);
  });

  it('reads a token endpoint nobody listens on as unavailable', async () => {
    const nowhere = createTokenClient({ apiBase: 'https://127.0.0.1:1', clock, httpsAgent: fake.agent });
    const err = await refusal(nowhere.refresh(appOf(fake.publicApp), 'fake-refresh-x'));
    expect(err.reason).toBe('unavailable');
    expect(err.message).toContain('ECONNREFUSED');
  });
});
