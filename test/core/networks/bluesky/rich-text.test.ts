import { describe, expect, it } from 'vitest';
import { blueskyLength } from '../../../../main/core/networks/bluesky/length';
import { findLinks, graphemeCount, prepareText, shortLinkText } from '../../../../main/core/networks/bluesky/rich-text';

function facetTexts(text: string): { shown: string; uri: string }[] {
  const prepared = prepareText(text);
  const bytes = Buffer.from(prepared.text, 'utf8');
  return prepared.facets.map((f) => ({ shown: bytes.subarray(f.index.byteStart, f.index.byteEnd).toString('utf8'), uri: f.features[0].uri }));
}

describe('findLinks', () => {
  it('leaves sentence punctuation and an unopened parenthesis out of the link', () => {
    expect(findLinks('See https://example.com/a. And (https://example.com/b), or https://en.wikipedia.org/wiki/Foo_(bar)!').map((l) => l.url)).toEqual([
      'https://example.com/a',
      'https://example.com/b',
      'https://en.wikipedia.org/wiki/Foo_(bar)',
    ]);
  });

  it('finds nothing in words that only contain a scheme, or in a bare host', () => {
    expect(findLinks('xhttps://example.com and example.com and https://nodot')).toEqual([]);
  });
});

describe('facets', () => {
  it('counts UTF-8 bytes before the link: emoji, combining marks, CJK, Arabic', () => {
    expect(facetTexts('👩‍👩‍👧 é (e + U+0301) 中文 مرحبا https://example.com/ü?q=日本 end')).toEqual([
      { shown: 'https://example.com/ü?q=日本', uri: 'https://example.com/ü?q=日本' },
    ]);
    const prepared = prepareText('😀 https://a.example');
    expect(prepared.facets[0]?.index).toEqual({ byteStart: 5, byteEnd: 5 + 'https://a.example'.length });
  });

  it('gives every link its own facet, in order', () => {
    expect(facetTexts('https://a.example/1 日本 https://b.example/2').map((f) => f.uri)).toEqual(['https://a.example/1', 'https://b.example/2']);
  });
});

describe('shortening long links', () => {
  it('shows the host and the start of the path, and leaves short links as written', () => {
    expect(shortLinkText('https://example.com/2026/01/a-very-long-article-slug?utm=feed')).toBe('example.com/2026/01/a-ve…');
    expect(shortLinkText('https://example.com/short')).toBe('example.com/short');
    expect(shortLinkText('https://example.com/')).toBe('example.com');
  });

  it('keeps links written out when the post fits, and shortens them only when it would not', () => {
    const url = `https://example.com/${'segment/'.repeat(10)}`;
    expect(prepareText(`Short post ${url}`)).toMatchObject({ text: `Short post ${url}`, shortened: false });
    const long = `${'x'.repeat(250)} ${url}`;
    const prepared = prepareText(long);
    expect(prepared.shortened).toBe(true);
    expect(prepared.text).toBe(`${'x'.repeat(250)} example.com/segment/segm…`);
    expect(facetTexts(long)).toEqual([{ shown: 'example.com/segment/segm…', uri: url }]);
  });
});

describe('blueskyLength', () => {
  it('counts graphemes, not code points or bytes', () => {
    expect(blueskyLength.limit).toBe(300);
    expect(blueskyLength.count('👩‍👩‍👧‍👦')).toBe(1);
    expect(blueskyLength.count('é')).toBe(1);
    expect(graphemeCount('日本語')).toBe(3);
    expect(blueskyLength.fits('a'.repeat(300))).toBe(true);
    expect(blueskyLength.fits('a'.repeat(301))).toBe(false);
  });

  it('refuses 3,001 bytes even under 300 graphemes', () => {
    const family = '👩‍👩‍👧‍👦'; // 25 bytes
    expect(blueskyLength.fits(family.repeat(120))).toBe(true); // 3,000 bytes
    expect(blueskyLength.fits(`${family.repeat(120)}a`)).toBe(false);
    expect(blueskyLength.count(`${family.repeat(120)}a`)).toBe(121);
  });

  it('counts a long link as it will be shown once shortened, so a post with one fits', () => {
    const url = `https://example.com/${'long-path-'.repeat(20)}`;
    const text = `${'y'.repeat(200)} ${url}`;
    expect(graphemeCount(text)).toBeGreaterThan(300);
    expect(blueskyLength.fits(text)).toBe(true);
    expect(blueskyLength.count(text)).toBe(201 + 'example.com/long-path-lo…'.length);
  });
});
