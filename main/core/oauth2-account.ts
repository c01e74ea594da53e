// The one X account Crier has, when it may come through OAuth 2.0 with PKCE: an account connected
// that way (restored from its secret store at start) wins over the OAuth 1.0a account beneath
// (environment or safeStorage keys), and connecting either way replaces the other. Tokens live in
// the secret store only: headless a file encrypted with CRIER_SECRET_KEY, desktop safeStorage.
import { createHash, randomUUID } from 'node:crypto';
import type { AccountState, OAuth1Credentials } from '../../preload/contract';
import { lazyXClient, type AccountPort } from './account';
import { CommandError } from './errors';
import type { Clock, Logger } from './ports';
import { SecretFileError } from './store/secret-file';
import type { XClientOptions } from './x/client';
import { apiBaseFromEnv } from './x/credentials';
import { createQuotaBoard, quotaField } from './x/quota';
import { authorizeUrlFromEnv } from './x/oauth2/authorize-url';
import { createOAuth2Connector, type ConnectedAccount, type OAuth2Connector } from './x/oauth2/connector';
import { createOAuth2Login, type CallbackQuery } from './x/oauth2/login';
import { createPendingLogins } from './x/oauth2/pending-logins';
import { sessionXClient } from './x/oauth2/session-client';
import { createTokenClient } from './x/oauth2/token-client';
import { createOAuth2Vault, type SecretValueStore, type VaultContents } from './x/oauth2/token-vault';
import type { OAuth2App } from './x/oauth2/types';
import type { XClient } from './x/types';

export interface OAuth2AccountDeps {
  /** The OAuth 1.0a account (environment or safeStorage) used while no OAuth 2.0 account is connected. */
  base: AccountPort;
  /** Where the tokens are kept: the encrypted file headless, safeStorage on the desktop. */
  store: SecretValueStore;
  env: Record<string, string | undefined>;
  log: Logger;
  clock: Clock;
  /** False where the store is no real protection (a Linux desktop without a keyring). */
  secretsProtected: boolean;
  /**
   * Why OAuth 2.0 may not be connected here, or null: keys in the CRIER_X_* variables are the
   * account, and a login would be ignored.
   */
  refusal?: string | null;
  clientOptions?: Pick<XClientOptions, 'allowLoopbackImages'>;
}

export interface OAuth2AccountPort extends AccountPort {
  startOAuth2(app: OAuth2App, redirectUri: string): { url: string };
  finishOAuth2(query: CallbackQuery): Promise<{ handle: string | null; missingScopes: string[] }>;
  /** Reads the stored account; each problem is a sentence for an 'account' notice (never a secret). */
  restore(): Promise<string[]>;
}

/** A store's refusal (no key, wrong key, damage) in its own words, which name no secret. */
function commandErrorOf(err: unknown): unknown {
  return err instanceof SecretFileError ? new CommandError('conflict', err.message) : err;
}

