// Matching a post read back from X's timeline against the text Crier sent, and the failures X's
// headers and 2xx bodies map to.
import { ApiResponseError } from 'twitter-api-v2';
import { describe, expect, it } from 'vitest';
import { decodeXEntities, isSamePost } from '../../../main/core/x/timeline-match';
import { answerWithoutPost, mapXError } from '../../../main/core/x/x-failure';

const link = (url: string, expanded: string, extra: Record<string, string> = {}) => ({ url, expanded_url: expanded, display_url: expanded.replace(/^https?:\/\//, ''), ...extra });

describe('isSamePost', () => {
  it('puts the expanded links back in place of t.co', () => {
    const post = { id: '1', text: 'New: Rust 2 https://t.co/abc', entities: { urls: [link('https://t.co/abc', 'https://example.com/rust-2')] } };
    expect(isSamePost('New: Rust 2 https://example.com/rust-2', post)).toBe(true);
    expect(isSamePost('New: Rust 2 https://example.com/rust-3', post)).toBe(false);
    expect(isSamePost('New: Rust 2', post)).toBe(false);
  });

  it('decodes the three entities X escapes, once', () => {
    expect(decodeXEntities('a &amp; b &lt;c&gt; &amp;amp;')).toBe('a & b <c> &amp;');
    expect(isSamePost('Tom & Jerry <3', { id: '1', text: 'Tom &amp; Jerry &lt;3' })).toBe(true);
  });

  it('drops the link X appends for an attached image', () => {
    const post = {
      id: '1', text: 'Photo day https://t.co/a https://t.co/m',
      entities: { urls: [link('https://t.co/a', 'https://example.com/p'), link('https://t.co/m', 'https://x.com/crier/status/1/photo/1', { media_key: '3_9' })] },
    };
    expect(isSamePost('Photo day https://example.com/p', post)).toBe(true);
  });

  it('accepts a link sent without its scheme', () => {
    const post = { id: '1', text: 'See https://t.co/a', entities: { urls: [link('https://t.co/a', 'http://example.com')] } };
    expect(isSamePost('See example.com', post)).toBe(true);
  });

  it('takes the text literally, whatever characters it holds', () => {
    expect(isSamePost('a.b (c)? [d]* $e^ {f}|g\\h', { id: '1', text: 'a.b (c)? [d]* $e^ {f}|g\\h' })).toBe(true);
    expect(isSamePost('aXb', { id: '1', text: 'a.b' })).toBe(false);
  });

  it('ignores surrounding white space and Unicode normalisation', () => {
    expect(isSamePost('Cafe\u0301 ', { id: '1', text: 'Caf\u00e9' })).toBe(true);
  });
});

function response429(headers: Record<string, string>): ApiResponseError {
  return new ApiResponseError('Request failed with code 429', {
    code: 429, data: {} as never, headers, request: { getHeader: () => '' } as never, response: { statusCode: 429 } as never, rateLimit: undefined,
  });
}

describe('rate-limit headers', () => {
  it.each(['99999999999999999', '1e400', 'abc', '-5', ''])('gives no reset for x-rate-limit-reset %j, and does not throw', (value) => {
    const failure = mapXError(response429({ 'x-rate-limit-reset': value }));
    expect(failure.kind).toBe('rate-limited');
    expect(failure).not.toHaveProperty('resetAt');
  });

  it('reads retry-after in seconds as a wait, and as a date as a reset', () => {
    expect(mapXError(response429({ 'retry-after': '120' }))).toMatchObject({ retryAfterMs: 120_000 });
    expect(mapXError(response429({ 'x-rate-limit-reset': '1000', 'retry-after': new Date(2_000_000).toUTCString() })).resetAt).toBe(2_000_000);
  });

  it('honours an exhausted 24-hour app limit like the user limit', () => {
    const failure = mapXError(response429({ 'x-rate-limit-reset': '1000', 'x-app-limit-24hour-remaining': '0', 'x-app-limit-24hour-reset': '9000' }));
    expect(failure.resetAt).toBe(9_000_000);
  });
});

describe('a 2xx answer without a post id', () => {
  it("says X's own words and is not in doubt when X sent errors", () => {
    expect(answerWithoutPost({ errors: [{ title: 'Forbidden', detail: 'This account is suspended.' }] }))
      .toEqual({ kind: 'unknown', message: 'X answered without creating the post: This account is suspended.', inDoubt: false });
  });

  it('is in doubt when the answer says nothing', () => {
    expect(answerWithoutPost({})).toMatchObject({ inDoubt: true });
    expect(answerWithoutPost({ data: {} })).toMatchObject({ inDoubt: true });
  });
});
