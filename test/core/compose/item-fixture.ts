import type { FeedItem } from '../../../main/core/feeds/types';

export function item(fields: Partial<FeedItem> = {}): FeedItem {
  return { id: 'item-1', idFrom: 'feed', title: 'A title', link: 'https://example.com/post', published: '2026-03-04T05:06:07.000Z', summary: '', author: null, categories: [], image: null, ...fields };
}

/** A small deterministic PRNG (mulberry32), so randomised tests replay exactly. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
