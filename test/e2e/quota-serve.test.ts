// X's posting budget against a real `crier serve` (built dist/cli.js), a loopback feed server and
// the HTTPS fake X API sending the window and the 24-hour headers: Settings → Account says X has
// not said yet, then, after a post, the numbers from X's answer — and /api/state carries them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { StateSnapshot } from '../../preload/contract';
import { callApi, startServeProcess, type ServeProcess } from '../support/serve-process';
import { rssDocument, startFeedServer, type FeedServer } from '../support/feed-server';
import { childEnvFor, startFakeXApi, type FakeXApi } from '../support/fake-x-api';
import { launchChromium, watchPage, type PageWatch } from './support/browser';

// Local time; a reset on another day carries its date ("Dec 3, 09:13 AM").
const CLOCK = '([A-Z][a-z]{2} \\d{1,2}, )?\\d{1,2}:\\d{2}(\\s?[AP]M)?';

describe("X's posting budget against crier serve", () => {
  let dir: string;
  let x: FakeXApi;
  let feeds: FeedServer;
  let serve: ServeProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let watch: PageWatch;

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await serve?.stop();
    await feeds?.close();
    await x?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows the window and the 24-hour limits from X\'s answer to a post', async () => {
    dir = await mkdtemp(join(tmpdir(), 'crier-quota-serve-'));
    x = await startFakeXApi({ rateLimit: 100, dayLimits: { user: 17, app: 1500 } });
    feeds = await startFeedServer({ '/feed.xml': { body: () => rssDocument({ title: 'Loopback News', items: [{ title: 'Story 1', link: 'https://example.com/story/1', guid: 's1' }] }) } });
    serve = await startServeProcess({ dataDir: join(dir, 'data'), env: childEnvFor(x, dir) });
    await callApi(serve, 'PUT', '/api/settings', { minPostGapSeconds: 0, dryRun: false });

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    watch = await watchPage(page);
    await page.goto(serve.line.replace(/^Crier listening on /, '').replace('/?', '/settings.html?') + '#account');
    const section = page.getByRole('region', { name: "X's posting budget" });
    await expect.poll(() => section.locator('li').allTextContents(), { timeout: 20_000 })
      .toEqual(['X has not said yet: the numbers come with its answer to the next post.']);

    // The newest item, posted at once (backfill 1).
    await callApi(serve, 'POST', '/api/feeds', { url: feeds.url('/feed.xml'), backfill: 1 });
    await expect.poll(() => x.posts.length, { timeout: 20_000 }).toBe(1);
    await expect.poll(() => section.locator('li').count(), { timeout: 20_000 }).toBe(3);
    const [windowLine, userLine, appLine] = await section.locator('li').allTextContents();
    expect(windowLine).toMatch(new RegExp(`^Posts left in this 15-minute window: 99 of 100 \\(resets ${CLOCK}\\)$`));
    expect(userLine).toMatch(new RegExp(`^Account: 16 of 17 today, resets ${CLOCK}$`));
    expect(appLine).toMatch(new RegExp(`^App: 1,499 of 1,500 today, resets ${CLOCK}$`));

    const { account } = await callApi<StateSnapshot>(serve, 'GET', '/api/state');
    expect(account.quota).toMatchObject({ window: { limit: 100, remaining: 99 }, user24h: { limit: 17, remaining: 16 }, app24h: { limit: 1500, remaining: 1499 } });
    expect(Date.parse(account.quota?.window?.resetsAt ?? '')).toBeGreaterThan(Date.now());
    expect(watch.problems).toEqual([]);
  }, 120_000);
});
