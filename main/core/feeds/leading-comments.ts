// Where a document's markup begins, after leading whitespace and comments. A loop, not one
// regular expression: a pattern like ^\s*(?:<!--[\s\S]*?-->\s*)*<html backtracks exponentially
// over a run of comments followed by no match, so a hostile feed could hang a parse worker.

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f';

/** The text after leading whitespace and comments ('' when a comment never closes). */
export function afterComments(text: string): string {
  let i = 0;
  for (;;) {
    while (i < text.length && isSpace(text[i])) i++;
    if (!text.startsWith('<!--', i)) return text.slice(i);
    const close = text.indexOf('-->', i + 4);
    if (close < 0) return '';
    i = close + 3;
  }
}
