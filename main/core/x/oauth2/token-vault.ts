// The connected OAuth 2.0 accounts as kept at rest: one JSON value, { version, accounts: { id:
// { app, tokens, handle } } }, in a secret store — headless the encrypted file
// (store/secret-file.ts), on the desktop anything with the same read/write shape over
// safeStorage. Writes are serialized, so a renewal of one account and a connect of another
// never write over each other.
import { z } from 'zod';
import type { OAuth2App, TokenSet, TokenStore } from './types';

/** What the vault needs from a secret store: read the value (null: none yet), replace it. */
export interface SecretValueStore {
  read(): Promise<unknown>;
  write(value: unknown): Promise<void>;
  /** Throws when nothing could be written (headless without CRIER_SECRET_KEY), before any login starts. */
  checkWritable?(): void;
}

export interface StoredOAuth2Account {
  app: OAuth2App;
  tokens: TokenSet;
  handle: string | null;
}

export interface VaultContents {
  accounts: Map<string, StoredOAuth2Account>;
  /** One sentence per record left out because it does not have the right shape (never its contents). */
  problems: string[];
}

export interface OAuth2Vault {
  /** Reads the store (once; later calls answer from memory). Rejects with the store's error. */
  load(): Promise<VaultContents>;
  /** Adds or replaces an account (connect, reconnect). */
  put(accountId: string, account: StoredOAuth2Account): Promise<void>;
  /** Forgets an account (disconnect). */
  remove(accountId: string): Promise<void>;
  /** The TokenStore a session of this account saves its renewed pairs through. */
  tokenStore(accountId: string): TokenStore;
  /** Throws the store's refusal when it could not keep tokens (no key), so a login is not started for nothing. */
  checkWritable(): void;
}

const VAULT_VERSION = 1;

const appSchema = z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1).nullable() });
const tokensSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).nullable(),
  expiresAt: z.number().finite(),
  scopes: z.array(z.string()),
});
const accountSchema = z.object({ app: appSchema, tokens: tokensSchema, handle: z.string().nullable() });

function read(value: unknown): VaultContents {
  const accounts = new Map<string, StoredOAuth2Account>();
  const problems: string[] = [];
  if (value === null) return { accounts, problems };
  const root = typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  const stored = root?.accounts;
  if (root === null || typeof stored !== 'object' || stored === null || Array.isArray(stored)) {
    problems.push('The stored OAuth 2.0 accounts are not in a shape Crier knows; connect the accounts again.');
    return { accounts, problems };
  }
  for (const [id, record] of Object.entries(stored as Record<string, unknown>)) {
    const parsed = accountSchema.safeParse(record);
    if (parsed.success) accounts.set(id, parsed.data);
    // The issue list is left out: zod quotes the values it refused, and these are secrets.
    else problems.push(`The stored OAuth 2.0 account ${JSON.stringify(id.slice(0, 64))} is incomplete and was left out; connect it again.`);
  }
  return { accounts, problems };
}

export function createOAuth2Vault(store: SecretValueStore): OAuth2Vault {
  let loaded: Promise<VaultContents> | null = null;
  let chain: Promise<unknown> = Promise.resolve();

  const load = (): Promise<VaultContents> => {
    loaded ??= store.read().then(read).catch((err: unknown) => {
      loaded = null;
      throw err;
    });
    return loaded;
  };

  /** One change at a time, each written whole; a failed write leaves memory as the store has it. */
  function change(edit: (accounts: Map<string, StoredOAuth2Account>) => Map<string, StoredOAuth2Account>): Promise<void> {
    const run = chain.then(async () => {
      const contents = await load();
      const next = edit(new Map(contents.accounts));
      await store.write({ version: VAULT_VERSION, accounts: Object.fromEntries(next) });
      contents.accounts = next;
    });
    chain = run.catch(() => {});
    return run;
  }

  return {
    load,
    checkWritable: () => store.checkWritable?.(),
    put: (accountId, account) => change((accounts) => accounts.set(accountId, account)),
    remove: (accountId) => change((accounts) => {
      accounts.delete(accountId);
      return accounts;
    }),
    tokenStore(accountId) {
      return {
        save: (tokens) => change((accounts) => {
          const account = accounts.get(accountId);
          if (!account) throw new Error(`the account ${accountId} is no longer connected`);
          return accounts.set(accountId, { ...account, tokens });
        }),
      };
    },
  };
}
