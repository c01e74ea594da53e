// X's posting budget against a real `crier serve` (built dist/cli.js), a loopback feed server and
// the HTTPS fake X API sending the window and the 24-hour headers: Settings → Account says X has
// not said yet, then, after a post, the numbers from X's answer — and /api/state carries them.
import { describe, expect, it } from 'vitest';
import type { StateSnapshot } from '../../preload/contract';
import { callApi } from '../support/serve-process';
import { rssDocument } from '../support/feed-server';
import { useServeSuite } from './support/serve-suite';

// Local time; a reset on another day carries its date ("Dec 3, 09:13 AM").
const CLOCK = '([A-Z][a-z]{2} \\d{1,2}, )?\\d{1,2}:\\d{2}(\\s?[AP]M)?';

describe("X's posting budget against crier serve", () => {
  const suite = useServeSuite({
    name: 'quota-serve', x: { rateLimit: 100, dayLimits: { user: 17, app: 1500 } }, viewport: { width: 1280, height: 900 },
    settings: { minPostGapSeconds: 0, dryRun: false },
    routes: { '/feed.xml': { body: () => rssDocument({ title: 'Loopback News', items: [{ title: 'Story 1', link: 'https://example.com/story/1', guid: 's1' }] }) } },
  });

  it('shows the window and the 24-hour limits from X\'s answer to a post', async () => {
    const { x, site: feeds, serve, tab: page, watch } = suite;
    await suite.open('settings.html', '#account');
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
