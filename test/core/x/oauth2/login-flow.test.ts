// The whole login against loopback fakes: Crier's authorize URL goes to the fake X page, "the
// user" answers, the browser lands on the loopback callback server, the code is exchanged, and
// the session posts with the tokens. Then every way it can go wrong.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loopbackRedirectUri } from '../../../../main/core/x/oauth2/authorize-url';
import { startCallbackServer, type CallbackServer } from '../../../../main/core/x/oauth2/callback-server';
import { createOAuth2Login, type FinishedLogin, type OAuth2Login } from '../../../../main/core/x/oauth2/login';
import { createPendingLogins, PENDING_LOGIN_TTL_MS, type PendingLogins } from '../../../../main/core/x/oauth2/pending-logins';
import { createOAuth2Session } from '../../../../main/core/x/oauth2/session';
import { createTokenClient } from '../../../../main/core/x/oauth2/token-client';
import { OAuth2Error, type OAuth2App } from '../../../../main/core/x/oauth2/types';
import { startFakeXOAuth, visitAuthorizePage, type FakeApp, type FakeXOAuth } from '../../../support/fake-x-oauth';
import { createFakeClock, type FakeClock } from '../../../support/fake-clock';
import { capturedLogger, isUnauthorized, recordingStore, usersMe } from './helpers';

let fake: FakeXOAuth;
let callback: CallbackServer;
let redirectUri: string;
let clock: FakeClock;
let pending: PendingLogins;
let login: OAuth2Login;
/** What the callback server's handler made of each answer. */
let outcomes: Array<FinishedLogin | OAuth2Error>;

const appOf = (a: FakeApp): OAuth2App => ({ clientId: a.clientId, clientSecret: a.clientSecret });

/** Follows the browser: X's page, then the loopback callback. Returns the callback page. */
async function browse(authorizeUrl: string, edit?: (back: URL) => void): Promise<{ status: number; page: string; back: URL }> {
  const back = await visitAuthorizePage(authorizeUrl, fake.agent);
  edit?.(back);
  const res = await fetch(back);
  return { status: res.status, page: await res.text(), back };
}

function lastFailure(): OAuth2Error {
  const last = outcomes.at(-1);
  expect(last).toBeInstanceOf(OAuth2Error);
  return last as OAuth2Error;
}

beforeAll(async () => {
  callback = await startCallbackServer({
    port: 0,
    async onCallback(query) {
      try {
        const done = await login.finish(query);
        outcomes.push(done);
        return { ok: true, message: 'Connected. Crier posts with this account from now on.' };
      } catch (err) {
        if (!(err instanceof OAuth2Error)) throw err;
        outcomes.push(err);
        return { ok: false, message: err.message };
      }
    },
  });
  redirectUri = loopbackRedirectUri(callback.port);
  fake = await startFakeXOAuth({ redirectUri });
});
beforeEach(() => {
  clock = createFakeClock();
  pending = createPendingLogins(clock);
  login = createOAuth2Login({
    authorizeUrl: fake.authorizeUrl,
    tokenClient: createTokenClient({ apiBase: fake.url, clock, httpsAgent: fake.agent, timeoutMs: 10_000 }),
    pending,
  });
  outcomes = [];
  fake.consent = 'approve';
  fake.tokenRequests.length = 0;
});
afterAll(async () => {
  await callback.close();
  await fake.close();
});

