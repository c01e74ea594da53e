// Where the X account comes from. Headless reads OAuth 1.0a credentials from the environment;
// the desktop shell supplies a port backed by safeStorage (connect / disconnect).
import type { AccountState, OAuth1Credentials } from '../../preload/contract';
import { CommandError } from './errors';
import type { LengthRules } from './networks/types';
import type { Logger } from './ports';
import type { XClientOptions } from './x/client';
import type { CallbackQuery } from './x/oauth2/login';
import type { OAuth2App } from './x/oauth2/types';
import { createHash } from 'node:crypto';
import { apiBaseFromEnv, credentialsFingerprint, credentialsFromEnv } from './x/credentials';
import { createQuotaBoard, quotaField } from './x/quota';
import { XError, type XClient } from './x/types';

export interface AccountPort {
  /** The client to post with, or null: no account, so Crier runs dry. */
  client(): XClient | null;
  /** Everything but dryRun, which also depends on the settings. */
  state(): Omit<AccountState, 'dryRun'>;
  /**
   * A one-way fingerprint of the credentials in use (null: none), so a pause X caused by refusing
   * them can tell, after a restart, whether they were replaced meanwhile. Never the secret itself.
   */
  fingerprint?(): string | null;
  /**
   * Calls `listener` when the account's state changed by itself: X's answers moved the posting
   * budget (state().quota). Returns the unsubscribe. Absent: the state changes only by commands.
   */
  onQuotaChange?(listener: () => void): () => void;
  /** Remembers the handle a connection test found. */
  setHandle(handle: string | null): void;
  connect(credentials: OAuth1Credentials): Promise<void>;
  disconnect(): Promise<void>;
  /**
   * OAuth 2.0 with PKCE (oauth2-account.ts); absent where the account cannot be connected that way.
   * `target`: another account to connect again (its id), or a new one beside the others (`add`).
   */
  startOAuth2?(app: OAuth2App, redirectUri: string, target?: OAuth2Target): { url: string };
  /** The callback's query. Rejects with OAuth2Error (the login) or CommandError (the tokens could not be kept). */
  finishOAuth2?(query: CallbackQuery): Promise<{ handle: string | null; missingScopes: string[]; accountId: string }>;
  /**
   * Which developer app the credentials belong to (a one-way fingerprint of its key or client id),
   * so a limit X puts on the app pauses every account of it; null: none, or not known.
   */
  app?(): string | null;
  /** The other accounts connected beside this one (several accounts, issue 16), in the order they came. */
  otherAccountIds?(): string[];
  /** One of otherAccountIds' accounts; undefined once it is gone. */
  otherAccount?(id: string): AccountPort | undefined;
  /** Calls `listener` when another account came or went. Returns the unsubscribe. */
  onAccountsChange?(listener: () => void): () => void;
  /** Another account on Bluesky or Mastodon (network-accounts.ts): its id once signed in; rejects with CommandError in words. */
  connectBluesky?(input: { identifier: string; appPassword: string; service?: string | null; accountId?: string }): Promise<string>;
  connectMastodon?(input: { instanceUrl: string; accessToken: string; accountId?: string }): Promise<string>;
  /** How the account's network counts a post (a Mastodon instance's own limits); absent: by its network's defaults. */
  lengthRules?(): LengthRules;
}

/** Whom an OAuth 2.0 login connects: absent, the default account. */
export interface OAuth2Target { accountId?: string; add?: boolean }

export function createEnvAccount(
  env: Record<string, string | undefined>,
  log: Logger,
  clientOptions: Pick<XClientOptions, 'allowLoopbackImages'> = {},
): AccountPort {
  const credentials = credentialsFromEnv(env);
  const quota = createQuotaBoard();
  const client = credentials ? lazyXClient({ ...clientOptions, credentials, apiBase: apiBaseFromEnv(env), log, quota }) : null;
  const print = credentials ? credentialsFingerprint(credentials) : null;
  const appPrint = credentials ? appFingerprint(`oauth1:${credentials.appKey}`) : null;
  let handle: string | null = null;
  const unsupported = (): Promise<never> =>
    Promise.reject(new CommandError('not-supported',
      'Headless Crier reads its X account from the environment: set CRIER_X_APP_KEY, CRIER_X_APP_SECRET, CRIER_X_ACCESS_TOKEN and CRIER_X_ACCESS_SECRET, then restart.'));
  return {
    client: () => client,
    fingerprint: () => print,
    app: () => appPrint,
    // Nothing is stored by Crier in this mode, so there is no secret at rest to protect.
    state: () => ({ connected: client !== null, handle, method: client ? 'oauth1' : null, secretsProtected: true, ...quotaField(quota) }),
    onQuotaChange: (listener) => quota.onChange(listener),
    setHandle(next) {
      handle = next;
    },
    connect: unsupported,
    disconnect: unsupported,
  };
}

/** A developer app's identity for app-wide pauses: never the key itself. */
export function appFingerprint(basis: string): string {
  return createHash('sha256').update(basis).digest('base64url').slice(0, 16);
}

/**
 * The X client, made at its first request: the client module and twitter-api-v2 (a chunk of their
 * own in dist/, build.mjs) load then, not at start, so a start that posts nothing never loads them.
 */
export function lazyXClient(options: XClientOptions): XClient {
  let made: Promise<XClient> | null = null;
  const real = (): Promise<XClient> => {
    made ??= import('./x/client').then((m) => m.createXClient(options)).catch((err: unknown) => {
      made = null;
      // The queue expects XError only; a build missing its chunk is no reason to stop it.
      throw new XError({ kind: 'unknown', message: `The X client could not be loaded: ${err instanceof Error ? err.message : String(err)}` });
    });
    return made;
  };
  return {
    post: async (request) => (await real()).post(request),
    me: async () => (await real()).me(),
    async findPost(query) {
      const client = await real();
      if (!client.findPost) throw new XError({ kind: 'unknown', message: 'This X client cannot look at the timeline.' });
      return client.findPost(query);
    },
    async deletePost(postId) {
      const client = await real();
      if (!client.deletePost) throw new XError({ kind: 'unknown', message: 'This X client cannot delete posts.' });
      return client.deletePost(postId);
    },
  };
}
