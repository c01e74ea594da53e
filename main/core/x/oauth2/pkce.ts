// PKCE (RFC 7636) and the `state` value: random values a login is bound to.
import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url: 43 characters of the unreserved set RFC 7636 asks for (43–128). */
export function createCodeVerifier(): string {
  return randomBytes(32).toString('base64url');
}

/** S256: BASE64URL(SHA256(ASCII(verifier))), unpadded. */
export function codeChallengeS256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/**
 * The `state` a login is known by: unguessable, since the headless callback is authenticated by
 * it alone (the session cookie is SameSite=Strict and does not come back from x.com).
 */
export function createState(): string {
  return randomBytes(32).toString('base64url');
}

/** What a login needs to remember between the authorize page and the callback. */
export interface PkcePair {
  codeVerifier: string;
  codeChallenge: string;
}

export function createPkcePair(): PkcePair {
  const codeVerifier = createCodeVerifier();
  return { codeVerifier, codeChallenge: codeChallengeS256(codeVerifier) };
}
