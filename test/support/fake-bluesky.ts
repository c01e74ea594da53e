// A fake Bluesky PDS over real HTTP (or HTTPS) on 127.0.0.1, strict where Crier could go wrong:
// sessions from an app password with access and refresh JWTs told apart and checked for expiry
// (an expired access token answers 400 ExpiredToken, as the PDS does); refresh tokens rotate and
// are single-use; a post's record key must be a TID (social-app#8654: the app never shows a post
// under any other key — the fake refuses it so a mistake shows); creating a key that exists
// answers the generic 500 the PDS gives today (atproto#3718); post text is held to 300
// graphemes and 3,000 bytes and every facet to the text's UTF-8 bytes; an embed's blob must
// have been uploaded. It records every request, and injects 429 (ratelimit-reset as epoch
// seconds or as a delta), any status, a hang, and answers dropped after the record was stored.
//
// In-process: `const pds = await startFakeBluesky()`; point the destination's `service` at
// `pds.url`, log in with `pds.account.handle` and `pds.account.appPassword`.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { testTls } from './tls';

export const POST_COLLECTION = 'app.bsky.feed.post';
const TID_PATTERN = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;
const MAX_BLOB_BYTES = 1_000_000;

export interface FakeAccount {
  did: string;
  handle: string;
  email: string;
  appPassword: string;
}

export const FAKE_BLUESKY_ACCOUNT: FakeAccount = {
  did: 'did:plc:crierfakeaccount2345abcd',
  handle: 'crier-test.bsky.social',
  email: 'crier-test@example.com',
  appPassword: 'abcd-efgh-ijkl-mnop',
};

export type BlueskyFault =
  /** 429 RateLimitExceeded with ratelimit-* headers; `reset` is sent as given (epoch seconds or a delta). */
  | { type: 'rate-limit'; reset: string }
  /** Any status with an XRPC error body (`error`, `message`). */
  | { type: 'status'; status: number; error?: string; message?: string }
  /** Never answers; the socket stays open until the client gives up or the fake closes. */
  | { type: 'hang' }
  /** Handles the request (a create stores its record), then destroys the socket without answering. */
  | { type: 'drop-after-record' }
  /** Handles the request (a create stores its record), then never answers: a client killed mid-post. */
  | { type: 'hang-after-record' };

export interface InjectOptions {
  /** How many matching requests get the fault (default 1; Infinity for all). */
  times?: number;
  /** Only this method (the NSID, e.g. com.atproto.repo.createRecord). */
  nsid?: string;
}

export interface FakeBlueskyRequest {
  nsid: string;
  method: string;
  /** Which token the request carried: none, an access or refresh JWT of this fake, or something else. */
  auth: 'none' | 'access' | 'refresh' | 'unknown';
  /** The status answered, or null for a hang or a dropped connection. */
  status: number | null;
  /** The raw Authorization header (tests check what is sent, never what is logged). */
  authorization: string | null;
}

export interface FakeRecord {
  rkey: string;
  uri: string;
  cid: string;
  value: Record<string, unknown>;
}

export interface FakeBluesky {
  url: string;
  /** The CA to trust when started with `tls: true`. */
  caPem: string | null;
  account: FakeAccount;
  /** Records in the account's post collection, in creation order. */
  records(): FakeRecord[];
  requests(): FakeBlueskyRequest[];
  /** Uploaded blobs by CID: size and MIME type. */
  blobs(): Map<string, { size: number; mimeType: string }>;
  inject(fault: BlueskyFault, options?: InjectOptions): void;
  /** Every access token issued so far now answers 400 ExpiredToken. */
  expireAccessTokens(): void;
  /** Every refresh token issued so far is refused (400 ExpiredToken). */
  expireRefreshTokens(): void;
  /** The app password the account accepts from now on (the old one is revoked). */
  setAppPassword(password: string): void;
  /** Holds each refreshSession answer until the returned function is called. */
  holdRefreshes(): () => void;
  /** Drops all state but the account: records, blobs, sessions, faults, requests. */
  reset(): void;
  close(): Promise<void>;
}

interface Token { kind: 'access' | 'refresh'; expired: boolean; used: boolean }

