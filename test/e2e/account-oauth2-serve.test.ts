// Settings → Account against a real `crier serve` in Chromium: "Connect with X" takes the browser
// to X's authorize page (a loopback fake over HTTPS), X sends it back to the server's
// /oauth2/callback, and the browser lands on the settings page connected, with the outcome shown.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeXOAuth, type FakeXOAuth } from '../support/fake-x-oauth';
import type { ServeProcess } from '../support/serve-process';
import type { PageWatch } from './support/browser';
import { startOAuth2Serve, type OAuth2Serve } from './support/oauth2-serve';
import { freePort } from '../support/free-port';

describe('connecting with OAuth 2.0 from the settings page of crier serve', () => {
  let dir: string;
  let fake: FakeXOAuth;
  let serve: ServeProcess;
  let running: OAuth2Serve | undefined;
  let page: Page;
  let watch: PageWatch;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crier-oauth2-serve-'));
    const port = await freePort();
    fake = await startFakeXOAuth({ redirectUri: `http://127.0.0.1:${port}/oauth2/callback` });
    running = await startOAuth2Serve(dir, fake, port);
    ({ serve, page, watch } = running);
  }, 90_000);

  afterAll(async () => {
    await running?.stop();
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
