// A real `crier serve` whose X is the HTTPS fake of X's OAuth 2.0 endpoints, and Chromium on its
// settings page (#account): what the OAuth 2.0 and several-accounts page tests start from.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { FakeXOAuth } from '../../support/fake-x-oauth';
import { startServeProcess, TEST_SECRET_KEY, type ServeProcess } from '../../support/serve-process';
import { launchChromium, watchPage, type PageWatch } from './browser';

export interface OAuth2Serve {
  serve: ServeProcess; browser: Browser; context: BrowserContext; page: Page; watch: PageWatch;
  /** Closes the page's browser and stops the server. */
  stop(): Promise<void>;
}

export async function startOAuth2Serve(dir: string, fake: FakeXOAuth, port: number): Promise<OAuth2Serve> {
  // Every loopback HTTPS fake shares test/support/tls.ts's certificate: one CA file trusts them all.
  const caFile = join(dir, 'fake-x-ca.pem');
  await writeFile(caFile, fake.caPem);
  const serve = await startServeProcess({
    dataDir: join(dir, 'data'), port,
    env: { NODE_EXTRA_CA_CERTS: caFile, CRIER_X_API_BASE: fake.url, CRIER_X_AUTHORIZE_URL: fake.authorizeUrl.replace('127.0.0.1', 'localhost'), CRIER_SECRET_KEY: TEST_SECRET_KEY },
  });
  const browser = await launchChromium();
  // The fakes' certificate is the test's own; X's is a real one.
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, ignoreHTTPSErrors: true });
  const page = await context.newPage();
  const watch = await watchPage(page);
  await page.goto(`${serve.url}settings.html?token=${serve.token}#account`);
  await page.locator('body[data-status="ready"]').waitFor();
  return {
    serve, browser, context, page, watch,
    async stop() {
      await context.close();
      await browser.close();
      await serve.stop();
    },
  };
}
