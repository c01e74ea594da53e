// The settings page's Open logs folder button, in real Chromium through the fake preload bridge
// (the desktop path); headless pages say where the log goes instead.
import { describe, expect, it } from 'vitest';
import { fake, useBridgeSuite } from './support/bridge-suite';
import { makeSnapshot } from './support/fixtures';

const suite = useBridgeSuite();

describe('the log on the settings page', () => {
  it('opens the logs folder on the desktop', async () => {
    const page = await suite.open('settings.html#data', makeSnapshot());
    await page.getByRole('button', { name: 'Open logs folder' }).click();
    await expect.poll(() => fake(page, (f) => f.calls.filter((c) => c.method === 'openLogsFolder').length)).toBe(1);
    expect(await page.locator('#logs-result').textContent()).toBe('');
  });
});
