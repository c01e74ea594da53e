// OAuth 2.0 accounts from connect to disconnect, for the AccountPort to hold: restore the stored
// accounts at start, start a login (refused up front when tokens could not be stored), finish it
// (tokens stored before the account is used, the handle looked up), reconnect, disconnect.
import type { Clock, Logger } from '../../ports';
import type { CallbackQuery, FinishedLogin, OAuth2Login, StartedLogin } from './login';
import { createOAuth2Session, type OAuth2Session } from './session';
import type { TokenClient } from './token-client';
import type { OAuth2Vault } from './token-vault';
import type { OAuth2App } from './types';

export interface ConnectedAccount {
  id: string;
  app: OAuth2App;
  handle: string | null;
  session: OAuth2Session;
}

export interface OAuth2ConnectorOptions {
  login: OAuth2Login;
  tokenClient: TokenClient;
  vault: OAuth2Vault;
  clock: Clock;
  log: Logger;
  /** A new account's id (e.g. randomUUID). */
  newAccountId(): string;
  /**
   * The handle for an access token (GET /2/users/me through bearerApi). A failure leaves the
   * handle null rather than failing a login X has already granted.
   */
  whoAmI?(accessToken: string): Promise<string>;
}

export interface FinishedConnect {
  account: ConnectedAccount;
  /** Scopes asked for and not granted: tell the user (no tweet.write: posting will be refused). */
  missingScopes: string[];
  reconnected: boolean;
}

export interface OAuth2Connector {
  /** The accounts in the vault, each with its session; problems are sentences for a notice. */
  restore(): Promise<{ accounts: ConnectedAccount[]; problems: string[] }>;
  /** Throws the vault's refusal (no CRIER_SECRET_KEY) before anything is sent to X. */
  start(app: OAuth2App, redirectUri: string, reconnectAccountId?: string): StartedLogin;
  /** Rejects with OAuth2Error (the login) or the store's error (the tokens could not be kept). */
  finish(query: CallbackQuery): Promise<FinishedConnect>;
  disconnect(accountId: string): Promise<void>;
  accounts(): ConnectedAccount[];
}

export function createOAuth2Connector(options: OAuth2ConnectorOptions): OAuth2Connector {
  const { vault, log } = options;
  const live = new Map<string, ConnectedAccount>();

  const sessionFor = (id: string, finished: Pick<FinishedLogin, 'app' | 'tokens'>): OAuth2Session =>
    createOAuth2Session({ app: finished.app, tokens: finished.tokens, tokenClient: options.tokenClient, store: vault.tokenStore(id), clock: options.clock, log });

  async function handleOf(accessToken: string): Promise<string | null> {
    if (!options.whoAmI) return null;
    try {
      return await options.whoAmI(accessToken);
    } catch (err) {
      log.warn('connected, but X did not say whose account it is', { problem: err instanceof Error ? err.name : 'error' });
      return null;
    }
  }

  return {
    async restore() {
      const { accounts, problems } = await vault.load();
      for (const [id, stored] of accounts) {
        live.set(id, { id, app: stored.app, handle: stored.handle, session: sessionFor(id, stored) });
      }
      return { accounts: [...live.values()], problems };
    },

    start(app, redirectUri, reconnectAccountId) {
      vault.checkWritable();
      return options.login.start(app, redirectUri, reconnectAccountId);
    },

    async finish(query) {
      const finished = await options.login.finish(query);
      const known = finished.accountId === undefined ? undefined : live.get(finished.accountId);
      // A login started for an account not yet known (another account being added) makes it under that id.
      const id = known?.id ?? finished.accountId ?? options.newAccountId();
      const handle = (await handleOf(finished.tokens.accessToken)) ?? known?.handle ?? null;
      // Stored before the account is handed out: a crash after this keeps the new tokens.
      await vault.put(id, { app: finished.app, tokens: finished.tokens, handle });
      let account: ConnectedAccount;
      if (known && known.app.clientId === finished.app.clientId) {
        known.session.replaceTokens(finished.tokens);
        account = { ...known, app: finished.app, handle };
      } else {
        account = { id, app: finished.app, handle, session: sessionFor(id, finished) };
      }
      live.set(id, account);
      log.info(known ? 'reconnected an X account' : 'connected an X account', { accountId: id, handle, missingScopes: finished.missingScopes });
      return { account, missingScopes: finished.missingScopes, reconnected: known !== undefined };
    },

    async disconnect(accountId) {
      await vault.remove(accountId);
      live.delete(accountId);
      log.info('disconnected an X account', { accountId });
    },

    accounts: () => [...live.values()],
  };
}
