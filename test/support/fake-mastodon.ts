// A fake Mastodon instance on 127.0.0.1, strict where Crier could go wrong: every API route checks
// the Bearer token, POST /api/v1/statuses honours Idempotency-Key as PostStatusService does (the
// same key within the window answers the first status, no second one), statuses keep their source
// text apart from their HTML content (so only /api/v1/statuses/:id/source gives the text back),
// images answer 202 and process for a configurable number of polls, and the failures the queue must
// survive can be injected: 429 with an ISO 8601 X-RateLimit-Reset, any status with Mastodon's
// `{"error": …}` body (or another content type), a hang, and an answer dropped or withheld after the
// status was recorded.
//
// Plain HTTP by default (Node's fetch takes no CA per request; the client allows loopback http in
// tests); `tls: true` serves HTTPS with test/support/tls.ts's certificate, for a child process that
// trusts it through NODE_EXTRA_CA_CERTS or a test that adds it to the default CAs.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { testTls } from './tls';

export const FAKE_MASTODON_TOKEN = 'fake-mastodon-token-3b9e41c7d2';

export type MastodonFault =
  /** 429 with X-RateLimit-Reset exactly as given (Mastodon sends ISO 8601). */
  | { type: 'rate-limit'; reset: string }
  /** Any status; body `{"error": error}` unless `body` (with `contentType`) replaces it. */
  | { type: 'status'; status: number; error?: string; body?: string; contentType?: string }
  /** Never answers; the socket stays open until the client gives up or the fake closes. */
  | { type: 'hang' }
  /** POST /api/v1/statuses: record the status, then destroy the socket without answering. */
  | { type: 'drop-after-record' }
  /** POST /api/v1/statuses: record the status, then never answer. */
  | { type: 'hang-after-record' };

export interface InjectOptions {
  /** How many matching requests get the fault (default 1; Infinity for all). */
  times?: number;
  /** Only requests to this path (exact) or matching this pattern. */
  path?: string | RegExp;
  method?: string;
}

export interface FakeMastodonRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Whether the Bearer token matched. */
  authorized: boolean;
  idempotencyKey: string | null;
  /** The parsed JSON or form body (files as `{ file: { type, size } }`), or null. */
  body: Record<string, unknown> | null;
  /** The status answered, or null for a hang or a dropped connection. */
  status: number | null;
  at: number;
}

export interface FakeStatus {
  id: string;
  /** What was posted: what /source answers. */
  text: string;
  /** What the API shows: HTML. */
  content: string;
  createdAt: number;
  visibility: string;
  mediaIds: string[];
  idempotencyKey: string | null;
  deleted: boolean;
}

export interface FakeMedia {
  id: string;
  type: string;
  size: number;
  /** GETs still answering 206 (processing) before the url is set. */
  pollsLeft: number;
}

export interface FakeMastodon {
  /** http(s)://127.0.0.1:PORT — the instance URL. */
  url: string;
  /** The certificate to trust when `tls` is on. */
  caPem: string | null;
  token: string;
  username: string;
  accountId: string;
  statuses: FakeStatus[];
  requests: FakeMastodonRequest[];
  media: Map<string, FakeMedia>;
  /** Live statuses (not deleted), oldest first. */
  live(): FakeStatus[];
  inject(fault: MastodonFault, options?: InjectOptions): void;
  /** Records a status as if posted `at` (epoch ms), e.g. from the web, before a test starts. */
  addStatus(text: string, at: number): FakeStatus;
  reset(): void;
  close(): Promise<void>;
}

export interface FakeMastodonOptions {
  token?: string;
  username?: string;
  tls?: boolean;
  /** configuration.statuses.max_characters (default 500). */
  maxCharacters?: number;
  /** configuration.statuses.characters_reserved_per_url (default 23). */
  charactersReservedPerUrl?: number;
  /** Which instance endpoints exist (default both): an old server has v1 only. */
  instanceApis?: Array<'v1' | 'v2'>;
  /** Epoch ms; drives created_at, the idempotency window and rate-limit headers. */
  now?: () => number;
  /** How long a key is remembered (default 1 hour, as Mastodon). */
  idempotencyWindowMs?: number;
  /** GET /api/v1/media/:id polls answering 206 before an image is ready (default 0: ready at once, 200). */
  mediaProcessingPolls?: number;
  /** Runs after a status is recorded and before its answer is sent (e.g. to kill the client first). */
  beforeStatusAnswer?: (status: FakeStatus) => Promise<void> | void;
  /** Every request (API or not) to this path answers a redirect there: an instance reached at an alias. */
  redirectTo?: string;
  /** Answer a repeated key with 500 instead of the first status, as affected versions do (mastodon#40399). */
  keyRepeatAnswers500?: boolean;
}

