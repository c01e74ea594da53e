// The settings window in Chromium against a real `crier serve` (built dist/cli.js) and a
// loopback feed server: previews before saving, live template previews, errors by their
// field, OPML out of one server and into a fresh one, removing a feed with confirmation.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Feed, Settings, StateSnapshot } from '../../preload/contract';
import { rssDocument, startFeedServer, type FeedServer } from '../support/feed-server';
import { callApi, startServeProcess, type ServeProcess } from '../support/serve-process';
import { launchChromium, watchPage, type PageWatch } from './support/browser';


const ITEMS = [
  { title: 'Release 2.0 is out', link: 'https://news.example.org/release-2', guid: 'r2', pubDate: 'Sun, 01 Mar 2026 12:00:00 GMT' },
  { title: 'Sponsored: the best chairs of 2026', link: 'https://news.example.org/chairs', guid: 'ad1', pubDate: 'Sun, 01 Mar 2026 11:00:00 GMT' },
  { title: 'Notes from the maintainers meeting', link: 'https://news.example.org/notes', guid: 'n1', pubDate: 'Sun, 01 Mar 2026 10:00:00 GMT' },
];

describe('the settings window against crier serve', () => {
  let dir: string;
  let feeds: FeedServer;
  let serve: ServeProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let watch: PageWatch;
  const extra: { close(): Promise<unknown> }[] = [];

  const state = (s = serve): Promise<StateSnapshot> => callApi<StateSnapshot>(s, 'GET', '/api/state');
  const open = async (p: Page, s: ServeProcess, hash = ''): Promise<void> => {
    await p.goto(`${s.line.replace(/^Crier listening on /, '').replace('/?', '/settings.html?')}${hash}`);
    await p.locator('body[data-status="ready"]').waitFor();
  };
  const card = (p: Page, text: string) => p.locator('.feed-card', { hasText: text });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crier-settings-serve-'));
    feeds = await startFeedServer({
      '/feed.xml': { body: rssDocument({ title: 'Loopback News', items: ITEMS }) },
      '/second.xml': { body: rssDocument({ title: 'Second Feed', items: [{ title: 'Hello', link: 'https://b.example.org/1', guid: 'b1' }] }) },
    });
    serve = await startServeProcess({ dataDir: join(dir, 'data') });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1200, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    watch = await watchPage(page);
    await open(page, serve);
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    for (const e of extra) await e.close();
    await serve?.stop();
    await feeds?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  // Chromium logs every non-2xx fetch as a console error; these tests provoke validation
  // 400s on purpose (and show them by their field), so those lines alone are expected.
  const EXPECTED_400 = 'console: Failed to load resource: the server responded with a status of 400 (Bad Request)';
  const unexpected = (w: PageWatch): string[] => w.problems.filter((p) => p !== EXPECTED_400);

  afterEach(() => {
    expect(unexpected(watch)).toEqual([]);
  });

  it('drops the token from the address and shows a new install with no feeds', async () => {
    expect(page.url()).not.toContain('token=');
    expect(await page.locator('.feeds-empty .empty-title').textContent()).toBe('No feeds yet');
    expect(await page.locator('#tasks-link').getAttribute('href')).toBe('tasks.html');
  });

  it('previews a new feed — posts with weighted lengths and a skipped item with its reason — before saving it', async () => {
    await page.getByRole('button', { name: 'Add feed' }).click();
    const form = page.locator('.feed-add-card');
    const save = form.getByRole('button', { name: 'Add feed' });
    expect(await save.isDisabled()).toBe(true);
    await form.getByLabel('Feed URL').fill(feeds.url('/feed.xml'));
    await form.getByLabel('Feed URL').press('Enter');
    await expect.poll(() => form.locator('.preview-post').count()).toBe(3);
    expect(await form.locator('.preview-status').textContent()).toContain('Loopback News');
    // "Release 2.0 is out" + space + a link counted as 23.
    expect(await form.locator('.preview-post').first().locator('.weight').textContent()).toBe(`${'Release 2.0 is out'.length + 1 + 23} / 280`);

    await form.getByLabel('Skip items matching').fill('sponsored');
    await expect.poll(() => form.locator('.preview-skip').count()).toBe(1);
    expect(await form.locator('.preview-post').count()).toBe(2);
    expect(await form.locator('.preview-skip-title').textContent()).toBe('Sponsored: the best chairs of 2026');
    expect(await form.locator('.preview-skip-reason').textContent()).toMatch(/sponsored/i);
    // Nothing is saved yet.
    expect((await state()).feeds).toEqual([]);

    expect(await save.isDisabled()).toBe(false);
    await save.click();
    await card(page, 'Loopback News').waitFor();
    const [feed] = (await state()).feeds;
    expect(feed?.url).toBe(feeds.url('/feed.xml'));
    expect(feed?.exclude).toEqual(['sponsored']);
    // The form closes when the add is answered, which comes after the feed list is saved.
    await expect.poll(() => page.locator('.feed-add-card').count()).toBe(0);
    await expect.poll(() => card(page, 'Loopback News').locator('.health').textContent(), { timeout: 15_000 }).toBe('Healthy');
    expect(await card(page, 'Loopback News').locator('.feed-health').textContent()).toContain('200 OK');
  });

  it('previews an edited template live, warns by the field for an unknown placeholder, and saves', async () => {
    const c = card(page, 'Loopback News');
    await c.getByRole('button', { name: /^Edit/ }).click();
    // Every item is seen already: the preview says nothing is new and composes the newest as an example.
    await expect.poll(() => c.locator('.preview-example').count()).toBe(1);
    const template = c.getByLabel('Post template');
    expect(await template.inputValue()).toBe('{title} {link}');
    await template.fill('New: {title} ({feed})');
    await expect.poll(() => c.locator('.preview-post-text').first().textContent()).toBe('New: Release 2.0 is out (Loopback News)');
    expect(await c.locator('.counter').textContent()).toBe(`Latest item: ${'New: Release 2.0 is out (Loopback News)'.length} / 280`);

    // A placeholder button inserts at the cursor, and the preview follows.
    await template.press('End');
    await template.press('Space');
    await c.getByRole('button', { name: /^Insert \{link\}/ }).click();
    expect(await template.inputValue()).toBe('New: {title} ({feed}) {link}');
    await expect.poll(() => c.locator('.preview-post-text').first().textContent()).toBe('New: Release 2.0 is out (Loopback News) https://news.example.org/release-2');

    await template.fill('{title} {nope}');
    const error = c.locator('.has-error .field-error');
    await expect.poll(() => error.textContent()).toContain('{nope}');
    expect(await template.getAttribute('aria-invalid')).toBe('true');
    expect(await template.getAttribute('aria-describedby')).toContain(await error.getAttribute('id') ?? 'missing');

    await template.fill('New: {title} {link}');
    await expect.poll(() => template.getAttribute('aria-invalid')).toBe(null);
    await c.getByLabel('Check every').fill('0');
    await c.getByRole('button', { name: 'Save changes' }).click();
    const intervalError = page.locator(`[id$="-interval-error"]`);
    await expect.poll(() => intervalError.isVisible()).toBe(true);
    expect(await intervalError.textContent()).toMatch(/1|small/i);
    expect(await c.getByLabel('Check every').getAttribute('aria-invalid')).toBe('true');

    await c.getByLabel('Check every').fill('30');
    await c.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => c.locator('.feed-template code').textContent()).toBe('New: {title} {link}');
    const [feed] = (await state()).feeds as Feed[];
    expect(feed?.template).toBe('New: {title} {link}');
    expect(feed?.intervalMinutes).toBe(30);
  });

  it('shows a posting rule out of range next to its field, then saves only what changed', async () => {
    const cap = page.locator('#set-dailyCap');
    await cap.fill('99999');
    await page.locator('#posting').getByRole('button', { name: 'Save' }).click();
    const error = page.locator('#set-dailyCap-error');
    await expect.poll(() => error.isVisible()).toBe(true);
    expect(await error.textContent()).toBe('The daily cap is a whole number from 0 to 2,400.');
    expect(await cap.getAttribute('aria-invalid')).toBe('true');
    expect(await cap.getAttribute('aria-describedby')).toContain('set-dailyCap-error');
    expect((await state()).settings.dailyCap).toBe(50);

    await cap.fill('10');
    // The estimate follows the form before saving: 10 × 30 posts, every template has {link}.
    await expect.poll(() => page.locator('#cost-value').textContent()).toBe('$60.00');
    await page.locator('#posting').getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('#posting .form-status').textContent()).toContain('Saved');
    expect(await cap.getAttribute('aria-invalid')).toBe(null);
    const settings: Settings = (await state()).settings;
    expect(settings.dailyCap).toBe(10);
    expect(settings.minPostGapSeconds).toBe(60);
  });

  it('explains the headless account setup instead of a credentials form', async () => {
    await page.locator('.settings-nav a[href="#account"]').click();
    expect(await page.locator('#account .account-title').first().textContent()).toBe('Dry run — no account');
    const help = await page.locator('.env-vars').textContent();
    for (const v of ['CRIER_X_APP_KEY', 'CRIER_X_APP_SECRET', 'CRIER_X_ACCESS_TOKEN', 'CRIER_X_ACCESS_SECRET']) expect(help).toContain(v);
    expect(await page.locator('.connect-form').count()).toBe(0);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => page.locator('#test-result').textContent()).toMatch(/^Connection failed: No X account/);
  });

  it('exports OPML and imports it into a fresh server', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export OPML' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^crier-feeds-.*\.opml$/);
    const xml = await readFile(await download.path(), 'utf8');
    expect(xml).toContain(feeds.url('/feed.xml'));

    const fresh = await startServeProcess({ dataDir: join(dir, 'fresh') });
    extra.push({ close: () => fresh.stop() });
    const p2 = await context.newPage();
    const watch2 = await watchPage(p2);
    await open(p2, fresh, '#data');
    await p2.locator('#opml-file').setInputFiles({ name: 'feeds.opml', mimeType: 'text/x-opml', buffer: Buffer.from(xml) });
    await expect.poll(() => p2.locator('#opml-result').textContent()).toBe('Added 1 feed, skipped 0.');
    await card(p2, feeds.url('/feed.xml')).waitFor();
    expect((await state(fresh)).feeds.map((f) => f.url)).toEqual([feeds.url('/feed.xml')]);
    // Again: Crier already follows it.
    await p2.locator('#opml-file').setInputFiles({ name: 'feeds.opml', mimeType: 'text/x-opml', buffer: Buffer.from(xml) });
    await expect.poll(() => p2.locator('#opml-result').textContent()).toMatch(/^Added 0 feeds, skipped 1/);
    await p2.close();
    expect(unexpected(watch2)).toEqual([]);
  });

  it('removes a feed only after confirmation; Escape cancels', async () => {
    const c = card(page, 'Loopback News');
    const dialog = page.locator('#confirm-dialog');
    await c.getByRole('button', { name: /^Remove/ }).click();
    expect(await dialog.getAttribute('open')).not.toBeNull();
    expect(await dialog.locator('#confirm-title').textContent()).toBe('Remove Loopback News?');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.getAttribute('open')).toBe(null);
    expect((await state()).feeds.length).toBe(1);

    await c.getByRole('button', { name: /^Remove/ }).click();
    await dialog.getByRole('button', { name: 'Remove feed' }).click();
    await expect.poll(() => page.locator('.feed-card').count()).toBe(0);
    expect((await state()).feeds).toEqual([]);
    expect(await page.locator('.feeds-empty').isVisible()).toBe(true);
  });

  it('clears the history after confirmation and says how many tasks went', async () => {
    await page.getByRole('button', { name: 'Clear history…' }).click();
    await page.locator('#confirm-dialog').getByRole('button', { name: 'Clear history' }).click();
    await expect.poll(() => page.locator('#clear-result').textContent()).toBe('Removed 0 tasks from the history.');
  });
});
