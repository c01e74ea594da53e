// Issue 15's settings window in Chromium against a real `crier serve` (built dist/cli.js) and a
// loopback site: "Add a feed" from the tasks window's empty state; a home page's feed found and
// previewed, and a page's several feeds offered; feeds that are down added anyway, told apart by
// path, listed first and counted in both headers; an address already followed caught as typed;
// each feed's task counts; an edited feed's preview of its next posts and a growing template box;
// every field's error from the server at once, each cleared as its field changes; the pause.
import type { Page } from 'playwright-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StateSnapshot } from '../../preload/contract';
import { rssDocument, type FeedServer, type RssItemSpec } from '../support/feed-server';
import { callApi, type ServeProcess } from '../support/serve-process';
import { watchPage, type PageWatch } from './support/browser';
import { useServeSuite } from './support/serve-suite';

const HTML = 'text/html; charset=utf-8';
/** What waits on crier serve's own fetches and polls: generous, for a loaded machine. */
const SOON = { timeout: 15_000 };
const page = (head: string): string => `<!doctype html><html><head><title>Site</title>${head}</head><body><h1>Site</h1></body></html>`;
const item = (n: number): RssItemSpec => ({ title: `News ${n}`, link: `https://news.example.org/${n}`, guid: `n${n}`, pubDate: new Date(Date.UTC(2026, 2, n)).toUTCString() });

