// Issue 15's settings window in real Chromium through the fake preload bridge (the Electron path),
// one block per point of the issue: failing feeds first and counted, feeds told apart, task counts;
// validation in words, every field at once, cleared as it changes; a feed that is down added
// anyway, an address already followed caught as it is typed; a site's feeds found from its home
// page; the preview of an edited feed and a template box that grows; the empty state's "Add a
// feed" and the queue's pause.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ApiError, FeedHealth, PreviewResult, StateSnapshot } from '../../preload/contract';
import { fake, useBridgeSuite } from './support/bridge-suite';
import { makeFeed, makeQueue, makeSnapshot } from './support/fixtures';

const suite = useBridgeSuite();
const open = (snapshot: StateSnapshot, hash = ''): Promise<Page> => suite.open(`settings.html${hash}`, snapshot);
const setPreviews = (page: Page, previews: Record<string, PreviewResult | { error: ApiError }>): Promise<void> =>
  page.evaluate((p) => { window.__crierPreviews = p; }, previews);

const failing = (n: number): FeedHealth => ({
  lastFetchedAt: '2026-03-01T11:50:00.000Z', lastStatus: 503, lastError: 'example.org answered 503 Service Unavailable', consecutiveFailures: n, nextPollAt: null,
});

/** Two untitled feeds on one host (one failing twice), a titled feed failing once. */
function hostSnapshot(): StateSnapshot {
  return makeSnapshot({ feeds: [
    makeFeed({ id: 'blog', url: 'https://example.org/blog/feed.xml', counts: { posted: 12, pending: 2, failed: 1 } }),
    makeFeed({ id: 'news', url: 'https://example.org/news/rss', health: failing(2), counts: { posted: 0, pending: 0, failed: 0 } }),
    makeFeed({ id: 'rust', url: 'https://blog.rust-lang.org/feed.xml', title: 'Rust Blog', health: failing(1), counts: { posted: 1234, pending: 0, failed: 0 } }),
  ] });
}

const post = (id: string, text: string): PreviewResult['posts'][number] => ({ itemId: id, itemTitle: text, text: `${text} https://example.com/${id}`, weightedLength: text.length + 24, imageUrl: null });

describe('failing feeds, labels and counts', () => {
  it('lists failing feeds first, most failures first, tells two feeds on one host apart by path, and counts each feed’s tasks', async () => {
    const page = await open(hostSnapshot());
    expect(await page.locator('.feed-card .feed-name').allTextContents()).toEqual(['example.org/news/rss', 'Rust Blog', 'example.org/blog/feed.xml']);
    const blog = page.locator('.feed-card', { hasText: 'example.org/blog/feed.xml' });
    expect(await blog.locator('.feed-counts dd').textContent()).toBe('12 posted · 2 pending · 1 failed');
    expect(await page.locator('.feed-card', { hasText: 'Rust Blog' }).locator('.feed-counts dd').textContent()).toBe('1,234 posted · 0 pending · 0 failed');

    const chip = page.locator('#header-status #failing-feeds');
    expect(await chip.textContent()).toBe('2 feeds failing');
    expect(await chip.getAttribute('href')).toBe('#feeds');
    expect(await chip.getAttribute('title')).toBe('Failing: example.org/news/rss, Rust Blog. See them in Settings → Feeds.');

    // A poll succeeds and a task is posted: the card moves down and its counts follow the delta.
    await fake(page, (f) => f.emit({ feeds: f.state.feeds.map((x) => (x.id === 'news'
      ? { ...x, health: { ...x.health, consecutiveFailures: 0, lastStatus: 200, lastError: null }, counts: { posted: 1, pending: 0, failed: 0 } } : x)) }));
    await expect.poll(() => page.locator('.feed-card .feed-name').allTextContents()).toEqual(['Rust Blog', 'example.org/blog/feed.xml', 'example.org/news/rss']);
    expect(await page.locator('.feed-card', { hasText: 'news/rss' }).locator('.feed-counts dd').textContent()).toBe('1 posted · 0 pending · 0 failed');
    expect(await chip.textContent()).toBe('1 feed failing');
  });

  it('counts failing feeds in the tasks window’s header, linking to them in Settings', async () => {
    const page = await suite.open('tasks.html', hostSnapshot());
    const chip = page.locator('#header-status #failing-feeds');
    expect(await chip.textContent()).toBe('2 feeds failing');
    expect(await chip.getAttribute('href')).toBe('settings.html#feeds');
    await chip.click();
    await page.locator('body[data-status="ready"]').waitFor();
    expect(new URL(page.url()).pathname).toBe('/settings.html');
    expect(new URL(page.url()).hash).toBe('#feeds');
    expect(await page.locator('.feed-card .feed-name').first().textContent()).toBe('example.org/news/rss');
  });

  it('shows no chip when every feed is healthy', async () => {
    const page = await open(makeSnapshot());
    expect(await page.locator('#failing-feeds').count()).toBe(0);
  });
});