describe('connecting an X account with OAuth 2.0 and PKCE', () => {
  it.each([
    ['a confidential app', () => fake.confidentialApp],
    ['a public app', () => fake.publicApp],
  ])('connects %s end to end and posts with the session', async (_name, which) => {
    const app = appOf(which());
    const started = login.start(app, redirectUri);
    const { status, page } = await browse(started.url);
    expect(status).toBe(200);
    expect(page).toContain('Crier is connected to X');

    const done = outcomes[0] as FinishedLogin;
    expect(done.app).toEqual(app);
    expect(done.missingScopes).toEqual([]);
    expect(fake.liveAccessTokens()).toContain(done.tokens.accessToken);
    expect(pending.size()).toBe(0);

    const logged = capturedLogger();
    const session = createOAuth2Session({ app, tokens: done.tokens, tokenClient: createTokenClient({ apiBase: fake.url, clock, httpsAgent: fake.agent }), store: recordingStore(), clock, log: logged.log });
    expect(await session.withAccessToken((t) => usersMe(fake, t), isUnauthorized)).toBe('crier_test');
    // Nothing the browser saw or the log holds is a secret.
    for (const secret of [done.tokens.accessToken, done.tokens.refreshToken, app.clientSecret]) {
      if (secret) {
        expect(page).not.toContain(secret);
        expect(started.url).not.toContain(secret);
        expect(logged.output()).not.toContain(secret);
      }
    }
  });

  it('refuses an answer whose state is not the one handed out, without asking X for tokens', async () => {
    const { state, url } = login.start(appOf(fake.publicApp), redirectUri);
    const { status, page } = await browse(url, (back) => back.searchParams.set('state', `${state}x`));
    expect(status).toBe(400);
    expect(lastFailure().reason).toBe('state-mismatch');
    expect(page).toContain('does not belong to a login Crier started');
    expect(fake.tokenRequests).toHaveLength(0);
  });

  it('refuses an answer without a state', async () => {
    const { url } = login.start(appOf(fake.publicApp), redirectUri);
    await browse(url, (back) => back.searchParams.delete('state'));
    expect(lastFailure().reason).toBe('state-mismatch');
    expect(fake.tokenRequests).toHaveLength(0);
  });

  it('says the user declined when X sends access_denied, and spends the state', async () => {
    fake.consent = 'deny';
    const { url } = login.start(appOf(fake.confidentialApp), redirectUri);
    const { status, page, back } = await browse(url);
    expect(status).toBe(400);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(lastFailure().reason).toBe('denied');
    expect(page).toContain('declined on X');
    expect(fake.tokenRequests).toHaveLength(0);
    await fetch(back);
    expect(lastFailure().reason).toBe('state-mismatch');
  });

  it('takes one answer per login: a replayed callback is refused and X is asked once', async () => {
    const { url } = login.start(appOf(fake.confidentialApp), redirectUri);
    const first = await browse(url);
    expect(first.status).toBe(200);
    const again = await fetch(first.back);
    expect(again.status).toBe(400);
    expect(lastFailure().reason).toBe('state-mismatch');
    expect(fake.tokenRequests).toHaveLength(1);
  });

  it('refuses an answer that comes 10 minutes after the login started', async () => {
    const { url } = login.start(appOf(fake.publicApp), redirectUri);
    clock.advance(PENDING_LOGIN_TTL_MS);
    const { status, page } = await browse(url);
    expect(status).toBe(400);
    expect(lastFailure().reason).toBe('login-expired');
    expect(page).toContain('expired');
    expect(fake.tokenRequests).toHaveLength(0);
  });

  it("reports another error from X's page with X's words", async () => {
    const { url } = login.start(appOf(fake.publicApp), redirectUri);
    await browse(url, (back) => {
      back.searchParams.delete('code');
      back.searchParams.set('error', 'invalid_scope');
      back.searchParams.set('error_description', 'scope not allowed for this app');
    });
    const err = lastFailure();
    expect([err.reason, err.oauthError]).toEqual(['authorize-error', 'invalid_scope']);
    expect(err.message).toContain('invalid_scope: scope not allowed for this app');
  });

  it('reports a wrong client secret as the app refused, once the user has approved', async () => {
    const app = { clientId: fake.confidentialApp.clientId, clientSecret: 'wrong-secret-1234' };
    const { url } = login.start(app, redirectUri);
    const { page } = await browse(url);
    expect(lastFailure().reason).toBe('client-refused');
    expect(page).not.toContain('wrong-secret-1234');
  });

  it('answers other paths on the callback port with 404, and cannot take a port in use', async () => {
    expect((await fetch(`http://127.0.0.1:${callback.port}/`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${callback.port}/oauth2/callback`, { method: 'POST' })).status).toBe(404);
    await expect(startCallbackServer({ port: callback.port, onCallback: async () => ({ ok: true, message: '' }) })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
