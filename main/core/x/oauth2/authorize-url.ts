// X's authorize page: where it is (CRIER_X_AUTHORIZE_URL moves it for tests), the scopes Crier
// asks for, and the URL the browser is sent to.
import { CommandError } from '../../errors';

export const DEFAULT_X_AUTHORIZE_URL = 'https://x.com/i/oauth2/authorize';
export const AUTHORIZE_URL_VAR = 'CRIER_X_AUTHORIZE_URL';

/**
 * tweet.write to post, media.write for the v2 media upload, users.read (with tweet.read, which
 * X requires beside it) for users/me and the timeline look, offline.access for a refresh token.
 */
export const OAUTH2_SCOPES = ['tweet.read', 'tweet.write', 'users.read', 'offline.access', 'media.write'] as const;

/** The path of the loopback callback, on the desktop's redirect port and on `crier serve`. */
export const CALLBACK_PATH = '/oauth2/callback';

type Env = Record<string, string | undefined>;

/**
 * CRIER_X_AUTHORIZE_URL, or X's page when unset or blank. Throws CommandError('validation') for
 * anything but an https URL without credentials or fragment: the page sees the code challenge.
 */
export function authorizeUrlFromEnv(env: Env): string {
  const raw = env[AUTHORIZE_URL_VAR]?.trim();
  if (!raw) return DEFAULT_X_AUTHORIZE_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CommandError('validation', `${AUTHORIZE_URL_VAR} is not a URL: ${JSON.stringify(raw.slice(0, 200))}.`, AUTHORIZE_URL_VAR);
  }
  if (url.protocol !== 'https:') throw new CommandError('validation', `${AUTHORIZE_URL_VAR} must be an https:// URL.`, AUTHORIZE_URL_VAR);
  if (url.username || url.password || url.search || url.hash) {
    throw new CommandError('validation', `${AUTHORIZE_URL_VAR} must be a plain URL, without credentials, query or fragment.`, AUTHORIZE_URL_VAR);
  }
  return url.toString();
}

/**
 * The callback URL for a loopback port: 127.0.0.1, not localhost, since X matches the registered
 * URL exactly and the desktop listens on 127.0.0.1 only.
 */
export function loopbackRedirectUri(port: number): string {
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new CommandError('validation', `The redirect port must be a whole number from 1 to 65535, not ${String(port)}.`, 'redirectPort');
  return `http://127.0.0.1:${port}${CALLBACK_PATH}`;
}

/** The callback URL on an origin Crier serves (headless: its own `http://host:port`). */
export function redirectUriForOrigin(origin: string): string {
  return `${new URL(origin).origin}${CALLBACK_PATH}`;
}

export interface AuthorizeRequest {
  authorizeUrl: string;
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  scopes?: readonly string[];
}

/** The authorize page's URL with RFC 6749 / 7636 parameters (method S256, spelled as the RFC does). */
export function buildAuthorizeUrl(request: AuthorizeRequest): string {
  const url = new URL(request.authorizeUrl);
  // URLSearchParams encodes spaces as '+', which X (like any form decoder) reads as a space.
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    scope: (request.scopes ?? OAUTH2_SCOPES).join(' '),
    state: request.state,
    code_challenge: request.codeChallenge,
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}
