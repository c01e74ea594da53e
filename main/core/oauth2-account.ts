// The one X account Crier has, when it may come through OAuth 2.0 with PKCE: an account connected
// that way (restored from its secret store at start) wins over the OAuth 1.0a account beneath
// (environment or safeStorage keys), and connecting either way replaces the other. Tokens live in
// the secret store only: headless a file encrypted with CRIER_SECRET_KEY, desktop safeStorage.
import { createHash, randomUUID } from 'node:crypto';
import { DEFAULT_ACCOUNT_ID, type AccountState, type OAuth1Credentials } from '../../preload/contract';
import { appFingerprint, lazyXClient, type AccountPort, type OAuth2Target } from './account';
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
  startOAuth2(app: OAuth2App, redirectUri: string, target?: OAuth2Target): { url: string };
  finishOAuth2(query: CallbackQuery): Promise<{ handle: string | null; missingScopes: string[]; accountId: string }>;
  /** Reads the stored account; each problem is a sentence for an 'account' notice (never a secret). */
  restore(): Promise<string[]>;
}

/** A store's refusal (no key, wrong key, damage) in its own words, which name no secret. */
function commandErrorOf(err: unknown): unknown {
  return err instanceof SecretFileError ? new CommandError('conflict', err.message) : err;
}

/**
 * The vault ids of the accounts added beside the default one (several accounts, issue 16) start
 * with this; the default account's OAuth 2.0 sign-in keeps any other id (a UUID, as before).
 */
