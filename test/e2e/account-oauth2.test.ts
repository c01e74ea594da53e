// Settings → Account's "Connect with X (OAuth 2.0)" in real Chromium through the fake preload
// bridge (the desktop path): the callback URL to register, Connect with a client id, the page
// following the account state, and a sign-in X stopped renewing offered Reconnect.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { StateSnapshot } from '../../preload/contract';
import { fake, useBridgeSuite } from './support/bridge-suite';
import { makeSnapshot, SETTINGS } from './support/fixtures';

const suite = useBridgeSuite();
const open = (snapshot: StateSnapshot): Promise<Page> => suite.open('settings.html#account', snapshot);

const disconnected = (port?: number): StateSnapshot => makeSnapshot({
  settings: { ...SETTINGS, ...(port === undefined ? {} : { oauth2RedirectPort: port }) },
  account: { connected: false, handle: null, method: null, dryRun: true, secretsProtected: true },
});

describe('connecting with OAuth 2.0 on the desktop', () => {
  it('shows the callback URL for the redirect port, starts with the client id, and follows the state to connected', async () => {
    const page = await open(disconnected(9123));
    const form = page.locator('.oauth2-form');
    expect(await form.locator('#oauth2-redirect').textContent()).toBe('http://127.0.0.1:9123/oauth2/callback');
    expect(await form.getByRole('button', { name: 'Copy the callback URL' }).isVisible()).toBe(true);

    await form.getByRole('button', { name: 'Connect with X' }).click();
    expect(await page.locator('#oauth2-client-id-error').textContent()).toBe('Enter the OAuth 2.0 client id.');
    expect(await fake(page, (f) => f.calls.filter((c) => c.method === 'startXOAuth2').length)).toBe(0);

    await form.getByLabel('Client ID').fill('my-client-id');
    await form.getByRole('button', { name: 'Connect with X' }).click();
    await expect.poll(() => page.locator('#oauth2-status').textContent()).toContain('Sign in on X in your browser');
    expect(await fake(page, (f) => f.calls.filter((c) => c.method === 'startXOAuth2').map((c) => c.args))).toEqual([[{ clientId: 'my-client-id' }]]);

    // X sent the browser back and main connected the account: the page follows the delta.
    await fake(page, (f) => f.emit({ account: { connected: true, handle: 'crier_oauth', method: 'oauth2', dryRun: false, secretsProtected: true, failure: null } }));
    await expect.poll(() => page.locator('.account-title').first().textContent()).toBe('Connected as @crier_oauth');
    expect(await page.locator('.account-detail').first().textContent()).toContain('OAuth 2.0');
    expect(await page.locator('.oauth2-form').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Disconnect' }).isVisible()).toBe(true);
  });

  it('sends the client secret of a confidential app, and shows the default port\'s callback when the settings name none', async () => {
    const page = await open(disconnected());
    const form = page.locator('.oauth2-form');
    expect(await form.locator('#oauth2-redirect').textContent()).toBe('http://127.0.0.1:8917/oauth2/callback');
    await form.getByLabel('Client ID').fill('confidential-id');
    await form.getByLabel('Client secret (optional)').fill('shh-secret');
    await form.getByRole('button', { name: 'Connect with X' }).click();
    await expect.poll(() => fake(page, (f) => f.calls.filter((c) => c.method === 'startXOAuth2').map((c) => c.args))).toEqual([[{ clientId: 'confidential-id', clientSecret: 'shh-secret' }]]);
    expect(await form.getByLabel('Client secret (optional)').inputValue()).toBe('');
  });

  it('saves a new redirect port on Connect, showing the callback URL for it as it is typed', async () => {
    const page = await open(disconnected());
    const form = page.locator('.oauth2-form');
    const port = form.getByLabel('Redirect port');
    expect(await port.inputValue()).toBe('8917');
    await port.fill('9200');
    expect(await form.locator('#oauth2-redirect').textContent()).toBe('http://127.0.0.1:9200/oauth2/callback');
    await form.getByLabel('Client ID').fill('my-client-id');
    await form.getByRole('button', { name: 'Connect with X' }).click();
    await expect.poll(() => fake(page, (f) => f.calls.filter((c) => c.method === 'updateSettings' || c.method === 'startXOAuth2').map((c) => [c.method, c.args[0]])))
      .toEqual([['updateSettings', { oauth2RedirectPort: 9200 }], ['startXOAuth2', { clientId: 'my-client-id' }]]);
  });

  it('says why a sign-in stopped renewing and offers Reconnect', async () => {
    const page = await open(makeSnapshot({
      account: {
        connected: true, handle: 'crier_oauth', method: 'oauth2', dryRun: false, secretsProtected: true,
        failure: { reason: 'grant-refused', message: 'X refused to renew the sign-in (400 invalid_request): the account has to be connected again.' },
      },
    }));
    expect(await page.locator('.account-title').allTextContents()).toEqual(['Connected as @crier_oauth', 'X stopped renewing the sign-in']);
    expect(await page.locator('.account-detail').nth(1).textContent()).toContain('the account has to be connected again');
    const form = page.locator('.oauth2-form');
    expect(await form.locator('#oauth2-title').textContent()).toBe('Reconnect with X (OAuth 2.0)');
    await form.getByLabel('Client ID').fill('my-client-id');
    await form.getByRole('button', { name: 'Reconnect' }).click();
    await expect.poll(() => fake(page, (f) => f.calls.filter((c) => c.method === 'startXOAuth2').length)).toBe(1);
  });
});
