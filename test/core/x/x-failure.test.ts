import { ApiPartialResponseError, ApiRequestError, ApiResponseError } from 'twitter-api-v2';
import { describe, expect, it } from 'vitest';
import { mapXError } from '../../../main/core/x/x-failure';
import { XError } from '../../../main/core/x/types';

const AUTH = 'OAuth oauth_consumer_key="ck-secret-1",oauth_token="tok-secret-2",oauth_signature="sig"';

function responseError(code: number, data: unknown, headers: Record<string, string> = {}): ApiResponseError {
  return new ApiResponseError(`Request failed with code ${code}`, {
    code,
    data: data as never,
    headers,
    request: { getHeader: () => AUTH } as never,
    response: { statusCode: code } as never,
    rateLimit: undefined,
  });
}

function requestError(cause: unknown): ApiRequestError {
  // The shape twitter-api-v2 1.29 builds: the cause under `error`, which its requestError getter never reads.
  return new ApiRequestError('Request failed.', { request: { getHeader: () => AUTH } as never, error: cause } as never);
}

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('mapXError', () => {
  it('finds the network cause even though requestError is undefined', () => {
    const err = requestError(withCode('getaddrinfo ENOTFOUND api.x.com', 'ENOTFOUND'));
    expect(err.requestError).toBeUndefined();
    expect(mapXError(err)).toMatchObject({ kind: 'offline', inDoubt: false });
  });

  it('treats a request error with no cause at all as a lost connection in doubt', () => {
    expect(mapXError(requestError(undefined))).toMatchObject({ kind: 'network', inDoubt: true });
  });

  it.each([
    ['EAI_AGAIN', 'offline', false],
    ['ECONNREFUSED', 'network', false],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'network', false],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'network', false],
    ['ECONNRESET', 'network', true],
    ['EPIPE', 'network', true],
    ['ETIMEDOUT', 'network', true],
  ] as const)('maps %s to %s (in doubt: %s)', (code, kind, inDoubt) => {
    expect(mapXError(requestError(withCode(code, code)))).toMatchObject({ kind, inDoubt });
  });

  it("maps twitter-api-v2's own timeout to an in-doubt network failure", () => {
    expect(mapXError(requestError(new Error('Request timeout.')))).toMatchObject({ kind: 'network', inDoubt: true });
  });

  it('maps an answer cut off mid-body to an in-doubt network failure', () => {
    const err = new ApiPartialResponseError('partial', { request: {} as never, response: { statusCode: 201 } as never, responseError: new Error('x'), rawContent: '{"da' });
    expect(mapXError(err)).toMatchObject({ kind: 'network', inDoubt: true });
  });

  it('recognises the duplicate text wherever X puts it, and not by code alone', () => {
    const text = 'You are not allowed to create a Tweet with duplicate content.';
    expect(mapXError(responseError(403, { detail: text })).kind).toBe('duplicate');
    expect(mapXError(responseError(403, { errors: [{ message: text }] })).kind).toBe('duplicate');
    expect(mapXError(responseError(403, { errors: [{ code: 187, message: 'Status is a duplicate.' }] })).kind).toBe('forbidden');
  });

  it('takes the later of the 15-minute and an exhausted 24-hour reset', () => {
    const err = responseError(429, {}, {
      'x-rate-limit-reset': '1000',
      'x-user-limit-24hour-remaining': '0',
      'x-user-limit-24hour-reset': '5000',
    });
    expect(mapXError(err)).toMatchObject({ kind: 'rate-limited', resetAt: 5_000_000 });
  });

  it('keeps the reset as an instant and no time in its words, which the page shows in local time', () => {
    const err = responseError(429, {}, { 'x-rate-limit-reset': String(Date.UTC(2026, 10, 26, 7, 43, 21) / 1000) });
    expect(mapXError(err)).toMatchObject({ resetAt: Date.UTC(2026, 10, 26, 7, 43, 21), message: "X's rate limit is reached; posting waits until it resets." });
    expect(mapXError(err).message).not.toMatch(/UTC|\d{2}:\d{2}/);
  });

  it('ignores the 24-hour reset while that limit still has room', () => {
    const err = responseError(429, {}, {
      'x-rate-limit-reset': '1000',
      'x-user-limit-24hour-remaining': '3',
      'x-user-limit-24hour-reset': '5000',
    });
    expect(mapXError(err).resetAt).toBe(1_000_000);
  });

  it('leaves resetAt out when X sends no reset header', () => {
    expect(mapXError(responseError(429, {}))).not.toHaveProperty('resetAt');
  });

  it('passes an XError through unchanged', () => {
    const failure = { kind: 'server', message: 'X had a server error (503).' } as const;
    expect(mapXError(new XError(failure))).toEqual(failure);
  });

  it('keeps unknown errors vague and scrubs known secrets and OAuth headers from every message', () => {
    expect(mapXError('boom')).toEqual({ kind: 'unknown', message: 'Unexpected error while talking to X (string).' });
    const leaky = responseError(400, { detail: `echo ${AUTH} and ck-secret-1` });
    const failure = mapXError(leaky, ['ck-secret-1', 'tok-secret-2']);
    expect(JSON.stringify(failure)).not.toMatch(/ck-secret-1|tok-secret-2|oauth_/);
  });
});
