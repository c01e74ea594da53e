import { describe, expect, it } from 'vitest';
import { compileFilters, filterItem } from '../../../main/core/compose/filters';
import { CommandError } from '../../../main/core/errors';
import { item } from './item-fixture';

const skipReason = (include: string[], exclude: string[], fields: Parameters<typeof item>[0]): string | null =>
  filterItem(item(fields), compileFilters(include, exclude));

describe('filterItem', () => {
  it.each<[string, string[], string[], Parameters<typeof item>[0], string | null]>([
    ['keeps everything with no filters', [], [], { title: 'Anything' }, null],
    ['excludes a keyword in the title, ignoring case', [], ['sponsored'], { title: 'A SPONSORED post' }, "excluded by 'sponsored' in title"],
    ['excludes a keyword in the summary', [], ['sponsored'], { summary: 'This is sponsored.' }, "excluded by 'sponsored' in summary"],
    ['excludes a keyword in a category', [], ['ads'], { categories: ['News', 'Ads'] }, "excluded by 'ads' in categories"],
    ['matches whole words only ("ad" is not in "download")', [], ['ad'], { title: 'Download the ad-free app' }, "excluded by 'ad' in title"],
    ['does not match inside a longer word', [], ['ad'], { title: 'Download now, read later' }, null],
    ['matches a phrase across any whitespace', [], ['open source'], { title: 'Why open\u00a0 source wins' }, "excluded by 'open source' in title"],
    ['matches a keyword with punctuation', [], ['c++'], { title: 'Modern C++ tips' }, "excluded by 'c++' in title"],
    ['matches CJK keywords inside unspaced text', [], ['広告'], { title: 'これは広告です' }, "excluded by '広告' in title"],
    ['matches non-Latin words case-insensitively', [], ['ΕΛΛΆΔΑ'], { title: 'νέα από την ελλάδα' }, "excluded by 'ΕΛΛΆΔΑ' in title"],
    ['uses a /regex/ and shows it in the reason', [], ['/spons(or|ored)/'], { title: 'Sponsor message' }, 'excluded by /spons(or|ored)/ in title'],
    ['makes a /regex/ case-insensitive always', [], ['/^breaking/'], { title: 'BREAKING: news' }, 'excluded by /^breaking/ in title'],
    ['keeps an item an include keyword matches', ['rust'], [], { title: 'Rust 2.0 released' }, null],
    ['keeps an item an include keyword matches in a category', ['rust'], [], { title: 'Release', categories: ['Rust'] }, null],
    ['skips an item no include keyword matches', ['rust', 'go'], [], { title: 'Python news' }, 'no include keyword matched'],
    ['lets exclude win over include', ['rust'], ['sponsored'], { title: 'Rust, sponsored' }, "excluded by 'sponsored' in title"],
    ['reports the first exclude filter that matches', [], ['alpha', 'beta'], { title: 'beta alpha' }, "excluded by 'alpha' in title"],
  ])('%s', (_name, include, exclude, fields, reason) => {
    expect(skipReason(include, exclude, fields)).toBe(reason);
  });

  it('gives the same answer for the same item every time (no global regex state)', () => {
    const compiled = compileFilters([], ['/news/g']);
    const it1 = item({ title: 'news news' });
    expect([filterItem(it1, compiled), filterItem(it1, compiled), filterItem(it1, compiled)]).toEqual(Array(3).fill('excluded by /news/g in title'));
  });
});

describe('compileFilters', () => {
  function rejection(include: string[], exclude: string[], prefix?: string): CommandError {
    try {
      compileFilters(include, exclude, prefix);
    } catch (err) {
      if (err instanceof CommandError) return err;
      throw err;
    }
    throw new Error('expected a validation error');
  }

  it('names the offending exclude entry in the error field and message', () => {
    const err = rejection([], ['ok', 'fine', '/[unclosed/']);
    expect(err.code).toBe('validation');
    expect(err.field).toBe('exclude.2');
    expect(err.message).toBe('exclude.2: /[unclosed/ is not a valid regular expression (missing closing ]).');
  });

  it('names the offending include entry', () => {
    expect(rejection(['/(/'], []).field).toBe('include.0');
  });

  it('puts an optional prefix in front of the field', () => {
    expect(rejection([], ['/+/'], 'feeds.3').field).toBe('feeds.3.exclude.0');
  });

  it('reads only real flag letters after the last slash as a regex', () => {
    const compiled = compileFilters(['/a/x', '/a.b/s'], []);
    expect(compiled.include.map((f) => f.test('see /a/x'))).toEqual([true, false]);
    expect(compiled.include[1]?.test('A\nB')).toBe(true);
  });

  it('rejects an empty filter', () => {
    expect(rejection(['  '], []).field).toBe('include.0');
  });

  it('treats a lone slash or a path-like word as a keyword, not a regex', () => {
    const compiled = compileFilters(['/', '/usr/bin'], []);
    expect(compiled.include.map((f) => f.test('see /usr/bin/env'))).toEqual([true, true]);
  });
});
