// Density: most posts start with their item's title ("{title} {link}"), so a title line above the
// text said the same thing twice. The title shows only where it says something the text does not.

/** Lower case, one space between words, no quotes or trailing punctuation: how a reader compares. */
function normalise(s: string): string {
  return s.normalize('NFKC').toLocaleLowerCase().replace(/[“”„"'‘’«»]/g, '').replace(/\s+/g, ' ').replace(/[\s.:;,!?…-]+$/u, '').trim();
}

/**
 * Whether the post text already opens with the title: the whole title, or (a long title the
 * template cut with "…") the start of it, at least 20 characters. An empty title says nothing either.
 */
export function titleIsRedundant(title: string, text: string): boolean {
  const t = normalise(title);
  if (t === '') return true;
  const body = normalise(text);
  // A whole-word match: "Release 1" is not the start of "Release 10 is out".
  if (body.startsWith(t) && (body.length === t.length || /[^\p{L}\p{N}]/u.test(body[t.length]!))) return true;
  const cut = text.indexOf('…');
  if (cut > 0) {
    const head = normalise(text.slice(0, cut));
    if (head.length >= 20 && t.startsWith(head)) return true;
  }
  return false;
}
