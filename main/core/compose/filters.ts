// Per-feed include / exclude filters. A keyword matches whole words, ignoring case ("ad" does
// not exclude "download"); /regex/flags is a regular expression in JavaScript syntax run by RE2
// (re2js), always case-insensitive. Both look at the title, the summary and the categories.
import { RE2JS } from 're2js';
import type { FeedItem } from '../feeds/types';
import { CommandError } from '../errors';
import { jsToRe2 } from './js-to-re2';

export interface CompiledFilter {
  /** As the user wrote it: shown in skip reasons. */
  source: string;
  test(text: string): boolean;
}
export interface CompiledFilters { include: CompiledFilter[]; exclude: CompiledFilter[] }

// Only real flag letters after the last slash: "/usr/bin" stays a keyword.
const REGEX_LITERAL = /^\/(.+)\/([dgimsuvy]*)$/s;
// Scripts written without spaces between words: there a keyword may sit inside a run of letters.
const UNSPACED = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}]/u;
const WORD_CHAR = /[\p{L}\p{M}\p{N}_]/u;
// RE2's time is linear in the text times the compiled pattern's size; a repeat count inflates
// the size (x{999} is 999 steps per character), so the size is bounded as the text is.
const MAX_PROGRAM_SIZE = 1000;
/** How much of the title, of the summary and of the categories (together) a filter reads. */
export const MATCH_TEXT_MAX = 1000;
const RE2_SYNTAX_NOTE = 'regular expressions use RE2 syntax, which has no backreferences or lookaround, so that no text can make them hang';

// A keyword becomes a JavaScript RegExp: its own lookarounds are one character each and its words
// literal, joined by \s+, so it is linear in the text too (no nested repeats).
function keywordRegex(keyword: string): RegExp {
  const words = keyword.split(/\s+/).map((w) => w.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'));
  const chars = [...keyword];
  const first = chars[0] ?? '';
  const last = chars.at(-1) ?? '';
  const before = WORD_CHAR.test(first) && !UNSPACED.test(first) ? '(?<![\\p{L}\\p{M}\\p{N}_])' : '';
  const after = WORD_CHAR.test(last) && !UNSPACED.test(last) ? '(?![\\p{L}\\p{M}\\p{N}_])' : '';
  return new RegExp(`${before}${words.join('\\s+')}${after}`, 'iu');
}

function compileRegex(source: string, pattern: string, written: string, field: string): CompiledFilter {
  function refuse(why: string): never {
    throw new CommandError('validation', `${field}: ${source} ${why}.`, field);
  }
  // u changes nothing (RE2 always reads code points); g and y are dropped: their lastIndex
  // would make matching answer differently from item to item.
  if (written.includes('v')) refuse(`uses the v flag, whose set operations RE2 syntax does not have; remove the v (${RE2_SYNTAX_NOTE})`);
  const translated = jsToRe2(pattern, written.includes('s'));
  if (!translated.ok) refuse(`uses ${translated.lacks}, which Crier cannot run: ${RE2_SYNTAX_NOTE}`);
  const flags = RE2JS.CASE_INSENSITIVE | (written.includes('s') ? RE2JS.DOTALL : 0) | (written.includes('m') ? RE2JS.MULTILINE : 0);
  let re: RE2JS;
  try {
    re = RE2JS.compile(translated.pattern, flags);
  } catch (err) {
    // "error parsing regexp: missing closing ]: `[x`": the backquoted part is the rewritten pattern, not the user's.
    const why = err instanceof Error ? err.message.replace(/^error parsing regexp: /, '').replace(/: `.*`$/s, '') : String(err);
    return refuse(`is not a valid regular expression (${why})`);
  }
  const size = re.re2().prog.numInst();
  if (size > MAX_PROGRAM_SIZE) {
    refuse(`is too big to match quickly: its repeats make ${size} steps per character, over ${MAX_PROGRAM_SIZE}; use smaller repeat counts`);
  }
  return { source, test: (text) => re.test(text) };
}

function compileOne(raw: string, field: string): CompiledFilter {
  const source = raw.trim();
  if (source === '') throw new CommandError('validation', `${field}: a filter cannot be empty.`, field);
  const literal = REGEX_LITERAL.exec(source);
  if (!literal) {
    const regex = keywordRegex(source);
    return { source, test: (text) => regex.test(text) };
  }
  const [, pattern = '', written = ''] = literal;
  return compileRegex(source, pattern, written, field);
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

/** The categories a filter reads: MATCH_TEXT_MAX characters of them in all, in order. */
function cappedCategories(categories: readonly string[]): string[] {
  const kept: string[] = [];
  let room = MATCH_TEXT_MAX;
  for (const category of categories) {
    if (room <= 0) break;
    kept.push(category.slice(0, room));
    room -= category.length;
  }
  return kept;
}

function firstMatch(item: FeedItem, filters: readonly CompiledFilter[]): { filter: CompiledFilter; place: Place } | null {
  if (filters.length === 0) return null;
  // Titles and summaries are capped when a feed is read; the cap here bounds what any item costs.
  const title = item.title.slice(0, MATCH_TEXT_MAX);
  const summary = item.summary.slice(0, MATCH_TEXT_MAX);
  const categories = cappedCategories(item.categories);
  for (const filter of filters) {
    if (filter.test(title)) return { filter, place: 'title' };
    if (filter.test(summary)) return { filter, place: 'summary' };
    if (categories.some((c) => filter.test(c))) return { filter, place: 'categories' };
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