describe('validation messages', () => {
  it('shows every posting rule out of range at once, in words, and drops each error as its field changes', async () => {
    const page = await open(makeSnapshot(), '#posting');
    await page.locator('#set-dailyCap').fill('99999');
    await page.locator('#set-minPostGapSeconds').fill('-5');
    await page.locator('#set-maxAttempts').fill('2.5');
    await page.locator('#posting').getByRole('button', { name: 'Save' }).click();
    expect(await page.locator('#set-dailyCap-error').textContent()).toBe('The daily cap is a whole number from 0 to 2,400.');
    expect(await page.locator('#set-minPostGapSeconds-error').textContent()).toBe('The minimum gap between posts is a whole number of seconds from 0 to 86,400.');
    expect(await page.locator('#set-maxAttempts-error').textContent()).toBe('The number of attempts is a whole number from 1 to 20.');
    expect(await page.locator('#posting [aria-invalid="true"]').count()).toBe(3);
    // Focus goes to the first of them, in the form's order.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('set-minPostGapSeconds');

    await page.locator('#set-dailyCap').fill('20');
    expect(await page.locator('#set-dailyCap-error').isHidden()).toBe(true);
    expect(await page.locator('#set-dailyCap').getAttribute('aria-invalid')).toBe(null);
    expect(await page.locator('#set-minPostGapSeconds-error').isVisible()).toBe(true);
    expect(await fake(page, (f) => f.calls.filter((c) => c.method === 'updateSettings').length)).toBe(0);
  });

  it('marks every field of the Api’s list of issues at once', async () => {
    const page = await open(hostSnapshot());
    await setPreviews(page, { 'https://example.org/blog/feed.xml': { error: {
      code: 'validation', field: 'template', message: 'both',
      issues: [{ field: 'template', message: 'The template uses {nope}, which is not a placeholder.' }, { field: 'exclude.0', message: '/(/ is not a valid regular expression (missing closing )).' }],
    } } });
    const card = page.locator('.feed-card', { hasText: 'blog/feed.xml' });
    await card.getByRole('button', { name: /^Edit/ }).click();
    await expect.poll(() => card.locator('.has-error .field-error').allTextContents()).toEqual([
      'The template uses {nope}, which is not a placeholder.', '/(/ is not a valid regular expression (missing closing )).',
    ]);
    expect(await card.locator('.preview-status').textContent()).toBe('Fix the highlighted field to see the preview.');
    await card.getByLabel('Skip items matching').fill('sponsored');
    expect(await card.locator('.has-error .field-error').allTextContents()).toEqual(['The template uses {nope}, which is not a placeholder.']);
  });
});

