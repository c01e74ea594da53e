// X's token endpoint, POST `${apiBase}/2/oauth2/token`: the code exchange and the refresh grant.
//
// Not twitter-api-v2's loginWithOAuth2 / refreshOAuth2Token, although Crier posts through that
// library: in 1.29 they post to a hard-coded https://api.x.com URL, send the body as JSON (its
// form-body check reads `url.password` where it means the path), send the client secret in the
// body beside the Basic header, and their errors carry the request with its Authorization header.
// X documents a form body, Basic auth for confidential clients and client_id in the body for
// public ones (docs.x.com, OAuth 2.0 user access token) — that is what this sends.
import { request, type Agent } from 'node:https';
import type { Clock } from '../../ports';
import { sleepAwareDeadline } from '../deadline';
import { DEFAULT_X_API_BASE } from '../types';
import { OAuth2Error, type OAuth2App, type TokenSet } from './types';

export const TOKEN_PATH = '/2/oauth2/token';
export const DEFAULT_TOKEN_TIMEOUT_MS = 30_000;
/** A token answer is a few hundred bytes; anything past this is not one. */
const MAX_ANSWER_BYTES = 64 * 1024;

export interface TokenClientOptions {
  /** Default https://api.x.com; apiBaseFromEnv reads CRIER_X_API_BASE (https only). */
  apiBase?: string;
  clock: Clock;
  /** Tests pass an agent trusting the fake's CA; child processes use NODE_EXTRA_CA_CERTS. */
  httpsAgent?: Agent;
  timeoutMs?: number;
}

export interface CodeExchange {
  code: string;
  codeVerifier: string;
  /** The very redirect_uri the authorize URL carried: X compares them. */
  redirectUri: string;
}

export interface TokenClient {
  /** Rejects with OAuth2Error only. */
  exchangeCode(app: OAuth2App, exchange: CodeExchange): Promise<TokenSet>;
  /** Uses up `refreshToken` once X answers (X's refresh tokens are single-use). Rejects with OAuth2Error only. */
  refresh(app: OAuth2App, refreshToken: string): Promise<TokenSet>;
}

interface Answer { status: number; body: string }

export function createTokenClient(options: TokenClientOptions): TokenClient {
  const base = (options.apiBase ?? DEFAULT_X_API_BASE).replace(/\/+$/, '');
  const endpoint = new URL(`${base}${TOKEN_PATH}`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TOKEN_TIMEOUT_MS;

  async function grant(app: OAuth2App, fields: Record<string, string>, secrets: string[], during: 'code' | 'refresh'): Promise<TokenSet> {
    const body = new URLSearchParams(fields);
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
      accept: 'application/json',
    };
    // X's examples send client_id in the body either way; a confidential client adds Basic auth
    // over `id:secret` as they stand (X's words; RFC 6749 would form-encode them first, which
    // changes nothing for X's base64url-style ids and secrets).
    body.set('client_id', app.clientId);
    if (app.clientSecret !== null) {
      headers.authorization = `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`;
    }
    const allSecrets = [...secrets, app.clientSecret ?? ''].filter((s) => s.length >= 4);
    let answer: Answer;
    try {
      answer = await send(endpoint, body.toString(), headers, options.httpsAgent, timeoutMs);
    } catch (err) {
      const what = err instanceof Error ? ((err as NodeJS.ErrnoException).code ?? err.name) : 'error';
      throw new OAuth2Error('unavailable', `X's token endpoint did not answer (${what}). Crier tries again later.`);
    }
    return readAnswer(answer, allSecrets, during, options.clock.now());
  }

  return {
    exchangeCode(app, exchange) {
      return grant(app, {
        grant_type: 'authorization_code',
        code: exchange.code,
        redirect_uri: exchange.redirectUri,
        code_verifier: exchange.codeVerifier,
      }, [exchange.code, exchange.codeVerifier], 'code');
    },
    refresh(app, refreshToken) {
      return grant(app, { grant_type: 'refresh_token', refresh_token: refreshToken }, [refreshToken], 'refresh');
    },
  };
}

function send(url: URL, body: string, headers: Record<string, string>, agent: Agent | undefined, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      signal: sleepAwareDeadline(timeoutMs),
      ...(agent ? { agent } : {}),
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) {
          res.destroy(new Error('answer too large'));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** X's words, made safe for a message: printable, short, and without any secret of this request. */
export function sayable(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join('[redacted]');
  // eslint-disable-next-line no-control-regex
  out = out.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return out.length > 200 ? `${out.slice(0, 199)}…` : out;
}

function readAnswer(answer: Answer, secrets: string[], during: 'code' | 'refresh', now: number): TokenSet {
  const json = parseJson(answer.body);
  const { status } = answer;
  if (status >= 200 && status < 300) {
    const accessToken = json?.access_token;
    const expiresIn = json?.expires_in;
    if (typeof accessToken !== 'string' || accessToken === '') {
      throw new OAuth2Error('bad-answer', `X's token endpoint answered ${status} without an access token.`, status);
    }
    const refreshToken = typeof json?.refresh_token === 'string' && json.refresh_token !== '' ? json.refresh_token : null;
    // X's tokens live 2 hours; an answer without a usable lifetime is taken as that.
    const seconds = typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 7200;
    const scopes = typeof json?.scope === 'string' ? json.scope.split(/\s+/).filter((s) => s !== '') : [];
    return { accessToken, refreshToken, expiresAt: now + seconds * 1000, scopes };
  }
  const code = typeof json?.error === 'string' ? sayable(json.error, secrets) : undefined;
  const description = typeof json?.error_description === 'string' ? sayable(json.error_description, secrets) : '';
  const said = [code, description].filter(Boolean).join(': ');
  const quoted = said ? ` (${status} ${said})` : ` (${status})`;
  if (status >= 500 || status === 429 || status === 408) {
    throw new OAuth2Error('unavailable', `X's token endpoint failed${quoted}. Crier tries again later.`, status, code);
  }
  if (status === 401 || code === 'invalid_client' || code === 'unauthorized_client') {
    throw new OAuth2Error('client-refused', `X refused the app's client id or secret${quoted}. Check them against the app's Keys and tokens page, then connect again.`, status, code);
  }
  // X answers a used, revoked or unknown code or refresh token with invalid_request (RFC 6749
  // says invalid_grant; both are taken), and some other 4xx: the grant will not work again.
  throw new OAuth2Error(
    'grant-refused',
    during === 'code'
      ? `X refused the sign-in code${quoted}. Click Connect again.`
      : `X refused to renew the sign-in${quoted}: the account has to be connected again.`,
    status,
    code,
  );
}
