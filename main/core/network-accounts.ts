// Accounts on networks beside X (issue 18): Bluesky (handle + app password) and Mastodon
// (instance + access token), connected beside the X accounts as other accounts (ids `bsky-…`,
// `masto-…`). Each is an AccountPort whose client posts through the network's Destination
// (networks/*, loaded at the first request), so the queue — pacing, caps, pauses, the in-doubt
// rule — is the same on every network. Secrets live in their own secret store (headless a file
// encrypted with CRIER_SECRET_KEY, desktop safeStorage), never the settings, a response or a log.
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AccountState } from '../../preload/contract';
import type { AccountPort } from './account';
import { CommandError } from './errors';
import { lengthRulesFor } from './compose/network-post';
import type { BlueskySessionData } from './networks/bluesky/session';
import type { Destination, NetworkId } from './networks/types';
import type { Clock, Logger } from './ports';
import { SecretFileError } from './store/secret-file';
import type { SecretValueStore } from './x/oauth2/token-vault';
import { XError, type PostTaskRef, type XClient } from './x/types';

const BlueskySecretsSchema = z.object({
  network: z.literal('bluesky'),
  identifier: z.string().min(1),
  appPassword: z.string().min(1),
  service: z.string().nullable(),
  session: z.object({ did: z.string(), handle: z.string(), accessJwt: z.string(), refreshJwt: z.string() }).nullable(),
  handle: z.string().nullable(),
});
const MastodonSecretsSchema = z.object({
  network: z.literal('mastodon'),
  instanceUrl: z.string().min(1),
  accessToken: z.string().min(1),
  handle: z.string().nullable(),
  // The instance's own limits, read when it was connected (absent: Mastodon's defaults).
  limits: z.object({ maxCharacters: z.number().int().positive(), charactersReservedPerUrl: z.number().int().min(0) }).nullable().optional(),
});
const NetworkSecretsSchema = z.discriminatedUnion('network', [BlueskySecretsSchema, MastodonSecretsSchema]);
type NetworkSecrets = z.infer<typeof NetworkSecretsSchema>;
const StoredSchema = z.object({ version: z.literal(1), accounts: z.record(z.string(), z.unknown()) });

/** `accountId`: an account of the same network to connect again (new secrets, same id and tasks). */
export interface BlueskyInput { identifier: string; appPassword: string; service?: string | null; accountId?: string }
export interface MastodonInput { instanceUrl: string; accessToken: string; accountId?: string }

export interface NetworkAccountsDeps {
  store: SecretValueStore;
  log: Logger;
  clock: Clock;
  secretsProtected: boolean;
  fetch?: typeof globalThis.fetch;
  /** Tests only, never a setting: item images and a Mastodon instance on loopback (plain http too). */
  allowLoopback?: boolean;
}

export interface NetworkAccounts {
  /** Reads the stored accounts; each problem is a sentence for a notice (never a secret). */
  restore(): Promise<string[]>;
  ids(): string[];
  port(id: string): AccountPort | undefined;
  /** Signs in once (the handle is asked), then keeps the account; rejects with CommandError in words. */
  connectBluesky(input: BlueskyInput): Promise<string>;
  connectMastodon(input: MastodonInput): Promise<string>;
  onChange(listener: () => void): () => void;
}

const isNetworkAccountId = (id: string): boolean => id.startsWith('bsky-') || id.startsWith('masto-');
const newId = (network: 'bluesky' | 'mastodon'): string => `${network === 'bluesky' ? 'bsky' : 'masto'}-${randomUUID().replace(/-/g, '').slice(0, 12)}`;

/** The key a task's post goes under on Bluesky (a TID from the task) and Mastodon (its Idempotency-Key). */
async function keyOf(task: PostTaskRef | undefined): Promise<string> {
  if (!task) throw new XError({ kind: 'unknown', message: 'Crier could not tell which task this post is for; nothing was sent.', inDoubt: false });
  const { tidFor } = await import('./networks/bluesky/tid');
  return tidFor(Date.parse(task.createdAt), task.id);
}

/** The queue's XClient over a network's Destination, made at the first request. */
export function destinationClient(make: () => Promise<Destination>): XClient {
  let made: Promise<Destination> | null = null;
  const destination = (): Promise<Destination> => {
    made ??= make().catch((err: unknown) => {
      made = null;
      throw err instanceof XError ? err : new XError({ kind: 'unknown', message: `The network's client could not be loaded: ${err instanceof Error ? err.message : String(err)}` });
    });
    return made;
  };
  return {
    async post(request) {
      const d = await destination();
      const key = await keyOf(request.task);
      const link = request.task?.itemLink ?? null;
      return d.post({
        text: request.text, imageUrl: request.imageUrl, key,
        card: link === null ? null : { url: link, title: request.task?.itemTitle ?? link, description: '', imageUrl: request.imageUrl },
      });
    },
    me: async () => (await destination()).me(),
    async findPost(query) {
      const d = await destination();
      return d.findPost({ key: await keyOf(query.task), text: query.text, since: query.since });
    },
    async deletePost(postId) {
      const d = await destination();
      if (!d.deletePost) throw new XError({ kind: 'unknown', message: 'This network cannot delete posts.' });
      return d.deletePost(postId);
    },
  };
}

