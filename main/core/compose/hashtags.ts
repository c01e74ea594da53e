// Item categories become hashtags X will link: "Open Source" → #OpenSource.
import { twitterText } from './weighted-length';

// Letters (any script), combining marks, digits and underscore are all a hashtag may hold.
const NOT_TAG_CHAR = /[^\p{L}\p{M}\p{N}_]+/gu;
const APOSTROPHES = /['’]/g;

/** "machine learning" → "MachineLearning"; a word with capitals of its own ("iOS") keeps them. */
function capitalise(word: string): string {
  if (word !== word.toLowerCase()) return word;
  const [first = '', ...rest] = word;
  return first.toUpperCase() + rest.join('');
}

/** The hashtag (without '#') a category makes, or null when nothing valid remains. */
export function hashtagFor(category: string): string | null {
  const words = category.normalize('NFC').replace(APOSTROPHES, '').split(/\s+/)
    .map((w) => w.replace(NOT_TAG_CHAR, ''))
    .filter((w) => w !== '');
  if (words.length === 0) return null;
  const tag = words.length === 1 ? (words[0] ?? '') : words.map(capitalise).join('');
  // twitter-text rejects purely numeric tags and ones X would not link; trust its rules.
  return twitterText().isValidHashtag(`#${tag}`) ? tag : null;
}

/**
 * At most `max` hashtags, each with its '#', in category order, de-duplicated without regard
 * to case (the first spelling wins).
 */
export function hashtagsFromCategories(categories: readonly string[], max: number): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const category of categories) {
    if (tags.length >= max) break;
    const tag = hashtagFor(category);
    if (tag === null) continue;
    const key = tag.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    tags.push(`#${tag}`);
  }
  return tags;
}
