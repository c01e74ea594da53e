// Posting hours in the settings window against a real `crier serve`: turned on, saved, shown
// back after a reload; a day-less choice refused in words; turned off again.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../../preload/contract';
import { callApi, startServeProcess, type ServeProcess } from '../support/serve-process';
import { launchChromium, watchPage, type PageWatch } from './support/browser';

describe('posting hours in the settings window against crier serve', { timeout: 90_000 }, () => {
  let dir: string;
  let serve: ServeProcess;
  let browser: Browser;
  let tab: Page;
  let watch: PageWatch;
  const settings = async (): Promise<Settings> => (await callApi<{ settings: Settings }>(serve, 'GET', '/api/state')).settings;
  const open = async (): Promise<void> => {
    await tab.goto(serve.line.replace(/^Crier listening on /, '').replace('/?', '/settings.html?') + '#posting');
    await tab.locator('body[data-status="ready"]').waitFor();
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crier-hours-'));
    serve = await startServeProcess({ dataDir: join(dir, 'data') });
    browser = await launchChromium();
    tab = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    watch = await watchPage(tab);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('saves the hours the user sets and shows them again after a reload', async () => {
    await open();
    await tab.getByLabel('Only post during these hours').check();
    await tab.locator('#set-postingHours-from').fill('07:30');
    await tab.locator('#set-postingHours-to').fill('23:00');
    await tab.getByLabel('Saturday').check();
    expect(await tab.locator('#set-postingHours-help').textContent()).toContain('07:30–23:00, Mon, Tue, Wed, Thu, Fri, Sat');
    await tab.locator('#posting').getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await settings()).postingHours).toEqual({ from: '07:30', to: '23:00', days: [1, 2, 3, 4, 5, 6] });
    await open();
    expect(await tab.getByLabel('Only post during these hours').isChecked()).toBe(true);
    expect(await tab.locator('#set-postingHours-from').inputValue()).toBe('07:30');
    expect(await tab.getByLabel('Sunday').isChecked()).toBe(false);
    expect(await tab.getByLabel('Saturday').isChecked()).toBe(true);
  });

  it('refuses hours without a day, in words, and saves nothing', async () => {
    await open();
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']) await tab.getByLabel(day).uncheck();
    await tab.locator('#posting').getByRole('button', { name: 'Save' }).click();
    expect(await tab.locator('#set-postingHours-error').textContent()).toBe('Choose at least one posting day, or turn posting hours off.');
    expect((await settings()).postingHours?.days).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('turns the hours off again', async () => {
    await open();
    await tab.getByLabel('Only post during these hours').uncheck();
    await tab.locator('#posting').getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await settings()).postingHours ?? null).toBe(null);
    expect(watch.problems).toEqual([]);
  });
});
