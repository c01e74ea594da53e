import twitterText from 'twitter-text';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { composePost, type ComposeContext } from '../../../main/core/compose/compose';
import { hashtagsFromCategories } from '../../../main/core/compose/hashtags';
import { weightedLength } from '../../../main/core/compose/weighted-length';
import { CommandError } from '../../../main/core/errors';
import type { FeedItem } from '../../../main/core/feeds/types';
import { item, seeded } from './item-fixture';

const ctx = (fields: Partial<ComposeContext> = {}): ComposeContext => ({ template: '{title} {link}', maxHashtags: 3, feedTitle: 'The Feed', ...fields });
const LINK = 'https://example.com/post';
const words = (n: number, word = 'word'): string => Array.from({ length: n }, (_, i) => `${word}${i}`).join(' ');

afterEach(() => vi.restoreAllMocks());

describe('composePost within the limit', () => {
  it.each<[string, Partial<FeedItem>, Partial<ComposeContext>, string, number]>([
    ['a plain title', { title: 'Hello world' }, {}, `Hello world ${LINK}`, 35],
    ['emoji (weight 2 each)', { title: 'Launch day 🚀🎉' }, {}, `Launch day 🚀🎉 ${LINK}`, 39],
    ['a family emoji sequence (weight 2)', { title: '👨‍👩‍👧 news' }, {}, `👨‍👩‍👧 news ${LINK}`, 31],
    ['CJK (weight 2 each)', { title: '日本語のニュース' }, {}, `日本語のニュース ${LINK}`, 40],
    ['right-to-left text', { title: 'שלום עולם' }, {}, `שלום עולם ${LINK}`, 33],
    ['Arabic text', { title: 'مرحبا بالعالم' }, {}, `مرحبا بالعالم ${LINK}`, 37],
    ['a URL inside the title (23)', { title: 'Read https://example.org/a/very/long/path/indeed now' }, {}, `Read https://example.org/a/very/long/path/indeed now ${LINK}`, 56],
    ['a title that is only a URL', { title: 'https://example.org/only' }, {}, `https://example.org/only ${LINK}`, 47],
    ['HTML-ish leftovers kept as text', { title: '1 < 2 && <b> is "bold"' }, {}, `1 < 2 && <b> is "bold" ${LINK}`, 46],
    ['whitespace and a BOM collapsed away', { title: '  \uFEFFspaced\n\n  out\t ' }, {}, `spaced out ${LINK}`, 34],
    ['control characters removed', { title: 'ok\u0007\u001b[31m red\u009b' }, {}, `ok[31m red ${LINK}`, 34],
    ['a missing link', { title: 'No link', link: null }, {}, 'No link', 7],
    ['every placeholder', { title: 'T', summary: 'S', author: 'Ann', categories: ['Open Source'] },
      { template: '{title}|{summary}|{author}|{feed}|{date}|{hashtags}|{link}' }, `T|S|Ann|The Feed|2026-03-04|#OpenSource|${LINK}`, 63],
    ['template newlines', { title: 'T', summary: 'S' }, { template: '{title}\n\n{summary}\n{link}' }, `T\n\nS\n${LINK}`, 28],
  ])('keeps %s whole and weighs it as X does', (_name, fields, c, text, weight) => {
    const post = composePost(item(fields), ctx(c));
    expect(post).toEqual({ text, weightedLength: weight });
  });
});

describe('composePost fallbacks for an empty title', () => {
  it.each<[string, Partial<FeedItem>, string, string]>([
    ['uses the summary', { title: '', summary: 'The summary' }, '{title} {link}', `The summary ${LINK}`],
    ['does not say the summary twice', { title: '', summary: 'The summary' }, '{title}: {summary} {link}', `The summary ${LINK}`],
    ['leaves just the link when the template has it', { title: '', summary: '' }, '{title} {link}', LINK],
    ['uses the link when the template lacks it', { title: '', summary: '' }, 'New: {title}', `New: ${LINK}`],
    ['gives an empty post when there is nothing at all', { title: '', summary: '', link: null }, '{title}', ''],
  ])('%s', (_name, fields, template, text) => {
    expect(composePost(item(fields), ctx({ template })).text).toBe(text);
  });
});

