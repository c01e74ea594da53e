import { MastoDeserializeError, MastoHttpError, MastoTimeoutError, MastoUnexpectedError } from 'masto';
import { describe, expect, it } from 'vitest';
import { mapMastodonError, parseRateLimitReset } from '../../../../main/core/networks/mastodon/failure';

describe('parseRateLimitReset', () => {
  it.each([
    ['2026-12-02T10:05:00.000Z', Date.parse('2026-12-02T10:05:00.000Z')],
    ['2026-12-02T10:05:00Z', Date.parse('2026-12-02T10:05:00Z')],
    ['2026-12-02T11:05:00+01:00', Date.parse('2026-12-02T10:05:00Z')],
    [' 2026-12-02T10:05:00.000Z ', Date.parse('2026-12-02T10:05:00.000Z')],
  ])('reads the ISO 8601 time %j', (raw, expected) => {
    expect(parseRateLimitReset(raw)).toBe(expected);
  });

  it.each([[null], [''], ['1767225600'], ['2026'], ['soon'], ['+275760-09-13T00:00:00.001Z']])('finds no reset in %j', (raw) => {
    expect(parseRateLimitReset(raw)).toBeUndefined();
  });
});

describe('mapMastodonError', () => {
  const secrets = ['secret-token-abc'];

  it('takes a timeout to a post as in doubt, to a read as not', () => {
    const err = new MastoTimeoutError('Request timed out');
    expect(mapMastodonError(err, { secrets, creating: true })).toMatchObject({ kind: 'network', inDoubt: true });
    expect(mapMastodonError(err, { secrets })).toMatchObject({ kind: 'network', inDoubt: false });
  });

  it('takes an unreadable 2xx to a post as in doubt', () => {
    const err = new MastoDeserializeError('Malformed JSON {', 'json', '{');
    expect(mapMastodonError(err, { secrets, creating: true })).toMatchObject({ inDoubt: true });
  });

  it("takes an error answer masto could not read (a proxy's text/plain) as a server failure", () => {
    const err = new MastoUnexpectedError('The server returned data with an unknown encoding. The server may be down.');
    expect(mapMastodonError(err, { secrets })).toMatchObject({ kind: 'server', inDoubt: false });
  });

  it('names the lookup failure as offline, not in doubt', () => {
    const err = new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }) });
    expect(mapMastodonError(err, { secrets, creating: true })).toMatchObject({ kind: 'offline', inDoubt: false });
  });

  it('takes a connection reset during a post as in doubt', () => {
    const err = new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    expect(mapMastodonError(err, { secrets, creating: true })).toMatchObject({ kind: 'network', inDoubt: true });
  });

  it("keeps the instance's field details and scrubs secrets and Bearer values", () => {
    const err = new MastoHttpError({
      statusCode: 422,
      message: 'Validation failed: Text secret-token-abc',
      details: { text: [{ error: 'ERR_TOO_LONG', description: 'Bearer abc.def is too long' }] },
    });
    const failure = mapMastodonError(err, { secrets });
    expect(failure.kind).toBe('invalid-post');
    expect(failure.message).toBe('The instance rejected the status (422): Validation failed: Text [redacted] — Bearer [redacted] is too long');
  });

  it('cuts a very long explanation', () => {
    const err = new MastoHttpError({ statusCode: 400, message: 'x'.repeat(1000) });
    expect(mapMastodonError(err, { secrets }).message.length).toBeLessThan(400);
  });
});
