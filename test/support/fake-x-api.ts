// A fake of the X API v2 over real HTTPS on 127.0.0.1, strict where Crier could go wrong:
// it verifies every OAuth 1.0a signature (so a URL rewritten after signing fails), answers
// duplicates with X's real 403 body, sends rate-limit headers, and injects the failures the
// queue must survive — 429, 5xx, 401, 402, 400, a hang, and a connection dropped after the
// post was recorded. GET /2/users/:id/tweets reads the posts back as X shows them (t.co links,
// escaped text) and counts what a read would be billed.
//
// In-process: `const x = await startFakeXApi()`; trust `x.caPem` through an https.Agent.
// A child process under test can reach an in-process fake too: write `caPem` to a file and
// set NODE_EXTRA_CA_CERTS to it in the child's environment.
// As its own process: `await bundleFakeXApi(file)` (esbuild), then `node file`. It prints one
// JSON line `{ url, caPem, credentials }` and serves unsigned control routes:
// GET /__fake/posts, GET /__fake/requests, POST /__fake/inject {fault, times?, path?, method?}
// (times: a number or "all"), POST /__fake/reset. SIGTERM closes it.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { XCredentials } from '../../main/core/x/types';
import { testTls } from './tls';

export const DUPLICATE_DETAIL = 'You are not allowed to create a Tweet with duplicate content.';

export const FAKE_CREDENTIALS: XCredentials = {
  appKey: 'fake-consumer-key-7f3a',
  appSecret: 'fake-consumer-secret-c91d',
  accessToken: '1234567890-fake-access-token-55be',
  accessSecret: 'fake-access-secret-e02f',
};

export type Fault =
  /**
   * 429; resets in epoch seconds (a number, or any header text). `userResetAt` adds exhausted
   * x-user-limit-24hour-* headers, `appResetAt` exhausted x-app-limit-24hour-* ones, and
   * `retryAfter` a retry-after header as given.
   */
  | { type: 'rate-limit'; resetAt: number | string; userResetAt?: number; appResetAt?: number; retryAfter?: string }
  /** 200 with X's `errors` array and no data (nothing recorded). */
  | { type: 'ok-with-errors'; message: string }
  /** POST /2/tweets: record the post, then answer 201 with a body that is not JSON. */
  | { type: 'unreadable-after-record' }
  /** Any status with an X-shaped problem body; `detail` overrides the default text. */
  | { type: 'status'; status: number; detail?: string }
  /** Never answers; the socket stays open until the client gives up or the fake closes. */
  | { type: 'hang' }
  /** POST /2/tweets: record the post, then destroy the socket without answering. */
  | { type: 'drop-after-record' }
  /** POST /2/tweets: record the post, then never answer (the client is killed mid-request). */
  | { type: 'hang-after-record' };

export interface InjectOptions {
  /** How many matching requests get the fault (default 1; Infinity for all). */
  times?: number;
  /** Only requests to this path (exact) or matching this pattern. */
  path?: string | RegExp;
  method?: string;
  when?: (request: FakeRequest) => boolean;
}

export interface FakeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Whether the OAuth 1.0a signature verified. */
  signed: boolean;
  /** The status answered, or null for a hang or a dropped connection. */
  status: number | null;
  at: number;
}

export interface FakePost {
  id: string;
  text: string;
  mediaIds: string[];
  at: number;
}

export interface FakeMedia {
  id: string;
  mediaType: string;
  totalBytes: number;
  received: number;
  bytes: Buffer;
  finalized: boolean;
}

export interface FakeXApi {
  /** https://127.0.0.1:PORT — the value for CRIER_X_API_BASE. */
  url: string;
  /** The account's user id, as /2/users/me gives it. */
  userId: string;
  /** Posts returned by timeline reads: what X would bill ($0.005 each). */
  postsRead: number;
  /** The certificate to trust (it is its own CA). */
  caPem: string;
  credentials: XCredentials;
  handle: string;
  posts: FakePost[];
  requests: FakeRequest[];
  media: Map<string, FakeMedia>;
  inject(fault: Fault, options?: InjectOptions): void;
  /** Records a post as if it had been made `at` (epoch ms), e.g. from the web, before a test starts. */
  addPost(text: string, at: number, mediaIds?: string[]): FakePost;
  /** Forgets posts, requests, media, reads and pending faults. */
  reset(): void;
  close(): Promise<void>;
}

