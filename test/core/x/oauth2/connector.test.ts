// Accounts from connect to disconnect, on the encrypted file against the fake X: a new account is
// stored with its handle, a restart restores it, a reconnect revives an ended session, and without
// CRIER_SECRET_KEY no login starts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openSecretFile } from '../../../../main/core/store/secret-file';
import { bearerApi } from '../../../../main/core/x/oauth2/bearer-api';
import { createOAuth2Connector, type OAuth2Connector } from '../../../../main/core/x/oauth2/connector';
import { createOAuth2Login } from '../../../../main/core/x/oauth2/login';
import { createPendingLogins, type PendingLogins } from '../../../../main/core/x/oauth2/pending-logins';
import { createTokenClient } from '../../../../main/core/x/oauth2/token-client';
import { createOAuth2Vault } from '../../../../main/core/x/oauth2/token-vault';
import { startFakeXOAuth, visitAuthorizePage, type FakeXOAuth } from '../../../support/fake-x-oauth';
import { createFakeClock, type FakeClock } from '../../../support/fake-clock';
import { capturedLogger, isUnauthorized, usersMe } from './helpers';

const KEY = 'the connector test key, long enough';
const REDIRECT = 'http://127.0.0.1:8917/oauth2/callback';
let fake: FakeXOAuth;
let dir: string;
let clock: FakeClock;
let pending: PendingLogins;
let logged: ReturnType<typeof capturedLogger>;

function connector(key: string | null = KEY): OAuth2Connector {
  const tokenClient = createTokenClient({ apiBase: fake.url, clock, httpsAgent: fake.agent });
  let n = 0;
  return createOAuth2Connector({
    login: createOAuth2Login({ authorizeUrl: fake.authorizeUrl, tokenClient, pending }),
    tokenClient,
    vault: createOAuth2Vault(openSecretFile(join(dir, 'oauth2.secret'), { key })),
    clock,
    log: logged.log,
    newAccountId: () => `acct-${++n}`,
    whoAmI: async (token) => (await bearerApi(token, { apiBase: fake.url, httpsAgent: fake.agent }).me()).data.username,
  });
}

const app = () => ({ clientId: fake.confidentialApp.clientId, clientSecret: fake.confidentialApp.clientSecret });

async function approve(c: OAuth2Connector, reconnect?: string) {
  const back = await visitAuthorizePage(c.start(app(), REDIRECT, reconnect).url, fake.agent);
  return c.finish(back.searchParams);
}

beforeAll(async () => {
  fake = await startFakeXOAuth({ redirectUri: REDIRECT });
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crier-connector-'));
  clock = createFakeClock();
  pending = createPendingLogins(clock);
  logged = capturedLogger();
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});
afterAll(async () => {
  await fake.close();
});

describe('the OAuth 2.0 connector', () => {
  it('connects an account with its handle, and a restart restores it ready to post', async () => {
    const done = await approve(connector());
    expect(done).toMatchObject({ reconnected: false, missingScopes: [], account: { id: 'acct-1', handle: 'crier_test' } });

    const restarted = connector();
    const { accounts, problems } = await restarted.restore();
    expect(problems).toEqual([]);
    expect(accounts.map((a) => [a.id, a.handle, a.app])).toEqual([['acct-1', 'crier_test', app()]]);
    const session = accounts[0]?.session;
    expect(await session?.withAccessToken((t) => usersMe(fake, t), isUnauthorized)).toBe('crier_test');
  });

  it('revives an ended session on reconnect, keeping the account id', async () => {
    const c = connector();
    const { account } = await approve(c);
    clock.advance(7200_000);
    fake.failNextToken({ type: 'status', status: 400, body: { error: 'invalid_grant' } });
    await expect(account.session.accessToken()).rejects.toMatchObject({ reason: 'grant-refused' });
    expect(account.session.failure()?.reason).toBe('grant-refused');

    const again = await approve(c, account.id);
    expect(again.reconnected).toBe(true);
    expect(again.account.id).toBe('acct-1');
    expect(account.session.failure()).toBeNull();
    expect(c.accounts()).toHaveLength(1);
    expect(await account.session.withAccessToken((t) => usersMe(fake, t), isUnauthorized)).toBe('crier_test');
  });

  it('forgets a disconnected account at rest too', async () => {
    const c = connector();
    await approve(c);
    await approve(c);
    await c.disconnect('acct-1');
    expect(c.accounts().map((a) => a.id)).toEqual(['acct-2']);
    expect((await connector().restore()).accounts.map((a) => a.id)).toEqual(['acct-2']);
  });

  it('starts no login without CRIER_SECRET_KEY, and says why', () => {
    expect(() => connector(null).start(app(), REDIRECT)).toThrow(/CRIER_SECRET_KEY is not set, so it refuses to store them/);
    expect(pending.size()).toBe(0);
  });

  it('logs connects and disconnects without a token or secret', async () => {
    const c = connector();
    const { account } = await approve(c);
    await c.disconnect(account.id);
    const output = logged.output();
    expect(output).toContain('connected an X account');
    for (const secret of [...fake.liveAccessTokens(), ...fake.liveRefreshTokens(), fake.confidentialApp.clientSecret ?? '-', KEY]) {
      expect(output).not.toContain(secret);
    }
  });
});