export function createNetworkAccounts(deps: NetworkAccountsDeps): NetworkAccounts {
  const { log, clock } = deps;
  const accounts = new Map<string, NetworkSecrets>();
  const clients = new Map<string, XClient>();
  const listeners = new Set<() => void>();
  let writes: Promise<void> = Promise.resolve();
  const changed = (): void => { for (const listener of [...listeners]) listener(); };

  /** Writes the whole record, one write after another (a session renewal and a connect never cross). */
  function save(): Promise<void> {
    const value = { version: 1, accounts: Object.fromEntries(accounts) };
    writes = writes.catch(() => undefined).then(() => deps.store.write(value));
    return writes;
  }

  const common = { log, clock, allowLoopbackImages: deps.allowLoopback === true, ...(deps.fetch ? { fetch: deps.fetch } : {}) };

  async function destinationOf(id: string, secrets: NetworkSecrets): Promise<Destination> {
    if (secrets.network === 'bluesky') {
      const { createBlueskyDestination } = await import('./networks/bluesky/client');
      return createBlueskyDestination({
        ...common, identifier: secrets.identifier, appPassword: secrets.appPassword,
        ...(secrets.service ? { service: secrets.service } : {}), session: secrets.session,
        onSession(session) {
          const current = accounts.get(id);
          if (current?.network !== 'bluesky') return;
          accounts.set(id, { ...current, session, handle: session.handle });
          // The refresh token is single-use: kept before the next request needs it.
          save().catch((err: unknown) => log.warn('a Bluesky session could not be kept', { accountId: id, problem: err instanceof SecretFileError ? err.problem : 'error' }));
        },
      });
    }
    const { createMastodonDestination } = await import('./networks/mastodon/client');
    return createMastodonDestination({ ...common, instanceUrl: secrets.instanceUrl, accessToken: secrets.accessToken, allowLoopbackHttp: deps.allowLoopback === true });
  }

  function clientOf(id: string): XClient | null {
    const secrets = accounts.get(id);
    if (!secrets) return null;
    let client = clients.get(id);
    if (!client) {
      client = destinationClient(() => destinationOf(id, secrets));
      clients.set(id, client);
    }
    return client;
  }

  function portOf(id: string): AccountPort | undefined {
    if (!accounts.has(id)) return undefined;
    const network = (): NetworkId => accounts.get(id)?.network ?? 'x';
    return {
      client: () => clientOf(id),
      state(): Omit<AccountState, 'dryRun'> {
        const secrets = accounts.get(id);
        return { connected: secrets !== undefined, handle: secrets?.handle ?? null, method: null, network: network(), secretsProtected: deps.secretsProtected };
      },
      // New secrets (connected again) end an auth pause at the next start.
      fingerprint() {
        const s = accounts.get(id);
        // One-way: tells new secrets from the refused ones after a restart, never shows them.
        return s ? createHash('sha256').update(`${id}:${s.network === 'bluesky' ? s.appPassword : s.accessToken}`).digest('base64url').slice(0, 22) : null;
      },
      app: () => null,
      lengthRules: () => {
        const secrets = accounts.get(id);
        return lengthRulesFor(secrets?.network ?? 'x', secrets?.network === 'mastodon' ? secrets.limits ?? null : null);
      },
      setHandle(handle) {
        const secrets = accounts.get(id);
        if (!secrets || secrets.handle === handle) return;
        accounts.set(id, { ...secrets, handle });
        save().catch(() => undefined);
      },
      connect: () => Promise.reject(new CommandError('not-supported', 'Connect this account again from its network’s form in Settings.')),
      async disconnect() {
        accounts.delete(id);
        clients.delete(id);
        try { await save(); } catch (err) { throw err instanceof SecretFileError ? new CommandError('conflict', err.message) : err; }
        log.info('disconnected an account', { accountId: id, network: network() });
        changed();
      },
    };
  }

  /** Stores a signed-in account (the store was checked writable before the sign-in: refusedStore). */
  async function keep(id: string, secrets: NetworkSecrets): Promise<string> {
    accounts.set(id, secrets);
    clients.delete(id);
    try {
      await save();
    } catch (err) {
      accounts.delete(id);
      throw err instanceof SecretFileError ? new CommandError('conflict', err.message) : new CommandError('internal', 'The account could not be stored; it was not connected.');
    }
    log.info('connected an account', { accountId: id, network: secrets.network, handle: secrets.handle });
    changed();
    return id;
  }

  /**
   * The id to keep the account under: a new one, or the one connected again — an account of this
   * network Crier has, or had (its tasks and feeds still name it after a disconnect).
   */
  function againOrNew(accountId: string | undefined, network: 'bluesky' | 'mastodon'): string {
    if (accountId === undefined) return newId(network);
    const stored = accounts.get(accountId);
    const prefix = network === 'bluesky' ? 'bsky-' : 'masto-';
    if ((stored !== undefined && stored.network !== network) || !accountId.startsWith(prefix)) {
      throw new CommandError('validation', `That account is not a ${network === 'bluesky' ? 'Bluesky' : 'Mastodon'} account.`, 'accountId', [{ field: 'accountId', message: 'Not an account of this network.' }]);
    }
    return accountId;
  }

  function refusedStore(): void {
    try { deps.store.checkWritable?.(); } catch (err) {
      throw new CommandError('conflict', err instanceof Error ? err.message : 'Crier cannot store the account\'s secrets here.');
    }
  }

  return {
    async restore() {
      let raw: unknown;
      try {
        raw = await deps.store.read();
      } catch (err) {
        log.warn('the stored Bluesky and Mastodon accounts could not be read', { problem: err instanceof SecretFileError ? err.problem : 'error' });
        return [err instanceof SecretFileError ? err.message : 'The stored Bluesky and Mastodon accounts could not be read; connect them again.'];
      }
      if (raw === null || raw === undefined) return [];
      const parsed = StoredSchema.safeParse(raw);
      if (!parsed.success) return ['The stored Bluesky and Mastodon accounts were not in a form Crier reads; connect them again.'];
      const problems: string[] = [];
      for (const [id, value] of Object.entries(parsed.data.accounts)) {
        const secrets = NetworkSecretsSchema.safeParse(value);
        if (secrets.success && isNetworkAccountId(id)) accounts.set(id, secrets.data);
        else problems.push('A stored Bluesky or Mastodon account was not in a form Crier reads and was left out; connect it again.');
      }
      return problems;
    },

    ids: () => [...accounts.keys()],
    port: portOf,

    async connectBluesky(input) {
      refusedStore();
      const id = againOrNew(input.accountId, 'bluesky');
      const identifier = input.identifier.trim().replace(/^@/, '');
      const service = input.service?.trim() ? input.service.trim() : null;
      const { createBlueskyDestination, serviceUrlProblem } = await import('./networks/bluesky/client');
      if (service !== null) {
        const problem = serviceUrlProblem(service);
        if (problem) throw new CommandError('validation', problem, 'service', [{ field: 'service', message: problem }]);
      }
      let session: BlueskySessionData | null = null;
      const destination = createBlueskyDestination({
        ...common, identifier, appPassword: input.appPassword, ...(service ? { service } : {}),
        onSession: (s) => { session = s; },
      });
      let handle: string;
      try {
        ({ handle } = await destination.me());
      } catch (err) {
        const message = err instanceof XError ? err.failure.message : 'Bluesky did not answer as expected.';
        const field = err instanceof XError && err.failure.kind === 'auth' ? 'appPassword' : 'identifier';
        throw new CommandError('validation', `Bluesky did not sign in: ${message}`, field, [{ field, message: `Bluesky did not sign in: ${message}` }]);
      }
      return keep(id, { network: 'bluesky', identifier, appPassword: input.appPassword, service, session, handle });
    },

    async connectMastodon(input) {
      refusedStore();
      const id = againOrNew(input.accountId, 'mastodon');
      const accessToken = input.accessToken.trim();
      const { connectMastodon, MastodonConnectError } = await import('./networks/mastodon');
      let connection;
      try {
        connection = await connectMastodon({ ...common, instanceUrl: input.instanceUrl, accessToken, allowLoopbackHttp: deps.allowLoopback === true });
      } catch (err) {
        if (err instanceof MastodonConnectError) {
          const field = err.reason === 'token' ? 'accessToken' : 'instanceUrl';
          throw new CommandError('validation', err.message, field, [{ field, message: err.message }]);
        }
        throw err;
      }
      // Posts are composed to the instance's own limit: read it now (instanceRules never rejects).
      const limits = await connection.destination.instanceRules();
      return keep(id, { network: 'mastodon', instanceUrl: connection.destination.instance, accessToken, handle: connection.account.handle, limits });
    },

    onChange(listener) {
      listeners.add(listener);
      return () => { listeners.delete(listener); };
    },
  };
}

/**
 * The default account's port with the network accounts beside its own others: the service sees
 * one list (X's other accounts, then Bluesky's and Mastodon's, in the order they came).
 */
export function withNetworkAccounts(primary: AccountPort, networks: NetworkAccounts): AccountPort {
  return {
    ...primary,
    otherAccountIds: () => [...(primary.otherAccountIds?.() ?? []), ...networks.ids()],
    otherAccount: (id) => (isNetworkAccountId(id) ? networks.port(id) : primary.otherAccount?.(id)),
    onAccountsChange(listener) {
      const own = primary.onAccountsChange?.(listener);
      const theirs = networks.onChange(listener);
      return () => { own?.(); theirs(); };
    },
    connectBluesky: (input) => networks.connectBluesky(input),
    connectMastodon: (input) => networks.connectMastodon(input),
  };
}