describe('adding a feed that is down, or one already followed', () => {
  it('says the preview failed and lets the user add the feed anyway', async () => {
    const page = await open(hostSnapshot());
    const url = 'https://down.example.net/feed.xml';
    await setPreviews(page, { [url]: { error: { code: 'feed', field: 'url', message: 'HTTP 503 Service Unavailable from down.example.net' } } });
    await page.getByRole('button', { name: 'Add feed' }).click();
    const form = page.locator('.feed-add-card');
    await form.getByLabel('Feed URL').fill(url);
    await form.getByLabel('Feed URL').press('Enter');
    await expect.poll(() => form.locator('.preview-status').textContent()).toBe('Could not read the feed: HTTP 503 Service Unavailable from down.example.net');
    expect(await form.locator('.preview-detail').textContent()).toMatch(/add it anyway.*health shows the failure/);
    const add = form.getByRole('button', { name: 'Add anyway' });
    expect(await add.isEnabled()).toBe(true);
    await add.click();
    await page.locator('.feed-card', { hasText: 'down.example.net' }).waitFor();
    expect(await fake(page, (f) => f.calls.filter((c) => c.method === 'addFeed').map((c) => (c.args[0] as { url: string }).url))).toEqual([url]);
  });

  it('catches an address already followed as it is typed, before any preview', async () => {
    const page = await open(hostSnapshot());
    await page.getByRole('button', { name: 'Add feed' }).click();
    const form = page.locator('.feed-add-card');
    const url = form.getByLabel('Feed URL');
    await url.pressSequentially('https://Example.org/news/rss/');
    expect(await form.locator('.field-error').first().textContent()).toBe('Crier already follows this address: example.org.');
    expect(await url.getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByRole('button', { name: 'Add feed' }).isDisabled()).toBe(true);
    await url.press('Enter');
    expect(await form.locator('.preview-status').textContent()).toBe('Crier already follows this address; edit that feed instead.');
    expect(await fake(page, (f) => f.calls.filter((c) => c.method === 'previewFeed').length)).toBe(0);
    await url.press('Backspace');
    await url.press('Backspace');
    expect(await url.getAttribute('aria-invalid')).toBe(null);
  });
});

describe('feed autodiscovery', () => {
  it('offers the feeds a home page names, and previews the one picked', async () => {
    const page = await open(hostSnapshot());
    const home = 'https://site.example/';
    await setPreviews(page, {
      [home]: { feedTitle: null, posts: [], skipped: [], candidates: [
        { url: 'https://site.example/posts.xml', title: 'Posts', type: 'rss' },
        { url: 'https://site.example/comments.atom', title: 'Comments', type: 'atom' },
      ] },
      'https://site.example/comments.atom': { feedTitle: 'Site comments', posts: [post('c1', 'A comment')], skipped: [] },
    });
    await page.getByRole('button', { name: 'Add feed' }).click();
    const form = page.locator('.feed-add-card');
    await form.getByLabel('Feed URL').fill(home);
    await form.getByLabel('Feed URL').press('Enter');
    await expect.poll(() => form.locator('.candidate-title').allTextContents()).toEqual(['Posts', 'Comments']);
    expect(await form.locator('.preview-status').textContent()).toBe('This address is a web page, not a feed. It offers 2 feeds; pick the one to follow.');
    expect(await form.locator('.candidate-url').allTextContents()).toEqual(['RSS · https://site.example/posts.xml', 'Atom · https://site.example/comments.atom']);
    expect(await form.getByRole('button', { name: 'Add feed' }).isDisabled()).toBe(true);
    await form.getByRole('button', { name: 'Use this feed: Comments' }).click();
    await expect.poll(() => form.locator('.preview-post-text').allTextContents()).toEqual(['A comment https://example.com/c1']);
    expect(await form.getByLabel('Feed URL').inputValue()).toBe('https://site.example/comments.atom');
    await form.getByRole('button', { name: 'Add feed' }).click();
    await page.locator('.feed-card', { hasText: 'site.example/comments.atom' }).waitFor();
  });

  it('previews a page’s one feed at once, following its address', async () => {
    const page = await open(hostSnapshot());
    await setPreviews(page, { 'https://one.example/': {
      feedTitle: 'One', posts: [post('p1', 'First post')], skipped: [],
      candidates: [{ url: 'https://one.example/index.xml', title: 'One', type: 'rss' }], feedUrl: 'https://one.example/index.xml',
    } });
    await page.getByRole('button', { name: 'Add feed' }).click();
    const form = page.locator('.feed-add-card');
    await form.getByLabel('Feed URL').fill('https://one.example/');
    await form.getByLabel('Feed URL').press('Enter');
    await expect.poll(() => form.locator('.preview-post-text').allTextContents()).toEqual(['First post https://example.com/p1']);
    expect(await form.getByLabel('Feed URL').inputValue()).toBe('https://one.example/index.xml');
    expect(await form.locator('.preview-detail').textContent()).toBe('This address is a web page; Crier found its feed at https://one.example/index.xml and follows that.');
    await form.getByRole('button', { name: 'Add feed' }).click();
    await expect.poll(() => fake(page, (f) => f.calls.filter((c) => c.method === 'addFeed').map((c) => (c.args[0] as { url: string }).url))).toEqual(['https://one.example/index.xml']);
  });
});