export interface FakeXApiOptions {
  credentials?: XCredentials;
  handle?: string;
  /** Epoch ms; drives the rate-limit headers. */
  now?: () => number;
  /** Requests allowed per path per 15-minute window before a natural 429 (default 300). */
  rateLimit?: number;
  /** Serve the unsigned /__fake/* control routes (default false; the standalone main turns it on). */
  controlRoutes?: boolean;
  /** Runs after a post is recorded and before its 201 is sent (e.g. to stop the client first). */
  beforePostAnswer?: (post: FakePost) => Promise<void> | void;
  /**
   * 24-hour limits sent as x-user-limit-24hour-* / x-app-limit-24hour-* on every answer to
   * POST /2/tweets (each such request counts one), as X does; absent: not sent.
   */
  dayLimits?: { user?: number; app?: number };
}

interface Injection {
  fault: Fault;
  remaining: number;
  matches(request: FakeRequest): boolean;
}

const WINDOW_SECONDS = 15 * 60;
const USER_ID = '2244994945';

export async function startFakeXApi(options: FakeXApiOptions = {}): Promise<FakeXApi> {
  const credentials = options.credentials ?? FAKE_CREDENTIALS;
  const handle = options.handle ?? 'crier_test';
  const now = options.now ?? Date.now;
  const limit = options.rateLimit ?? 300;
  const tls = await testTls();

  const posts: FakePost[] = [];
  const requests: FakeRequest[] = [];
  const media = new Map<string, FakeMedia>();
  let injections: Injection[] = [];
  const windows = new Map<string, { start: number; count: number }>();
  const sockets = new Set<Socket>();
  let nextId = 1_900_000_000_000_000_000n;

  const newId = (): string => String(nextId++);
  let readsBilled = 0;

  function takeFault(request: FakeRequest): Fault | null {
    const injection = injections.find((i) => i.remaining > 0 && i.matches(request));
    if (!injection) return null;
    injection.remaining -= 1;
    injections = injections.filter((i) => i.remaining > 0);
    return injection.fault;
  }

  const days = new Map<'user' | 'app', { start: number; count: number }>();
  function dayHeaders(nowSec: number): Record<string, string> {
    const out: Record<string, string> = {};
    for (const scope of ['user', 'app'] as const) {
      const dayLimit = options.dayLimits?.[scope];
      if (dayLimit === undefined) continue;
      let day = days.get(scope);
      if (!day || nowSec >= day.start + 86_400) {
        day = { start: nowSec, count: 0 };
        days.set(scope, day);
      }
      day.count += 1;
      out[`x-${scope}-limit-24hour-limit`] = String(dayLimit);
      out[`x-${scope}-limit-24hour-remaining`] = String(Math.max(0, dayLimit - day.count));
      out[`x-${scope}-limit-24hour-reset`] = String(day.start + 86_400);
    }
    return out;
  }

  function rateHeaders(path: string, method = 'GET'): { headers: Record<string, string>; exhausted: boolean } {
    const key = path.replace(/\/\d+\//, '/:id/');
    const nowSec = Math.floor(now() / 1000);
    let window = windows.get(key);
    if (!window || nowSec >= window.start + WINDOW_SECONDS) {
      window = { start: nowSec, count: 0 };
      windows.set(key, window);
    }
    window.count += 1;
    return {
      exhausted: window.count > limit,
      headers: {
        'x-rate-limit-limit': String(limit),
        'x-rate-limit-remaining': String(Math.max(0, limit - window.count)),
        'x-rate-limit-reset': String(window.start + WINDOW_SECONDS),
        ...(method === 'POST' && path === '/2/tweets' ? dayHeaders(nowSec) : {}),
      },
    };
  }

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `https://${req.headers.host ?? '127.0.0.1'}`);
    const method = (req.method ?? 'GET').toUpperCase();
    const body = await readBody(req);
    const query = Object.fromEntries(url.searchParams);

    if (options.controlRoutes && url.pathname.startsWith('/__fake/')) {
      control(method, url.pathname, body, res);
      return;
    }

    const signed = verifyOAuth1({ method, url, headers: req.headers, body, credentials });
    const record: FakeRequest = { method, path: url.pathname, query, signed, status: null, at: now() };
    requests.push(record);

    const send = (status: number, payload: unknown, extra: Record<string, string> = {}): void => {
      record.status = status;
      const type = status >= 400 ? 'application/problem+json' : 'application/json; charset=utf-8';
      res.writeHead(status, { 'content-type': type, ...extra });
      res.end(JSON.stringify(payload));
    };

    if (!signed) {
      send(401, problem(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    const rate = rateHeaders(url.pathname, method);
    const fault = takeFault(record);
    if (fault?.type === 'hang') return;
    if (fault?.type === 'rate-limit' || (!fault && rate.exhausted)) {
      const headers: Record<string, string> = { ...rate.headers, 'x-rate-limit-remaining': '0' };
      if (fault?.type === 'rate-limit') {
        headers['x-rate-limit-reset'] = String(fault.resetAt);
        for (const [scope, at] of [['user', fault.userResetAt], ['app', fault.appResetAt]] as const) {
          if (at === undefined) continue;
          Object.assign(headers, {
            [`x-${scope}-limit-24hour-limit`]: '17',
            [`x-${scope}-limit-24hour-remaining`]: '0',
            [`x-${scope}-limit-24hour-reset`]: String(at),
          });
        }
        if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
      }
      send(429, problem(429, 'Too Many Requests', 'Too Many Requests'), headers);
      return;
    }
    if (fault?.type === 'status') {
      send(fault.status, faultBody(fault.status, fault.detail), rate.headers);
      return;
    }
    if (fault?.type === 'ok-with-errors') {
      send(200, { errors: [{ message: fault.message }] }, rate.headers);
      return;
    }
    const dropAfterRecord = fault?.type === 'drop-after-record';
    const hangAfterRecord = fault?.type === 'hang-after-record';
    const unreadableAfterRecord = fault?.type === 'unreadable-after-record';
    if ((dropAfterRecord || hangAfterRecord || unreadableAfterRecord) && !(method === 'POST' && url.pathname === '/2/tweets')) {
      req.socket.destroy();
      return;
    }

    const route = `${method} ${url.pathname}`;
    if (route === 'GET /2/users/me') {
      send(200, { data: { id: USER_ID, name: 'Crier Test', username: handle } }, rate.headers);
      return;
    }
    const timeline = /^\/2\/users\/([^/]+)\/tweets$/.exec(url.pathname);
    if (method === 'GET' && timeline) {
      const answered = timelineAnswer(timeline[1] ?? '', query);
      send(answered.status, answered.body, rate.headers);
      return;
    }
    if (route === 'POST /2/tweets') {
      const parsed = parseJson(body);
      const text = isRecord(parsed) && typeof parsed.text === 'string' ? parsed.text : null;
      const mediaField = isRecord(parsed) && isRecord(parsed.media) ? parsed.media.media_ids : undefined;
      const mediaIds = Array.isArray(mediaField) ? mediaField.map(String) : [];
      const unknownMedia = mediaIds.find((id) => !media.get(id)?.finalized);
      if (text === null || (text === '' && mediaIds.length === 0)) {
        send(400, invalidRequest('The `text` field is missing or empty.'), rate.headers);
        return;
      }
      if (unknownMedia !== undefined) {
        send(400, invalidRequest(`Your media IDs are invalid: ${unknownMedia}`), rate.headers);
        return;
      }
      if (posts.some((p) => p.text === text)) {
        send(403, { detail: DUPLICATE_DETAIL, type: 'about:blank', title: 'Forbidden', status: 403 }, rate.headers);
        return;
      }
      const post = { id: newId(), text, mediaIds, at: now() };
      posts.push(post);
      if (dropAfterRecord) {
        req.socket.destroy();
        return;
      }
      if (hangAfterRecord) return;
      if (unreadableAfterRecord) {
        record.status = 201;
        res.writeHead(201, { 'content-type': 'application/json; charset=utf-8', ...rate.headers });
        res.end('<html>Service temporarily rewritten</html>');
        return;
      }
      const answer = (): void => send(201, { data: { id: post.id, text, edit_history_tweet_ids: [post.id] } }, rate.headers);
      if (options.beforePostAnswer) void Promise.resolve(options.beforePostAnswer(post)).then(answer, answer);
      else answer();
      return;
    }
    const deleting = /^\/2\/tweets\/([^/]+)$/.exec(url.pathname);
    if (method === 'DELETE' && deleting) {
      // X answers { data: { deleted: true } }; a post that is not there is a resource-not-found problem.
      const at = posts.findIndex((p) => p.id === deleting[1]);
      if (at === -1) {
        send(404, { title: 'Not Found Error', type: 'https://api.twitter.com/2/problems/resource-not-found', detail: `Could not find tweet with id: [${deleting[1] ?? ''}].`, status: 404 }, rate.headers);
        return;
      }
      posts.splice(at, 1);
      send(200, { data: { deleted: true } }, rate.headers);
      return;
    }
    if (route === 'POST /2/media/upload/initialize') {
      const parsed = parseJson(body);
      const mediaType = isRecord(parsed) && typeof parsed.media_type === 'string' ? parsed.media_type : '';
      const totalBytes = isRecord(parsed) && typeof parsed.total_bytes === 'number' ? parsed.total_bytes : -1;
      if (!mediaType.startsWith('image/') || totalBytes <= 0 || totalBytes > 5 * 1024 * 1024) {
        send(400, invalidRequest('media_type must be an image type and total_bytes between 1 and 5 MB.'), rate.headers);
        return;
      }
      const id = newId();
      media.set(id, { id, mediaType, totalBytes, received: 0, bytes: Buffer.alloc(0), finalized: false });
      send(200, { data: { id, media_key: `3_${id}`, expires_after_secs: 86_400 } }, rate.headers);
      return;
    }
    const append = /^\/2\/media\/upload\/(\d+)\/append$/.exec(url.pathname);
    if (method === 'POST' && append) {
      const item = media.get(append[1] ?? '');
      const chunk = parseMultipart(req.headers['content-type'], body)?.get('media');
      if (!item || item.finalized || !chunk) {
        send(400, invalidRequest('Unknown media id or missing media segment.'), rate.headers);
        return;
      }
      item.received += chunk.length;
      item.bytes = Buffer.concat([item.bytes, chunk]);
      send(200, { data: { expires_at: Math.floor(now() / 1000) + 86_400 } }, rate.headers);
      return;
    }
    const finalize = /^\/2\/media\/upload\/(\d+)\/finalize$/.exec(url.pathname);
    if (method === 'POST' && finalize) {
      const item = media.get(finalize[1] ?? '');
      if (!item || item.received !== item.totalBytes) {
        send(400, invalidRequest('The media was not fully uploaded.'), rate.headers);
        return;
      }
      item.finalized = true;
      send(200, { data: { id: item.id, media_key: `3_${item.id}`, size: item.totalBytes, expires_after_secs: 86_400 } }, rate.headers);
      return;
    }
    if (route === 'GET /2/media/upload') {
      const item = media.get(query.media_id ?? '');
      if (!item) {
        send(400, invalidRequest('Unknown media id.'), rate.headers);
        return;
      }
      send(200, { data: { id: item.id, processing_info: { state: item.finalized ? 'succeeded' : 'pending' } } }, rate.headers);
      return;
    }
    send(404, problem(404, 'Not Found Error', `No route for ${route}`), rate.headers);
  }

  /**
   * GET /2/users/:id/tweets as X answers it: newest first, within [start_time, end_time), at most
   * max_results (5..100), the text with t.co links (the originals only in entities.urls, and only
   * when tweet.fields asks for entities) and &, <, > escaped. Each post returned is a billed read.
   */
  function timelineAnswer(userId: string, query: Record<string, string>): { status: number; body: unknown } {
    const max = Number(query.max_results ?? '10');
    if (!Number.isInteger(max) || max < 5 || max > 100) {
      return { status: 400, body: invalidRequest(`The \`max_results\` query parameter value [${query.max_results}] is not between 5 and 100`) };
    }
    const times: Record<string, number> = {};
    for (const key of ['start_time', 'end_time'] as const) {
      const value = query[key];
      if (value === undefined) continue;
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/.test(value)) {
        return { status: 400, body: invalidRequest(`Invalid '${key}':'${value}'. '${key}' must be a valid RFC3339 date.`) };
      }
      times[key] = Date.parse(value);
    }
    if (userId !== USER_ID) {
      return { status: 200, body: { errors: [{ value: userId, detail: `Could not find user with id: [${userId}].`, title: 'Not Found Error', resource_type: 'user', parameter: 'id', type: 'https://api.twitter.com/2/problems/resource-not-found' }] } };
    }
    const fields = new Set((query['tweet.fields'] ?? '').split(',').filter(Boolean));
    const matching = posts
      .filter((p) => (times.start_time === undefined || p.at >= times.start_time) && (times.end_time === undefined || p.at < times.end_time))
      .sort((a, b) => b.at - a.at)
      .slice(0, max);
    readsBilled += matching.length;
    if (matching.length === 0) return { status: 200, body: { meta: { result_count: 0 } } };
    const data = matching.map((p) => {
      const shown = asX(p);
      return {
        id: p.id,
        text: shown.text,
        edit_history_tweet_ids: [p.id],
        ...(fields.has('created_at') ? { created_at: new Date(p.at).toISOString() } : {}),
        ...(fields.has('entities') && shown.urls.length > 0 ? { entities: { urls: shown.urls } } : {}),
      };
    });
    return { status: 200, body: { data, meta: { result_count: data.length, newest_id: data[0]?.id, oldest_id: data[data.length - 1]?.id } } };
  }

  function control(method: string, path: string, body: Buffer, res: ServerResponse): void {
    const reply = (status: number, payload: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    if (method === 'GET' && path === '/__fake/posts') return reply(200, posts);
    if (method === 'GET' && path === '/__fake/requests') return reply(200, requests);
    if (method === 'POST' && path === '/__fake/reset') {
      api.reset();
      return reply(200, { ok: true });
    }
    if (method === 'POST' && path === '/__fake/inject') {
      const parsed = parseJson(body);
      if (!isRecord(parsed) || !isRecord(parsed.fault)) return reply(400, { error: 'expected {fault, times?, path?, method?}' });
      api.inject(parsed.fault as Fault, {
        times: typeof parsed.times === 'number' ? parsed.times : parsed.times === 'all' ? Infinity : 1,
        ...(typeof parsed.path === 'string' ? { path: parsed.path } : {}),
        ...(typeof parsed.method === 'string' ? { method: parsed.method } : {}),
      });
      return reply(200, { ok: true });
    }
    reply(404, { error: 'unknown control route' });
  }

  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    answer(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify(problem(500, 'Internal Error', err instanceof Error ? err.message : String(err))));
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const api: FakeXApi = {
    url: `https://127.0.0.1:${port}`,
    userId: USER_ID,
    get postsRead() { return readsBilled; },
    caPem: tls.cert,
    credentials,
    handle,
    posts,
    requests,
    media,
    inject(fault, injectOptions = {}) {
      const { times = 1, path, method, when } = injectOptions;
      injections.push({
        fault,
        remaining: times,
        matches: (r) =>
          (path === undefined || (typeof path === 'string' ? r.path === path : path.test(r.path))) &&
          (method === undefined || r.method === method.toUpperCase()) &&
          (when === undefined || when(r)),
      });
    },
    addPost(text, at, mediaIds = []) {
      const post = { id: newId(), text, mediaIds, at };
      posts.push(post);
      return post;
    },
    reset() {
      posts.length = 0;
      requests.length = 0;
      media.clear();
      injections = [];
      windows.clear();
      days.clear();
      readsBilled = 0;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return api;
}

// --- OAuth 1.0a (RFC 5849) verification ---

/** RFC 3986 percent-encoding, as OAuth 1.0a requires (encodeURIComponent leaves !*'() alone). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!*'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function parseAuthorization(header: string | undefined): Map<string, string> | null {
  if (!header?.startsWith('OAuth ')) return null;
  const params = new Map<string, string>();
  for (const part of header.slice(6).split(',')) {
    const match = /^\s*([^=\s]+)="([^"]*)"\s*$/.exec(part);
    if (!match) return null;
    params.set(decodeURIComponent(match[1] ?? ''), decodeURIComponent(match[2] ?? ''));
  }
  return params;
}

/** Checks the HMAC-SHA1 signature over method, base URL, query, form body and oauth_* params. */
export function verifyOAuth1(input: {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: Buffer;
  credentials: XCredentials;
}): boolean {
  const oauth = parseAuthorization(input.headers.authorization);
  if (!oauth) return false;
  if (oauth.get('oauth_consumer_key') !== input.credentials.appKey) return false;
  if (oauth.get('oauth_token') !== input.credentials.accessToken) return false;
  if (oauth.get('oauth_signature_method') !== 'HMAC-SHA1') return false;
  const given = oauth.get('oauth_signature');
  if (!given || !oauth.get('oauth_nonce') || !oauth.get('oauth_timestamp')) return false;

  const params: [string, string][] = [];
  for (const [key, value] of oauth) if (key !== 'oauth_signature' && key !== 'realm') params.push([key, value]);
  for (const [key, value] of input.url.searchParams) params.push([key, value]);
  // Only a form-encoded body is signed; JSON and multipart bodies are not (RFC 5849 §3.4.1.3.1).
  const contentType = String(input.headers['content-type'] ?? '');
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(input.body.toString('utf8'))) params.push([key, value]);
  }
  const normalized = params
    .map(([k, v]) => [percentEncode(k), percentEncode(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : av > bv ? 1 : 0) : ak < bk ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  // The base URL keeps a non-default port: a request signed for api.x.com cannot pass here.
  const baseUrl = `${input.url.protocol}//${input.url.host}${input.url.pathname}`.toLowerCase().replace(/:443(?=\/)/, '');
  const base = [input.method.toUpperCase(), percentEncode(baseUrl), percentEncode(normalized)].join('&');
  const key = `${percentEncode(input.credentials.appSecret)}&${percentEncode(input.credentials.accessSecret)}`;
  const expected = createHmac('sha1', key).update(base).digest();
  const actual = Buffer.from(given, 'base64');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

// --- bodies ---

interface ShownUrl { start: number; end: number; url: string; expanded_url: string; display_url: string; media_key?: string }

/** A t.co link that stays the same for the same target, as X's do within a post. */
function tco(target: string): string {
  return `https://t.co/${createHmac('sha1', 't.co').update(target).digest('base64url').slice(0, 10)}`;
}

/**
 * A post's text as X's timeline shows it: each link as t.co, a t.co link for attached media at
 * the end, &, < and > as HTML entities; `urls` index the shown text (in code points, as X's do).
 */
export function asX(post: Pick<FakePost, 'id' | 'text' | 'mediaIds'>): { text: string; urls: ShownUrl[] } {
  const urls: ShownUrl[] = [];
  let text = '';
  let last = 0;
  const escape = (part: string): string => part.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const place = (short: string, expanded: string, display: string, mediaKey?: string): void => {
    const start = [...text].length;
    text += short;
    urls.push({ start, end: start + [...short].length, url: short, expanded_url: expanded, display_url: display, ...(mediaKey ? { media_key: mediaKey } : {}) });
  };
  for (const match of post.text.matchAll(/https?:\/\/[^\s]+/g)) {
    text += escape(post.text.slice(last, match.index));
    const target = match[0];
    place(tco(target), target, target.replace(/^https?:\/\//, '').slice(0, 26));
    last = match.index + target.length;
  }
  text += escape(post.text.slice(last));
  for (const [i, mediaId] of post.mediaIds.entries()) {
    if (i > 0) continue; // X shows one link for all of a post's media
    text += ' ';
    const page = `https://x.com/crier_test/status/${post.id}/photo/1`;
    place(tco(page), page, `pic.x.com/${mediaId.slice(-6)}`, `3_${mediaId}`);
  }
  return { text, urls };
}

function problem(status: number, title: string, detail: string): Record<string, unknown> {
  return { title, detail, type: 'about:blank', status };
}

function invalidRequest(message: string): Record<string, unknown> {
  return {
    errors: [{ message }],
    title: 'Invalid Request',
    detail: 'One or more parameters to your request was invalid.',
    type: 'https://api.twitter.com/2/problems/invalid-request',
  };
}

function faultBody(status: number, detail?: string): Record<string, unknown> {
  if (status === 400) return detail ? { ...invalidRequest(detail), detail } : invalidRequest('Invalid request.');
  if (status === 401) return problem(401, 'Unauthorized', detail ?? 'Unauthorized');
  if (status === 402) {
    return {
      title: 'CreditsDepleted',
      detail: detail ?? 'Your enrolled account does not have any credits to fulfill this request.',
      type: 'https://api.twitter.com/2/problems/credits',
    };
  }
  if (status === 403) return problem(403, 'Forbidden', detail ?? 'You are not permitted to perform this action.');
  if (status >= 500) return problem(status, 'Service Unavailable', detail ?? 'Service Unavailable');
  return problem(status, 'Error', detail ?? `HTTP ${status}`);
}

// --- plumbing ---

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
}

/**
 * The fields of a multipart body as raw bytes. Hand-rolled because twitter-api-v2 sends the
 * media part without a filename, which WHATWG FormData parsing decodes as (corrupted) text.
 */
function parseMultipart(contentType: string | undefined, body: Buffer): Map<string, Buffer> | null {
  const boundary = /^multipart\/form-data;.*boundary=("?)([^";]+)\1/i.exec(contentType ?? '')?.[2];
  if (!boundary) return null;
  const fields = new Map<string, Buffer>();
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) return null;
    const part = body.subarray(partStart + 2, next - 2); // drop the CRLF after the delimiter and before the next
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd === -1) return null;
    const name = /name="([^"]*)"/.exec(part.subarray(0, headerEnd).toString('utf8'))?.[1];
    if (name !== undefined) fields.set(name, Buffer.from(part.subarray(headerEnd + 4)));
    start = next;
  }
  return fields;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Bundles this module into one runnable ESM file (its `main` runs when the file is the entry). */
/**
 * The environment a child process (`crier serve`) needs to post to this fake: its API base,
 * the credentials it accepts, and its certificate trusted through NODE_EXTRA_CA_CERTS (written
 * into `dir`, since Node reads that variable only from a file, at start).
 */
export function childEnvFor(fake: Pick<FakeXApi, 'url' | 'caPem' | 'credentials'>, dir: string): Record<string, string> {
  const caFile = join(dir, 'fake-x-ca.pem');
  writeFileSync(caFile, fake.caPem);
  return {
    NODE_EXTRA_CA_CERTS: caFile,
    CRIER_X_API_BASE: fake.url,
    CRIER_X_APP_KEY: fake.credentials.appKey,
    CRIER_X_APP_SECRET: fake.credentials.appSecret,
    CRIER_X_ACCESS_TOKEN: fake.credentials.accessToken,
    CRIER_X_ACCESS_SECRET: fake.credentials.accessSecret,
  };
}

export async function bundleFakeXApi(outfile: string): Promise<string> {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [fileURLToPath(import.meta.url)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    external: ['esbuild'],
    logLevel: 'warning',
    // Bundled CommonJS dependencies (selfsigned) still call require() for Node built-ins.
    banner: { js: "import { createRequire as __crierCreateRequire } from 'node:module'; const require = __crierCreateRequire(import.meta.url);" },
  });
  return outfile;
}

/** Standalone entry: prints `{ url, caPem, credentials }` as one JSON line, serves control routes. */
export async function main(): Promise<void> {
  const fake = await startFakeXApi({ controlRoutes: true });
  process.stdout.write(`${JSON.stringify({ url: fake.url, caPem: fake.caPem, credentials: fake.credentials })}\n`);
  const stop = (): void => void fake.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
