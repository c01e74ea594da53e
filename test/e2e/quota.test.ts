// X's posting budget (AccountState.quota) in real Chromium through the fake preload bridge:
// Settings → Account says "X has not said yet" before X's first answer, then the 15-minute window
// and the 24-hour limits as the account's delta brings them; the tasks window's header shows the
// compact "X budget"; axe-core in light and dark. The page's clock is fixed (Playwright's clock).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { AccountQuota, AccountState, StateSnapshot } from '../../preload/contract';
import { violationsIn } from './support/axe';
import { fake, useBridgeSuite } from './support/bridge-suite';
import { makeSnapshot } from './support/fixtures';

const suite = useBridgeSuite();
const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const at = (minutes: number): string => new Date(NOW + minutes * 60_000).toISOString();
const fixed = async (page: Page): Promise<void> => { await page.clock.setFixedTime(new Date(NOW)); };

const ACCOUNT: AccountState = { connected: true, handle: 'crier_test', method: 'oauth1', dryRun: false, secretsProtected: true };
const QUOTA: AccountQuota = {
  window: { limit: 100, remaining: 98, resetsAt: at(5) },
  user24h: null,
  app24h: { limit: 1500, remaining: 1480, resetsAt: at(600) },
  updatedAt: at(0),
};
// Local time; a reset on another day (in the browser's time zone) carries its date.
const CLOCK = '([A-Z][a-z]{2} \\d{1,2}, )?\\d{1,2}:\\d{2}(\\s?[AP]M)?';

describe("X's posting budget", () => {
  it('says X has not said yet, then shows the window and the 24-hour limits when the account delta brings them', async () => {
    const page = await suite.open('settings.html#account', makeSnapshot({ account: ACCOUNT }), fixed);
    const section = page.getByRole('region', { name: "X's posting budget" });
    expect(await section.locator('li').allTextContents()).toEqual(['X has not said yet: the numbers come with its answer to the next post.']);

    await page.evaluate((quota) => { const f = window.__crierFake!; f.emit({ account: { ...f.state.account, quota } }); }, QUOTA);
    await expect.poll(() => section.locator('li').count()).toBe(2);
    const [windowLine, appLine] = await section.locator('li').allTextContents();
    expect(windowLine).toMatch(new RegExp(`^Posts left in this 15-minute window: 98 of 100 \\(resets ${CLOCK}\\)$`));
    expect(appLine).toMatch(new RegExp(`^App: 1,480 of 1,500 today, resets ${CLOCK}$`));
    for (const scheme of ['light', 'dark'] as const) expect(await violationsIn(page, scheme), scheme).toBe('');
  }, 120_000);

  it('is not shown without an account', async () => {
    const page = await suite.open('settings.html#account', makeSnapshot({ account: { ...ACCOUNT, connected: false, handle: null, method: null, dryRun: true } }), fixed);
    await page.locator('.account-title').first().waitFor();
    expect(await page.locator('#account-quota').isVisible()).toBe(false);
  });

  it("puts the fewest posts left in the tasks window's header, with every limit in its title", async () => {
    const snapshot: StateSnapshot = makeSnapshot({ account: { ...ACCOUNT, quota: QUOTA } });
    const page = await suite.open('tasks.html', snapshot, fixed);
    const chip = page.locator('#x-budget');
    await expect.poll(() => chip.textContent()).toBe('X budget: 98');
    expect(await chip.getAttribute('title')).toContain('App: 1,480 of 1,500 today');
    await fake(page, (f) => f.emit({ account: { ...f.state.account, quota: { ...f.state.account.quota!, window: { limit: 100, remaining: 97, resetsAt: '2026-03-01T12:05:00.000Z' } } } }));
    await expect.poll(() => chip.textContent()).toBe('X budget: 97');
  });
});
