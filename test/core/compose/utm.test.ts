import { describe, expect, it } from 'vitest';
import { tagLink } from '../../../main/core/compose/utm';

const values = { feed: 'Crier News', date: '2026-12-02' };

describe('tagLink', () => {
  it.each([
    ['adds the tags to a link without a query',
      'https://example.com/post', { source: 'crier', medium: 'social' },
      'https://example.com/post?utm_source=crier&utm_medium=social'],
    ['keeps the rest of the query byte for byte and the fragment last',
      'https://example.com/p?a=1&b=x%20y,z&c#top', { campaign: 'launch' },
      'https://example.com/p?a=1&b=x%20y,z&c&utm_campaign=launch#top'],
    ['replaces a utm tag of the same name and keeps the others',
      'https://example.com/p?utm_source=rss&utm_term=kept&UTM_MEDIUM=feed', { source: 'x', medium: 'social' },
      'https://example.com/p?utm_term=kept&utm_source=x&utm_medium=social'],
    ['fills {feed} and {date} and URL-encodes the value',
      'https://example.com/p', { campaign: '{feed} {date} & more' },
      'https://example.com/p?utm_campaign=Crier%20News%202026-12-02%20%26%20more'],
    ['leaves the link alone when every tag is empty',
      'https://example.com/p?a=1', { source: '', medium: '  ', campaign: undefined },
      'https://example.com/p?a=1'],
    ['leaves a link that is not http(s) alone',
      'mailto:someone@example.com', { source: 'crier' },
      'mailto:someone@example.com'],
    ['handles an empty query after the question mark',
      'https://example.com/p?', { source: 'crier' },
      'https://example.com/p?utm_source=crier'],
    ['does not mistake a parameter that merely starts like a tag for it',
      'https://example.com/p?utm_sourcex=1', { source: 'crier' },
      'https://example.com/p?utm_sourcex=1&utm_source=crier'],
  ])('%s', (_name, link, tags, expected) => {
    expect(tagLink(link, tags, values)).toBe(expected);
  });

  it('leaves the link alone without tags', () => {
    expect(tagLink('https://example.com/p', null, values)).toBe('https://example.com/p');
    expect(tagLink('https://example.com/p', undefined, values)).toBe('https://example.com/p');
  });

  it('survives a malformed percent-escape in a kept parameter', () => {
    expect(tagLink('https://example.com/p?bad=%E0%A4%A&utm_source=old', { source: 'new' }, values))
      .toBe('https://example.com/p?bad=%E0%A4%A&utm_source=new');
  });
});
