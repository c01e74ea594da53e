// Settings → Account against a real `crier serve` in Chromium: "Connect with X" takes the browser
// to X's authorize page (a loopback fake over HTTPS), X sends it back to the server's
// /oauth2/callback, and the browser lands on the settings page connected, with the outcome shown.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeXOAuth, type FakeXOAuth } from '../support/fake-x-oauth';
import { startServeProcess, type ServeProcess } from '../support/serve-process';
import { launchChromium, watchPage, type PageWatch } from './support/browser';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const found = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(found));
    });
  });
}

describe('connecting with OAuth 2.0 from the settings page of crier serve', () => {
  let dir: string;
  let fake: FakeXOAuth;
  let serve: ServeProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let watch: PageWatch;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crier-oauth2-serve-'));
    const port = await freePort();
    fake = await startFakeXOAuth({ redirectUri: `http://127.0.0.1:${port}/oauth2/callback` });
    const caFile = join(dir, 'fake-x-ca.pem');
    await writeFile(caFile, fake.caPem);
    serve = await startServeProcess({
      dataDir: join(dir, 'data'), port,
      env: { NODE_EXTRA_CA_CERTS: caFile, CRIER_X_API_BASE: fake.url, CRIER_X_AUTHORIZE_URL: fake.authorizeUrl.replace('127.0.0.1', 'localhost'), CRIER_SECRET_KEY: 'test-secret-key-6f1c0a9e2b7d4c3a' },
    });
    browser = await launchChromium();
    // The fake's certificate is the test's own; X's is a real one.
    context = await browser.newContext({ viewport: { width: 1200, height: 900 }, ignoreHTTPSErrors: true });
    page = await context.newPage();
    watch = await watchPage(page);
    await page.goto(`${serve.url}settings.html?token=${serve.token}#account`);
    await page.locator('body[data-status="ready"]').waitFor();
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await serve?.stop();
    await fake?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('goes to X, comes back through /oauth2/callback and shows the account connected', async () => {
    const form = page.locator('.oauth2-form');
    expect(await form.locator('#oauth2-redirect').textContent()).toBe(`${serve.origin}/oauth2/callback`);
    await form.getByLabel('Client ID').fill(fake.publicApp.clientId);
    await form.getByRole('button', { name: 'Connect with X' }).click();
    await page.waitForURL(/\/settings\.html#account$/, { timeout: 30_000 });
    await page.locator('body[data-status="ready"]').waitFor();
    await expect.poll(() => page.locator('#account .account-title').first().textContent(), { timeout: 15_000 }).toBe('Connected as @crier_test');
    expect(await page.locator('#notices').textContent()).toContain('Connected @crier_test with OAuth 2.0.');
    expect(page.url()).not.toMatch(/code=|state=/);
    expect(watch.problems).toEqual([]);
  });
});
