import { describe, expect, it } from 'vitest';
import { hashtagFor, hashtagsFromCategories } from '../../../main/core/compose/hashtags';

describe('hashtagFor', () => {
  it.each<[string, string | null]>([
    ['Open Source', 'OpenSource'],
    ['open source', 'OpenSource'],
    ['machine learning', 'MachineLearning'],
    ['iOS development', 'iOSDevelopment'],
    ['javascript', 'javascript'],
    ['Node.js', 'Nodejs'],
    ['C++', 'C'],
    ["Don't Panic", 'DontPanic'],
    ['Science & Technology', 'ScienceTechnology'],
    ['snake_case', 'snake_case'],
    ['日本語', '日本語'],
    ['Café au lait', 'CaféAuLait'],
    ['हिन्दी', 'हिन्दी'],
    ['עברית', 'עברית'],
    ['2026', null],
    ['1 2 3', null],
    ['!!!', null],
    ['   ', null],
    ['Web3', 'Web3'],
  ])('turns %j into %j', (category, tag) => {
    expect(hashtagFor(category)).toBe(tag);
  });
});

describe('hashtagsFromCategories', () => {
  it('keeps category order and prefixes each tag with #', () => {
    expect(hashtagsFromCategories(['Rust', 'Open Source'], 3)).toEqual(['#Rust', '#OpenSource']);
  });

  it('de-duplicates without regard to case, keeping the first spelling', () => {
    expect(hashtagsFromCategories(['Open Source', 'opensource', 'OPEN SOURCE', 'rust', 'Rust'], 5)).toEqual(['#OpenSource', '#rust']);
  });

  it('stops at maxHashtags, counting only valid tags', () => {
    expect(hashtagsFromCategories(['2026', 'a', 'b', 'c', 'd'], 3)).toEqual(['#a', '#b', '#c']);
    expect(hashtagsFromCategories(['a', 'b'], 0)).toEqual([]);
  });
});
