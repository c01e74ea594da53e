import { describe, expect, it } from 'vitest';
import { describeCost, estimateMonthlyCost, templateHasLink } from '../../../renderer/settings/cost';

const prices = { dailyCap: 50, pricePerPostUsd: 0.015, pricePerPostWithUrlUsd: 0.2 };
const feed = (template: string, enabled = true) => ({ template, enabled });

describe('templateHasLink', () => {
  it('finds {link} anywhere in the template', () => {
    expect(templateHasLink('{title} {link}')).toBe(true);
    expect(templateHasLink('{link}')).toBe(true);
  });
  it('does not count the literal "{{link}}" as a link', () => {
    expect(templateHasLink('{title} {{link}}')).toBe(false);
  });
  it('answers false for a template without {link}', () => {
    expect(templateHasLink('{title} — {summary}')).toBe(false);
  });
});

describe('estimateMonthlyCost', () => {
  it('bills every post at the URL price when every enabled template includes {link}', () => {
    const c = estimateMonthlyCost(prices, [feed('{title} {link}'), feed('{link}')]);
    expect(c).toMatchObject({ basis: 'url', postsPerMonth: 1500, estimate: 300, low: 300, high: 300 });
  });

  it('bills every post at the plain price when no enabled template includes {link}', () => {
    const c = estimateMonthlyCost(prices, [feed('{title}'), feed('{title} {link}', false)]);
    expect(c).toMatchObject({ basis: 'text', estimate: 22.5, low: 22.5, high: 22.5 });
  });

  it('gives the range and a feed-weighted estimate when some templates include {link} and some do not', () => {
    const c = estimateMonthlyCost(prices, [feed('{title} {link}'), feed('{title}'), feed('{title}'), feed('{summary}')]);
    expect(c).toMatchObject({ basis: 'mixed', low: 22.5, high: 300, feedsWithLink: 1, feedsWithoutLink: 3 });
    expect(c.estimate).toBe(91.88); // 300 × ¼ + 22.5 × ¾ = 91.875
  });

  it('gives the whole range when no feed is enabled', () => {
    expect(estimateMonthlyCost(prices, [])).toMatchObject({ basis: 'no-feeds', low: 22.5, high: 300 });
  });

  it('costs nothing with a daily cap of 0', () => {
    const c = estimateMonthlyCost({ ...prices, dailyCap: 0 }, [feed('{link}')]);
    expect(c.estimate).toBe(0);
    expect(describeCost(c).headline).toBe('$0.00');
  });

  it('uses the edited prices', () => {
    expect(estimateMonthlyCost({ dailyCap: 10, pricePerPostUsd: 0.01, pricePerPostWithUrlUsd: 0.5 }, [feed('{link}')]).estimate).toBe(150);
  });
});

describe('describeCost', () => {
  it('says which rule produced a mixed figure', () => {
    const d = describeCost(estimateMonthlyCost(prices, [feed('{link}'), feed('{title}')]));
    expect(d.headline).toBe('$22.50 – $300.00');
    expect(d.detail).toContain('1 of 2 enabled feeds include {link}');
    expect(d.detail).toContain('about $161.25 if every feed posts equally often');
  });

  it('names the URL price when every template carries a link', () => {
    const d = describeCost(estimateMonthlyCost(prices, [feed('{link}')]));
    expect(d.headline).toBe('$300.00');
    expect(d.detail).toContain('1,500 posts a month');
    expect(d.detail).toContain('post with a URL');
  });
});
