// Leading comments before a document's first tag are skipped in linear time: a run of them can
// no longer make the "is this an HTML page?" check backtrack exponentially.
import { describe, expect, it } from 'vitest';
import { afterComments } from '../../../main/core/feeds/leading-comments';
import { parseDocument } from '../../../main/core/feeds/parse-document';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const comments = (n: number): string => '<!-- note -->\n'.repeat(n);

describe('leading comments', () => {
  it('are skipped with the whitespace between them', () => {
    expect(afterComments('  <!-- a -->\n<!--b--> <rss>')).toBe('<rss>');
    expect(afterComments('<!-- never closed <rss>')).toBe('');
  });

  it('do not hang the parse of a feed that starts with forty of them', () => {
    const feed = parseDocument(bytes(`${comments(40)}<rss version="2.0"><channel><title>T</title><item><title>One</title><guid>1</guid></item></channel></rss>`), null, 'https://example.com/');
    expect(feed.items.map((i) => i.title)).toEqual(['One']);
  }, 5_000);

  it('still let an HTML page behind them be told from a feed', () => {
    expect(() => parseDocument(bytes(`${comments(40)}<!DOCTYPE html><html><body>hi</body></html>`), null, 'https://example.com/')).toThrow(/HTML page/);
  }, 5_000);
});
