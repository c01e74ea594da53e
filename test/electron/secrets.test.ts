import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OAuth1Credentials } from '../../preload/contract';
import type { Logger } from '../../main/core/ports';
import { ACCOUNT_FILE, createSafeStorageAccount, type SafeStorageAccountDeps } from '../../main/electron/secrets';
import { resetElectronMock, safeStorage, safeStorageControl } from '../mocks/electron';

const CREDS: OAuth1Credentials = {
  appKey: 'app-key-SECRET-1', appSecret: 'app-secret-SECRET-2', accessToken: 'access-token-SECRET-3', accessSecret: 'access-secret-SECRET-4',
};
const SECRETS = Object.values(CREDS);

let dataDir: string;
let logged: unknown[];
const log: Logger = {
  debug: (...args) => void logged.push(args),
  info: (...args) => void logged.push(args),
  warn: (...args) => void logged.push(args),
  error: (...args) => void logged.push(args),
};
const deps = (fields: Partial<SafeStorageAccountDeps> = {}): SafeStorageAccountDeps => ({ dataDir, env: {}, log, platform: 'linux', ...fields });
const file = (): string => path.join(dataDir, ACCOUNT_FILE);

beforeEach(async () => {
  resetElectronMock();
  logged = [];
  dataDir = await mkdtemp(path.join(tmpdir(), 'crier-secrets-'));
});
afterEach(async () => {
  // Nothing Crier logged, in any test, may hold a credential.
  const text = JSON.stringify(logged);
  for (const secret of SECRETS) expect(text).not.toContain(secret);
  await rm(dataDir, { recursive: true, force: true });
});

