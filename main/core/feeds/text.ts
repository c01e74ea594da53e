// Feed text is untrusted and read as HTML (ARCHITECTURE.md, "Text from feeds"): tags stripped
// first, then entities decoded exactly once, then whitespace collapsed.
import { decodeHTML } from 'entities';

// Block elements become a space so "a</p><p>b" does not read "ab"; inline ones vanish.
const BLOCK = /^(?:address|article|aside|blockquote|br|dd|div|dl|dt|figcaption|figure|footer|h[1-6]|header|hr|img|li|main|nav|ol|p|pre|section|table|tbody|td|tfoot|th|thead|tr|ul)$/i;
// A tag starts with a letter: "1 < 2" is text, not a tag.
const TAG = /<\/?([a-zA-Z][a-zA-Z0-9:-]*)(?:[^>"']|"[^"]*"|'[^']*')*>/g;
const DROPPED = /<(script|style|template)\b[\s\S]*?<\/\1\s*>|<!--[\s\S]*?-->|<![A-Za-z][^>]*>|<\?[\s\S]*?\?>/gi;
// A CDATA section written inside the HTML keeps its content; an unclosed opener is dropped. A
// lone "]]>" is text: the XML parser has already decoded the document's own CDATA sections, so
// one that is left (from "]]]]><![CDATA[>" or "]]&gt;") is what the publisher wrote.
const CDATA = /<!\[CDATA\[([\s\S]*?)\]\]>|<!\[CDATA\[/g;

export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** HTML (or text that may hold markup) → plain text. */
export function htmlToText(html: string): string {
  if (html === '') return '';
  let s = html.replace(CDATA, (_m, content: string | undefined) => ` ${content ?? ''} `).replace(DROPPED, ' ');
  s = s.replace(TAG, (_m, name: string) => (BLOCK.test(name) ? ' ' : ''));
  // A cut-off trailing tag ("…<a hre") is dropped rather than shown.
  s = s.replace(/<\/?[a-zA-Z][^>]*$/, '');
  return collapseWhitespace(decodeHTML(s));
}

/** Text already declared plain (Atom type="text"): only whitespace is touched. */
export function plainText(text: string): string {
  return collapseWhitespace(text);
}

/** Cuts to at most `max` characters without splitting a surrogate pair; marks the cut. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end).trimEnd()}…`;
}

const EMAIL = /^(?:mailto:)?[^\s@()<>]+@[^\s@()<>]+$/i;

/**
 * The name alone from "name (email)" and "email (name)", the forms RSS and Dublin Core use;
 * anything else (a bare name, a bare address, "Jane (editor)") is kept as written.
 */
export function authorName(text: string): string {
  const m = /^(.*?)\s*\(([^()]*)\)$/.exec(text);
  if (!m) return text;
  const outer = m[1]!.trim();
  const inner = m[2]!.trim();
  if (EMAIL.test(outer) && inner !== '') return inner;
  if (EMAIL.test(inner) && outer !== '') return outer;
  return text;
}
