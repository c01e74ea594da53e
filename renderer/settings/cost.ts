// What X would charge for a month of posting at the daily cap. Pure, so the page and the tests
// agree. X bills per post and more for a post that carries a URL (FIELD-NOTES: about $0.015 and
// $0.20); whether a post carries one depends on the feed's template including {link}.
import type { Feed, Settings } from '../../preload/contract';

export const DAYS_PER_MONTH = 30;

/**
 * - 'text': every enabled feed's template leaves {link} out — plain posts.
 * - 'url': every enabled feed's template includes {link}.
 * - 'mixed': some do and some don't — a range, plus an estimate weighted by feed count.
 * - 'no-feeds': nothing enabled yet — the range between the two prices.
 */
export type CostBasis = 'text' | 'url' | 'mixed' | 'no-feeds';

export interface CostEstimate {
  basis: CostBasis;
  postsPerMonth: number;
  /** USD per month: the cheapest and dearest outcome (equal unless mixed / no feeds). */
  low: number;
  high: number;
  /** USD per month; for 'mixed' it assumes every enabled feed posts equally often. */
  estimate: number;
  feedsWithLink: number;
  feedsWithoutLink: number;
}

// Same tokens as the engine's template parser: "{{" and "}}" are literal braces, so
// "{{link}}" is the text "{link}", not a link.
const TOKEN = /\{\{|\}\}|\{([^{}]*)\}/g;

/** Whether the template puts the item's link in the post. */
export function templateHasLink(template: string): boolean {
  for (const m of template.matchAll(TOKEN)) if (m[1] === 'link') return true;
  return false;
}

const cents = (usd: number): number => Math.round(usd * 100) / 100;

export function estimateMonthlyCost(
  settings: Pick<Settings, 'dailyCap' | 'pricePerPostUsd' | 'pricePerPostWithUrlUsd'>,
  feeds: readonly Pick<Feed, 'enabled' | 'template'>[],
): CostEstimate {
  const postsPerMonth = Math.max(0, settings.dailyCap) * DAYS_PER_MONTH;
  const enabled = feeds.filter((f) => f.enabled);
  const feedsWithLink = enabled.filter((f) => templateHasLink(f.template)).length;
  const feedsWithoutLink = enabled.length - feedsWithLink;
  const plain = postsPerMonth * settings.pricePerPostUsd;
  const linked = postsPerMonth * settings.pricePerPostWithUrlUsd;
  const low = cents(Math.min(plain, linked));
  const high = cents(Math.max(plain, linked));

  let basis: CostBasis;
  let estimate: number;
  if (enabled.length === 0) { basis = 'no-feeds'; estimate = high; }
  else if (feedsWithLink === 0) { basis = 'text'; estimate = cents(plain); }
  else if (feedsWithoutLink === 0) { basis = 'url'; estimate = cents(linked); }
  else {
    basis = 'mixed';
    const share = feedsWithLink / enabled.length;
    estimate = cents(linked * share + plain * (1 - share));
  }
  const exact = basis === 'text' || basis === 'url';
  return { basis, postsPerMonth, low: exact ? estimate : low, high: exact ? estimate : high, estimate, feedsWithLink, feedsWithoutLink };
}

export function formatUsd(usd: number): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(usd);
}

/** The sentence under the figure: what the figure assumes. */
export function describeCost(c: CostEstimate): { headline: string; detail: string } {
  const posts = `${c.postsPerMonth.toLocaleString('en-US')} posts a month (the daily cap × ${DAYS_PER_MONTH})`;
  if (c.postsPerMonth === 0) return { headline: formatUsd(0), detail: 'The daily cap is 0, so nothing is posted.' };
  switch (c.basis) {
    case 'text':
      return { headline: formatUsd(c.estimate), detail: `At most ${posts}; no enabled feed's template includes {link}, so each is billed as a plain post.` };
    case 'url':
      return { headline: formatUsd(c.estimate), detail: `At most ${posts}; every enabled feed's template includes {link}, so each is billed as a post with a URL.` };
    case 'mixed':
      return { headline: `${formatUsd(c.low)} – ${formatUsd(c.high)}`,
        detail: `At most ${posts}. ${c.feedsWithLink} of ${c.feedsWithLink + c.feedsWithoutLink} enabled feeds include {link}: the range runs from all plain posts to all posts with a URL; about ${formatUsd(c.estimate)} if every feed posts equally often.` };
    case 'no-feeds':
      return { headline: `${formatUsd(c.low)} – ${formatUsd(c.high)}`,
        detail: `At most ${posts}; no feed is enabled yet, so the range runs from all plain posts to all posts with a URL.` };
  }
}
