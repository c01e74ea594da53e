// A fake of X's OAuth 2.0 authorization server over real HTTPS on 127.0.0.1, strict where Crier
// could go wrong:
// - GET /i/oauth2/authorize checks the client id, the exact registered redirect URI, the S256
//   challenge and the scopes, then "the user" answers: a 302 back to the redirect URI with
//   code + state, or with error=access_denied (set `consent`).
// - POST /2/oauth2/token takes a form body only; checks client auth (confidential apps: Basic
//   id:secret; public apps: client_id in the body and no Basic header), the PKCE verifier against
//   the challenge, the redirect URI against the one authorized; codes are single-use; refresh
//   tokens are single-use and rotate (a used one is refused the way X refuses it).
// - GET /2/users/me answers only a live access token (Bearer), so a session's 401 path is real.
// - POST /2/tweets takes a JSON { text } with a live access token (Bearer) and keeps the post, so
//   `crier serve` can post through the same fake it signs in with.
// Faults: `failNextToken(...)` answers the next token request with a status or drops it;
// `holdTokenAnswers()` keeps token answers back until released, so racing callers overlap.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, request, Agent, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Clock } from '../../main/core/ports';
import { testTls } from './tls';

export interface FakeApp {
  /** The handle GET /2/users/me answers for this app's tokens (default crier_test): one account per app in tests of several accounts. */
  username?: string;
  clientId: string;
  /** Null: a public client. */
  clientSecret: string | null;
  /** Exact URLs, as X's developer console keeps them. */
  redirectUris: string[];
}

export const REQUIRED_SCOPES = ['tweet.read', 'tweet.write', 'users.read', 'offline.access', 'media.write'];

/** What X says for a code or a refresh token it does not know, or knew and spent. */
export const X_INVALID_CODE = { error: 'invalid_request', error_description: 'Value passed for the authorization code was invalid.' };
export const X_INVALID_TOKEN = { error: 'invalid_request', error_description: 'Value passed for the token was invalid.' };
export const X_MISSING_AUTH = { error: 'unauthorized_client', error_description: 'Missing valid authorization header' };

export type TokenFault =
  | { type: 'status'; status: number; body?: Record<string, unknown> }
  /** Reads the request, spends the refresh token / code as X would, then drops the connection. */
  | { type: 'drop-after-spend' };

export interface TokenRequestRecord {
  grantType: string | null;
  clientId: string | null;
  basicAuth: boolean;
  contentType: string | null;
  /** The answer's status. */
  status: number;
}

interface IssuedCode {
  app: FakeApp;
  redirectUri: string;
  challenge: string;
  scopes: string[];
  used: boolean;
}

interface RefreshRecord { app: FakeApp; scopes: string[]; used: boolean }

export interface FakeXOAuth {
  /** https://127.0.0.1:PORT — the API base (token endpoint, users/me). */
  url: string;
  /** The authorize page's URL, for CRIER_X_AUTHORIZE_URL. */
  authorizeUrl: string;
  caPem: string;
  /** An agent trusting the fake's certificate. */
  agent: Agent;
  /** A confidential app (Basic auth) and a public one, both with `redirectUri` registered. */
  confidentialApp: FakeApp;
  publicApp: FakeApp;
  /** What "the user" does on the authorize page. */
  consent: 'approve' | 'deny';
  /** Seconds each access token lives (default 7200, as X's). */
  expiresIn: number;
  /** Every token request, in order (no secrets kept). */
  tokenRequests: TokenRequestRecord[];
  /** Posts taken by POST /2/tweets, with the access token that sent each. */
  posts: { id: string; text: string; accessToken: string }[];
  /** Access tokens X would still take. */
  liveAccessTokens(): string[];
  /** Refresh tokens X has issued and not yet seen used. */
  liveRefreshTokens(): string[];
  /** Makes every access token issued so far answer 401 (as an expired or revoked one does). */
  revokeAccessTokens(): void;
  /** The next token request(s) get this fault instead of the normal answer. */
  failNextToken(fault: TokenFault, times?: number): void;
  /** Token answers wait until the returned function is called; `waiting()` counts held requests. */
  holdTokenAnswers(): { release(): void; waiting(): number };
  /** Registers another app. */
  addApp(app: FakeApp): void;
  close(): Promise<void>;
}

export interface FakeXOAuthOptions {
  /** The redirect URI both default apps register (default http://127.0.0.1:8917/oauth2/callback). */
  redirectUri?: string;
  /** Expires access tokens on this clock too, when given. */
  clock?: Clock;
}