interface Injection { fault: MastodonFault; remaining: number; path?: string | RegExp; method?: string }

const RATE_LIMIT = 300;

export async function startFakeMastodon(options: FakeMastodonOptions = {}): Promise<FakeMastodon> {
  const token = options.token ?? FAKE_MASTODON_TOKEN;
  const username = options.username ?? 'crier';
  const accountId = '109876543210987654';
  const now = options.now ?? Date.now;
  const windowMs = options.idempotencyWindowMs ?? 3_600_000;
  const maxCharacters = options.maxCharacters ?? 500;
  const reservedPerUrl = options.charactersReservedPerUrl ?? 23;
  const instanceApis = new Set(options.instanceApis ?? ['v1', 'v2']);
  const tls = options.tls === true ? await testTls() : null;

  const statuses: FakeStatus[] = [];
  const requests: FakeMastodonRequest[] = [];
  const media = new Map<string, FakeMedia>();
  const keys = new Map<string, { statusId: string; at: number }>();
  let injections: Injection[] = [];
  const sockets = new Set<Socket>();
  let sequence = 0n;
  let url = '';

  // Mastodon's ids are snowflakes: milliseconds shifted left 16 bits, plus a sequence.
  const newId = (): string => String((BigInt(Math.floor(now())) << 16n) + (sequence++ % 65536n));

  function takeFault(record: FakeMastodonRequest): MastodonFault | null {
    const injection = injections.find((i) => i.remaining > 0
      && (i.method === undefined || i.method.toUpperCase() === record.method)
      && (i.path === undefined || (typeof i.path === 'string' ? i.path === record.path : i.path.test(record.path))));
    if (!injection) return null;
    injection.remaining -= 1;
    injections = injections.filter((i) => i.remaining > 0);
    return injection.fault;
  }

  const accountJson = (): Record<string, unknown> => ({
    id: accountId,
    username,
    acct: username,
    display_name: 'Crier test',
    url: `${url}/@${username}`,
    created_at: new Date(0).toISOString(),
  });

  const statusJson = (s: FakeStatus): Record<string, unknown> => ({
    id: s.id,
    created_at: new Date(s.createdAt).toISOString(),
    visibility: s.visibility,
    content: s.content,
    url: `${url}/@${username}/${s.id}`,
    uri: `${url}/users/${username}/statuses/${s.id}`,
    account: accountJson(),
    media_attachments: s.mediaIds.map((id) => ({ id, type: 'image', url: `${url}/media/${id}` })),
    reblog: null,
    in_reply_to_id: null,
  });

  const mediaJson = (m: FakeMedia): Record<string, unknown> => ({
    id: m.id,
    type: 'image',
    url: m.pollsLeft > 0 ? null : `${url}/media/${m.id}`,
    preview_url: `${url}/media/${m.id}/small`,
  });

  function addStatus(text: string, at: number, visibility = 'public', mediaIds: string[] = [], idempotencyKey: string | null = null): FakeStatus {
    const status: FakeStatus = { id: newId(), text, content: toHtml(text), createdAt: at, visibility, mediaIds, idempotencyKey, deleted: false };
    statuses.push(status);
    return status;
  }

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestUrl = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req);
    const contentType = req.headers['content-type'] ?? '';
    const body = await parseBody(raw, contentType);
    const keyHeader = req.headers['idempotency-key'];
    const record: FakeMastodonRequest = {
      method,
      path: requestUrl.pathname,
      query: Object.fromEntries(requestUrl.searchParams),
      authorized: req.headers.authorization === `Bearer ${token}`,
      idempotencyKey: typeof keyHeader === 'string' ? keyHeader : null,
      body,
      status: null,
      at: now(),
    };
    requests.push(record);

    const resetIso = new Date(Math.ceil((now() + 1) / 300_000) * 300_000).toISOString();
    const send = (status: number, payload: unknown, extra: Record<string, string> = {}): void => {
      record.status = status;
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'x-ratelimit-limit': String(RATE_LIMIT),
        'x-ratelimit-remaining': String(RATE_LIMIT - 1),
        'x-ratelimit-reset': resetIso,
        ...extra,
      });
      res.end(JSON.stringify(payload));
    };

    if (options.redirectTo !== undefined) {
      record.status = 301;
      res.writeHead(301, { location: `${options.redirectTo}${requestUrl.pathname}${requestUrl.search}` });
      res.end();
      return;
    }

    const fault = takeFault(record);
    if (fault?.type === 'hang') return;
    if (fault?.type === 'rate-limit') {
      send(429, { error: 'Too many requests' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': fault.reset });
      return;
    }
    if (fault?.type === 'status') {
      record.status = fault.status;
      res.writeHead(fault.status, { 'content-type': fault.contentType ?? 'application/json; charset=utf-8' });
      res.end(fault.body ?? JSON.stringify({ error: fault.error ?? `Error ${fault.status}` }));
      return;
    }

    if (!record.authorized && requestUrl.pathname !== '/api/v1/instance' && requestUrl.pathname !== '/api/v2/instance') {
      send(401, { error: 'The access token is invalid' });
      return;
    }

    const path = requestUrl.pathname;
    let match: RegExpMatchArray | null;
    if (method === 'GET' && path === '/api/v1/accounts/verify_credentials') return send(200, accountJson());
    if (method === 'GET' && (path === '/api/v2/instance' || path === '/api/v1/instance')) {
      if (!instanceApis.has(path.includes('/v2/') ? 'v2' : 'v1')) return send(404, { error: 'Record not found' });
      return send(200, {
        domain: '127.0.0.1',
        uri: '127.0.0.1',
        title: 'Fake Mastodon',
        version: '4.5.0',
        configuration: { statuses: { max_characters: maxCharacters, max_media_attachments: 4, characters_reserved_per_url: reservedPerUrl } },
      });
    }
    if (method === 'POST' && path === '/api/v1/statuses') {
      const text = typeof body?.status === 'string' ? body.status : '';
      const mediaIds = Array.isArray(body?.media_ids) ? body.media_ids.filter((v): v is string => typeof v === 'string') : [];
      const key = record.idempotencyKey;
      const known = key === null ? undefined : keys.get(key);
      if (known && now() - known.at < windowMs) {
        const first = statuses.find((s) => s.id === known.statusId);
        if (first && options.keyRepeatAnswers500 === true) return send(500, { error: 'We\'re sorry, but something went wrong on our end.' });
        if (first) return send(200, statusJson(first));
      }
      if (text.trim() === '' && mediaIds.length === 0) return send(422, { error: "Validation failed: Text can't be blank" });
      if (fakeLength(text, reservedPerUrl) > maxCharacters) {
        return send(422, { error: `Validation failed: Text character limit of ${maxCharacters} exceeded` });
      }
      for (const id of mediaIds) {
        const m = media.get(id);
        if (!m) return send(422, { error: 'Validation failed: Media attachments is invalid' });
        if (m.pollsLeft > 0) return send(422, { error: 'Cannot attach files that have not finished processing. Try again in a moment!' });
      }
      const status = addStatus(text, now(), typeof body?.visibility === 'string' ? body.visibility : 'public', mediaIds, key);
      if (key !== null) keys.set(key, { statusId: status.id, at: now() });
      if (fault?.type === 'drop-after-record') {
        record.status = null;
        req.socket.destroy();
        return;
      }
      if (fault?.type === 'hang-after-record') return;
      await options.beforeStatusAnswer?.(status);
      return send(200, statusJson(status));
    }
    if ((match = path.match(/^\/api\/v1\/accounts\/([^/]+)\/statuses$/)) && method === 'GET') {
      if (match[1] !== accountId) return send(404, { error: 'Record not found' });
      const limit = Math.min(40, Number(record.query.limit ?? 20) || 20);
      const maxId = record.query.max_id;
      const list = statuses
        .filter((s) => !s.deleted && s.visibility !== 'direct')
        .filter((s) => maxId === undefined || BigInt(s.id) < BigInt(maxId))
        .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1))
        .slice(0, limit);
      return send(200, list.map(statusJson));
    }
    if ((match = path.match(/^\/api\/v1\/statuses\/([^/]+)\/source$/)) && method === 'GET') {
      const s = statuses.find((x) => x.id === match?.[1] && !x.deleted);
      return s ? send(200, { id: s.id, text: s.text, spoiler_text: '' }) : send(404, { error: 'Record not found' });
    }
    if ((match = path.match(/^\/api\/v1\/statuses\/([^/]+)$/))) {
      const s = statuses.find((x) => x.id === match?.[1] && !x.deleted);
      if (!s) return send(404, { error: 'Record not found' });
      if (method === 'GET') return send(200, statusJson(s));
      if (method === 'DELETE') {
        s.deleted = true;
        return send(200, { ...statusJson(s), text: s.text });
      }
    }
    if (method === 'POST' && path === '/api/v2/media') {
      const file = body?.file as { type?: string; size?: number } | undefined;
      if (!file || typeof file.size !== 'number') return send(422, { error: 'Validation failed: File is invalid' });
      const m: FakeMedia = { id: newId(), type: file.type ?? '', size: file.size, pollsLeft: options.mediaProcessingPolls ?? 0 };
      media.set(m.id, m);
      return send(m.pollsLeft > 0 ? 202 : 200, mediaJson(m));
    }
    if ((match = path.match(/^\/api\/v1\/media\/([^/]+)$/)) && method === 'GET') {
      const m = media.get(match[1] ?? '');
      if (!m) return send(404, { error: 'Record not found' });
      if (m.pollsLeft > 0) {
        m.pollsLeft -= 1;
        return send(206, { ...mediaJson(m), url: null });
      }
      return send(200, mediaJson(m));
    }
    send(404, { error: 'Record not found' });
  }

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    answer(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'fake failed' }));
    });
  };
  const server: Server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, handler) : createHttpServer(handler);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;

  return {
    url,
    caPem: tls?.cert ?? null,
    token,
    username,
    accountId,
    statuses,
    requests,
    media,
    live: () => statuses.filter((s) => !s.deleted),
    inject(fault, injectOptions = {}) {
      injections.push({ fault, remaining: injectOptions.times ?? 1, path: injectOptions.path, method: injectOptions.method });
    },
    addStatus: (text, at) => addStatus(text, at),
    reset() {
      statuses.length = 0;
      requests.length = 0;
      media.clear();
      keys.clear();
      injections = [];
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function parseBody(raw: Buffer, contentType: string): Promise<Record<string, unknown> | null> {
  if (raw.length === 0) return null;
  if (contentType.startsWith('application/json')) {
    try {
      const parsed: unknown = JSON.parse(raw.toString('utf8'));
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
    const out: Record<string, unknown> = {};
    for (const [key, value] of form.entries()) {
      out[key] = typeof value === 'string' ? value : { type: value.type, size: value.size };
    }
    return out;
  }
  return null;
}

/** Mastodon-like HTML: escaped text, links as anchors, paragraphs and line breaks. */
function toHtml(text: string): string {
  const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  const paragraphs = text.split(/\n{2,}/).map((p) => escape(p)
    .replace(/https?:\/\/[^\s<]+/g, (u) => `<a href="${u}" rel="nofollow noopener" target="_blank"><span class="invisible">${u.slice(0, u.indexOf('//') + 2)}</span><span class="">${u.slice(u.indexOf('//') + 2)}</span></a>`)
    .replace(/\n/g, '<br />'));
  return paragraphs.map((p) => `<p>${p}</p>`).join('');
}

/** A simpler count than the client's, on purpose: URLs at the reserved length, the rest in code points. */
function fakeLength(text: string, reservedPerUrl: number): number {
  return [...text.replace(/https?:\/\/\S+/g, 'x'.repeat(reservedPerUrl))].length;
}
