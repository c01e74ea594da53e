// X's weighted length in the page, from twitter-text as the engine counts it
// (main/core/compose/weighted-length.ts). Only parseTweet and what it needs: the package's index
// brings every autolink helper too (about 85 kB against 48 kB, minified).
import parseTweet from 'twitter-text/dist/esm/parseTweet';

export const MAX_POST_WEIGHT = 280;

export interface PostLength { weight: number; fits: boolean; left: number }

export function postLength(text: string): PostLength {
  const weight = parseTweet(text).weightedLength;
  return { weight, fits: weight <= MAX_POST_WEIGHT && text.trim() !== '', left: MAX_POST_WEIGHT - weight };
}