const OTHER_PREFIX = 'other-';
export const isOtherAccountId = (id: string): boolean => id.startsWith(OTHER_PREFIX);
const newOtherAccountId = (): string => `${OTHER_PREFIX}${randomUUID().replace(/-/g, '').slice(0, 12)}`;

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

  // With keys in the environment, they are the default account; other accounts may still sign in.
  const current = (): ConnectedAccount | null => (deps.refusal ? null : connector.accounts().find((a) => !isOtherAccountId(a.id)) ?? null);
  const others = (): ConnectedAccount[] => connector.accounts().filter((a) => isOtherAccountId(a.id));
  const listListeners = new Set<() => void>();
  const listChanged = (): void => { for (const listener of [...listListeners]) listener(); };
  /** Each other account's client and budget, made at first use. */
  const otherMade = new Map<string, { session: ConnectedAccount['session']; client: XClient; quota: ReturnType<typeof createQuotaBoard> }>();
  const otherClient = (account: ConnectedAccount): XClient => {
    let made = otherMade.get(account.id);
    if (made?.session !== account.session) {
      const board = made?.quota ?? createQuotaBoard();
      made = { session: account.session, quota: board, client: sessionXClient(account.session, (token) => lazyXClient({ ...deps.clientOptions, bearerToken: token, apiBase, log, quota: board, now: () => clock.now() })) };
      otherMade.set(account.id, made);
    }
    return made.client;
  };
  const otherBoard = (id: string): ReturnType<typeof createQuotaBoard> => {
    let made = otherMade.get(id);
    if (!made) {
      const account = connector.accounts().find((a) => a.id === id);
      if (account) otherClient(account);
      made = otherMade.get(id);
    }
    return made?.quota ?? createQuotaBoard();
  };
  /** The developer app an account signed in through, for the limits X puts on the whole app. */
  const appOf = (account: ConnectedAccount): string => appFingerprint(`oauth2:${account.app.clientId}`);
  const tokensPrint = (account: ConnectedAccount): string => {
    // The tokens in the store: the same after a restart, new after a reconnect (never the tokens themselves).
    const tokens = contents?.accounts.get(account.id)?.tokens;
    const basis = `oauth2:${account.id}:${tokens?.refreshToken ?? tokens?.accessToken ?? ''}`;
    return createHash('sha256').update(basis).digest('base64url').slice(0, 22);
  };
  const stateOf = (account: ConnectedAccount, board: ReturnType<typeof createQuotaBoard>): Omit<AccountState, 'dryRun'> => {
    const failure = account.session.failure();
    return {
      connected: true,
      handle: account.handle,
      method: 'oauth2',
      secretsProtected: deps.secretsProtected,
      failure: failure ? { reason: failure.reason, message: failure.message } : null,
      ...quotaField(board),
    };
  };
  function otherPort(id: string): AccountPort | undefined {
    const find = (): ConnectedAccount | undefined => connector.accounts().find((a) => a.id === id);
    if (!isOtherAccountId(id) || find() === undefined) return undefined;
    return {
      client() {
        const account = find();
        return account ? otherClient(account) : null;
      },
      state() {
        const account = find();
        return account ? stateOf(account, otherBoard(id)) : { connected: false, handle: null, method: null, secretsProtected: deps.secretsProtected };
      },
      fingerprint() {
        const account = find();
        return account ? tokensPrint(account) : null;
      },
      app() {
        const account = find();
        return account ? appOf(account) : null;
      },
      onQuotaChange: (listener) => otherBoard(id).onChange(listener),
      setHandle(handle) {
        const account = find();
        if (account) account.handle = handle;
      },
      connect: () => Promise.reject(new CommandError('not-supported', 'Accounts added beside the first one connect with OAuth 2.0: use "Connect again" on the account.')),
      async disconnect() {
        await connector.disconnect(id).catch((err: unknown) => { throw commandErrorOf(err); });
        otherMade.delete(id);
        listChanged();
      },
    };
  }
  const clientOf = (account: ConnectedAccount): XClient => {
    if (made?.account.session !== account.session) {
      // Another account's numbers are not this one's.
      if (made && made.account.id !== account.id) quota.clear();
      made = { account, client: sessionXClient(account.session, (token) => lazyXClient({ ...deps.clientOptions, bearerToken: token, apiBase, log, quota, now: () => clock.now() })) };
    }
    return made.client;
  };
  /** The default account's OAuth 2.0 sign-ins (never the other accounts'). */
  async function disconnectAll(except?: string): Promise<void> {
    for (const account of connector.accounts()) if (account.id !== except && !isOtherAccountId(account.id)) await connector.disconnect(account.id);
    if (except === undefined) quota.clear();
  }

  return {
    async restore() {
      try {
        const { accounts, problems } = await connector.restore();
        contents = await vault.load();
        const defaults = accounts.filter((a) => !isOtherAccountId(a.id)).length;
        if (defaults > 1) log.warn('more OAuth 2.0 sign-ins are stored for the first account than Crier uses; the first one posts', { stored: defaults });
        // Keys in the environment are the default account; its stored sign-in waits until they are unset.
        return deps.refusal ? [] : problems;
      } catch (err) {
        if (deps.refusal) return [];
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
      return account ? stateOf(account, quota) : base.state();
    },

    app() {
      const account = current();
      return account ? appOf(account) : base.app?.() ?? null;
    },
    otherAccountIds: () => others().map((a) => a.id),
    otherAccount: otherPort,
    onAccountsChange(listener) {
      listListeners.add(listener);
      return () => { listListeners.delete(listener); };
    },

    onQuotaChange(listener) {
      const own = quota.onChange(listener);
      const beneath = base.onQuotaChange?.(listener);
      return () => { own(); beneath?.(); };
    },

    fingerprint() {
      const account = current();
      if (!account) return base.fingerprint?.() ?? null;
      return tokensPrint(account);
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

    startOAuth2(app, redirectUri, target) {
      const other = target?.add === true ? newOtherAccountId() : target?.accountId !== undefined && isOtherAccountId(target.accountId) ? target.accountId : null;
      if (other === null && deps.refusal) throw new CommandError('conflict', deps.refusal);
      if (authorizeProblem) throw authorizeProblem;
      try {
        if (other !== null) return { url: connector.start(app, redirectUri, other).url };
        const account = current();
        return { url: connector.start(app, redirectUri, account?.id).url };
      } catch (err) {
        throw commandErrorOf(err);
      }
    },

    async finishOAuth2(query) {
      const { account, missingScopes } = await connector.finish(query);
      contents ??= await vault.load();
      if (isOtherAccountId(account.id)) {
        // Another account beside the default one: nothing else is replaced.
        listChanged();
        return { handle: account.handle, missingScopes, accountId: account.id };
      }
      // One account: the new one replaces any other, OAuth 2.0 or stored keys.
      await disconnectAll(account.id);
      if (base.state().connected && !deps.refusal) await base.disconnect().catch((err: unknown) => log.warn('the stored OAuth 1.0a keys could not be removed', { error: err instanceof Error ? err.name : 'error' }));
      return { handle: account.handle, missingScopes, accountId: DEFAULT_ACCOUNT_ID };
    },
  };
}
