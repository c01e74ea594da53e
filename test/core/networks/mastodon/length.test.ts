import { describe, expect, it } from 'vitest';
import { countableText, DEFAULT_INSTANCE_RULES, mastodonLength, mastodonLengthRules } from '../../../../main/core/networks/mastodon/length';

const RULES = DEFAULT_INSTANCE_RULES;
const url60 = `https://example.com/${'a'.repeat(40)}`; // 60 characters as written

describe('mastodonLength', () => {
  it.each([
    ['plain ASCII counts one a character', 'Hello world', 11],
    ['an empty text counts 0', '', 0],
    ['blank text counts 0, as Mastodon blanks it', '   ', 0],
    ['a URL counts 23 however long it is written', `Read ${url60}`, 5 + 23],
    ['a short URL counts 23 too', 'https://a.co', 23],
    ['two URLs count 23 each', `${url60} and https://example.org/x`, 23 + 5 + 23],
    ['trailing punctuation after a URL is not part of it', 'See https://example.com/post.', 4 + 23 + 1],
    ['a closing parenthesis outside the URL is counted apart', '(https://example.com/a)', 1 + 23 + 1],
    ['a parenthesis the URL opened stays in it', 'https://en.wikipedia.org/wiki/Crier_(bird)', 23],
    ['a URL glued to a word is no URL', 'xhttps://example.com', 20],
    ['a host without a dot is no URL', 'http://localhost/x', 18],
    ['www without a protocol is counted as written', 'www.example.com', 15],
    ['a remote mention counts without its domain', 'hi @alice@example.social', 3 + 6],
    ['a local mention counts as written', 'hi @alice', 9],
    ['an e-mail address is not a mention', 'mail bob@example.com', 20],
    ['a flag emoji counts one (a grapheme cluster)', '🇫🇷', 1],
    ['a family emoji counts one', '👨‍👩‍👧‍👦', 1],
    ['a letter with a combining accent counts one', 'e\u0301', 1],
    ['CJK counts one a character', '日本語', 3],
    ['a newline counts one', 'a\nb', 3],
  ])('%s', (_name, text, expected) => {
    expect(mastodonLength(text, RULES)).toBe(expected);
  });

  it('counts URLs at the instance reserved length, not 23', () => {
    expect(mastodonLength(`Read ${url60}`, { maxCharacters: 500, charactersReservedPerUrl: 30 })).toBe(5 + 30);
  });

  it('fits a custom instance limit exactly at the limit and not one past it', () => {
    const rules = mastodonLengthRules({ maxCharacters: 1000, charactersReservedPerUrl: 23 });
    const atLimit = `${'a'.repeat(1000 - 24)} ${url60}`;
    expect(rules.count(atLimit)).toBe(1000);
    expect(rules.fits(atLimit)).toBe(true);
    expect(rules.fits(`a${atLimit}`)).toBe(false);
    expect(rules.limit).toBe(1000);
  });

  it('rewrites URLs and mentions in the countable text in order', () => {
    expect(countableText('@bob@host.example see https://example.com/x', 3)).toBe('@bob see xxx');
  });
});