describe('the settings window of issue 15 against crier serve', { timeout: 90_000 }, () => {
  let items: RssItemSpec[] = [item(2), item(1)];
  const suite = useServeSuite({
    name: 'settings-window', settings: { minPostGapSeconds: 0 },
    routes: {
      '/news.xml': { body: () => rssDocument({ title: 'Loopback News', items }) },
      '/site/': { contentType: HTML, body: page('<link rel="alternate" type="application/rss+xml" title="Site posts" href="posts.xml">') },
      '/site/posts.xml': { body: rssDocument({ title: 'Site posts', items: [{ title: 'Hello from the site', link: 'https://site.example/1', guid: 's1' }] }) },
      '/multi/': { contentType: HTML, body: page(`<link rel="alternate" type="application/rss+xml" title="Articles" href="/multi/a.xml">
        <link rel="alternate" type="application/atom+xml" title="Comments" href="/multi/b.atom">`) },
      '/multi/b.atom': { contentType: 'application/atom+xml', body: '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Comments</title><id>urn:c</id>'
        + '<updated>2026-03-01T00:00:00Z</updated><entry><title>First comment</title><id>urn:c1</id><link href="https://site.example/c1"/><updated>2026-03-01T00:00:00Z</updated></entry></feed>' },
      '/down/feed.xml': { status: 503, body: 'down for maintenance', contentType: 'text/plain' },
      '/down/other.xml': { status: 503, body: 'down for maintenance', contentType: 'text/plain' },
    },
  });
  let site: FeedServer;
  let serve: ServeProcess;
  let tab: Page;
  let watch: PageWatch;

  const state = (): Promise<StateSnapshot> => callApi<StateSnapshot>(serve, 'GET', '/api/state');
  const pageUrl = (name: string, hash = ''): string => `${serve.line.replace(/^Crier listening on /, '').replace('/?', `/${name}?`)}${hash}`;
  const card = (text: string) => tab.locator('.feed-card', { hasText: text });
  const addForm = () => tab.locator('.feed-add-card');
  const openAdd = async (): Promise<void> => {
    if (await addForm().count() === 0) await tab.getByRole('button', { name: 'Add feed' }).click();
    await addForm().waitFor();
  };
  const typeUrl = async (url: string): Promise<void> => {
    const field = addForm().getByLabel('Feed URL');
    await field.fill(url);
    await field.press('Enter');
  };

  beforeAll(() => {
    ({ site, serve, tab, watch } = suite);
  });

  // Chromium logs every non-2xx fetch as a console error; previews of feeds that are down (422)
  // and refused edits (400) are provoked on purpose here.
  const expected = /^console: Failed to load resource: the server responded with a status of (400 \(Bad Request\)|422 \(Unprocessable (Entity|Content)\))$/;
  afterEach(() => {
    expect(watch.problems.filter((p) => !expected.test(p))).toEqual([]);
  });

  it('opens the add form from the tasks window’s "Add a feed" on a new install', async () => {
    await tab.goto(pageUrl('tasks.html'));
    await tab.locator('body[data-status="ready"]').waitFor();
    await tab.locator('#empty').getByRole('link', { name: 'Add a feed' }).click();
    await addForm().waitFor();
    expect(new URL(tab.url()).pathname).toBe('/settings.html');
    expect(await tab.evaluate(() => document.activeElement?.id)).toBe('new-feed-url');
  });

  it('finds the feed a home page names and previews it; offers a page’s several feeds to pick from', async () => {
    await openAdd();
    await typeUrl(site.url('/site/'));
    await expect.poll(() => addForm().locator('.preview-post-text').allTextContents(), SOON).toEqual(['Hello from the site https://site.example/1']);
    expect(await addForm().getByLabel('Feed URL').inputValue()).toBe(site.url('/site/posts.xml'));
    expect(await addForm().locator('.preview-detail').textContent()).toContain(`found its feed at ${site.url('/site/posts.xml')}`);
    await addForm().getByRole('button', { name: 'Add feed' }).click();
    await card('Site posts').waitFor();
    // The card can show (from the event stream) before the save's answer closes the form: wait for
    // that, or the next step would type into the closing form.
    await expect.poll(() => addForm().count(), SOON).toBe(0);
    expect((await state()).feeds.map((f) => f.url)).toEqual([site.url('/site/posts.xml')]);

    await openAdd();
    await typeUrl(site.url('/multi/'));
    await expect.poll(() => addForm().locator('.candidate-title').allTextContents(), SOON).toEqual(['Articles', 'Comments']);
    await addForm().getByRole('button', { name: 'Use this feed: Comments' }).click();
    await expect.poll(() => addForm().locator('.preview-post-text').allTextContents(), SOON).toEqual(['First comment https://site.example/c1']);
    expect(await addForm().getByLabel('Feed URL').inputValue()).toBe(site.url('/multi/b.atom'));
    await addForm().getByRole('button', { name: 'Cancel' }).click();
  });

  it('catches an address already followed as it is typed', async () => {
    await openAdd();
    const field = addForm().getByLabel('Feed URL');
    await field.fill(site.url('/site/posts.xml/'));
    expect(await addForm().locator('.field-error').first().textContent()).toBe('Crier already follows this address: Site posts.');
    expect(await addForm().getByRole('button', { name: 'Add feed' }).isDisabled()).toBe(true);
    await field.fill('');
    expect(await field.getAttribute('aria-invalid')).toBe(null);
  });

  it('adds feeds that are down anyway, tells them apart by path, lists them first and counts them in both headers', async () => {
    for (const path of ['/down/feed.xml', '/down/other.xml']) {
      await openAdd();
      await typeUrl(site.url(path));
      await expect.poll(() => addForm().locator('.preview-status').textContent(), SOON).toMatch(/^Could not read the feed: HTTP 503/);
      await addForm().getByRole('button', { name: 'Add anyway' }).click();
      await expect.poll(() => addForm().count(), SOON).toBe(0);
    }
    const host = new URL(site.origin).host;
    await expect.poll(() => tab.locator('.feed-card .feed-name').allTextContents(), SOON)
      .toEqual([`${host}/down/feed.xml`, `${host}/down/other.xml`, 'Site posts']);
    await expect.poll(() => card('/down/feed.xml').locator('.health').textContent(), SOON).toBe('Last check failed');
    await expect.poll(() => card('/down/other.xml').locator('.health').textContent(), SOON).toBe('Last check failed');
    expect(await tab.locator('#failing-feeds').textContent()).toBe('2 feeds failing');

    const tasks = await tab.context().newPage();
    const tasksWatch = await watchPage(tasks);
    await tasks.goto(pageUrl('tasks.html'));
    await tasks.locator('body[data-status="ready"]').waitFor();
    expect(await tasks.locator('#failing-feeds').textContent()).toBe('2 feeds failing');
    expect(await tasks.locator('#failing-feeds').getAttribute('href')).toBe('settings.html#feeds');
    await tasks.close();
    expect(tasksWatch.problems).toEqual([]);
  });

  it('counts each feed’s tasks as the engine posts them', async () => {
    await openAdd();
    await typeUrl(site.url('/news.xml'));
    await expect.poll(() => addForm().locator('.preview-post').count(), SOON).toBe(2);
    await addForm().getByLabel('On the first check, post the newest').fill('2');
    await addForm().getByRole('button', { name: 'Add feed' }).click();
    await expect.poll(() => addForm().count(), SOON).toBe(0);
    // No account: Crier runs dry, so both tasks complete.
    await expect.poll(() => card('Loopback News').locator('.feed-counts dd').textContent(), SOON).toBe('2 posted · 0 pending · 0 failed');
    expect((await state()).feeds.find((f) => f.title === 'Loopback News')?.counts).toEqual({ posted: 2, pending: 0, failed: 0 });
  });

  it('previews an edited feed’s next posts only, and grows its template box', async () => {
    const c = card('Loopback News');
    await c.getByRole('button', { name: /^Edit/ }).click();
    await expect.poll(() => c.locator('.preview-status').textContent(), SOON).toBe('Nothing new to post from Loopback News: Crier has seen all 2 items in the feed now. New items will be posted like this example:');
    expect(await c.locator('.preview-example .preview-post-text').textContent()).toBe('News 2 https://news.example.org/2');

    items = [item(3), item(2), item(1)];
    const box = c.getByLabel('Post template');
    const height = (): Promise<number> => box.evaluate((el) => el.getBoundingClientRect().height);
    const before = await height();
    await box.fill('{title}\n\n{link}\n\nvia {feed}\n{hashtags}\n\n{date}');
    await expect.poll(() => c.locator('.preview-post-text').allTextContents(), SOON).toEqual(['News 3\n\nhttps://news.example.org/3\n\nvia Loopback News\n\n2026-03-03']);
    expect(await c.locator('.preview-status').textContent()).toBe('The next post from Loopback News, newest first. The 2 items Crier has seen already are not posted again.');
    expect(await height()).toBeGreaterThan(before);
    expect(await box.evaluate((el) => el.scrollHeight <= el.clientHeight + 1)).toBe(true);
    await c.getByRole('button', { name: 'Cancel' }).click();
  });

  it('shows every field the server refuses at once, and drops each error as its field changes', async () => {
    const c = card('Loopback News');
    await c.getByRole('button', { name: /^Edit/ }).click();
    await c.locator('.preview-post').first().waitFor();
    await c.getByLabel('Post template').fill('{title} {nope}');
    await c.getByLabel('Skip items matching').fill('/(/');
    await c.getByRole('button', { name: 'Save changes' }).click();
    const errors = c.locator('.has-error .field-error');
    await expect.poll(() => errors.count(), SOON).toBe(2);
    const [template, exclude] = await errors.allTextContents();
    expect(template).toContain('{nope}');
    expect(exclude).toMatch(/^\/\(\/ is not a valid regular expression/);
    await c.getByLabel('Post template').fill('{title} {link}');
    await expect.poll(() => errors.allTextContents(), SOON).toEqual([exclude]);
    await c.getByLabel('Skip items matching').fill('');
    await expect.poll(() => errors.count(), SOON).toBe(0);
    await c.getByRole('button', { name: 'Cancel' }).click();

    // A rule only the server can judge, under its field.
    await tab.locator('#set-retryBaseSeconds').fill('600');
    await tab.locator('#set-retryMaxSeconds').fill('60');
    await tab.locator('#posting').getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => tab.locator('#set-retryMaxSeconds-error').textContent(), SOON).toBe('The longest wait between retries cannot be shorter than the first retry wait.');
    await tab.locator('#posting').getByRole('button', { name: 'Revert' }).click();
  });

  it('says when posting is paused and why, and resumes it', async () => {
    await callApi(serve, 'POST', '/api/pause', {});
    const banner = tab.locator('#pause-state .banner');
    await expect.poll(() => banner.locator('.banner-title').textContent(), SOON).toBe('Posting is paused');
    expect(await banner.locator('.banner-detail').textContent()).toBe('You paused the queue. Feeds are still polled; new posts wait as pending.');
    await banner.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => banner.count(), SOON).toBe(0);
    expect((await state()).queue.paused).toBe(false);
  });
});