export interface FakeBlueskyOptions {
  tls?: boolean;
  account?: Partial<FakeAccount>;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** A real CIDv1 string (sha2-256): dag-cbor for records, raw for blobs. */
export function fakeCid(data: Buffer | string, codec: 'dag-cbor' | 'raw'): string {
  const hash = createHash('sha256').update(data).digest();
  return `b${base32(Buffer.concat([Buffer.from([0x01, codec === 'raw' ? 0x55 : 0x71, 0x12, 0x20]), hash]))}`;
}

/** A repo revision: a TID, growing with each commit. */
function rev(n: number): string {
  const alphabet = '234567abcdefghijklmnopqrstuvwxyz';
  let out = '';
  for (let rest = n; out.length < 10; rest = Math.floor(rest / 32)) out = alphabet[rest % 32] + out;
  return `3l${out}2`;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function graphemeCount(text: string): number {
  let n = 0;
  for (const _ of graphemes.segment(text)) n++;
  return n;
}

export async function startFakeBluesky(options: FakeBlueskyOptions = {}): Promise<FakeBluesky> {
  const account: FakeAccount = { ...FAKE_BLUESKY_ACCOUNT, ...options.account };
  const signingKey = randomBytes(32);
  let tokens = new Map<string, Token>();
  let records = new Map<string, FakeRecord>();
  let blobs = new Map<string, { size: number; mimeType: string }>();
  let requests: FakeBlueskyRequest[] = [];
  let faults: { fault: BlueskyFault; left: number; nsid?: string }[] = [];
  let refreshGate: Promise<void> | null = null;
  let revision = 0;
  const sockets = new Set<Socket>();

  function jwt(kind: 'access' | 'refresh'): string {
    const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const head = part({ typ: kind === 'access' ? 'at+jwt' : 'refresh+jwt', alg: 'HS256' });
    const body = part({
      scope: kind === 'access' ? 'com.atproto.appPass' : 'com.atproto.refresh',
      sub: account.did,
      iat: now,
      exp: now + (kind === 'access' ? 7200 : 90 * 86400),
      jti: randomBytes(12).toString('base64url'),
    });
    const signature = createHmac('sha256', signingKey).update(`${head}.${body}`).digest('base64url');
    const token = `${head}.${body}.${signature}`;
    tokens.set(token, { kind, expired: false, used: false });
    return token;
  }

  function sessionBody(): Record<string, unknown> {
    return { did: account.did, handle: account.handle, email: account.email, emailConfirmed: true, active: true, accessJwt: jwt('access'), refreshJwt: jwt('refresh') };
  }

  function bearer(req: IncomingMessage): { raw: string | null; token: string | null; known: Token | undefined } {
    const raw = req.headers.authorization ?? null;
    const token = raw?.startsWith('Bearer ') ? raw.slice(7) : null;
    return { raw, token, known: token === null ? undefined : tokens.get(token) };
  }

  function takeFault(nsid: string): BlueskyFault | null {
    const entry = faults.find((f) => f.left > 0 && (f.nsid === undefined || f.nsid === nsid));
    if (!entry) return null;
    entry.left--;
    faults = faults.filter((f) => f.left > 0);
    return entry.fault;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const nsid = url.pathname.replace(/^\/xrpc\//, '');
    const auth = bearer(req);
    const entry: FakeBlueskyRequest = {
      nsid,
      method: req.method ?? 'GET',
      auth: auth.token === null ? 'none' : (auth.known?.kind ?? 'unknown'),
      status: null,
      authorization: auth.raw,
    };
    requests.push(entry);
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    const body = Buffer.concat(chunks);

    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      entry.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(payload));
    };
    const refuse = (status: number, error: string, message: string): void => answer(status, { error, message });

    const fault = takeFault(nsid);
    if (fault?.type === 'hang') return;
    if (fault?.type === 'rate-limit') {
      answer(429, { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }, {
        'ratelimit-limit': '5000', 'ratelimit-remaining': '0', 'ratelimit-reset': fault.reset, 'ratelimit-policy': '5000;w=3600',
      });
      return;
    }
    if (fault?.type === 'status') {
      refuse(fault.status, fault.error ?? 'InternalServerError', fault.message ?? 'Internal Server Error');
      return;
    }
    const drop = fault?.type === 'drop-after-record';
    const hangAfter = fault?.type === 'hang-after-record';
    const respond = drop
      ? (): void => {
        req.socket.destroy();
      }
      : hangAfter ? (): void => {} : null;

    const needAccess = (): boolean => {
      if (auth.token === null) {
        refuse(401, 'AuthenticationRequired', 'Authentication Required');
        return false;
      }
      if (!auth.known || auth.known.kind !== 'access') {
        refuse(400, 'InvalidToken', auth.known ? 'Invalid token type' : 'Token could not be verified');
        return false;
      }
      if (auth.known.expired) {
        refuse(400, 'ExpiredToken', 'Token has expired');
        return false;
      }
      return true;
    };
    const json = (): Record<string, unknown> => {
      try {
        const parsed: unknown = JSON.parse(body.toString('utf8'));
        return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
      } catch {
        return {};
      }
    };
    const ownRepo = (repo: unknown): boolean => repo === account.did || repo === account.handle;

    switch (nsid) {
      case 'com.atproto.server.createSession': {
        const input = json();
        const who = input.identifier;
        if ((who !== account.handle && who !== account.email && who !== account.did) || input.password !== account.appPassword) {
          refuse(401, 'AuthenticationRequired', 'Invalid identifier or password');
          return;
        }
        answer(200, sessionBody());
        return;
      }
      case 'com.atproto.server.refreshSession': {
        if (!auth.known || auth.known.kind !== 'refresh') {
          refuse(400, 'InvalidToken', auth.known ? 'Invalid token type' : 'Token could not be verified');
          return;
        }
        if (auth.known.expired || auth.known.used) {
          refuse(400, 'ExpiredToken', 'Token has been revoked');
          return;
        }
        auth.known.used = true;
        if (refreshGate) await refreshGate;
        answer(200, sessionBody());
        return;
      }
      case 'com.atproto.server.getSession': {
        if (!needAccess()) return;
        answer(200, { did: account.did, handle: account.handle, email: account.email, emailConfirmed: true, active: true });
        return;
      }
      case 'com.atproto.repo.uploadBlob': {
        if (!needAccess()) return;
        if (body.length > MAX_BLOB_BYTES) {
          refuse(400, 'BlobTooLarge', `This file is too large. It is ${body.length} bytes but the maximum size is ${MAX_BLOB_BYTES} bytes.`);
          return;
        }
        const mimeType = req.headers['content-type'] ?? 'application/octet-stream';
        const cid = fakeCid(body, 'raw');
        blobs.set(cid, { size: body.length, mimeType });
        answer(200, { blob: { $type: 'blob', ref: { $link: cid }, mimeType, size: body.length } });
        return;
      }
      case 'com.atproto.repo.createRecord': {
        if (!needAccess()) return;
        const input = json();
        if (!ownRepo(input.repo)) {
          refuse(400, 'InvalidRequest', 'Invalid repo');
          return;
        }
        if (input.collection !== POST_COLLECTION) {
          refuse(400, 'InvalidRequest', `The fake only stores ${POST_COLLECTION}`);
          return;
        }
        const rkey = typeof input.rkey === 'string' ? input.rkey : null;
        if (rkey === null || !TID_PATTERN.test(rkey)) {
          refuse(400, 'InvalidRequest', `Invalid record key for ${POST_COLLECTION}: must be a TID`);
          return;
        }
        if (records.has(rkey)) {
          // What the PDS answers today for an existing key (atproto#3718).
          refuse(500, 'InternalServerError', 'Internal Server Error');
          return;
        }
        const record = typeof input.record === 'object' && input.record !== null ? (input.record as Record<string, unknown>) : {};
        const invalid = invalidPost(record, blobs);
        if (invalid !== null) {
          refuse(400, 'InvalidRequest', `Invalid app.bsky.feed.post record: ${invalid}`);
          return;
        }
        const cid = fakeCid(JSON.stringify(record), 'dag-cbor');
        const uri = `at://${account.did}/${POST_COLLECTION}/${rkey}`;
        records.set(rkey, { rkey, uri, cid, value: record });
        revision++;
        if (respond) return respond();
        answer(200, { uri, cid, commit: { cid: fakeCid(`commit-${revision}`, 'dag-cbor'), rev: rev(revision) }, validationStatus: 'valid' });
        return;
      }
      case 'com.atproto.repo.getRecord': {
        // Public, but a token sent along is checked (the PDS's optional auth still verifies it).
        if (auth.token !== null && !needAccess()) return;
        const rkey = url.searchParams.get('rkey') ?? '';
        const found = ownRepo(url.searchParams.get('repo')) && url.searchParams.get('collection') === POST_COLLECTION ? records.get(rkey) : undefined;
        if (!found) {
          refuse(400, 'RecordNotFound', `Could not locate record: at://${url.searchParams.get('repo') ?? ''}/${url.searchParams.get('collection') ?? ''}/${rkey}`);
          return;
        }
        if (respond) return respond();
        answer(200, { uri: found.uri, cid: found.cid, value: found.value });
        return;
      }
      case 'com.atproto.repo.deleteRecord': {
        if (!needAccess()) return;
        const input = json();
        if (!ownRepo(input.repo)) {
          refuse(400, 'InvalidRequest', 'Invalid repo');
          return;
        }
        // Like the PDS: deleting a key that is not there succeeds without a change.
        if (typeof input.rkey === 'string') records.delete(input.rkey);
        revision++;
        if (respond) return respond();
        answer(200, { commit: { cid: fakeCid(`commit-${revision}`, 'dag-cbor'), rev: rev(revision) } });
        return;
      }
      default:
        refuse(404, 'MethodNotImplemented', 'Method Not Implemented');
    }
  }

  const tls = options.tls ? await testTls() : null;
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  };
  const server: Server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, listener) : createHttpServer(listener);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    caPem: tls?.cert ?? null,
    account,
    records: () => [...records.values()],
    requests: () => [...requests],
    blobs: () => new Map(blobs),
    inject(fault, opts = {}) {
      faults.push({ fault, left: opts.times ?? 1, ...(opts.nsid === undefined ? {} : { nsid: opts.nsid }) });
    },
    expireAccessTokens() {
      for (const t of tokens.values()) if (t.kind === 'access') t.expired = true;
    },
    expireRefreshTokens() {
      for (const t of tokens.values()) if (t.kind === 'refresh') t.expired = true;
    },
    setAppPassword(password) {
      account.appPassword = password;
    },
    holdRefreshes() {
      let release = (): void => {};
      refreshGate = new Promise<void>((resolve) => {
        release = resolve;
      });
      return () => {
        refreshGate = null;
        release();
      };
    },
    reset() {
      tokens = new Map();
      records = new Map();
      blobs = new Map();
      requests = [];
      faults = [];
      refreshGate = null;
    },
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

