// PKCE values and the authorize URL: what X's page is handed, and where the page is.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  authorizeUrlFromEnv, buildAuthorizeUrl, DEFAULT_X_AUTHORIZE_URL, loopbackRedirectUri, OAUTH2_SCOPES, redirectUriForOrigin,
} from '../../../../main/core/x/oauth2/authorize-url';
import { codeChallengeS256, createCodeVerifier, createPkcePair, createState } from '../../../../main/core/x/oauth2/pkce';
import { CommandError } from '../../../../main/core/errors';

describe('PKCE', () => {
  it('makes verifiers of 43 unreserved characters, a new one each time', () => {
    const a = createCodeVerifier();
    const b = createCodeVerifier();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
  });

  it('derives the S256 challenge of RFC 7636 appendix B', () => {
    expect(codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('pairs a verifier with its own challenge', () => {
    const pair = createPkcePair();
    expect(pair.codeChallenge).toBe(createHash('sha256').update(pair.codeVerifier).digest('base64url'));
  });

  it('makes unguessable states, a new one each time', () => {
    const states = new Set(Array.from({ length: 50 }, () => createState()));
    expect(states.size).toBe(50);
    for (const s of states) expect(s).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('the authorize URL', () => {
  it("sends the browser to X's page with the code, S256 and every scope Crier needs", () => {
    const url = new URL(buildAuthorizeUrl({
      authorizeUrl: DEFAULT_X_AUTHORIZE_URL, clientId: 'client-1', redirectUri: 'http://127.0.0.1:8917/oauth2/callback', state: 'st', codeChallenge: 'ch',
    }));
    expect(`${url.origin}${url.pathname}`).toBe('https://x.com/i/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'client-1',
      redirect_uri: 'http://127.0.0.1:8917/oauth2/callback',
      scope: 'tweet.read tweet.write users.read offline.access media.write',
      state: 'st',
      code_challenge: 'ch',
      code_challenge_method: 'S256',
    });
    expect(OAUTH2_SCOPES).toContain('offline.access');
  });

  it('reads CRIER_X_AUTHORIZE_URL, and X\'s page when it is unset or blank', () => {
    expect(authorizeUrlFromEnv({})).toBe(DEFAULT_X_AUTHORIZE_URL);
    expect(authorizeUrlFromEnv({ CRIER_X_AUTHORIZE_URL: '  ' })).toBe(DEFAULT_X_AUTHORIZE_URL);
    expect(authorizeUrlFromEnv({ CRIER_X_AUTHORIZE_URL: 'https://127.0.0.1:4443/i/oauth2/authorize' })).toBe('https://127.0.0.1:4443/i/oauth2/authorize');
  });

  it.each([
    ['not a url', 'is not a URL'],
    ['http://127.0.0.1:4443/authorize', 'must be an https:// URL'],
    ['https://u:p@example.com/authorize', 'without credentials'],
    ['https://example.com/authorize?x=1', 'without credentials, query or fragment'],
  ])('refuses CRIER_X_AUTHORIZE_URL=%s with a clear message', (value, says) => {
    let caught: unknown;
    try {
      authorizeUrlFromEnv({ CRIER_X_AUTHORIZE_URL: value });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CommandError);
    expect((caught as CommandError).code).toBe('validation');
    expect((caught as CommandError).field).toBe('CRIER_X_AUTHORIZE_URL');
    expect((caught as CommandError).message).toContain(says);
  });

  it('builds the loopback callback on 127.0.0.1 (X matches it exactly) and refuses a port out of range', () => {
    expect(loopbackRedirectUri(8917)).toBe('http://127.0.0.1:8917/oauth2/callback');
    expect(() => loopbackRedirectUri(0)).toThrow(/1 to 65535/);
    expect(() => loopbackRedirectUri(70_000)).toThrow(/1 to 65535/);
    expect(redirectUriForOrigin('http://127.0.0.1:7070/settings.html?x=1')).toBe('http://127.0.0.1:7070/oauth2/callback');
  });
});