describe('editing a feed', () => {
  it('previews what its next check would post, asking with the feed’s id, and an example when nothing is new', async () => {
    const page = await open(hostSnapshot());
    await setPreviews(page, { 'https://blog.rust-lang.org/feed.xml': {
      feedTitle: 'Rust Blog', posts: [], skipped: [], alreadySeen: 12, example: post('old', 'Announcing Rust 1.95.0'),
    } });
    const card = page.locator('.feed-card', { hasText: 'Rust Blog' });
    await card.getByRole('button', { name: 'Edit Rust Blog' }).click();
    await expect.poll(() => card.locator('.preview-status').textContent())
      .toBe('Nothing new to post from Rust Blog: Crier has seen all 12 items in the feed now. New items will be posted like this example:');
    expect(await card.locator('.preview-example .preview-example-label').textContent()).toBe('Example — already seen, not posted again');
    expect(await card.locator('.counter').textContent()).toBe(`Latest item: ${'Announcing Rust 1.95.0'.length + 24} / 280`);
    const [url, options] = await fake(page, (f) => f.calls.filter((c) => c.method === 'previewFeed').map((c) => c.args)[0] ?? []);
    expect(url).toBe('https://blog.rust-lang.org/feed.xml');
    expect(options).toMatchObject({ feedId: 'rust' });
  });

  it('grows the template box with its text, and shrinks it back', async () => {
    const page = await open(hostSnapshot());
    await setPreviews(page, { 'https://blog.rust-lang.org/feed.xml': { feedTitle: 'Rust Blog', posts: [post('n', 'New')], skipped: [], alreadySeen: 3 } });
    const card = page.locator('.feed-card', { hasText: 'Rust Blog' });
    await card.getByRole('button', { name: 'Edit Rust Blog' }).click();
    const box = card.getByLabel('Post template');
    await box.waitFor();
    const height = (): Promise<number> => box.evaluate((el) => el.getBoundingClientRect().height);
    const fits = (): Promise<boolean> => box.evaluate((el) => el.scrollHeight <= el.clientHeight + 1);
    const short = await height();
    await box.fill(['{title}', '', '{summary}', '', 'Read more: {link}', '', '{hashtags}', 'via {feed}'].join('\n'));
    await expect.poll(height).toBeGreaterThan(short + 40);
    expect(await fits()).toBe(true);
    await box.fill('{title} {link}');
    await expect.poll(height).toBe(short);
  });
});

describe('the empty state and the queue', () => {
  it('opens the add form from the empty state’s "Add a feed", and when the tasks window sends the user to add one', async () => {
    let page = await open(makeSnapshot({ feeds: [] }));
    await page.locator('.feeds-empty').getByRole('button', { name: 'Add a feed' }).click();
    await page.locator('.feed-add-card').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('new-feed-url');

    page = await suite.open('tasks.html', makeSnapshot({ feeds: [] }));
    await page.locator('#empty').getByRole('link', { name: 'Add a feed' }).click();
    await page.locator('.feed-add-card').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('new-feed-url');
  });

  it('says when the queue is paused and why, and resumes it', async () => {
    const snap = makeSnapshot();
    const page = await open({ ...snap, queue: makeQueue([], { paused: true, pauseReason: 'rate-limited', resumesAt: new Date(Date.now() + 30 * 60_000).toISOString() }) });
    const banner = page.locator('#pause-state .banner');
    expect(await banner.locator('.banner-title').textContent()).toBe('Paused: X rate limit reached (429)');
    expect(await banner.locator('.banner-detail').textContent()).toMatch(/^X asked Crier to slow down\. Posting resumes by itself at .+ \(in \d+ min\)\.$/);
    await banner.getByRole('button', { name: 'Resume now' }).click();
    await expect.poll(() => page.locator('#pause-state .banner').count()).toBe(0);
    expect(await fake(page, (f) => f.calls.filter((c) => c.method === 'resume').length)).toBe(1);

    await fake(page, (f) => f.emit({ queue: { ...f.state.queue, paused: true, pauseReason: 'user' } }));
    await expect.poll(() => page.locator('#pause-state .banner-title').textContent()).toBe('Posting is paused');
    expect(await page.locator('#pause-state .banner-detail').textContent()).toBe('You paused the queue. Feeds are still polled; new posts wait as pending.');
  });
});
