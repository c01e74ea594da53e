import { describe, expect, it } from 'vitest';
import { makeFeed } from '../../e2e/support/fixtures';
import { feedAccounts, feedPatch, readFeedForm, type FeedFormRaw } from '../../../renderer/settings/feed-patch';

const feed = makeFeed({ id: 'blog', template: '{title} {link}', include: [], exclude: [] });
const rawOf = (over: Partial<FeedFormRaw> = {}): FeedFormRaw => ({
  url: feed.url, name: feed.name ?? '', intervalMinutes: String(feed.intervalMinutes), template: feed.template,
  include: '', exclude: '', maxHashtags: String(feed.maxHashtags), postImages: feed.postImages, backfill: String(feed.backfill),
  enabled: feed.enabled, ...over,
});

describe('the feed editor’s “Post to”', () => {
  it('reads a feed that names no account as posting to the default one', () => {
    expect(feedAccounts(feed)).toEqual(['default']);
    expect(feedAccounts({ accountIds: [] })).toEqual(['default']);
    expect(feedAccounts({ accountIds: ['other-a'] })).toEqual(['other-a']);
  });

  it('patches nothing while the boxes say what the feed already does, whatever their order', () => {
    expect(feedPatch(feed, readFeedForm(rawOf({ accountIds: ['default'] })).values)).toEqual({});
    const both = { ...feed, accountIds: ['default', 'other-a'] };
    expect(feedPatch(both, readFeedForm(rawOf({ accountIds: ['other-a', 'default'] })).values)).toEqual({});
  });

  it('patches the accounts ticked when they change', () => {
    expect(feedPatch(feed, readFeedForm(rawOf({ accountIds: ['default', 'other-a'] })).values)).toEqual({ accountIds: ['default', 'other-a'] });
  });

  it('asks for at least one account', () => {
    expect(readFeedForm(rawOf({ accountIds: [] })).errors).toEqual({ accountIds: 'Choose at least one account to post to.' });
  });

  it('leaves the accounts alone when there is nothing to choose (one account)', () => {
    expect(readFeedForm(rawOf()).values.accountIds).toBeUndefined();
  });

  it('reads the network templates, empty meaning the feed’s own, and patches them only when changed', async () => {
    expect(readFeedForm(rawOf({ templateBluesky: '', templateMastodon: '' })).values.templates).toBeNull();
    expect(feedPatch(feed, readFeedForm(rawOf({ templateBluesky: '', templateMastodon: '' })).values)).toEqual({});
    expect(feedPatch(feed, readFeedForm(rawOf({ templateBluesky: '{title} {link}', templateMastodon: '' })).values)).toEqual({ templates: { bluesky: '{title} {link}' } });
    const withOne = { ...feed, templates: { mastodon: '{title}: {summary} {link}' } };
    expect(feedPatch(withOne, readFeedForm(rawOf({ templateBluesky: '', templateMastodon: '{title}: {summary} {link}' })).values)).toEqual({});
  });
});
