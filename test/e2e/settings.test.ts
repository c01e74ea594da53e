// The settings window in real Chromium through the fake preload bridge (the Electron path):
// the account connect form, notices with Dismiss, the cost estimate, keyboard and CSP hygiene.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { StateSnapshot } from '../../preload/contract';
import { fake, useBridgeSuite } from './support/bridge-suite';
import { makeFeed, makeSnapshot, settingsSnapshot } from './support/fixtures';

const suite = useBridgeSuite();
const open = (snapshot: StateSnapshot, hash = ''): Promise<Page> => suite.open(`settings.html${hash}`, snapshot);

const disconnected = (): StateSnapshot => makeSnapshot({
  account: { connected: false, handle: null, method: null, dryRun: true, secretsProtected: false },
});

describe('the account panel on the desktop', () => {
  it('connects with the four OAuth 1.0a values, showing a missing one by its field first', async () => {
    const page = await open(disconnected(), '#account');
    expect(await page.locator('.account-title').allTextContents()).toEqual(['Dry run — no account', 'Stored without OS encryption']);
    const form = page.locator('.connect-form');
    await form.getByLabel('API key (consumer key)').fill('key');
    await form.getByLabel('API key secret').fill('secret');
    await form.getByLabel('Access token', { exact: true }).fill('token');
    await form.getByRole('button', { name: 'Connect' }).click();
    const secret = form.getByLabel('Access token secret');
    expect(await secret.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#cred-accessSecret-error').textContent()).toBe('Enter the access token secret.');
    expect(await secret.evaluate((el) => el === document.activeElement)).toBe(true);

    await secret.fill('shh');
    await form.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => page.locator('.account-title').first().textContent()).toBe('Connected as @crier_fake');
    const calls = await fake(page, (f) => f.calls.filter((c) => c.method === 'connectX').map((c) => c.args));
    expect(calls).toEqual([[{ appKey: 'key', appSecret: 'secret', accessToken: 'token', accessSecret: 'shh' }]]);
    expect(await page.locator('.connect-form').count()).toBe(0);
    expect(await page.locator('#header-status .chip-ok').textContent()).toBe('@crier_fake');
  });

  it('tests the connection and disconnects after confirmation', async () => {
    const page = await open(makeSnapshot(), '#account');
    expect(await page.locator('.account-title').allTextContents()).toEqual(['Connected as @crier_test']);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => page.locator('#test-result').textContent()).toBe('Connection OK. Connected as @crier_test.');
    await page.getByRole('button', { name: 'Disconnect' }).click();
    await page.locator('#confirm-dialog').getByRole('button', { name: 'Disconnect' }).click();
    await expect.poll(() => page.locator('.account-title').first().textContent()).toBe('Dry run — no account');
    expect(await page.locator('.connect-form').isVisible()).toBe(true);
  });
});

describe('the settings page', () => {
  it('shows notices and dismisses them', async () => {
    const page = await open(settingsSnapshot(Date.now()));
    const notice = page.locator('#notices .notice');
    expect(await notice.textContent()).toContain('damaged last line');
    await notice.getByRole('button', { name: /^Dismiss/ }).click();
    await expect.poll(() => page.locator('#notices .notice').count()).toBe(0);
    expect(await fake(page, (f) => f.calls.filter((c) => c.method === 'dismissNotice').length)).toBe(1);
  });

  it('shows each feed’s health: last check with the exact time on hover, status, next check, error, failures, skips', async () => {
    const page = await open(settingsSnapshot(Date.now()));
    const notes = page.locator('.feed-card', { hasText: 'Field notes' });
    expect(await notes.locator('.health').textContent()).toBe('Failing (3 checks in a row)');
    expect(await notes.locator('.feed-error').textContent()).toBe('notes.example.org answered 503 Service Unavailable');
    expect(await notes.locator('.feed-health time').first().getAttribute('title')).toMatch(/\d/);
    expect(await notes.locator('.feed-health').textContent()).toContain('7 min ago');
    const rust = page.locator('.feed-card', { hasText: 'Rust Blog' });
    expect(await rust.locator('.feed-health').textContent()).toContain('304 not modified');
    await rust.locator('.feed-skips summary').click();
    expect(await rust.locator('.feed-skip-reason').textContent()).toBe('excluded by "call for"');
    await rust.getByRole('button', { name: 'Poll now: Rust Blog' }).click();
    await expect.poll(() => fake(page, (f) => f.calls.filter((c) => c.method === 'pollNow').map((c) => c.args[0]))).toEqual(['rust']);
  });

  it('estimates the monthly cost as a range when some templates include {link} and some do not, and follows edited prices', async () => {
    const page = await open(settingsSnapshot(Date.now()), '#posting');
    // 20 a day × 30 = 600 posts; 2 of 3 feeds include {link}.
    expect(await page.locator('#cost-value').textContent()).toBe('$9.00 – $120.00');
    expect(await page.locator('#cost-detail').textContent()).toContain('about $83.00 if every feed posts equally often');
    await page.locator('#set-pricePerPostWithUrlUsd').fill('0.1');
    await expect.poll(() => page.locator('#cost-value').textContent()).toBe('$9.00 – $60.00');
    await page.locator('#posting').getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => fake(page, (f) => f.calls.filter((c) => c.method === 'updateSettings').map((c) => c.args[0]))).toEqual([{ pricePerPostWithUrlUsd: 0.1 }]);
  });

  it('keeps a field the user is editing when the server changes another', async () => {
    const page = await open(makeSnapshot());
    await page.locator('#set-dailyCap').fill('7');
    await fake(page, (f) => f.emit({ settings: { ...f.state.settings, minPostGapSeconds: 5 } }));
    await expect.poll(() => page.locator('#set-minPostGapSeconds').inputValue()).toBe('5');
    expect(await page.locator('#set-dailyCap').inputValue()).toBe('7');
    expect(await page.locator('#posting .form-status').textContent()).toBe('1 unsaved change');
  });

  it('links to the tasks window and reaches each section by its hash', async () => {
    const page = await open(makeSnapshot({ feeds: [makeFeed({ id: 'a' })] }), '#account');
    expect(await page.locator('.settings-nav a[aria-current]').textContent()).toBe('Account');
    expect(await page.getByRole('link', { name: 'Tasks' }).getAttribute('href')).toBe('tasks.html');
    await page.locator('.settings-nav a[href="#posting"]').click();
    await expect.poll(() => page.locator('.settings-nav a[aria-current]').textContent()).toBe('Posting');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('posting-title');
  });

  it('clears the history after confirmation and says how many went', async () => {
    const snap = settingsSnapshot(Date.now());
    const page = await open(snap, '#data');
    const finished = snap.tasks.filter((t) => t.status === 'completed' || t.status === 'cancelled').length;
    expect(await page.locator('.danger-card .group-description').textContent()).toContain(`${finished} completed or cancelled`);
    await page.getByRole('button', { name: 'Clear history…' }).click();
    await page.locator('#confirm-dialog').getByRole('button', { name: 'Clear history' }).click();
    await expect.poll(() => page.locator('#clear-result').textContent()).toBe(`Removed ${finished} tasks from the history.`);
  });

  it('renders feed text as text, never as markup', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    const page = await open(makeSnapshot({ feeds: [makeFeed({ id: 'x', name: evil, url: 'javascript:alert(2)',
      recentSkips: [{ itemTitle: '<script>alert(3)</script>', reason: evil, at: new Date().toISOString() }] })] }));
    expect(await page.locator('.feed-name').textContent()).toBe(evil);
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.locator('.feed-card a').count()).toBe(0);
  });
});