describe('createSafeStorageAccount', () => {
  it('starts unconnected when nothing is stored', async () => {
    const account = await createSafeStorageAccount(deps());
    expect(account.client()).toBeNull();
    expect(account.state()).toEqual({ connected: false, handle: null, method: null, secretsProtected: true });
  });

  it('stores connected credentials encrypted, owner-only, and reads them back after a restart', async () => {
    const account = await createSafeStorageAccount(deps());
    await account.connect(CREDS);
    expect(account.client()).not.toBeNull();
    expect(account.state()).toEqual({ connected: true, handle: null, method: 'oauth1', secretsProtected: true });

    const bytes = await readFile(file());
    for (const secret of SECRETS) expect(bytes.toString('utf8')).not.toContain(secret);
    const { result } = await safeStorage.decryptStringAsync(bytes);
    expect(JSON.parse(result)).toEqual({ version: 1, credentials: CREDS, handle: null });
    expect((await stat(file())).mode & 0o777).toBe(0o600);
    expect(await readdir(dataDir)).toEqual([ACCOUNT_FILE]);

    const restarted = await createSafeStorageAccount(deps());
    expect(restarted.state()).toMatchObject({ connected: true, method: 'oauth1' });
    expect(restarted.client()).not.toBeNull();
  });

  it('remembers the handle a connection test found', async () => {
    const account = await createSafeStorageAccount(deps());
    await account.connect(CREDS);
    account.setHandle('crier_bot');
    expect(account.state().handle).toBe('crier_bot');
    await account.whenWritten();
    expect((await createSafeStorageAccount(deps())).state().handle).toBe('crier_bot');
  });

  it('forgets the account on disconnect, file and all', async () => {
    const account = await createSafeStorageAccount(deps());
    await account.connect(CREDS);
    await account.disconnect();
    expect(account.client()).toBeNull();
    expect(account.state().connected).toBe(false);
    expect(await readdir(dataDir)).toEqual([]);
    expect((await createSafeStorageAccount(deps())).state().connected).toBe(false);
  });

  it('lets a disconnect right after a connect win', async () => {
    const account = await createSafeStorageAccount(deps());
    await Promise.all([account.connect(CREDS), account.disconnect()]);
    expect(account.state().connected).toBe(false);
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('rejects invalid credentials with a validation error and stores nothing', async () => {
    const account = await createSafeStorageAccount(deps());
    await expect(account.connect({ ...CREDS, appKey: '' })).rejects.toMatchObject({ code: 'validation', field: 'appKey' });
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('says secrets are not protected on Linux without a keyring (basic_text), and still stores them', async () => {
    safeStorageControl.backend = 'basic_text';
    const account = await createSafeStorageAccount(deps());
    expect(account.state().secretsProtected).toBe(false);
    await account.connect(CREDS);
    expect(account.state()).toMatchObject({ connected: true, secretsProtected: false });
  });

  it('asks for the storage backend only on Linux', async () => {
    safeStorageControl.backend = 'basic_text';
    const account = await createSafeStorageAccount(deps({ platform: 'darwin' }));
    expect(account.state().secretsProtected).toBe(true);
    expect(safeStorage.getSelectedStorageBackend).not.toHaveBeenCalled();
  });

  it('refuses to store credentials when encryption is unavailable, and leaves a stored file alone', async () => {
    await (await createSafeStorageAccount(deps())).connect(CREDS);
    const before = await readFile(file());
    safeStorageControl.available = false;
    const account = await createSafeStorageAccount(deps());
    expect(account.state()).toEqual({ connected: false, handle: null, method: null, secretsProtected: false });
    await expect(account.connect(CREDS)).rejects.toMatchObject({ code: 'conflict' });
    expect(await readFile(file())).toEqual(before);
  });

  it.each([
    ['garbage bytes', Buffer.from([0, 1, 2, 3, 254, 255])],
    ['an encrypted non-JSON text', Buffer.from(`mock-safe-storage:${Buffer.from(`not json ${CREDS.appSecret}`).toString('base64')}`)],
    ['an encrypted object of the wrong shape', Buffer.from(`mock-safe-storage:${Buffer.from(JSON.stringify({ version: 1, credentials: { appKey: CREDS.appKey } })).toString('base64')}`)],
  ])('moves an unreadable file (%s) aside and runs unconnected', async (_name, bytes) => {
    await writeFile(file(), bytes);
    const account = await createSafeStorageAccount(deps());
    expect(account.state().connected).toBe(false);
    const files = await readdir(dataDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^x-account\.bin\.unreadable-\d+$/);
    expect(JSON.stringify(logged)).toContain('moved aside');
    await account.connect(CREDS);
    expect(account.state().connected).toBe(true);
  });

  it('stores the credentials again under a rotated key', async () => {
    await (await createSafeStorageAccount(deps())).connect(CREDS);
    safeStorageControl.shouldReEncrypt = true;
    safeStorage.encryptStringAsync.mockClear();
    const account = await createSafeStorageAccount(deps());
    await account.whenWritten();
    expect(safeStorage.encryptStringAsync).toHaveBeenCalledOnce();
    expect(account.state().connected).toBe(true);
    safeStorageControl.shouldReEncrypt = false;
    expect((await createSafeStorageAccount(deps())).state().connected).toBe(true);
  });

  describe('with CRIER_X_* in the environment', () => {
    const env = {
      CRIER_X_APP_KEY: 'env-key', CRIER_X_APP_SECRET: 'env-secret', CRIER_X_ACCESS_TOKEN: 'env-token', CRIER_X_ACCESS_SECRET: 'env-access',
    };

    it('uses the environment account over a stored one, and says so', async () => {
      await (await createSafeStorageAccount(deps())).connect(CREDS);
      logged = [];
      const account = await createSafeStorageAccount(deps({ env }));
      expect(account.state()).toEqual({ connected: true, handle: null, method: 'oauth1', secretsProtected: true });
      expect(account.client()).not.toBeNull();
      expect(JSON.stringify(logged)).toContain('CRIER_X_* environment variables');
      expect(JSON.stringify(logged)).not.toContain('env-secret');
    });

    it('refuses connect and disconnect, pointing at the variables', async () => {
      const account = await createSafeStorageAccount(deps({ env }));
      await expect(account.connect(CREDS)).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('CRIER_X_APP_KEY') });
      await expect(account.disconnect()).rejects.toMatchObject({ code: 'conflict' });
      expect(await readdir(dataDir)).toEqual([]);
    });
  });

  it('refuses an API base that is not https', async () => {
    await expect(createSafeStorageAccount(deps({ env: { CRIER_X_API_BASE: 'http://127.0.0.1:1' } }))).rejects.toMatchObject({ code: 'validation' });
  });
});
