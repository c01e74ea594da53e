// The one account when OAuth 2.0 is in play: a stored OAuth 2.0 account wins over the OAuth 1.0a
// keys beneath, connecting either way replaces the other, keys in the environment refuse a login
// (and leave a stored one unread), a store that cannot be read is a sentence, and the fingerprint
// an auth pause keeps follows the stored tokens without being them.
import { describe, expect, it, vi } from 'vitest';
import type { AccountState, OAuth1Credentials } from '../../preload/contract';
import type { AccountPort } from '../../main/core/account';
import { CommandError } from '../../main/core/errors';
import { createOAuth2Account, type OAuth2AccountPort } from '../../main/core/oauth2-account';
import type { Logger } from '../../main/core/ports';
import { SecretFileError } from '../../main/core/store/secret-file';
import type { SecretValueStore } from '../../main/core/x/oauth2/token-vault';
import { createFakeClock } from '../support/fake-clock';

const log: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const APP = { clientId: 'client-id-1', clientSecret: null };
const stored = (accessToken: string, refreshToken: string | null) => ({
  version: 1,
  accounts: { 'acct-1': { app: APP, handle: 'crier_oauth', tokens: { accessToken, refreshToken, expiresAt: Date.parse('2030-01-01T00:00:00Z'), scopes: ['tweet.write'] } } },
});

function memoryStore(value: unknown = null): SecretValueStore & { value: unknown; writes: number; read: ReturnType<typeof vi.fn<() => Promise<unknown>>> } {
  const store = {
    value, writes: 0,
    read: vi.fn(async () => store.value),
    async write(next: unknown) { store.value = structuredClone(next); store.writes++; },
  };
  return store;
}

function keysAccount(connected: boolean): AccountPort & { connect: ReturnType<typeof vi.fn>; disconnect: ReturnType<typeof vi.fn> } {
  let state: Omit<AccountState, 'dryRun'> = { connected, handle: connected ? 'keys_account' : null, method: connected ? 'oauth1' : null, secretsProtected: true };
  return {
    client: () => null,
    state: () => state,
    fingerprint: () => (state.connected ? 'keys-print' : null),
    setHandle: () => {},
    connect: vi.fn(async (_c: OAuth1Credentials) => { state = { ...state, connected: true, method: 'oauth1', handle: null }; }),
    disconnect: vi.fn(async () => { state = { ...state, connected: false, method: null, handle: null }; }),
  };
}

function account(base: AccountPort, store: SecretValueStore, refusal: string | null = null): OAuth2AccountPort {
  return createOAuth2Account({ base, store, env: {}, log, clock: createFakeClock(Date.parse('2026-06-01T00:00:00Z')), secretsProtected: true, refusal });
}

describe('the account with OAuth 2.0', () => {
  it('posts as the stored OAuth 2.0 account over the keys beneath, with its handle and no failure', async () => {
    const a = account(keysAccount(true), memoryStore(stored('AT-1', 'RT-1')));
    expect(await a.restore()).toEqual([]);
    expect(a.state()).toEqual({ connected: true, handle: 'crier_oauth', method: 'oauth2', secretsProtected: true, failure: null });
    expect(a.client()).not.toBeNull();
  });

  it('uses the keys when no OAuth 2.0 account is stored', async () => {
    const a = account(keysAccount(true), memoryStore());
    expect(await a.restore()).toEqual([]);
    expect(a.state()).toMatchObject({ connected: true, method: 'oauth1', handle: 'keys_account' });
    expect(a.fingerprint?.()).toBe('keys-print');
  });

  it('keeps a fingerprint that holds across a restart and changes with the stored tokens, never showing them', async () => {
    const first = account(keysAccount(false), memoryStore(stored('AT-1', 'RT-1')));
    await first.restore();
    const again = account(keysAccount(false), memoryStore(stored('AT-1', 'RT-1')));
    await again.restore();
    const other = account(keysAccount(false), memoryStore(stored('AT-2', 'RT-2')));
    await other.restore();
    expect(first.fingerprint?.()).toBe(again.fingerprint?.());
    expect(first.fingerprint?.()).not.toBe(other.fingerprint?.());
    expect(first.fingerprint?.()).not.toMatch(/AT-1|RT-1/);
  });

  it('replaces the OAuth 2.0 account when keys are connected, and disconnects it alone', async () => {
    const store = memoryStore(stored('AT-1', 'RT-1'));
    const base = keysAccount(false);
    const a = account(base, store);
    await a.restore();
    await a.connect({ appKey: 'k', appSecret: 's', accessToken: 't', accessSecret: 'x' });
    expect(base.connect).toHaveBeenCalledTimes(1);
    expect(a.state()).toMatchObject({ method: 'oauth1' });
    expect(store.value).toEqual({ version: 1, accounts: {} });

    const b = account(keysAccount(true), memoryStore(stored('AT-1', 'RT-1')));
    await b.restore();
    await b.disconnect();
    expect(b.state()).toMatchObject({ connected: true, method: 'oauth1' });
  });

  it('refuses a login of the first account while keys come from the environment, and leaves its stored sign-in unused', async () => {
    const store = memoryStore(stored('AT-1', 'RT-1'));
    const a = account(keysAccount(true), store, 'Crier uses the X account from the CRIER_X_* environment variables.');
    expect(await a.restore()).toEqual([]);
    expect(a.state()).toMatchObject({ method: 'oauth1' });
    expect(a.otherAccountIds?.()).toEqual([]);
    expect(() => a.startOAuth2(APP, 'http://127.0.0.1:8917/oauth2/callback')).toThrow(CommandError);
  });

  it('says why a store could not be read, in its own words, and runs on the keys', async () => {
    const store = memoryStore();
    store.read.mockRejectedValue(new SecretFileError('wrong-key', 'CRIER_SECRET_KEY is not the key the file was written with.'));
    const a = account(keysAccount(false), store);
    expect(await a.restore()).toEqual(['CRIER_SECRET_KEY is not the key the file was written with.']);
    expect(a.state()).toMatchObject({ connected: false, method: null });
  });

  it('refuses to start a login the store could not keep, with the store\'s sentence', async () => {
    const store = { ...memoryStore(), checkWritable: () => { throw new SecretFileError('key-missing', 'CRIER_SECRET_KEY is not set, so it refuses to store them.'); } };
    const a = account(keysAccount(false), store);
    await a.restore();
    const err = (() => { try { a.startOAuth2(APP, 'http://127.0.0.1:8917/oauth2/callback'); return null; } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(CommandError);
    expect(err).toMatchObject({ code: 'conflict', message: 'CRIER_SECRET_KEY is not set, so it refuses to store them.' });
  });
});
