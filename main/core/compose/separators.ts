// An empty placeholder takes one separator run with it, so "{title} — {author}, {date}"
// without an author reads "Title, 2026-12-02", not "Title — , 2026-12-02". Only the template's
// own text is edited, never a value: a link or title keeps every dash and colon it has.

// A hyphen is not here: it separates only with a space on each side ("e-mail" is one word).
const SEPARATORS = new Set(['—', '–', '·', '|', ':', ',', ';']);
// A run stays on its line: the template's line breaks are the user's layout.
const INLINE_SPACE = /^[^\S\r\n]$/;
const ANY_SPACE = /^\s$/;

const isInlineSpace = (c: string): boolean => INLINE_SPACE.test(c);
const spacedHyphens = (before: string, after: string): boolean => ANY_SPACE.test(before) && ANY_SPACE.test(after);

/**
 * Where the separator run (separators and the spaces around them) ending `text` starts, or
 * null when `text` does not end in one. `atStart`: nothing comes before `text`, which counts
 * as a space for a hyphen.
 */
export function runEndingText(text: string, atStart: boolean): number | null {
  let i = text.length;
  let separated = false;
  while (i > 0) {
    const c = text.charAt(i - 1);
    if (isInlineSpace(c)) {
      i -= 1;
    } else if (SEPARATORS.has(c)) {
      separated = true;
      i -= 1;
    } else if (c === '-') {
      let j = i - 1;
      while (j > 0 && text.charAt(j - 1) === '-') j -= 1;
      const before = j > 0 ? text.charAt(j - 1) : atStart ? '\n' : '';
      // At i === text.length the hyphen touches the empty placeholder: not spaced.
      if (!spacedHyphens(before, text.charAt(i))) break;
      separated = true;
      i = j;
    } else {
      break;
    }
  }
  return separated ? i : null;
}

/** Where the separator run starting `text` ends, or null; `atEnd`: nothing comes after `text`. */
export function runStartingText(text: string, atEnd: boolean): number | null {
  let i = 0;
  let separated = false;
  while (i < text.length) {
    const c = text.charAt(i);
    if (isInlineSpace(c)) {
      i += 1;
    } else if (SEPARATORS.has(c)) {
      separated = true;
      i += 1;
    } else if (c === '-') {
      let j = i + 1;
      while (j < text.length && text.charAt(j) === '-') j += 1;
      const after = j < text.length ? text.charAt(j) : atEnd ? '\n' : '';
      if (!spacedHyphens(text.charAt(i - 1), after)) break;
      separated = true;
      i = j;
    } else {
      break;
    }
  }
  return separated ? i : null;
}

/**
 * `texts` are the template's literal texts around its placeholders (texts[k] before
 * placeholder k, texts[k + 1] after it; '' where two touch), `empty[k]` whether placeholder k
 * has no value. For each empty placeholder, left to right, the separator run just before it is
 * dropped, or else the one just after it: as if "— {author}" had never been written.
 */
export function dropSeparatorsAroundEmpty(texts: readonly string[], empty: readonly boolean[]): string[] {
  const out = [...texts];
  const last = out.length - 1;
  empty.forEach((isEmpty, k) => {
    if (!isEmpty) return;
    const before = out[k] ?? '';
    const cut = runEndingText(before, k === 0);
    if (cut !== null) {
      out[k] = before.slice(0, cut);
      return;
    }
    const after = out[k + 1] ?? '';
    const end = runStartingText(after, k + 1 === last);
    if (end !== null) out[k + 1] = after.slice(end);
  });
  return out;
}
