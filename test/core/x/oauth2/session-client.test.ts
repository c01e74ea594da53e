// The XClient over a session, with the real session against the fake X and a stand-in client
// per access token: a 401 renews and posts once more, a session that ended is an auth XError.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuth2Login } from '../../../../main/core/x/oauth2/login';
import { createPendingLogins } from '../../../../main/core/x/oauth2/pending-logins';
import { createOAuth2Session } from '../../../../main/core/x/oauth2/session';
import { isUnauthorizedXError, sessionXClient } from '../../../../main/core/x/oauth2/session-client';
import { createTokenClient } from '../../../../main/core/x/oauth2/token-client';
import { XError, type XClient } from '../../../../main/core/x/types';
import { silentLogger } from '../../../../main/core/ports';
import { startFakeXOAuth, usersMeStatus, visitAuthorizePage, type FakeXOAuth } from '../../../support/fake-x-oauth';
import { createFakeClock } from '../../../support/fake-clock';
import { recordingStore } from './helpers';

const REDIRECT = 'http://127.0.0.1:8917/oauth2/callback';
let fake: FakeXOAuth;

beforeAll(async () => {
  fake = await startFakeXOAuth({ redirectUri: REDIRECT });
});
afterAll(async () => {
  await fake.close();
});

/** A client that "posts" by asking users/me with its token: X's 401 becomes the XError client.ts makes. */
function standIn(token: string, made: string[]): XClient {
  made.push(token);
  const asX = async (): Promise<void> => {
    const status = await usersMeStatus(fake.url, token, fake.agent);
    if (status === 401) throw new XError({ kind: 'auth', message: 'X refused the credentials.', httpStatus: 401 });
  };
  return {
    async post() {
      await asX();
      return { postId: '1', postUrl: 'https://x.com/i/status/1', note: null };
    },
    async me() {
      await asX();
      return { handle: 'crier_test' };
    },
  };
}

async function connected() {
  const clock = createFakeClock();
  const tokenClient = createTokenClient({ apiBase: fake.url, clock, httpsAgent: fake.agent });
  const login = createOAuth2Login({ authorizeUrl: fake.authorizeUrl, tokenClient, pending: createPendingLogins(clock) });
  const app = { clientId: fake.publicApp.clientId, clientSecret: null };
  const done = await login.finish((await visitAuthorizePage(login.start(app, REDIRECT).url, fake.agent)).searchParams);
  return { clock, session: createOAuth2Session({ app, tokens: done.tokens, tokenClient, store: recordingStore(), clock, log: silentLogger }) };
}

describe('the X client over an OAuth 2.0 session', () => {
  it('keeps one client per access token, and posts once more with a renewed token after a 401', async () => {
    const { session } = await connected();
    const made: string[] = [];
    const x = sessionXClient(session, (t) => standIn(t, made));
    expect(await x.me()).toEqual({ handle: 'crier_test' });
    expect(await x.me()).toEqual({ handle: 'crier_test' });
    expect(made).toHaveLength(1);
    fake.revokeAccessTokens();
    expect((await x.post({ text: 'hello', imageUrl: null })).postId).toBe('1');
    expect(made).toHaveLength(2);
  });

  it('turns an ended session into the auth XError the queue pauses on, with the reason', async () => {
    const { session, clock } = await connected();
    const x = sessionXClient(session, (t) => standIn(t, []));
    clock.advance(7200_000);
    fake.failNextToken({ type: 'status', status: 400, body: { error: 'invalid_grant' } });
    const err = await x.post({ text: 'hello', imageUrl: null }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(XError);
    expect((err as XError).failure).toMatchObject({ kind: 'auth', httpStatus: 400 });
    expect((err as XError).message).toContain('the account has to be connected again');
  });

  it('tells a 401 XError from others', () => {
    expect(isUnauthorizedXError(new XError({ kind: 'auth', message: '', httpStatus: 401 }))).toBe(true);
    expect(isUnauthorizedXError(new XError({ kind: 'auth', message: '', httpStatus: 403 }))).toBe(false);
    expect(isUnauthorizedXError(new Error('401'))).toBe(false);
  });
});
