import { XRPCError } from '@atproto/api';
import { describe, expect, it } from 'vitest';
import { mapBlueskyError, parseRateLimitReset, redact } from '../../../../main/core/networks/bluesky/failure';
import { XError } from '../../../../main/core/x/types';

const NOW = Date.UTC(2026, 0, 15, 12);
const post = { secrets: ['abcd-efgh-ijkl-mnop'], now: NOW, mayHavePosted: true };
const read = { ...post, mayHavePosted: false };

function socketError(code: string): XRPCError {
  const socket = Object.assign(new Error('other side closed'), { code });
  return XRPCError.from(new TypeError('fetch failed', { cause: socket }));
}

describe('parseRateLimitReset', () => {
  it('reads epoch seconds as an instant', () => {
    expect(parseRateLimitReset('1768480200', NOW)).toEqual({ resetAt: 1_768_480_200_000 });
  });

  it('reads a small number as seconds from now, kept relative as well', () => {
    expect(parseRateLimitReset('90', NOW)).toEqual({ resetAt: NOW + 90_000, retryAfterMs: 90_000 });
    expect(parseRateLimitReset(' 0.5 ', NOW)).toEqual({ resetAt: NOW + 500, retryAfterMs: 500 });
  });

  it('ignores a missing, empty, negative, non-numeric or absurd value', () => {
    for (const raw of [undefined, '', '-5', 'soon', 'Wed, 21 Oct 2026 07:28:00 GMT', '99999999999999999']) {
      expect(parseRateLimitReset(raw, NOW)).toEqual({});
    }
  });
});

describe('mapBlueskyError', () => {
  it("maps answers by status and Bluesky's error name", () => {
    expect(mapBlueskyError(new XRPCError(401, 'AuthenticationRequired', 'Invalid identifier or password'), post)).toMatchObject({ kind: 'auth', httpStatus: 401 });
    expect(mapBlueskyError(new XRPCError(400, 'ExpiredToken', 'Token has expired'), post)).toMatchObject({ kind: 'auth' });
    expect(mapBlueskyError(new XRPCError(400, 'InvalidRequest', 'Record/text too long'), post)).toEqual({
      kind: 'invalid-post', message: 'Bluesky refused the request: Record/text too long', httpStatus: 400,
    });
    expect(mapBlueskyError(new XRPCError(503, 'NotEnoughResources', 'busy'), post)).toMatchObject({ kind: 'server', httpStatus: 503 });
    expect(mapBlueskyError(new XRPCError(400, 'AccountTakedown', 'Account has been taken down'), post)).toMatchObject({ kind: 'forbidden' });
    expect(mapBlueskyError(new XRPCError(429, 'RateLimitExceeded', 'Rate Limit Exceeded', { 'ratelimit-reset': '30' }), post))
      .toMatchObject({ kind: 'rate-limited', resetAt: NOW + 30_000, retryAfterMs: 30_000 });
  });

  it('calls a lost connection in doubt for a create and not for a read; a refused one never', () => {
    expect(mapBlueskyError(socketError('UND_ERR_SOCKET'), post)).toMatchObject({ kind: 'network', inDoubt: true });
    expect(mapBlueskyError(socketError('ECONNRESET'), read)).toMatchObject({ kind: 'network', inDoubt: false });
    expect(mapBlueskyError(socketError('ECONNREFUSED'), post)).toMatchObject({ kind: 'network', inDoubt: false });
    expect(mapBlueskyError(socketError('ENOTFOUND'), post)).toMatchObject({ kind: 'offline', inDoubt: false });
    const timeout = XRPCError.from(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    expect(mapBlueskyError(timeout, post)).toMatchObject({ kind: 'network', inDoubt: true });
  });

  it('passes a failure the session raised through, from inside the XRPC error that wraps it', () => {
    const inner = new XError({ kind: 'auth', message: 'Bluesky refused the session.' });
    expect(mapBlueskyError(XRPCError.from(inner), post)).toEqual(inner.failure);
  });

  it('scrubs the app password and anything shaped like a JWT from the message', () => {
    const jwt = 'eyJ0eXAiOiJhdCtqd3QifQ.eyJzdWIiOiJkaWQ6cGxjOngifQ.c2ln';
    const failure = mapBlueskyError(new XRPCError(400, 'InvalidRequest', `bad abcd-efgh-ijkl-mnop and Bearer ${jwt}`), post);
    expect(failure.message).toBe('Bluesky refused the request: bad [redacted] and Bearer [redacted]');
    expect(redact(`x ${jwt} y`, [])).toBe('x [redacted] y');
  });
});
