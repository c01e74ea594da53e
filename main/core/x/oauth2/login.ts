// The login itself: start (a state, a PKCE pair, the authorize URL) and finish (the callback's
// query checked against the pending login, then the code exchanged for tokens).
import { buildAuthorizeUrl, OAUTH2_SCOPES } from './authorize-url';
import type { PendingLogins } from './pending-logins';
import { createPkcePair, createState } from './pkce';
import type { TokenClient } from './token-client';
import { sayable } from './token-client';
import { OAuth2Error, type OAuth2App, type TokenSet } from './types';

export interface OAuth2LoginOptions {
  /** authorizeUrlFromEnv(env): X's page, or CRIER_X_AUTHORIZE_URL. */
  authorizeUrl: string;
  tokenClient: TokenClient;
  pending: PendingLogins;
  scopes?: readonly string[];
}

export interface StartedLogin {
  /** Where to send the browser. Holds no secret: the challenge is a hash, the state single-use. */
  url: string;
  state: string;
}

export interface FinishedLogin {
  app: OAuth2App;
  /** The account this login reconnects, as given to start(); absent for a new account. */
  accountId?: string;
  tokens: TokenSet;
  /** Scopes Crier asked for and X did not grant (e.g. an app set to read-only): posting will fail without tweet.write. */
  missingScopes: string[];
}

/** The callback's query: a URLSearchParams or a parsed query object. */
export type CallbackQuery = URLSearchParams | Record<string, string | string[] | undefined>;

export interface OAuth2Login {
  /** `accountId`: the account this login reconnects (absent: a new account). */
  start(app: OAuth2App, redirectUri: string, accountId?: string): StartedLogin;
  /** Rejects with OAuth2Error only: state-mismatch, login-expired, denied, authorize-error, or the exchange's. */
  finish(query: CallbackQuery): Promise<FinishedLogin>;
}

function param(query: CallbackQuery, name: string): string | null {
  if (query instanceof URLSearchParams) return query.get(name);
  const value = query[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

export function createOAuth2Login(options: OAuth2LoginOptions): OAuth2Login {
  const scopes = options.scopes ?? OAUTH2_SCOPES;
  return {
    start(app, redirectUri, accountId) {
      const state = createState();
      const { codeVerifier, codeChallenge } = createPkcePair();
      options.pending.add({ state, codeVerifier, redirectUri, app, ...(accountId === undefined ? {} : { accountId }) });
      return { url: buildAuthorizeUrl({ authorizeUrl: options.authorizeUrl, clientId: app.clientId, redirectUri, state, codeChallenge, scopes }), state };
    },

    async finish(query) {
      const state = param(query, 'state');
      if (!state) throw new OAuth2Error('state-mismatch', 'The sign-in answer came back without a state. Click Connect again.');
      // Taken before anything else, so a state serves one answer whatever that answer says.
      const login = options.pending.take(state);
      const error = param(query, 'error');
      if (error === 'access_denied') {
        throw new OAuth2Error('denied', 'The sign-in was declined on X, so no account was connected.', undefined, error);
      }
      if (error !== null) {
        const description = param(query, 'error_description');
        const said = sayable([error, description].filter(Boolean).join(': '), [login.codeVerifier]);
        throw new OAuth2Error('authorize-error', `X's sign-in page answered with an error (${said}). Check the app's client id and callback URL, then connect again.`, undefined, sayable(error, []));
      }
      const code = param(query, 'code');
      if (!code) throw new OAuth2Error('authorize-error', "X's sign-in page answered without a code. Click Connect again.");
      const tokens = await options.tokenClient.exchangeCode(login.app, { code, codeVerifier: login.codeVerifier, redirectUri: login.redirectUri });
      // X leaves `scope` out of some answers; only a scope list it did send can be missing something.
      const missingScopes = tokens.scopes.length === 0 ? [] : scopes.filter((s) => !tokens.scopes.includes(s));
      return { app: login.app, tokens, missingScopes, ...(login.accountId === undefined ? {} : { accountId: login.accountId }) };
    },
  };
}
