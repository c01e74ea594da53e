// Where the desktop keeps OAuth 2.0 tokens: one JSON value encrypted with safeStorage in
// <dataDir>/x-oauth2-tokens.bin, in the { read, write } shape the token vault takes (headless
// uses a file encrypted with CRIER_SECRET_KEY instead). Nothing here logs a token; without
// encryption nothing is stored, and connecting says why.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { safeStorage } from 'electron';
import { CommandError } from '../core/errors';
import type { Logger } from '../core/ports';
import type { SecretValueStore } from '../core/x/oauth2/token-vault';

export const OAUTH2_DESKTOP_FILE = 'x-oauth2-tokens.bin';

export interface SafeStorageSecrets { store: SecretValueStore; secretsProtected: boolean }

/** Where the desktop keeps the Bluesky and Mastodon accounts' secrets, the same way (network-accounts.ts). */
export const NETWORKS_DESKTOP_FILE = 'network-accounts.bin';

/** What a safeStorage file holds: its name, and the words its messages use. */
const HOLDS = {
  oauth2: {
    file: OAUTH2_DESKTOP_FILE, stored: 'The stored OAuth 2.0 sign-in', replace: 'connect the X account again',
    refusal: 'This system offers Crier no way to encrypt the X sign-in, so OAuth 2.0 tokens cannot be stored. Set the CRIER_X_* environment variables (OAuth 1.0a keys) instead.',
  },
  networks: {
    file: NETWORKS_DESKTOP_FILE, stored: 'The stored Bluesky and Mastodon accounts', replace: 'connect those accounts again',
    refusal: 'This system offers Crier no way to encrypt the Bluesky and Mastodon accounts\' app passwords and tokens, so they cannot be stored.',
  },
} as const;

/** `holds`: the X account's OAuth 2.0 tokens (default) or the Bluesky and Mastodon accounts' secrets. */
export async function createSafeStorageSecrets(deps: { dataDir: string; log: Logger; platform?: NodeJS.Platform; holds?: keyof typeof HOLDS }): Promise<SafeStorageSecrets> {
  const words = HOLDS[deps.holds ?? 'oauth2'];
  const file = path.join(deps.dataDir, words.file);
  const platform = deps.platform ?? process.platform;
  const available = await safeStorage.isAsyncEncryptionAvailable().catch(() => false);
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null;
  const refusal = (): CommandError => new CommandError('conflict', words.refusal);
  const store: SecretValueStore = {
    async read() {
      if (!available) return null;
      let encrypted: Buffer;
      try {
        encrypted = await readFile(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw new Error(`${words.stored} could not be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`, { cause: err });
      }
      try {
        const { result } = await safeStorage.decryptStringAsync(encrypted);
        return JSON.parse(result);
      } catch (err) {
        // Never the error's message: a JSON error can quote the decrypted text.
        const aside = `${file}.unreadable-${Date.now()}`;
        await rename(file, aside).catch(() => {});
        deps.log.warn(`${words.stored.replace(/^The/, 'the')} could not be decrypted; moved aside`, { movedTo: path.basename(aside), error: err instanceof Error ? err.name : 'error' });
        // No cause either: it would carry the decrypted text along.
        // eslint-disable-next-line preserve-caught-error
        throw new Error(`${words.stored} could not be decrypted and was moved aside: ${words.replace}.`);
      }
    },
    async write(value) {
      if (!available) throw refusal();
      const encrypted = await safeStorage.encryptStringAsync(JSON.stringify(value));
      await mkdir(deps.dataDir, { recursive: true });
      const tmp = `${file}.${randomUUID()}.tmp`;
      try {
        await writeFile(tmp, encrypted, { mode: 0o600 });
        await rename(tmp, file);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
    },
    checkWritable() {
      if (!available) throw refusal();
    },
  };
  return { store, secretsProtected: available && backend !== 'basic_text' };
}
