// The OAuth 2.0 accounts at rest in the encrypted secret file: a renewal through the vault is on
// disk before the session uses it, concurrent changes all land, and a file without a key, with
// the wrong key or with a bad record says so.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openSecretFile, SecretFileError } from '../../../../main/core/store/secret-file';
import { createOAuth2Vault, type StoredOAuth2Account } from '../../../../main/core/x/oauth2/token-vault';
import { createOAuth2Session } from '../../../../main/core/x/oauth2/session';
import { createTokenClient } from '../../../../main/core/x/oauth2/token-client';
import { createOAuth2Login } from '../../../../main/core/x/oauth2/login';
import { createPendingLogins } from '../../../../main/core/x/oauth2/pending-logins';
import { silentLogger } from '../../../../main/core/ports';
import { startFakeXOAuth, visitAuthorizePage, type FakeXOAuth } from '../../../support/fake-x-oauth';
import { createFakeClock } from '../../../support/fake-clock';
import { isUnauthorized, usersMe } from './helpers';

const KEY = 'a test key that is long enough';
const REDIRECT = 'http://127.0.0.1:8917/oauth2/callback';
let dir: string;
let path: string;
let fake: FakeXOAuth;

const account = (n: number): StoredOAuth2Account => ({
  app: { clientId: `client-${n}`, clientSecret: null },
  tokens: { accessToken: `fake-access-${n}`, refreshToken: `fake-refresh-${n}`, expiresAt: 1_000 + n, scopes: ['tweet.write'] },
  handle: `handle${n}`,
});

beforeAll(async () => {
  fake = await startFakeXOAuth({ redirectUri: REDIRECT });
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crier-vault-'));
  path = join(dir, 'oauth2.secret');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});
afterAll(async () => {
  await fake.close();
});

describe('the OAuth 2.0 vault', () => {
  it('keeps a connected account through a renewal: a restart reads the renewed pair, which X takes', async () => {
    const clock = createFakeClock();
    const tokenClient = createTokenClient({ apiBase: fake.url, clock, httpsAgent: fake.agent });
    const login = createOAuth2Login({ authorizeUrl: fake.authorizeUrl, tokenClient, pending: createPendingLogins(clock) });
    const app = { clientId: fake.confidentialApp.clientId, clientSecret: fake.confidentialApp.clientSecret };
    const back = await visitAuthorizePage(login.start(app, REDIRECT).url, fake.agent);
    const done = await login.finish(back.searchParams);

    const vault = createOAuth2Vault(openSecretFile(path, { key: KEY }));
    await vault.put('acct-1', { app: done.app, tokens: done.tokens, handle: null });
    const session = createOAuth2Session({ app, tokens: done.tokens, tokenClient, store: vault.tokenStore('acct-1'), clock, log: silentLogger });
    fake.revokeAccessTokens();
    expect(await session.withAccessToken((t) => usersMe(fake, t), isUnauthorized)).toBe('crier_test');

    const reopened = await createOAuth2Vault(openSecretFile(path, { key: KEY })).load();
    const stored = reopened.accounts.get('acct-1');
    expect(stored?.tokens.refreshToken).not.toBe(done.tokens.refreshToken);
    expect(fake.liveRefreshTokens()).toEqual(expect.arrayContaining([stored?.tokens.refreshToken]));
    expect(await usersMe(fake, stored?.tokens.accessToken ?? '')).toBe('crier_test');
    expect(stored?.app).toEqual(app);
  });

  it('lands every one of several concurrent changes', async () => {
    const vault = createOAuth2Vault(openSecretFile(path, { key: KEY }));
    await Promise.all([1, 2, 3].map((n) => vault.put(`acct-${n}`, account(n))));
    await Promise.all([
      vault.tokenStore('acct-1').save({ ...account(1).tokens, accessToken: 'fake-access-1b' }),
      vault.remove('acct-2'),
      vault.put('acct-4', account(4)),
    ]);
    const { accounts, problems } = await createOAuth2Vault(openSecretFile(path, { key: KEY })).load();
    expect(problems).toEqual([]);
    expect([...accounts.keys()].sort()).toEqual(['acct-1', 'acct-3', 'acct-4']);
    expect(accounts.get('acct-1')?.tokens.accessToken).toBe('fake-access-1b');
  });

  it('refuses to connect without CRIER_SECRET_KEY, and stays usable', async () => {
    const vault = createOAuth2Vault(openSecretFile(path, { key: null }));
    expect((await vault.load()).accounts.size).toBe(0);
    await expect(vault.put('acct-1', account(1))).rejects.toMatchObject({ problem: 'key-missing' });
    await expect(vault.put('acct-1', account(1))).rejects.toBeInstanceOf(SecretFileError);
    expect((await vault.load()).accounts.size).toBe(0);
  });

  it('passes on a wrong key as the file error, and loads once the key is right', async () => {
    await createOAuth2Vault(openSecretFile(path, { key: KEY })).put('acct-1', account(1));
    await expect(createOAuth2Vault(openSecretFile(path, { key: 'not the key it was written with' })).load()).rejects.toMatchObject({ problem: 'wrong-key' });
    expect((await createOAuth2Vault(openSecretFile(path, { key: KEY })).load()).accounts.get('acct-1')).toEqual(account(1));
  });

  it('leaves out a record without the right shape, saying so without its contents, and keeps the rest', async () => {
    await openSecretFile(path, { key: KEY }).write({ version: 1, accounts: { good: account(1), bad: { app: { clientId: 'x' }, tokens: { accessToken: 'fake-access-LEAK' } } } });
    const { accounts, problems } = await createOAuth2Vault(openSecretFile(path, { key: KEY })).load();
    expect([...accounts.keys()]).toEqual(['good']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('"bad"');
    expect(problems[0]).not.toContain('LEAK');
  });

  it('refuses a renewal for an account no longer connected', async () => {
    const vault = createOAuth2Vault(openSecretFile(path, { key: KEY }));
    await expect(vault.tokenStore('gone').save(account(1).tokens)).rejects.toThrow('no longer connected');
  });
});
