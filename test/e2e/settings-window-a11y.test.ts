// axe-core over the settings window's new states, in the light and the dark theme: the pause
// banner, the failing-feeds link and the task counts; a home page's feeds offered; a feed that
// cannot be read with its "Add anyway"; an address already followed; an edited feed's example
// post with every field's error from the Api at once.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ApiError, PreviewResult, StateSnapshot } from '../../preload/contract';
import { SCHEMES, violationsIn } from './support/axe';
import { useBridgeSuite } from './support/bridge-suite';
import { makeQueue, settingsSnapshot } from './support/fixtures';

const suite = useBridgeSuite();
const NOW = Date.now();

function pausedSnapshot(): StateSnapshot {
  const snap = settingsSnapshot(NOW);
  return { ...snap, queue: makeQueue(snap.tasks, { paused: true, pauseReason: 'credits-depleted', postedToday: 12 }) };
}

const setPreviews = (page: Page, previews: Record<string, PreviewResult | { error: ApiError }>): Promise<void> =>
  page.evaluate((p) => { window.__crierPreviews = p; }, previews);

describe('the settings window’s new states pass WCAG 2.1 A and AA', () => {
  for (const scheme of SCHEMES) {
    it(`with the queue paused, a failing feed counted in the header and each feed's task counts (${scheme})`, async () => {
      const page = await suite.open('settings.html', pausedSnapshot());
      await page.locator('#pause-state .banner').waitFor();
      await page.locator('#failing-feeds').waitFor();
      await page.locator('.feed-counts').first().waitFor();
      expect(await violationsIn(page, scheme)).toBe('');
    }, 60_000);

    it(`with a home page's feeds offered, and a feed that cannot be read offered anyway (${scheme})`, async () => {
      const page = await suite.open('settings.html', settingsSnapshot(NOW));
      await setPreviews(page, {
        'https://site.example/': { feedTitle: null, posts: [], skipped: [], candidates: [
          { url: 'https://site.example/posts.xml', title: 'Posts', type: 'rss' },
          { url: 'https://site.example/comments.json', title: null, type: 'json' },
        ] },
        'https://down.example/feed': { error: { code: 'feed', field: 'url', message: 'HTTP 503 Service Unavailable from down.example' } },
      });
      await page.getByRole('button', { name: 'Add feed' }).click();
      const form = page.locator('.feed-add-card');
      await form.getByLabel('Feed URL').fill('https://site.example/');
      await form.getByLabel('Feed URL').press('Enter');
      await form.locator('.candidate').first().waitFor();
      expect(await violationsIn(page, scheme)).toBe('');

      await form.getByLabel('Feed URL').fill('https://down.example/feed');
      await form.getByLabel('Feed URL').press('Enter');
      await form.getByRole('button', { name: 'Add anyway' }).waitFor();
      expect(await violationsIn(page, scheme)).toBe('');

      await form.getByLabel('Feed URL').fill('https://hnrss.org/frontpage');
      await form.locator('[aria-invalid="true"]').waitFor();
      expect(await violationsIn(page, scheme)).toBe('');
    }, 60_000);

    it(`with an edited feed's example post and every field's error from the Api (${scheme})`, async () => {
      const page = await suite.open('settings.html', settingsSnapshot(NOW));
      await setPreviews(page, {
        'https://blog.rust-lang.org/feed.xml': { feedTitle: 'Rust Blog', posts: [], skipped: [], alreadySeen: 10,
          example: { itemId: 'x', itemTitle: 'Announcing Rust 1.95.0', text: 'Announcing Rust 1.95.0 https://blog.rust-lang.org/x', weightedLength: 46, imageUrl: null } },
      });
      const card = page.locator('.feed-card', { hasText: 'Rust Blog' });
      await card.getByRole('button', { name: 'Edit Rust Blog' }).click();
      await card.locator('.preview-example').waitFor();
      await card.getByLabel('Check every').fill('0');
      await card.getByLabel('Hashtags at most').fill('11');
      await card.getByRole('button', { name: 'Save changes' }).click();
      await card.locator('.has-error').nth(1).waitFor();
      expect(await violationsIn(page, scheme)).toBe('');
    }, 60_000);
  }
});
