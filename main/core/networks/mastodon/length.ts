// How Mastodon counts a status, after its StatusLengthValidator (app/validators/
// status_length_validator.rb): every URL the entity extractor finds counts as the instance's
// characters_reserved_per_url, a mention counts without its domain (@user@host as @user), and the
// rest counts in grapheme clusters (Ruby's each_grapheme_cluster / grapheme_length), not code
// points: a flag or a family emoji is one character there, as it is here through Intl.Segmenter.
//
// URLs are found as twitter-text finds them with a protocol (Mastodon's Extractor extends it):
// http(s)://, a host with a dot, not glued to a letter, digit, @, $ or # before it, and without
// trailing punctuation (a closing parenthesis stays when the URL opened one). An approximation of
// twitter-text's full grammar that agrees with it on the links feeds carry.
import type { LengthRules } from '../types';

export interface InstanceRules {
  /** configuration.statuses.max_characters */
  maxCharacters: number;
  /** configuration.statuses.characters_reserved_per_url */
  charactersReservedPerUrl: number;
}

/** What Mastodon ships with, and what Crier assumes when an instance does not say. */
export const DEFAULT_INSTANCE_RULES: InstanceRules = { maxCharacters: 500, charactersReservedPerUrl: 23 };

interface Entity { start: number; end: number; replacement: string }

const URL_RE = /(^|[^\p{L}\p{N}@＠$#＃\u202A-\u202E])(https?:\/\/[^\s/?#<>"]+\.[^\s/?#<>".]+(?::\d+)?(?:[/?#][^\s<>"]*)?)/giu;
const TRAILING_PUNCTUATION = /[.,:;!?'"’”)\]}>]$/u;
// Account::MENTION_RE: (?<![=/[:word:]])@((USERNAME_RE)(?:@[[:word:]]+([.-]+[[:word:]]+)*)?)
const WORD = '[\\p{L}\\p{M}\\p{N}\\p{Pc}]';
const MENTION_RE = new RegExp(`(?<![=/]|${WORD})@([a-z0-9_]+(?:[.-]+[a-z0-9_]+)*)((?:@${WORD}+(?:[.-]+${WORD}+)*)?)`, 'giu');
// twitter-text's end_mention_match: a mention followed by another @, a Latin accent or :// is none.
const END_MENTION = /^(?:[@＠]|[\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u00FF\u0100-\u024F\u0253\u0254\u0256\u0257\u0259\u025B\u0263\u0268\u026F\u0272\u0289\u028B\u02BB\u1E00-\u1EFF]|[\u0300-\u036F]|:\/\/)/u;

/** Drops trailing punctuation from a found URL, keeping a ')' that closes a '(' inside it. */
function trimUrl(url: string): string {
  let out = url;
  while (TRAILING_PUNCTUATION.test(out)) {
    if (out.endsWith(')') && count(out, '(') >= count(out, ')')) break;
    out = out.slice(0, -1);
  }
  return out;
}

function count(text: string, ch: string): number {
  return text.split(ch).length - 1;
}

function urlEntities(text: string, reserved: number): Entity[] {
  const out: Entity[] = [];
  for (const match of text.matchAll(URL_RE)) {
    const url = trimUrl(match[2] ?? '');
    const start = (match.index ?? 0) + (match[1] ?? '').length;
    out.push({ start, end: start + url.length, replacement: 'x'.repeat(reserved) });
  }
  return out;
}

function mentionEntities(text: string): Entity[] {
  const out: Entity[] = [];
  for (const match of text.matchAll(MENTION_RE)) {
    const start = match.index ?? 0;
    const end = start + match[0].length;
    if (END_MENTION.test(text.slice(end))) continue;
    out.push({ start, end, replacement: `@${match[1] ?? ''}` });
  }
  return out;
}

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

function graphemeCount(text: string): number {
  let n = 0;
  for (const _ of graphemes.segment(text)) n += 1;
  return n;
}

/** The text Mastodon measures: URLs replaced by the reserved placeholder, mentions without their domain. */
export function countableText(text: string, reservedPerUrl: number): string {
  if (text.trim() === '') return '';
  // Extractor.remove_overlapping_entities: in order of start, an entity overlapping an earlier one is dropped.
  const entities = [...urlEntities(text, reservedPerUrl), ...mentionEntities(text)].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const e of entities) {
    if (e.start < at) continue;
    out += text.slice(at, e.start) + e.replacement;
    at = e.end;
  }
  return out + text.slice(at);
}

/** A status's length as the instance counts it. */
export function mastodonLength(text: string, rules: InstanceRules = DEFAULT_INSTANCE_RULES): number {
  return graphemeCount(countableText(text, rules.charactersReservedPerUrl));
}

/** The port's LengthRules for one instance. */
export function mastodonLengthRules(rules: InstanceRules = DEFAULT_INSTANCE_RULES): LengthRules {
  return {
    count: (text) => mastodonLength(text, rules),
    fits: (text) => mastodonLength(text, rules) <= rules.maxCharacters,
    limit: rules.maxCharacters,
  };
}
