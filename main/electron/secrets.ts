// The desktop's X account: OAuth 1.0a credentials encrypted with safeStorage's async API in
// <dataDir>/x-account.bin. CRIER_X_* in the environment win over the stored account, as in
// headless mode. Nothing here ever logs a credential; a file that cannot be read is moved
// aside and Crier carries on unconnected (dry run).
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { safeStorage } from 'electron';
import { z } from 'zod';
import type { OAuth1Credentials } from '../../preload/contract';
import { appFingerprint, type AccountPort } from '../core/account';
import { CommandError } from '../core/errors';
import type { Logger } from '../core/ports';
import { CredentialsSchema, parseCredentials } from '../core/schemas';
import { createXClient } from '../core/x/client';
import { apiBaseFromEnv, credentialsFingerprint, credentialsFromEnv } from '../core/x/credentials';
import { createQuotaBoard, quotaField, type QuotaBoard } from '../core/x/quota';
import type { XClient } from '../core/x/types';

export const ACCOUNT_FILE = 'x-account.bin';

export interface SafeStorageAccountDeps {
  dataDir: string;
  env: Record<string, string | undefined>;
  log: Logger;
  /** Which OS (default process.platform): the storage backend is a Linux question only. */
  platform?: NodeJS.Platform;
}

/** What the encrypted file holds. The handle is not secret, but it belongs with the account. */
const StoredAccountSchema = z.strictObject({
  version: z.literal(1),
  credentials: CredentialsSchema,
  handle: z.string().max(100).nullable(),
});
type StoredAccount = z.infer<typeof StoredAccountSchema>;

export interface SafeStorageAccount extends AccountPort {
  /** Resolves once background writes (handle, re-encryption) have landed; for shutdown and tests. */
  whenWritten(): Promise<void>;
}

