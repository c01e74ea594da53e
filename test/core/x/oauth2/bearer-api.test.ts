// twitter-api-v2 with an OAuth 2.0 access token, through the session: requests go to the
// configured base with the bearer token, and a 401 renews the session and succeeds once more.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerApi, isUnauthorizedAnswer } from '../../../../main/core/x/oauth2/bearer-api';
import { createOAuth2Login } from '../../../../main/core/x/oauth2/login';
import { createPendingLogins } from '../../../../main/core/x/oauth2/pending-logins';
import { createOAuth2Session } from '../../../../main/core/x/oauth2/session';
import { createTokenClient } from '../../../../main/core/x/oauth2/token-client';
import { silentLogger } from '../../../../main/core/ports';
import { startFakeXOAuth, visitAuthorizePage, type FakeXOAuth } from '../../../support/fake-x-oauth';
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

describe('twitter-api-v2 in OAuth 2.0 user context', () => {
  it('calls the configured base with the bearer token, and renews the session on a 401', async () => {
    const clock = createFakeClock();
    const tokenClient = createTokenClient({ apiBase: fake.url, clock, httpsAgent: fake.agent });
    const login = createOAuth2Login({ authorizeUrl: fake.authorizeUrl, tokenClient, pending: createPendingLogins(clock) });
    const app = { clientId: fake.publicApp.clientId, clientSecret: null };
    const done = await login.finish((await visitAuthorizePage(login.start(app, REDIRECT).url, fake.agent)).searchParams);
    const store = recordingStore();
    const session = createOAuth2Session({ app, tokens: done.tokens, tokenClient, store, clock, log: silentLogger });
    const me = () => session.withAccessToken((token) => bearerApi(token, { apiBase: fake.url, httpsAgent: fake.agent }).me(), isUnauthorizedAnswer);

    expect((await me()).data.username).toBe('crier_test');
    expect(store.saved).toHaveLength(0);
    fake.revokeAccessTokens();
    expect((await me()).data.username).toBe('crier_test');
    expect(store.saved).toHaveLength(1);
    expect(fake.tokenRequests.filter((r) => r.grantType === 'refresh_token')).toHaveLength(1);
  });

  it('tells a 401 from other failures', async () => {
    const err = await bearerApi('fake-access-unknown', { apiBase: fake.url, httpsAgent: fake.agent }).me().catch((e: unknown) => e);
    expect(isUnauthorizedAnswer(err)).toBe(true);
    expect(isUnauthorizedAnswer(new Error('401'))).toBe(false);
  });
});