const token = (prefix: string): string => `${prefix}-${randomBytes(24).toString('base64url')}`;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startFakeXOAuth(options: FakeXOAuthOptions = {}): Promise<FakeXOAuth> {
  const tls = await testTls();
  const redirectUri = options.redirectUri ?? 'http://127.0.0.1:8917/oauth2/callback';
  const apps = new Map<string, FakeApp>();
  const confidentialApp: FakeApp = { clientId: 'fake-confidential-client-id-1f2e', clientSecret: 'fake-client-secret-9b8a7c6d', redirectUris: [redirectUri] };
  const publicApp: FakeApp = { clientId: 'fake-public-client-id-3d4c', clientSecret: null, redirectUris: [redirectUri] };
  apps.set(confidentialApp.clientId, confidentialApp);
  apps.set(publicApp.clientId, publicApp);

  const codes = new Map<string, IssuedCode>();
  const refreshTokens = new Map<string, RefreshRecord>();
  const accessTokens = new Map<string, { expiresAt: number | null; revoked: boolean; username: string }>();
  const faults: TokenFault[] = [];
  let held: { waiters: Array<() => void> } | null = null;
  const sockets = new Set<Socket>();

  const json = (res: ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  const issue = (app: FakeApp, scopes: string[]): Record<string, unknown> => {
    const access = token('fake-access');
    accessTokens.set(access, { expiresAt: options.clock ? options.clock.now() + fake.expiresIn * 1000 : null, revoked: false, username: app.username ?? 'crier_test' });
    const answer: Record<string, unknown> = { token_type: 'bearer', expires_in: fake.expiresIn, access_token: access, scope: scopes.join(' ') };
    if (scopes.includes('offline.access')) {
      const refresh = token('fake-refresh');
      refreshTokens.set(refresh, { app, scopes, used: false });
      answer.refresh_token = refresh;
    }
    return answer;
  };

  function authorize(url: URL, res: ServerResponse): void {
    const q = url.searchParams;
    const app = apps.get(q.get('client_id') ?? '');
    const redirect = q.get('redirect_uri') ?? '';
    // Like X: a bad client or redirect URI is shown on X's page, never sent to the redirect URI.
    if (!app) return void json(res, 400, { error: 'invalid_request', error_description: 'unknown client_id' });
    if (!app.redirectUris.includes(redirect)) return void json(res, 400, { error: 'invalid_request', error_description: 'redirect_uri does not match the registered callback' });
    const back = new URL(redirect);
    const state = q.get('state');
    if (state !== null) back.searchParams.set('state', state);
    const scopes = (q.get('scope') ?? '').split(' ').filter(Boolean);
    const challenge = q.get('code_challenge') ?? '';
    const problem =
      q.get('response_type') !== 'code' ? 'response_type must be code'
        : (q.get('code_challenge_method') ?? '').toUpperCase() !== 'S256' ? 'code_challenge_method must be S256'
          : !/^[A-Za-z0-9_-]{43}$/.test(challenge) ? 'code_challenge is not an S256 challenge'
            : !state ? 'state is missing'
              : REQUIRED_SCOPES.some((s) => !scopes.includes(s)) ? `scope must include ${REQUIRED_SCOPES.join(' ')}`
                : null;
    if (problem) {
      back.searchParams.set('error', 'invalid_request');
      back.searchParams.set('error_description', problem);
    } else if (fake.consent === 'deny') {
      back.searchParams.set('error', 'access_denied');
    } else {
      const code = token('fake-code');
      codes.set(code, { app, redirectUri: redirect, challenge, scopes, used: false });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { location: back.toString() });
    res.end();
  }

  async function tokenEndpoint(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const contentType = req.headers['content-type'] ?? null;
    const form = new URLSearchParams(body);
    const record: TokenRequestRecord = {
      grantType: form.get('grant_type'),
      clientId: form.get('client_id'),
      basicAuth: /^Basic /i.test(req.headers.authorization ?? ''),
      contentType,
      status: 0,
    };
    fake.tokenRequests.push(record);
    const answer = (status: number, payload: unknown): void => {
      record.status = status;
      const send = (): void => json(res, status, payload);
      if (held) held.waiters.push(send);
      else send();
    };
    const fault = faults.shift();
    if (fault?.type === 'status') return answer(fault.status, fault.body ?? { title: 'Service Unavailable', status: fault.status });

    if (!contentType?.startsWith('application/x-www-form-urlencoded')) return answer(400, { error: 'invalid_request', error_description: 'Content-Type must be application/x-www-form-urlencoded' });
    const app = authenticate(req, form);
    if (!app) return answer(401, X_MISSING_AUTH);

    const spend = (): void => {
      if (fault?.type === 'drop-after-spend') {
        record.status = -1;
        req.socket.destroy();
      }
    };
    if (form.get('grant_type') === 'authorization_code') {
      const code = codes.get(form.get('code') ?? '');
      if (!code || code.used || code.app !== app) return answer(400, X_INVALID_CODE);
      code.used = true;
      if (form.get('redirect_uri') !== code.redirectUri) return answer(400, { error: 'invalid_request', error_description: 'redirect_uri does not match' });
      const verifier = form.get('code_verifier') ?? '';
      if (createHash('sha256').update(verifier, 'ascii').digest('base64url') !== code.challenge) {
        return answer(400, { error: 'invalid_request', error_description: 'code_verifier does not match the code_challenge' });
      }
      const granted = issue(app, code.scopes);
      if (fault?.type === 'drop-after-spend') return spend();
      return answer(200, granted);
    }
    if (form.get('grant_type') === 'refresh_token') {
      const presented = form.get('refresh_token') ?? '';
      const refresh = refreshTokens.get(presented);
      if (!refresh || refresh.used || refresh.app !== app) return answer(400, X_INVALID_TOKEN);
      refresh.used = true;
      const granted = issue(app, refresh.scopes);
      if (fault?.type === 'drop-after-spend') return spend();
      return answer(200, granted);
    }
    return answer(400, { error: 'unsupported_grant_type', error_description: 'grant_type not supported' });
  }

  /** The app a token request authenticates as, or null (X: 401 unauthorized_client). */
  function authenticate(req: IncomingMessage, form: URLSearchParams): FakeApp | null {
    const header = req.headers.authorization ?? '';
    if (/^Basic /i.test(header)) {
      const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const app = apps.get(decoded.slice(0, colon));
      if (!app || app.clientSecret === null || decoded.slice(colon + 1) !== app.clientSecret) return null;
      const bodyId = form.get('client_id');
      return bodyId === null || bodyId === app.clientId ? app : null;
    }
    const app = apps.get(form.get('client_id') ?? '');
    // A confidential app must authenticate; a secret in the body is not how X takes it.
    return app && app.clientSecret === null && !form.has('client_secret') ? app : null;
  }

  function usersMe(req: IncomingMessage, res: ServerResponse): void {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const known = accessTokens.get(bearer);
    const live = known && !known.revoked && (known.expiresAt === null || !options.clock || options.clock.now() < known.expiresAt);
    if (!live) return void json(res, 401, { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
    json(res, 200, { data: { id: '2244994945', name: 'Crier Test', username: known.username } });
  }

  async function tweet(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const known = accessTokens.get(bearer);
    const live = known && !known.revoked && (known.expiresAt === null || !options.clock || options.clock.now() < known.expiresAt);
    if (!live) return void json(res, 401, { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
    let text: unknown;
    try {
      text = (JSON.parse(body) as { text?: unknown }).text;
    } catch {
      text = undefined;
    }
    if (typeof text !== 'string') return void json(res, 400, { title: 'Invalid Request', status: 400, detail: 'text is required' });
    const id = String(1_800_000_000_000_000_000n + BigInt(fake.posts.length + 1));
    fake.posts.push({ id, text, accessToken: bearer });
    json(res, 201, { data: { id, text } });
  }

  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/i/oauth2/authorize') return authorize(url, res);
    if (req.method === 'POST' && url.pathname === '/2/oauth2/token') {
      tokenEndpoint(req, res).catch(() => { res.destroy(); });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/2/users/me') return usersMe(req, res);
    if (req.method === 'POST' && url.pathname === '/2/tweets') {
      tweet(req, res).catch(() => { res.destroy(); });
      return;
    }
    json(res, 404, { title: 'Not Found', status: 404 });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake X OAuth: no port');
  const url = `https://127.0.0.1:${address.port}`;
  const agent = new Agent({ ca: tls.cert, keepAlive: false });

  const fake: FakeXOAuth = {
    url,
    authorizeUrl: `${url}/i/oauth2/authorize`,
    caPem: tls.cert,
    agent,
    confidentialApp,
    publicApp,
    consent: 'approve',
    expiresIn: 7200,
    tokenRequests: [],
    posts: [],
    liveAccessTokens: () => [...accessTokens].filter(([, t]) => !t.revoked).map(([k]) => k),
    liveRefreshTokens: () => [...refreshTokens].filter(([, r]) => !r.used).map(([k]) => k),
    revokeAccessTokens() {
      for (const t of accessTokens.values()) t.revoked = true;
    },
    failNextToken(fault, times = 1) {
      for (let i = 0; i < times; i++) faults.push(fault);
    },
    holdTokenAnswers() {
      const gate = { waiters: [] as Array<() => void> };
      held = gate;
      return {
        release() {
          if (held === gate) held = null;
          for (const send of gate.waiters.splice(0)) send();
        },
        waiting: () => gate.waiters.length,
      };
    },
    addApp(app) {
      apps.set(app.clientId, app);
    },
    async close() {
      agent.destroy();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

/**
 * Plays the browser on the authorize page: GETs the URL (trusting the fake) and answers where
 * the page redirects to. Throws when the page does not redirect (X shows its own error page).
 */
export function visitAuthorizePage(authorizeUrl: string, agent: Agent): Promise<URL> {
  return new Promise((resolve, reject) => {
    const req = request(authorizeUrl, { agent }, (res) => {
      res.resume();
      const location = res.headers.location;
      if (res.statusCode === 302 && location) resolve(new URL(location));
      else reject(new Error(`the authorize page answered ${res.statusCode ?? 0} without a redirect`));
    });
    req.on('error', reject);
    req.end();
  });
}

/** GET /2/users/me with a bearer token: the status X gave. */
export function usersMeStatus(apiBase: string, accessToken: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${apiBase}/2/users/me`, { agent, headers: { authorization: `Bearer ${accessToken}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}
