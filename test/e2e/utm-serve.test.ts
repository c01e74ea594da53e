// UTM tags per feed, the way a user meets them: typed in the feed editor against a real
// `crier serve`, seen in the preview, saved, and posted (dry run) on the link only.
import { describe, expect, it } from 'vitest';
import { rssDocument } from '../support/feed-server';
import { useServeSuite } from './support/serve-suite';

const SOON = { timeout: 15_000 };

describe('UTM tags in the feed editor against crier serve', { timeout: 90_000 }, () => {
  const s = useServeSuite({
    name: 'utm',
    routes: { '/news.xml': { body: rssDocument({ title: 'Loopback News', items: [{ title: 'Launch day', link: 'https://news.example.org/launch?ref=rss#top', guid: 'n1' }] }) } },
    settings: { minPostGapSeconds: 0 },
  });

  it('previews and posts the tagged link while the task keeps the feed’s own link', async () => {
    await s.open('settings.html');
    await s.tab.getByRole('button', { name: 'Add feed' }).click();
    const form = s.tab.locator('.feed-add-card');
    await form.getByLabel('Feed URL').fill(s.site.url('/news.xml'));
    await form.getByLabel('Feed URL').press('Enter');
    await expect.poll(() => form.locator('.preview-post-text').allTextContents(), SOON).toEqual(['Launch day https://news.example.org/launch?ref=rss#top']);

    await form.getByText('Link tracking (UTM tags)').click();
    await form.getByLabel('utm_source').fill('crier');
    await form.getByLabel('utm_campaign').fill('{feed}');
    const tagged = 'https://news.example.org/launch?ref=rss&utm_source=crier&utm_campaign=Loopback%20News#top';
    await expect.poll(() => form.locator('.preview-post-text').allTextContents(), SOON).toEqual([`Launch day ${tagged}`]);

    await form.getByLabel('On the first check, post the newest').fill('1');
    await form.getByRole('button', { name: 'Add feed' }).click();
    await expect.poll(() => form.count(), SOON).toBe(0);
    expect((await s.state()).feeds[0]!.utm).toEqual({ source: 'crier', campaign: '{feed}' });
    await expect.poll(async () => (await s.state()).tasks.map((t) => [t.text, t.itemLink]), SOON)
      .toEqual([[`Launch day ${tagged}`, 'https://news.example.org/launch?ref=rss#top']]);
    expect(s.watch.problems).toEqual([]);
  });

  it('refuses a tag that fills in another placeholder, next to its box', async () => {
    const card = s.tab.locator('.feed-card', { hasText: 'Loopback News' });
    await card.getByRole('button', { name: /Edit/ }).first().click();
    const form = s.tab.locator('form.feed-form').first();
    await form.getByLabel('utm_medium').fill('{title}');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => form.locator('[id$="-utm-medium-error"]').textContent(), SOON).toBe('The utm_medium tag can fill in only {feed} and {date}.');
  });
});
