// Review mode in the feed editor, the way a user meets it against a real `crier serve`: ticked
// when adding a feed, its first post waits in review (not posted), and unticked again later.
import { describe, expect, it } from 'vitest';
import { rssDocument } from '../support/feed-server';
import { useServeSuite } from './support/serve-suite';

const SOON = { timeout: 15_000 };

describe('review mode in the feed editor against crier serve', { timeout: 90_000 }, () => {
  const s = useServeSuite({
    name: 'review-feed',
    routes: { '/news.xml': { body: rssDocument({ title: 'Loopback News', items: [{ title: 'Needs a look', link: 'https://news.example.org/1', guid: 'n1' }] }) } },
    settings: { minPostGapSeconds: 0 },
  });

  it('keeps a new feed’s posts for review when its box is ticked', async () => {
    await s.open('settings.html');
    await s.tab.getByRole('button', { name: 'Add feed' }).click();
    const form = s.tab.locator('.feed-add-card');
    await form.getByLabel('Feed URL').fill(s.site.url('/news.xml'));
    await form.getByLabel('Feed URL').press('Enter');
    await expect.poll(() => form.locator('.preview-post-text').count(), SOON).toBe(1);
    await form.getByLabel('On the first check, post the newest').fill('1');
    await form.getByLabel('Review each post before it goes out').check();
    await form.getByRole('button', { name: 'Add feed' }).click();
    await expect.poll(() => form.count(), SOON).toBe(0);
    expect((await s.state()).feeds[0]!.review).toBe(true);
    await expect.poll(async () => (await s.state()).tasks.map((t) => [t.itemTitle, t.status]), SOON).toEqual([['Needs a look', 'review']]);
  });

  it('turns review mode off for the feed', async () => {
    const card = s.tab.locator('.feed-card', { hasText: 'Loopback News' });
    await card.getByRole('button', { name: /^Edit/ }).click();
    const form = s.tab.locator('form.feed-form').first();
    await form.getByLabel('Review each post before it goes out').uncheck();
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(async () => (await s.state()).feeds[0]!.review ?? false, SOON).toBe(false);
    expect(s.watch.problems).toEqual([]);
  });
});
