import { describe, expect, it } from 'vitest';
import { distinctLabels, failingFirst, failingText, followedAt, sameAddress } from '../../../renderer/lib/feed-labels';
import { makeFeed } from '../../e2e/support/fixtures';

describe('feed labels in a list', () => {
  it('tells two untitled feeds on one host apart by their paths, and two of one title by their addresses', () => {
    const feeds = [
      makeFeed({ id: 'a', url: 'https://example.org/blog/feed.xml' }),
      makeFeed({ id: 'b', url: 'https://example.org/news/rss?lang=en' }),
      makeFeed({ id: 'c', url: 'https://other.example/feed', title: 'Weekly' }),
      makeFeed({ id: 'd', url: 'https://third.example/feed', title: 'Weekly' }),
      makeFeed({ id: 'e', url: 'https://solo.example/feed' }),
      makeFeed({ id: 'f', url: 'https://x.example/a', title: 'Weekly', name: 'Mine' }),
    ];
    expect(Object.fromEntries(distinctLabels(feeds))).toEqual({
      a: 'example.org/blog/feed.xml', b: 'example.org/news/rss?lang=en',
      c: 'Weekly (other.example/feed)', d: 'Weekly (third.example/feed)',
      e: 'solo.example', f: 'Mine',
    });
  });
});

describe('failing feeds', () => {
  const health = (consecutiveFailures: number) => ({ lastFetchedAt: null, lastStatus: null, lastError: null, consecutiveFailures, nextPollAt: null });
  it('come first, most failures first, the rest in their own order; a disabled feed is not failing', () => {
    const feeds = [
      makeFeed({ id: 'ok1' }), makeFeed({ id: 'bad1', health: health(1) }), makeFeed({ id: 'ok2' }),
      makeFeed({ id: 'bad5', health: health(5) }), makeFeed({ id: 'off', enabled: false, health: health(9) }),
    ];
    expect(failingFirst(feeds).map((f) => f.id)).toEqual(['bad5', 'bad1', 'ok1', 'ok2', 'off']);
    expect(failingText(2)).toBe('2 feeds failing');
    expect(failingText(1)).toBe('1 feed failing');
    expect(failingText(0)).toBe(null);
  });
});

describe('an address already followed', () => {
  it('is the same address whatever its case, default port, trailing slash or fragment', () => {
    expect(sameAddress('https://Example.org:443/feed/', 'https://example.org/feed#top')).toBe(true);
    expect(sameAddress('https://example.org/feed', 'http://example.org/feed')).toBe(false);
    expect(sameAddress('https://example.org/Feed', 'https://example.org/feed')).toBe(false);
  });

  it('is found among the followed feeds, except the one being edited', () => {
    const feeds = [makeFeed({ id: 'a', url: 'https://example.org/feed' })];
    expect(followedAt(' https://EXAMPLE.org/feed/ ', feeds)?.id).toBe('a');
    expect(followedAt('https://example.org/feed', feeds, 'a')).toBe(null);
    expect(followedAt('', feeds)).toBe(null);
  });
});
