// X credentials and API base from the environment (headless use; the desktop keeps
// credentials in safeStorage and hands them over the same XCredentials shape).
import { createHash } from 'node:crypto';
import { CommandError } from '../errors';
// From types.ts, not client.ts: importing the client would load twitter-api-v2 at start (account.ts).
import { DEFAULT_X_API_BASE, type XCredentials } from './types';

export const CREDENTIAL_VARS = {
  appKey: 'CRIER_X_APP_KEY',
  appSecret: 'CRIER_X_APP_SECRET',
  accessToken: 'CRIER_X_ACCESS_TOKEN',
  accessSecret: 'CRIER_X_ACCESS_SECRET',
} as const satisfies Record<keyof XCredentials, string>;

type Env = Record<string, string | undefined>;

/** All four CRIER_X_* credentials, or null when any is missing or blank (Crier then runs dry). */
export function credentialsFromEnv(env: Env): XCredentials | null {
  return missingCredentialVars(env).length > 0
    ? null
    : {
        appKey: (env[CREDENTIAL_VARS.appKey] ?? '').trim(),
        appSecret: (env[CREDENTIAL_VARS.appSecret] ?? '').trim(),
        accessToken: (env[CREDENTIAL_VARS.accessToken] ?? '').trim(),
        accessSecret: (env[CREDENTIAL_VARS.accessSecret] ?? '').trim(),
      };
}

/** Names of the credential variables that are missing or blank — for a "set these" message when some are set. */
export function missingCredentialVars(env: Env): string[] {
  return Object.values(CREDENTIAL_VARS).filter((name) => !env[name]?.trim());
}

/**
 * CRIER_X_API_BASE, normalised without a trailing slash; the default when unset or blank.
 * Throws CommandError('validation') for anything but an https URL without credentials, query
 * or fragment: twitter-api-v2 sends through node:https only, so an http base could never work.
 */
export function apiBaseFromEnv(env: Env): string {
  const raw = env.CRIER_X_API_BASE?.trim();
  if (!raw) return DEFAULT_X_API_BASE;
  const field = 'CRIER_X_API_BASE';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CommandError('validation', `${field} is not a URL: ${JSON.stringify(raw.slice(0, 200))}.`, field);
  }
  if (url.protocol !== 'https:') throw new CommandError('validation', `${field} must be an https:// URL.`, field);
  if (url.username || url.password || url.search || url.hash) {
    throw new CommandError('validation', `${field} must be a plain base URL, without credentials, query or fragment.`, field);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/**
 * A short one-way fingerprint of a credential set: stored beside an auth pause to tell whether
 * the credentials changed, never enough to recover them (SHA-256 over high-entropy secrets).
 */
export function credentialsFingerprint(credentials: XCredentials): string {
  const hash = createHash('sha256');
  for (const part of [credentials.appKey, credentials.appSecret, credentials.accessToken, credentials.accessSecret]) hash.update(`${part.length}:${part}`);
  return hash.digest('base64url').slice(0, 22);
}
