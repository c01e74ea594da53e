import { describe, expect, it } from 'vitest';
import { makeFeed } from '../../e2e/support/fixtures';
import { feedPatch, readFeedForm, type FeedFormRaw } from '../../../renderer/settings/feed-patch';

const feed = makeFeed({ id: 'blog', template: '{title} {link}', include: [], exclude: [] });
const rawOf = (over: Partial<FeedFormRaw> = {}): FeedFormRaw => ({
  url: feed.url, name: feed.name ?? '', intervalMinutes: String(feed.intervalMinutes), template: feed.template,
  include: '', exclude: '', maxHashtags: String(feed.maxHashtags), postImages: feed.postImages, backfill: String(feed.backfill),
  enabled: feed.enabled, ...over,
});

describe('the dedupe fields of the feed editor', () => {
  it('patch nothing while they say what the feed already does (absent fields read as the defaults)', () => {
    expect(feedPatch(feed, readFeedForm(rawOf({ dedupe: 'id', repostAfterDays: '' })).values)).toEqual({});
  });

  it('patch the rule and the days when changed, and an emptied box as never', () => {
    expect(feedPatch(feed, readFeedForm(rawOf({ dedupe: 'title', repostAfterDays: '30' })).values)).toEqual({ dedupe: 'title', repostAfterDays: 30 });
    const reposting = { ...feed, repostAfterDays: 30 };
    expect(feedPatch(reposting, readFeedForm(rawOf({ repostAfterDays: ' ' })).values)).toEqual({ repostAfterDays: null });
  });

  it('name a bad number of days in words, by its field', () => {
    expect(readFeedForm(rawOf({ repostAfterDays: '0' })).errors.repostAfterDays).toMatch(/days before an item that comes back/);
    expect(readFeedForm(rawOf({ repostAfterDays: '2.5' })).errors.repostAfterDays).toBeDefined();
  });
});
