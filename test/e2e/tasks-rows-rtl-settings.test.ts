// Right-to-left feed text in the settings window (issue 15, "every piece of feed text gets
// dir=auto"): the add-feed preview and the feed cards, through the fake preload bridge.
import { describe, expect, it } from 'vitest';
import type { PreviewResult } from '../../preload/contract';
import { useBridgeSuite } from './support/bridge-suite';
import { makeFeed, makeSnapshot } from './support/fixtures';

const suite = useBridgeSuite();

describe('right-to-left feed text in settings', () => {
  it('gives the preview’s posts, item titles and skipped titles, and the feed names, dir="auto"', async () => {
    const page = await suite.open('settings.html', makeSnapshot({ feeds: [makeFeed({ id: 'he', title: 'בלוג חדשות' })] }));
    const preview: PreviewResult = { feedTitle: 'חדשות', skipped: [{ itemId: 's', itemTitle: 'פריט שדולג', reason: 'Excluded by a filter' }],
      posts: [{ itemId: 'p', itemTitle: 'שלום עולם', text: 'שלום עולם https://example.org/he', weightedLength: 33, imageUrl: null }] };
    await page.evaluate((p) => { window.__crierPreviews = { 'https://he.example/feed': p }; }, preview);
    expect(await page.locator('.feed-card .feed-name').getAttribute('dir')).toBe('auto');
    await page.getByRole('button', { name: 'Add feed' }).click();
    const form = page.locator('.feed-add-card');
    await form.getByLabel('Feed URL').fill('https://he.example/feed');
    await form.getByLabel('Feed URL').press('Enter');
    const text = form.locator('.preview-post-text');
    await expect.poll(() => text.textContent()).toBe('שלום עולם https://example.org/he');
    for (const sel of ['.preview-post-text', '.preview-post-item', '.preview-skip-title']) {
      expect(await form.locator(sel).getAttribute('dir'), sel).toBe('auto');
    }
    expect(await text.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
  });
});
