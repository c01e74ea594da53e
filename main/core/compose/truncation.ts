// Shortening a piece of free text to fit: cut at a word boundary, never inside a URL, hashtag,
// mention or cashtag, and mark the cut with an ellipsis. The longest kept prefix is found by
// binary search over the cut points, so fitting costs O(log n) length checks, not O(n).
import { ELLIPSIS, entitySpans } from './weighted-length';

// Made at the first cut, not at start: the first Intl object loads ICU's data (~20 ms).
let words: Intl.Segmenter | null = null;
let graphemes: Intl.Segmenter | null = null;

// Dangling separators and opening brackets look broken before an ellipsis.
const TRAILING_JUNK = /[\s,;:.\p{Pd}\p{Ps}\p{Pi}]+$/u;
const CONTENT = /[^\s,;:.\p{Pd}\p{Ps}\p{Pi}]/u;

/** The first `keep` UTF-16 units of `text`, tidied and marked as cut; `text` itself when nothing is cut. */
export function cutText(text: string, keep: number): string {
  if (keep >= text.length) return text;
  const head = text.slice(0, keep).replace(TRAILING_JUNK, '');
  return head === '' ? '' : head + ELLIPSIS;
}

function outsideEntities(text: string): (at: number) => boolean {
  const spans = entitySpans(text);
  return (at) => spans.every((s) => at <= s.start || at >= s.end);
}

/** Ascending cut offsets after each word (CJK included, via Intl.Segmenter) that split no entity. */
export function wordCutPoints(text: string): number[] {
  const allowed = outsideEntities(text);
  // A cut that keeps only separators would leave nothing but the ellipsis.
  const firstContent = text.search(CONTENT);
  if (firstContent < 0) return [];
  const points: number[] = [];
  for (const s of (words ??= new Intl.Segmenter(undefined, { granularity: 'word' })).segment(text)) {
    const end = s.index + s.segment.length;
    if (s.segment.trim() !== '' && end > firstContent && end < text.length && allowed(end)) points.push(end);
  }
  return points;
}

/** Ascending cut offsets between graphemes below `limit` that split no entity: for a first word too long to keep whole. */
export function graphemeCutPoints(text: string, limit: number): number[] {
  const allowed = outsideEntities(text);
  const firstContent = text.search(CONTENT);
  if (firstContent < 0) return [];
  const points: number[] = [];
  for (const s of (graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' })).segment(text.slice(0, limit))) {
    if (s.index > firstContent && allowed(s.index)) points.push(s.index);
  }
  return points;
}

/** The largest point for which `fits` holds, assuming it holds for a prefix of `points`; null if none. */
export function largestFitting(points: readonly number[], fits: (point: number) => boolean): number | null {
  let lo = 0;
  let hi = points.length - 1;
  let best: number | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const point = points[mid] as number;
    if (fits(point)) {
      best = point;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best;
}

/**
 * The longest shortening of `text` (itself, or a word-boundary cut with an ellipsis, or, when
 * not even the first word fits, a cut inside it) for which `fits` holds; '' when none does.
 * `fits` is checked on every answer, so even where length is not monotonic in the cut (a
 * fragment can start to look like a URL) the answer always fits.
 */
export function shortenToFit(text: string, fits: (candidate: string) => boolean): string {
  if (fits(text)) return text;
  const byWords = wordCutPoints(text);
  const cutFits = (keep: number): boolean => fits(cutText(text, keep));
  const atWord = largestFitting(byWords, cutFits);
  // The word that did not fit is cut between characters when it could never fit whole, alone
  // (a long run of CJK without breaks, a very long token): otherwise one such word after a
  // short first word ("Über ääää…") would leave the post almost empty.
  const from = atWord ?? 0;
  const wordEnd = byWords.find((p) => p > from) ?? text.length;
  const word = text.slice(from, wordEnd).trim();
  if (atWord !== null && fits(word)) return cutText(text, atWord);
  const inside = graphemeCutPoints(text, wordEnd).filter((p) => p > from);
  const atGrapheme = largestFitting(inside, cutFits);
  if (atGrapheme !== null) return cutText(text, atGrapheme);
  return atWord === null ? '' : cutText(text, atWord);
}
