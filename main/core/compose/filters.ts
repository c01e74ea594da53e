// Per-feed include / exclude filters. A keyword matches whole words, ignoring case ("ad" does
// not exclude "download"); /regex/flags is a JavaScript regular expression, always
// case-insensitive. Both look at the title, the summary and each category.
import type { FeedItem } from '../feeds/types';
import { CommandError } from '../errors';

export interface CompiledFilter {
  /** As the user wrote it: shown in skip reasons. */
  source: string;
  regex: RegExp;
}
export interface CompiledFilters { include: CompiledFilter[]; exclude: CompiledFilter[] }

// Only real flag letters after the last slash: "/usr/bin" stays a keyword.
const REGEX_LITERAL = /^\/(.+)\/([dgimsuvy]*)$/s;
// Scripts written without spaces between words: there a keyword may sit inside a run of letters.
const UNSPACED = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}]/u;
const WORD_CHAR = /[\p{L}\p{M}\p{N}_]/u;

function keywordRegex(keyword: string): RegExp {
  const words = keyword.split(/\s+/).map((w) => w.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'));
  const chars = [...keyword];
  const first = chars[0] ?? '';
  const last = chars.at(-1) ?? '';
  const before = WORD_CHAR.test(first) && !UNSPACED.test(first) ? '(?<![\\p{L}\\p{M}\\p{N}_])' : '';
  const after = WORD_CHAR.test(last) && !UNSPACED.test(last) ? '(?![\\p{L}\\p{M}\\p{N}_])' : '';
  return new RegExp(`${before}${words.join('\\s+')}${after}`, 'iu');
}

function compileOne(raw: string, field: string): CompiledFilter {
  const source = raw.trim();
  if (source === '') throw new CommandError('validation', `${field}: a filter cannot be empty.`, field);
  const literal = REGEX_LITERAL.exec(source);
  if (!literal) return { source, regex: keywordRegex(source) };
  const [, pattern = '', written = ''] = literal;
  // Always case-insensitive; Unicode-aware unless the v flag (its superset) is asked for. g and y
  // are dropped: their lastIndex would make test() answer differently from item to item.
  const given = [...written].filter((f) => 'imsuv'.includes(f));
  const flags = [...new Set(['i', ...given, ...(given.includes('v') ? [] : ['u'])])].join('');
  try {
    return { source, regex: new RegExp(pattern, flags) };
  } catch (err) {
    const why = err instanceof Error ? err.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '') : String(err);
    throw new CommandError('validation', `${field}: ${source} is not a valid regular expression (${why}).`, field);
  }
}

/**
 * Compiles include and exclude lists; an empty filter or an invalid /regex/ throws a validation CommandError whose field is `include.N` / `exclude.N`, under `prefix`
 * when given (e.g. 'feeds.0' → 'feeds.0.exclude.2').
 */
export function compileFilters(include: readonly string[], exclude: readonly string[], prefix?: string): CompiledFilters {
  const path = (list: string, i: number): string => [prefix, list, String(i)].filter(Boolean).join('.');
  return {
    include: include.map((raw, i) => compileOne(raw, path('include', i))),
    exclude: exclude.map((raw, i) => compileOne(raw, path('exclude', i))),
  };
}

type Place = 'title' | 'summary' | 'categories';

function firstMatch(item: FeedItem, filters: readonly CompiledFilter[]): { filter: CompiledFilter; place: Place } | null {
  for (const filter of filters) {
    if (filter.regex.test(item.title)) return { filter, place: 'title' };
    if (filter.regex.test(item.summary)) return { filter, place: 'summary' };
    if (item.categories.some((c) => filter.regex.test(c))) return { filter, place: 'categories' };
  }
  return null;
}

/** Why `item` is skipped ("excluded by 'sponsored' in title"), or null to post it. Exclude wins over include. */
export function filterItem(item: FeedItem, compiled: CompiledFilters): string | null {
  const excluded = firstMatch(item, compiled.exclude);
  if (excluded) {
    const shown = excluded.filter.source.startsWith('/') ? excluded.filter.source : `'${excluded.filter.source}'`;
    return `excluded by ${shown} in ${excluded.place}`;
  }
  if (compiled.include.length > 0 && firstMatch(item, compiled.include) === null) return 'no include keyword matched';
  return null;
}
