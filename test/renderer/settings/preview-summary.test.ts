import { describe, expect, it } from 'vitest';
import type { PreviewResult } from '../../../preload/contract';
import { previewSummary } from '../../../renderer/settings/preview-panel';

const result = (posts: number): PreviewResult => ({
  feedTitle: 'Example',
  posts: Array.from({ length: posts }, (_, i) => ({ itemId: `i${i}`, itemTitle: `Item ${i}`, text: `Item ${i}`, weightedLength: 6, imageUrl: null })),
  skipped: [],
});

describe('the preview summary', () => {
  it('calls the posts of a feed already followed the next posts', () => {
    expect(previewSummary(result(3))).toBe('The next 3 posts from Example, newest first.');
  });

  it('tells a user adding a feed that its first check posts none of the items already there', () => {
    expect(previewSummary(result(3), { backfill: 0 })).toMatch(/first check Crier marks the items already there as seen and posts none of them/);
  });

  it('tells a user adding a feed with backfill how many of the newest items its first check posts', () => {
    expect(previewSummary(result(3), { backfill: 2 })).toMatch(/first check Crier posts the newest 2 items/);
  });

  it('says so when the feed has no items', () => {
    expect(previewSummary(result(0), { backfill: 0 })).toBe('The feed has no items yet.');
  });
});
