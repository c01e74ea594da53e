// X's own counting rules, from twitter-text (the library X points developers to): a URL counts
// 23 whatever its length, emoji and CJK weigh 2, most Latin text weighs 1.
import type * as TwitterText from 'twitter-text';
import { lazyRequire } from '../lazy-require';

/**
 * twitter-text (with the core-js it brings, about 230 files) loads at the first count, not at
 * start: a start that composes nothing never needs it.
 */
export const twitterText = lazyRequire<typeof TwitterText>('twitter-text');

export const MAX_POST_WEIGHT = 280;
/** What any URL costs, shortened or not. */
export const URL_WEIGHT = 23;
export const ELLIPSIS = '…';

export function weightedLength(text: string): number {
  return twitterText().parseTweet(text).weightedLength;
}

/** Characters X rejects outright (twitter-text's `hasInvalidCharacters`): a BOM, U+FFFE, U+FFFF. */
const INVALID_CHARACTERS = /[\uFEFF\uFFFE\uFFFF]/g;

export function stripInvalidCharacters(text: string): string {
  return text.replace(INVALID_CHARACTERS, '');
}

export interface TextEntity { start: number; end: number }

/** URLs, hashtags, mentions and cashtags in `text` (UTF-16 offsets): spans a cut must not enter. */
export function entitySpans(text: string): TextEntity[] {
  return twitterText().extractEntitiesWithIndices(text).map((e) => ({ start: e.indices[0], end: e.indices[1] }));
}

/** Whether X sees a link in `text` (bare domains included): such posts are priced higher. */
export function carriesLink(text: string): boolean {
  return linksIn(text).length > 0;
}

/** Every URL X sees in `text`, as written. */
export function linksIn(text: string): string[] {
  return twitterText().extractUrls(text);
}
