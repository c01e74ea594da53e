import { describe, expect, it } from 'vitest';
import { compileFilters, filterItem } from '../../../main/core/compose/filters';
import { CommandError } from '../../../main/core/errors';
import { item } from './item-fixture';

const excludedBy = (pattern: string, fields: Parameters<typeof item>[0]): string | null => filterItem(item(fields), compileFilters([], [pattern]));

function refusal(pattern: string): CommandError {
  try {
    compileFilters([], [pattern]);
  } catch (err) {
    if (err instanceof CommandError) return err;
    throw err;
  }
  throw new Error(`expected ${pattern} to be refused`);
}

describe('regex filters on hostile text', () => {
  // A backtracking engine tries 2^34 ways to split the a's before giving up: this test would
  // not finish. It finishing at all is the proof; the timeout only stops a regression hanging CI.
  it('answers a catastrophic pattern on 34 a\'s and a bang at once, with the right answer', { timeout: 15_000 }, () => {
    const hostile = `${'a'.repeat(34)}!`;
    expect(excludedBy('/(a+)+$/', { title: hostile, summary: hostile, categories: [hostile] })).toBeNull();
    expect(excludedBy('/(a+)+$/', { title: 'a'.repeat(34) })).toBe('excluded by /(a+)+$/ in title');
  });

  it('answers nested alternations that backtrack on a near miss', { timeout: 15_000 }, () => {
    const text = `${'ab'.repeat(40)}c`;
    expect(excludedBy('/^(a|b|ab)*$/', { title: text, summary: text })).toBeNull();
    expect(excludedBy('/^(a|b|ab)*c$/', { title: text })).toBe('excluded by /^(a|b|ab)*c$/ in title');
  });

  it('looks at the first 1,000 characters of a category', () => {
    expect(excludedBy('/needle/', { categories: [`${'x'.repeat(990)} needle`] })).toBe('excluded by /needle/ in categories');
    expect(excludedBy('/needle/', { categories: [`${'x'.repeat(1000)} needle`] })).toBeNull();
  });

  it('looks at the categories up to 1,000 characters in all', () => {
    const many = Array.from({ length: 30 }, (_, i) => `category ${String(i).padStart(2, '0')} ${'x'.repeat(40)}`);
    expect(excludedBy('/category 10/', { categories: many })).toBe('excluded by /category 10/ in categories');
    expect(excludedBy('/category 29/', { categories: many })).toBeNull();
  });
});

describe('regex filters keep JavaScript meaning where RE2 can', () => {
  it.each<[string, string, boolean]>([
    ['/ΕΛΛΆΔΑ/', 'νέα από την ελλάδα', true],
    ['/^breaking/', 'BREAKING: news', true],
    ['/\\u00e9t\\u00e9/', 'Un ÉTÉ chaud', true],
    ['/caf\\u{e9}/u', 'Café', true],
    ['/\\uD83D\\uDE80/', 'launch 🚀', true],
    ['/open\\ssource/', 'open\u00a0source', true],
    ['/open\\Ssource/', 'open\u00a0source', false],
    ['/a.b/', 'a\nb', false],
    ['/a.b/', 'a\u2028b', false],
    ['/a.b/s', 'a\nb', true],
    ['/^b/', 'a\nb', false],
    ['/^b/m', 'a\nb', true],
    ['/(?<year>20\\d\\d) recap/', 'The 2026 recap', true],
    ['/\\p{sc=Greek}{3}/', 'Νέα', true],
    ['/\\p{Script=Han}/', '東京', true],
    ['/x[^]y/', 'x\ny', true],
    ['/x[]y/', 'xy', false],
    ['/\\/usr\\/bin/', 'see /usr/bin/env', true],
    ['/\\cJ/', 'a\nb', true],
    ['/spons(or|ored)/g', 'SPONSORED', true],
  ])('%s on %j matches: %s', (pattern, title, matches) => {
    expect(excludedBy(pattern, { title }) !== null).toBe(matches);
  });
});

describe('regex filters RE2 cannot run are refused when saved', () => {
  it.each<[string, RegExp]>([
    ['/(sponsored) \\1/', /uses a backreference \(\\1\)/],
    ['/(?<w>ad)\\k<w>/', /uses a backreference \(\\k<w>\)/],
    ['/ad(?=vert)/', /uses a lookahead \(\(\?=\)/],
    ['/ad(?!d)/', /uses a lookahead \(\(\?!\)/],
    ['/(?<=pre)view/', /uses a lookbehind \(\(\?<=\)/],
    ['/(?<!pre)view/', /uses a lookbehind \(\(\?<!\)/],
  ])('refuses %s, naming what RE2 lacks', (pattern, reason) => {
    const err = refusal(pattern);
    expect(err.code).toBe('validation');
    expect(err.field).toBe('exclude.0');
    expect(err.message).toMatch(reason);
    expect(err.message).toContain('RE2 syntax');
    expect(err.message).toContain(pattern);
  });

  it('refuses the v flag, whose set operations RE2 would read as other characters', () => {
    expect(refusal('/[\\p{L}--[a-z]]/v').message).toContain('the v flag');
  });

  it('refuses a pattern whose repeats make it too big to match quickly, and says how to fix it', () => {
    const err = refusal('/(?:\\p{L}|\\p{N}){999}!/');
    expect(err.message).toMatch(/too big/);
    expect(err.message).toMatch(/smaller repeat counts/);
  });

  it('leaves escaped look-alikes alone: a literal backslash before a digit is no backreference', () => {
    expect(excludedBy('/c:\\\\1/', { title: 'path c:\\1' })).toBe('excluded by /c:\\\\1/ in title');
    expect(excludedBy('/\\(?=/', { title: 'what(=' })).toBe('excluded by /\\(?=/ in title');
    expect(excludedBy('/[(?=]x/', { title: '=x' })).toBe('excluded by /[(?=]x/ in title');
  });
});
