import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetElectronMock, safeStorageControl } from '../mocks/electron';
import { CommandError } from '../../main/core/errors';
import type { Logger } from '../../main/core/ports';
import { createSafeStorageSecrets, NETWORKS_DESKTOP_FILE, OAUTH2_DESKTOP_FILE } from '../../main/electron/oauth2-secrets';

const log: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
let dir: string;
beforeEach(() => {
  resetElectronMock();
  dir = mkdtempSync(join(tmpdir(), 'crier-oauth2-secrets-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('OAuth 2.0 tokens in safeStorage', () => {
  it('keeps the value encrypted on disk and reads it back', async () => {
    const { store, secretsProtected } = await createSafeStorageSecrets({ dataDir: dir, log, platform: 'linux' });
    expect(secretsProtected).toBe(true);
    expect(await store.read()).toBeNull();
    await store.write({ version: 1, accounts: { a: { tokens: { accessToken: 'AT-secret-value' } } } });
    expect(readFileSync(join(dir, OAUTH2_DESKTOP_FILE), 'utf8')).not.toContain('AT-secret-value');
    const again = await createSafeStorageSecrets({ dataDir: dir, log, platform: 'linux' });
    expect(await again.store.read()).toEqual({ version: 1, accounts: { a: { tokens: { accessToken: 'AT-secret-value' } } } });
  });

  it('keeps the Bluesky and Mastodon secrets in a file of their own, the same way', async () => {
    const tokens = await createSafeStorageSecrets({ dataDir: dir, log, platform: 'linux' });
    const networks = await createSafeStorageSecrets({ dataDir: dir, log, platform: 'linux', holds: 'networks' });
    await networks.store.write({ version: 1, accounts: { 'bsky-1': { appPassword: 'abcd-efgh-ijkl-mnop' } } });
    expect(readFileSync(join(dir, NETWORKS_DESKTOP_FILE), 'utf8')).not.toContain('abcd-efgh-ijkl-mnop');
    expect(await tokens.store.read()).toBeNull();
    const again = await createSafeStorageSecrets({ dataDir: dir, log, platform: 'linux', holds: 'networks' });
    expect(await again.store.read()).toEqual({ version: 1, accounts: { 'bsky-1': { appPassword: 'abcd-efgh-ijkl-mnop' } } });
  });

  it('refuses to store the Bluesky and Mastodon secrets without encryption, in words naming them', async () => {
    safeStorageControl.available = false;
    const { store } = await createSafeStorageSecrets({ dataDir: dir, log, platform: 'linux', holds: 'networks' });
    await expect(store.write({})).rejects.toThrow(/Bluesky and Mastodon accounts' app passwords and tokens/);
  });

  it('refuses to store tokens without encryption, before a login starts', async () => {
    safeStorageControl.available = false;
    const { store, secretsProtected } = await createSafeStorageSecrets({ dataDir: dir, log, platform: 'linux' });
    expect(secretsProtected).toBe(false);
    expect(() => store.checkWritable?.()).toThrow(CommandError);
    await expect(store.write({})).rejects.toThrow(/no way to encrypt/);
  });

  it('moves a file it cannot decrypt aside and says so, without its contents', async () => {
    writeFileSync(join(dir, OAUTH2_DESKTOP_FILE), 'plain text that is not ours');
    const { store } = await createSafeStorageSecrets({ dataDir: dir, log, platform: 'darwin' });
    await expect(store.read()).rejects.toThrow('could not be decrypted and was moved aside');
    expect(readdirSync(dir).some((f) => f.startsWith(`${OAUTH2_DESKTOP_FILE}.unreadable-`))).toBe(true);
  });

  it('says the backend is no real protection on Linux with basic_text', async () => {
    safeStorageControl.backend = 'basic_text';
    expect((await createSafeStorageSecrets({ dataDir: dir, log, platform: 'linux' })).secretsProtected).toBe(false);
  });
});