export async function createSafeStorageAccount(deps: SafeStorageAccountDeps): Promise<SafeStorageAccount> {
  const { dataDir, env, log } = deps;
  const platform = deps.platform ?? process.platform;
  const file = path.join(dataDir, ACCOUNT_FILE);
  const apiBase = apiBaseFromEnv(env);
  // X's posting budget, read from its answers; forgotten when the keys change.
  const quota = createQuotaBoard();
  const clientFor = (credentials: OAuth1Credentials): XClient => createXClient({ credentials, apiBase, log, quota });

  const available = await safeStorage.isAsyncEncryptionAvailable().catch(() => false);
  // basic_text "encrypts" with a key every Chromium build shares: readable by anyone with the file.
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null;
  const secretsProtected = available && backend !== 'basic_text';
  if (!secretsProtected) log.warn('no OS keychain: a stored X account would not really be protected', { backend, available });

  const envCredentials = credentialsFromEnv(env);
  if (envCredentials) {
    log.info('using the X account from the CRIER_X_* environment variables; a stored account is ignored');
    return envAccount(clientFor(envCredentials), credentialsFingerprint(envCredentials), quota, appFingerprint(`oauth1:${envCredentials.appKey}`));
  }

  // One write at a time, in order: a disconnect right after a connect (or a re-encryption) must win.
  let writes: Promise<void> = Promise.resolve();
  const serial = (op: () => Promise<void>): Promise<void> => {
    const next = writes.then(op);
    writes = next.catch(() => {});
    return next;
  };
  if (!available) log.warn('encryption is unavailable: a stored X account is left as it is and not read');
  let stored: StoredAccount | null = available ? await load() : null;
  let client: XClient | null = stored ? clientFor(stored.credentials) : null;

  async function load(): Promise<StoredAccount | null> {
    let encrypted: Buffer;
    try {
      encrypted = await readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn('the stored X account could not be read', { code: (err as NodeJS.ErrnoException).code });
      return null;
    }
    try {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(encrypted);
      const account = StoredAccountSchema.parse(JSON.parse(result));
      if (shouldReEncrypt) {
        // The OS rotated the key: store under the new one; the old file still works meanwhile.
        void serial(() => save(account)).catch((err: unknown) => log.warn('re-encrypting the stored X account failed', { error: errorName(err) }));
      }
      return account;
    } catch (err) {
      const aside = `${file}.unreadable-${Date.now()}`;
      // Never the error's message: a JSON or zod error can quote the decrypted text.
      await rename(file, aside).then(
        () => log.warn('the stored X account could not be decrypted; moved aside, Crier runs unconnected', { movedTo: path.basename(aside), error: errorName(err) }),
        (renameErr: unknown) => log.warn('the stored X account could not be decrypted nor moved aside', { error: errorName(err), renameError: errorName(renameErr) }),
      );
      return null;
    }
  }

  async function save(account: StoredAccount): Promise<void> {
    const encrypted = await safeStorage.encryptStringAsync(JSON.stringify(account));
    await mkdir(dataDir, { recursive: true });
    const tmp = `${file}.${randomUUID()}.tmp`;
    try {
      await writeFile(tmp, encrypted, { mode: 0o600 });
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  return {
    whenWritten: () => writes,
    client: () => client,
    fingerprint: () => (stored && client ? credentialsFingerprint(stored.credentials) : null),
    app: () => (stored && client ? appFingerprint(`oauth1:${stored.credentials.appKey}`) : null),
    state: () => ({
      connected: client !== null,
      handle: stored?.handle ?? null,
      method: client ? 'oauth1' : null,
      secretsProtected,
      ...quotaField(quota),
    }),
    onQuotaChange: (listener) => quota.onChange(listener),
    setHandle(handle) {
      if (!stored || stored.handle === handle) return;
      const account: StoredAccount = { ...stored, handle };
      stored = account;
      void serial(() => save(account)).catch((err: unknown) => log.warn('remembering the X handle failed', { error: errorName(err) }));
    },
    async connect(credentials) {
      if (!available) {
        throw new CommandError('conflict', 'This system offers Crier no way to encrypt the X credentials, so they cannot be stored. Set the CRIER_X_* environment variables instead.');
      }
      const account: StoredAccount = { version: 1, credentials: parseCredentials(credentials), handle: null };
      const next = clientFor(account.credentials);
      await serial(() => save(account)).catch((err: unknown) => {
        log.error('storing the X account failed', { error: errorName(err) });
        throw new CommandError('internal', 'The X credentials could not be stored; the account was not connected.');
      });
      stored = account;
      client = next;
      quota.clear();
      log.info('X account connected');
    },
    async disconnect() {
      await serial(() => rm(file, { force: true })).catch((err: unknown) => {
        log.error('removing the stored X account failed', { error: errorName(err) });
        throw new CommandError('internal', 'The stored X credentials could not be removed.');
      });
      stored = null;
      client = null;
      quota.clear();
      log.info('X account disconnected');
    },
  };
}

/** The environment's account: nothing is stored by Crier, so connect and disconnect say where it comes from. */
function envAccount(client: XClient, fingerprint: string, quota: QuotaBoard, app: string): SafeStorageAccount {
  let handle: string | null = null;
  const refuse = (): Promise<never> => Promise.reject(new CommandError('conflict',
    'Crier uses the X account from the CRIER_X_APP_KEY, CRIER_X_APP_SECRET, CRIER_X_ACCESS_TOKEN and CRIER_X_ACCESS_SECRET environment variables. Unset them and restart Crier to connect an account here.'));
  return {
    whenWritten: () => Promise.resolve(),
    client: () => client,
    fingerprint: () => fingerprint,
    app: () => app,
    state: () => ({ connected: true, handle, method: 'oauth1', secretsProtected: true, ...quotaField(quota) }),
    onQuotaChange: (listener) => quota.onChange(listener),
    setHandle(next) {
      handle = next;
    },
    connect: refuse,
    disconnect: refuse,
  };
}

/** Only the error's class and code: messages from decryption or parsing could echo secret text. */
function errorName(err: unknown): string {
  if (!(err instanceof Error)) return typeof err;
  const code = (err as NodeJS.ErrnoException).code;
  return code ? `${err.name} ${code}` : err.name;
}