export function createOAuth2Account(deps: OAuth2AccountDeps): OAuth2AccountPort {
  const { base, log, clock, env } = deps;
  const apiBase = apiBaseFromEnv(env);
  const tokenClient = createTokenClient({ apiBase, clock });
  const vault = createOAuth2Vault(deps.store);
  let authorizeUrl: string | null = null;
  let authorizeProblem: unknown = null;
  try {
    authorizeUrl = authorizeUrlFromEnv(env);
  } catch (err) {
    // Said when a login starts, not at start: the OAuth 1.0a account works without it.
    authorizeProblem = err;
  }
  const connector: OAuth2Connector = createOAuth2Connector({
    login: createOAuth2Login({ authorizeUrl: authorizeUrl ?? 'https://x.invalid/', tokenClient, pending: createPendingLogins(clock) }),
    tokenClient,
    vault,
    clock,
    log,
    newAccountId: randomUUID,
    async whoAmI(accessToken) {
      const { createXClient } = await import('./x/client');
      return (await createXClient({ bearerToken: accessToken, apiBase, log }).me()).handle;
    },
  });
  let contents: VaultContents | null = null;
  /** The OAuth 2.0 account's budget, kept across its access tokens (one client each); the keys beneath keep their own. */
  const quota = createQuotaBoard();
  let made: { account: ConnectedAccount; client: XClient } | null = null;

  const current = (): ConnectedAccount | null => connector.accounts()[0] ?? null;
  const clientOf = (account: ConnectedAccount): XClient => {
    if (made?.account.session !== account.session) {
      // Another account's numbers are not this one's.
      if (made && made.account.id !== account.id) quota.clear();
      made = { account, client: sessionXClient(account.session, (token) => lazyXClient({ ...deps.clientOptions, bearerToken: token, apiBase, log, quota, now: () => clock.now() })) };
    }
    return made.client;
  };
  async function disconnectAll(except?: string): Promise<void> {
    for (const account of connector.accounts()) if (account.id !== except) await connector.disconnect(account.id);
    if (except === undefined) quota.clear();
  }

  return {
    async restore() {
      // Keys in the environment are the account; a stored OAuth 2.0 one waits until they are unset.
      if (deps.refusal) return [];
      try {
        const { accounts, problems } = await connector.restore();
        contents = await vault.load();
        if (accounts.length > 1) log.warn('more OAuth 2.0 accounts are stored than Crier uses; the first one posts', { stored: accounts.length });
        return problems;
      } catch (err) {
        log.warn('the stored OAuth 2.0 account could not be read', { problem: err instanceof SecretFileError ? err.problem : 'error' });
        return [err instanceof SecretFileError ? err.message : 'The stored OAuth 2.0 account could not be read; connect the X account again.'];
      }
    },

    client() {
      const account = current();
      return account ? clientOf(account) : base.client();
    },

    state(): Omit<AccountState, 'dryRun'> {
      const account = current();
      if (!account) return base.state();
      const failure = account.session.failure();
      return {
        connected: true,
        handle: account.handle,
        method: 'oauth2',
        secretsProtected: deps.secretsProtected,
        failure: failure ? { reason: failure.reason, message: failure.message } : null,
        ...quotaField(quota),
      };
    },

    onQuotaChange(listener) {
      const own = quota.onChange(listener);
      const beneath = base.onQuotaChange?.(listener);
      return () => { own(); beneath?.(); };
    },

    fingerprint() {
      const account = current();
      if (!account) return base.fingerprint?.() ?? null;
      // The tokens in the store: the same after a restart, new after a reconnect (never the tokens themselves).
      const tokens = contents?.accounts.get(account.id)?.tokens;
      const basis = `oauth2:${account.id}:${tokens?.refreshToken ?? tokens?.accessToken ?? ''}`;
      return createHash('sha256').update(basis).digest('base64url').slice(0, 22);
    },

    setHandle(handle) {
      const account = current();
      if (account) account.handle = handle;
      else base.setHandle(handle);
    },

    async connect(credentials: OAuth1Credentials) {
      await base.connect(credentials);
      await disconnectAll();
    },

    async disconnect() {
      if (current()) await disconnectAll().catch((err: unknown) => { throw commandErrorOf(err); });
      else await base.disconnect();
    },

    startOAuth2(app, redirectUri) {
      if (deps.refusal) throw new CommandError('conflict', deps.refusal);
      if (authorizeProblem) throw authorizeProblem;
      try {
        const account = current();
        return { url: connector.start(app, redirectUri, account?.id).url };
      } catch (err) {
        throw commandErrorOf(err);
      }
    },

    async finishOAuth2(query) {
      const { account, missingScopes } = await connector.finish(query);
      contents ??= await vault.load();
      // One account: the new one replaces any other, OAuth 2.0 or stored keys.
      await disconnectAll(account.id);
      if (base.state().connected && !deps.refusal) await base.disconnect().catch((err: unknown) => log.warn('the stored OAuth 1.0a keys could not be removed', { error: err instanceof Error ? err.name : 'error' }));
      return { handle: account.handle, missingScopes };
    },
  };
}