/** Why the PDS would refuse this post record, or null. */
function invalidPost(record: Record<string, unknown>, blobs: Map<string, unknown>): string | null {
  if (record.$type !== POST_COLLECTION) return 'Record/$type must be app.bsky.feed.post';
  const text = record.text;
  if (typeof text !== 'string') return 'Record must have the property "text"';
  if (typeof record.createdAt !== 'string' || Number.isNaN(Date.parse(record.createdAt))) return 'Record/createdAt must be a valid datetime';
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > 3000) return 'Record/text must not be longer than 3000 characters';
  if (graphemeCount(text) > 300) return 'Record/text must not be longer than 300 graphemes';
  if (record.facets !== undefined) {
    if (!Array.isArray(record.facets)) return 'Record/facets must be an array';
    for (const facet of record.facets as unknown[]) {
      const index = (facet as { index?: { byteStart?: unknown; byteEnd?: unknown } } | null)?.index;
      const start = index?.byteStart;
      const end = index?.byteEnd;
      if (typeof start !== 'number' || typeof end !== 'number' || start < 0 || end <= start || end > bytes) {
        return 'Record/facets/index must be a byte range inside the text';
      }
    }
  }
  const embed = record.embed as Record<string, unknown> | undefined;
  if (embed !== undefined) {
    const refs: unknown[] = [];
    if (embed.$type === 'app.bsky.embed.external') {
      const external = embed.external as Record<string, unknown> | undefined;
      if (!external || typeof external.uri !== 'string' || typeof external.title !== 'string' || typeof external.description !== 'string') {
        return 'Record/embed/external must have uri, title and description';
      }
      if (external.thumb !== undefined) refs.push(external.thumb);
    } else if (embed.$type === 'app.bsky.embed.images') {
      for (const image of (embed.images as { image?: unknown }[] | undefined) ?? []) refs.push(image.image);
    } else {
      return 'Record/embed has an unknown $type';
    }
    for (const ref of refs) {
      const link = (ref as { ref?: { $link?: unknown } } | null)?.ref?.$link;
      if (typeof link !== 'string' || !blobs.has(link)) return 'Could not find blob';
    }
  }
  return null;
}