describe('composePost over the limit', () => {
  it('cuts a long title at a word boundary with an ellipsis and keeps the link whole', () => {
    const post = composePost(item({ title: words(80) }), ctx());
    expect(post.weightedLength).toBeLessThanOrEqual(280);
    expect(post.weightedLength).toBeGreaterThan(270);
    expect(post.text).toMatch(/ word\d+… https:\/\/example\.com\/post$/);
  });

  it('cuts CJK text between words and counts each character as 2', () => {
    const post = composePost(item({ title: '東京で新しい技術の会議が開かれました。'.repeat(20) }), ctx());
    expect(post.weightedLength).toBeLessThanOrEqual(280);
    expect(post.weightedLength).toBeGreaterThan(270);
    expect(post.text.endsWith(`… ${LINK}`)).toBe(true);
  });

  it('cuts between emoji, never inside one', () => {
    const post = composePost(item({ title: '👨‍👩‍👧 '.repeat(200) }), ctx());
    expect(post.weightedLength).toBeLessThanOrEqual(280);
    expect(post.text).toMatch(/^(👨‍👩‍👧 )+👨‍👩‍👧… https/u);
  });

  it('cuts right-to-left text at a word boundary', () => {
    const post = composePost(item({ title: 'שלום עולם '.repeat(40) }), ctx());
    expect(post.weightedLength).toBeLessThanOrEqual(280);
    expect(post.text).toMatch(/(שלום|עולם)… https/u);
  });

  it('cuts inside a very long word when not even the first word fits', () => {
    const post = composePost(item({ title: 'x'.repeat(400) }), ctx());
    expect(post.text).toBe(`${'x'.repeat(254)}… ${LINK}`);
    expect(post.weightedLength).toBe(280);
  });

  it('cuts inside a word too long to ever fit whole, rather than dropping it after a short first word', () => {
    const post = composePost(item({ title: `Über ${'ä'.repeat(400)}` }), ctx());
    expect(post.text).toBe(`Über ${'ä'.repeat(249)}… ${LINK}`);
    expect(post.weightedLength).toBe(280);
  });

  it('still cuts at the word boundary when the next word could fit on its own', () => {
    const post = composePost(item({ title: `${'a '.repeat(110)}${'x'.repeat(40)} end` }), ctx());
    expect(post.text).toBe(`${'a '.repeat(110).trim()}… ${LINK}`);
  });

  it('drops a URL in the title whole rather than cutting it', () => {
    const title = `${'a'.repeat(240)} https://example.org/${'p'.repeat(50)} tail words here`;
    const post = composePost(item({ title }), ctx());
    expect(post.text).toBe(`${'a'.repeat(240)}… ${LINK}`);
  });

  it('keeps a URL in the title when it fits, even if the text after it does not', () => {
    const title = `${'a'.repeat(200)} https://example.org/${'p'.repeat(50)} ${words(20)}`;
    const post = composePost(item({ title }), ctx());
    expect(post.text).toContain(`https://example.org/${'p'.repeat(50)}`);
    expect(post.weightedLength).toBeLessThanOrEqual(280);
  });

  it('never cuts a hashtag in the title', () => {
    const title = `${'a'.repeat(245)} #VeryLongHashtagThatWouldNotFit and more`;
    const post = composePost(item({ title }), ctx());
    expect(post.text).toBe(`${'a'.repeat(245)}… ${LINK}`);
  });

  it('cuts the longest field, the summary, and keeps the title and the hashtags', () => {
    const template = '{title}\n{summary}\n{hashtags} {link}';
    const post = composePost(item({ title: 'Short title', summary: words(100), categories: ['Open Source', 'rust'] }), ctx({ template }));
    expect(post.weightedLength).toBeLessThanOrEqual(280);
    expect(post.text).toMatch(/^Short title\nword0 word1 .* word\d+…\n#OpenSource #rust https:\/\/example\.com\/post$/s);
  });

  it('drops hashtags, last first, before it cuts the title', () => {
    const template = '{title} {hashtags} {link}';
    const title = 'b'.repeat(240);
    const post = composePost(item({ title, categories: ['one', 'two', 'three'] }), ctx({ template }));
    expect(post.text).toBe(`${title} #one #two ${LINK}`);
    expect(post.weightedLength).toBe(274);
  });

  it('cuts the title only when every hashtag is gone', () => {
    const template = '{title} {hashtags} {link}';
    const post = composePost(item({ title: words(80), categories: ['one', 'two'] }), ctx({ template }));
    expect(post.text).not.toContain('#');
    expect(post.text).toMatch(/word\d+… https/);
  });

  it('cuts the next field when emptying the longest is not enough', () => {
    const template = '{summary} {title} {link}';
    const post = composePost(item({ title: words(70, 't'), summary: words(80, 's') }), ctx({ template }));
    expect(post.weightedLength).toBeLessThanOrEqual(280);
    expect(post.text).toMatch(/^t0 t1 .*t\d+… https/);
  });

  it('cuts the feed name and the author like any free text', () => {
    const template = '{feed}: {title} {link}';
    const post = composePost(item({ title: 'Title' }), ctx({ template, feedTitle: words(80, 'feed') }));
    expect(post.weightedLength).toBeLessThanOrEqual(280);
    expect(post.text).toMatch(/^feed0 .*feed\d+…: Title https/);
  });

  it('falls back to a hard cut when the link is not one X recognises and is too long', () => {
    const link = `http://localhost:8080/${'p'.repeat(300)}`;
    const post = composePost(item({ title: 'T', link }), ctx());
    expect(post.weightedLength).toBeLessThanOrEqual(280);
    expect(post.text.endsWith('…')).toBe(true);
  });

  it('throws a validation error for an unknown placeholder', () => {
    expect(() => composePost(item(), ctx({ template: '{nope}' }))).toThrow(CommandError);
  });

  it('finds the cut with a logarithmic number of length checks', () => {
    const parse = vi.spyOn(twitterText, 'parseTweet');
    const post = composePost(item({ title: 'T', summary: words(3000) }), ctx({ template: '{title} {summary} {link}' }));
    expect(post.weightedLength).toBeLessThanOrEqual(280);
    expect(parse.mock.calls.length).toBeLessThan(40);
  });
});

describe('composePost on random inputs', () => {
  const pieces = ['word', 'Wörter', 'naïve', '日本語', '한국어', 'שלום', 'مرحبا', '🚀', '👨‍👩‍👧', '🇺🇳', 'https://example.org/path?q=1', 'example.com',
    '#tag', '@someone', '$CASH', '&', '<b>', '—', '…', ',', '.', 'x'.repeat(60), '東京'.repeat(30), '\n'];
  const templates = ['{title} {link}', '{title}\n\n{summary}\n{hashtags} {link}', '{feed}: {title} — {author} {date} {link}', '{summary} {hashtags}',
    '🎉 {title} {hashtags} {link} {{x}}', '{title} {summary} {author} {feed} {hashtags}'];
  const rand = seeded(20260304);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const text = (max: number): string => Array.from({ length: Math.floor(rand() * max) }, () => pick(pieces)).join(rand() < 0.8 ? ' ' : '');

  it('never exceeds 280, reports the true weight, and keeps every URL and hashtag whole', () => {
    for (let i = 0; i < 400; i++) {
      const it = item({
        title: text(60), summary: text(200), author: rand() < 0.5 ? text(20) : null,
        link: rand() < 0.9 ? `https://example.com/${i}` : null,
        categories: Array.from({ length: Math.floor(rand() * 6) }, () => text(3)),
      });
      const c = ctx({ template: pick(templates), feedTitle: text(30), maxHashtags: Math.floor(rand() * 5) });
      const post = composePost(it, c);
      const input = [it.title, it.summary, it.author ?? '', it.link ?? '', c.feedTitle].join(' ');
      expect(post.weightedLength, post.text).toBeLessThanOrEqual(280);
      expect(post.weightedLength).toBe(weightedLength(post.text));
      for (const url of twitterText.extractUrls(post.text)) expect(input, `URL ${url} in ${post.text}`).toContain(url);
      const tags = new Set([...twitterText.extractHashtags(input), ...hashtagsFromCategories(it.categories, 10).map((t) => t.slice(1))]);
      for (const tag of twitterText.extractHashtags(post.text)) expect(tags, `#${tag} in ${post.text}`).toContain(tag);
    }
  });
});
