import { describe, expect, it } from 'vitest';
import { makeFeed } from '../../e2e/support/fixtures';
import { controlForField, feedPatch, messageForField, previewOptions, readFeedForm, splitLines, type FeedFormRaw } from '../../../renderer/settings/feed-patch';

const feed = makeFeed({ id: 'blog', template: '{title} {link}', include: ['rust'], exclude: [] });
const rawOf = (over: Partial<FeedFormRaw> = {}): FeedFormRaw => ({
  url: feed.url, name: '', intervalMinutes: '15', template: feed.template, include: 'rust', exclude: '',
  maxHashtags: '3', postImages: false, backfill: '0', enabled: true, ...over,
});

describe('the feed editor', () => {
  it('has nothing to save when nothing changed', () => {
    expect(feedPatch(feed, readFeedForm(rawOf()).values)).toEqual({});
  });

  it('sends only what changed, filters one per line without blanks', () => {
    const { values } = readFeedForm(rawOf({ template: 'New: {title}', exclude: 'sponsored\n\n  ads  \n', intervalMinutes: '30', enabled: false }));
    expect(feedPatch(feed, values)).toEqual({ template: 'New: {title}', exclude: ['sponsored', 'ads'], intervalMinutes: 30, enabled: false });
  });

  it('turns an empty name into null, the feed’s own title', () => {
    const named = { ...feed, name: 'Mine' };
    expect(feedPatch(named, readFeedForm(rawOf({ name: '  ' })).values)).toEqual({ name: null });
  });

  it('refuses an interval out of range by its field, as the engine words it, and sends nothing for it', () => {
    const { values, errors } = readFeedForm(rawOf({ intervalMinutes: '0' }));
    expect(errors).toEqual({ intervalMinutes: 'The check interval is a whole number of minutes from 1 to 1,440.' });
    expect(feedPatch(feed, values)).toEqual({});
  });

  it('reports a count that is not a number against its field', () => {
    expect(readFeedForm(rawOf({ backfill: 'x' })).errors).toEqual({ backfill: 'The number of items posted on the first check is a whole number from 0 to 50.' });
  });

  it('previews with the edited template and filters', () => {
    expect(previewOptions(readFeedForm(rawOf({ exclude: 'ads' })).values)).toEqual({ template: '{title} {link}', include: ['rust'], exclude: ['ads'], maxHashtags: 3 });
  });

  it('splits Windows and old Mac line ends too', () => {
    expect(splitLines('a\r\nb\rc')).toEqual(['a', 'b', 'c']);
  });
});

describe('errors by field', () => {
  const known = ['url', 'template', 'include', 'exclude', 'intervalMinutes'];
  it('maps a list entry to its list and a prefixed path to its control', () => {
    expect(controlForField('exclude.2', known)).toBe('exclude');
    expect(controlForField('feeds.0.url', known)).toBe('url');
    expect(controlForField('template', known)).toBe('template');
  });
  it('answers null for a field the form does not have', () => {
    expect(controlForField('maxFeedBytes', known)).toBe(null);
    expect(controlForField(undefined, known)).toBe(null);
  });
  it('drops the field name the server put in front of its message', () => {
    expect(messageForField('dailyCap: Too big: expected number to be <=2400', 'dailyCap')).toBe('Too big: expected number to be <=2400');
    expect(messageForField('Unknown template placeholder {nope}', 'template')).toBe('Unknown template placeholder {nope}');
  });
});
