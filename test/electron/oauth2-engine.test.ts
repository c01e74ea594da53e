// The desktop's OAuth 2.0 path through the real engine: Connect in Settings (startXOAuth2) opens
// the loopback callback at the redirect port and the system browser (the mocked shell) on X's
// page (a loopback fake); X's redirect reaches the callback, which answers the tab in words; the
// account is connected with its handle, its tokens kept with safeStorage and not in plain text,
// and the stored OAuth 1.0a keys it replaces are gone.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEngine } from '../../main/core/engine';
import type { Logger } from '../../main/core/ports';
import type { EngineService } from '../../main/core/service';
import { createDesktopOAuth2Callback, type DesktopOAuth2Callback } from '../../main/electron/oauth2-callback';
import { createSafeStorageSecrets, OAUTH2_DESKTOP_FILE } from '../../main/electron/oauth2-secrets';
import { ACCOUNT_FILE, createSafeStorageAccount } from '../../main/electron/secrets';
import { startFakeXOAuth, visitAuthorizePage, type FakeXOAuth } from '../support/fake-x-oauth';
import { resetElectronMock, shell } from '../mocks/electron';
import { freePort } from '../support/free-port';

const log: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

let dir: string;
let port: number;
let fake: FakeXOAuth;
let callback: DesktopOAuth2Callback;
let service: EngineService | null = null;
const defaultCAs = tls.getCACertificates('default');

beforeEach(async () => {
  resetElectronMock();
  dir = mkdtempSync(join(tmpdir(), 'crier-oauth2-desktop-'));
  port = await freePort();
  fake = await startFakeXOAuth({ redirectUri: `http://127.0.0.1:${port}/oauth2/callback` });
  // This process trusts the fake's certificate, as a child trusts it through NODE_EXTRA_CA_CERTS.
  tls.setDefaultCACertificates([...defaultCAs, fake.caPem]);
});

afterEach(async () => {
  await service?.close();
  service = null;
  await callback?.close();
  tls.setDefaultCACertificates(defaultCAs);
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('connecting with OAuth 2.0 on the desktop', () => {
  it('opens the browser on X\'s page, takes X\'s answer on the loopback callback, and connects with the tokens in safeStorage', async () => {
    const env = { CRIER_X_API_BASE: fake.url, CRIER_X_AUTHORIZE_URL: fake.authorizeUrl };
    const keys = await createSafeStorageAccount({ dataDir: dir, env, log });
    await keys.connect({ appKey: 'old-app-key', appSecret: 'old-app-secret', accessToken: 'old-token', accessSecret: 'old-secret' });
    callback = createDesktopOAuth2Callback({ redirectPort: async () => port, openExternal: (url) => shell.openExternal(url), log });
    service = await openEngine({ dataDir: dir, env, log, headless: false, start: false }, {
      account: keys, oauth2Store: await createSafeStorageSecrets({ dataDir: dir, log }), oauth2Callback: callback,
    });

    const started = await service.startXOAuth2({ clientId: fake.confidentialApp.clientId, clientSecret: fake.confidentialApp.clientSecret });
    expect(started.redirectUri).toBe(`http://127.0.0.1:${port}/oauth2/callback`);
    expect(shell.openExternal).toHaveBeenCalledWith(started.url);
    expect(callback.listening()).toBe(port);

    const back = await visitAuthorizePage(started.url, fake.agent);
    const tab = await fetch(back);
    expect(tab.status).toBe(200);
    const page = await tab.text();
    expect(page).toContain('Crier is connected to X');
    expect(page).toContain('Connected @crier_test with OAuth 2.0.');

    const state = await service.getState({ taskLimit: 0 });
    expect(state.account).toMatchObject({ connected: true, handle: 'crier_test', method: 'oauth2', secretsProtected: true, failure: null });
    expect(state.notices.map((n) => n.message)).toContain('Connected @crier_test with OAuth 2.0.');
    // The keys it replaces are forgotten; the tokens are at rest encrypted only.
    expect(readdirSync(dir)).not.toContain(ACCOUNT_FILE);
    const file = readFileSync(join(dir, OAUTH2_DESKTOP_FILE), 'utf8');
    for (const token of [...fake.liveAccessTokens(), ...fake.liveRefreshTokens()]) expect(file).not.toContain(token);
  });

  it('answers a second look at the same answer as not Crier\'s, in the browser tab', async () => {
    const env = { CRIER_X_API_BASE: fake.url, CRIER_X_AUTHORIZE_URL: fake.authorizeUrl };
    callback = createDesktopOAuth2Callback({ redirectPort: async () => port, openExternal: (url) => shell.openExternal(url), log, schedule: () => () => {} });
    service = await openEngine({ dataDir: dir, env, log, headless: false, start: false }, {
      account: await createSafeStorageAccount({ dataDir: dir, env, log }), oauth2Store: await createSafeStorageSecrets({ dataDir: dir, log }), oauth2Callback: callback,
    });
    const started = await service.startXOAuth2({ clientId: fake.publicApp.clientId });
    const back = await visitAuthorizePage(started.url, fake.agent);
    expect((await fetch(back)).status).toBe(200);
    const replay = await fetch(back);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('does not belong to a login Crier started');
    expect(fake.tokenRequests.filter((r) => r.grantType === 'authorization_code')).toHaveLength(1);
  });
});
