// Bluesky's length rules for compose and the preview: what counts is the text as it will be
// posted (long links shortened when the post would not fit otherwise, rich-text.ts), in
// graphemes, with the 3,000-byte limit checked too.
import type { LengthRules } from '../types';
import { BLUESKY_MAX_GRAPHEMES, overLimit, prepareText } from './rich-text';

export const blueskyLength: LengthRules = {
  count: (text) => prepareText(text).graphemes,
  fits: (text) => overLimit(prepareText(text)) === null,
  limit: BLUESKY_MAX_GRAPHEMES,
};
