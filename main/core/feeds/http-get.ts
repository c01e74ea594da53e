// A feed fetch's HTTP port: one GET, its status and headers, and its body decoded as it arrives.
// Two clients stand behind it. WHATWG fetch: Electron's net.fetch in the desktop app (Chromium's
// network stack, with the system's proxy settings) and any fetch a test injects. Headless, undici's
// request(): the HTTP/1.1 client under Node's own fetch without the WHATWG layers (Request,
// Response, Headers, web streams, an AbortSignal's listeners), which cost more than the rest of a
// 304 poll. Side by side on the bench's 300 loopback feeds: an all-304 pass 55–70 ms instead of
// 105–150, a first pass's fetches a third less CPU. undici is loaded with the first fetch, not at start.
import { pipeline, type Readable, Transform, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';
import type { Dispatcher } from 'undici';

export interface HttpAnswer {
  status: number;
  statusText: string;
  /** A response header (case-insensitive name), several values joined by ", "; null when absent. */
  header(name: string): string | null;
  /** The body with its Content-Encoding undone, as it arrives; null when the answer has none. */
  body: AsyncIterable<Uint8Array> | null;
  /** Leaves the body unread and frees the connection (a redirect, a 304, an error, a refusal). */
  discard(): Promise<void>;
}

export interface HttpRequest { headers: Record<string, string>; signal: AbortSignal }

export type HttpGet = (url: string, request: HttpRequest) => Promise<HttpAnswer>;

/** A WHATWG fetch as the port; redirects are the caller's, and no cache may answer for the server. */
export function fetchGet(fetch: typeof globalThis.fetch): HttpGet {
  return async (url, { headers, signal }) => {
    // cache: 'no-store' — Chromium's cache (net.fetch) would turn our 304 into a cached 200.
    const res = await fetch(url, { headers, redirect: 'manual', signal, cache: 'no-store' });
    return {
      status: res.status,
      statusText: res.statusText,
      header: (name) => res.headers.get(name),
      body: res.body,
      discard: () => (res.body ? res.body.cancel().catch(() => undefined) : Promise.resolve()),
    };
  };
}

/** As Node's fetch decodes (undici's fetch): lenient about a truncated end, at most five codings. */
const MAX_CODINGS = 5;

const ZLIB_LENIENT = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };

/** "deflate" is zlib-wrapped by the standard and raw from some servers; the first byte tells (as undici's fetch does). */
class InflateEither extends Transform {
  private inner: zlib.Inflate | zlib.InflateRaw | null = null;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (!this.inner) {
      if (chunk.length === 0) {
        callback();
        return;
      }
      // A zlib header's first byte has 8 (deflate) in its low nibble.
      this.inner = (chunk[0]! & 0x0f) === 0x08 ? zlib.createInflate(ZLIB_LENIENT) : zlib.createInflateRaw(ZLIB_LENIENT);
      this.inner.on('data', (data: Buffer) => this.push(data));
      this.inner.on('error', (err: Error) => this.destroy(err));
    }
    this.inner.write(chunk, () => callback());
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.inner?.destroy();
    callback(err);
  }

  override _flush(callback: TransformCallback): void {
    if (!this.inner) {
      callback();
      return;
    }
    this.inner.once('end', () => callback());
    this.inner.end();
  }
}

const KNOWN_CODINGS = new Set(['gzip', 'x-gzip', 'deflate', 'br']);

function decoderOf(coding: string): Transform {
  switch (coding) {
    case 'deflate':
      return new InflateEither();
    case 'br':
      return zlib.createBrotliDecompress({ flush: zlib.constants.BROTLI_OPERATION_FLUSH, finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
    default:
      return zlib.createGunzip(ZLIB_LENIENT);
  }
}

/** The codings of a Content-Encoding, last applied first; null when one cannot be undone (the body is read as sent, as fetch does). */
function codingsOf(contentEncoding: string | null): string[] | null {
  const codings = contentEncoding ? contentEncoding.toLowerCase().split(',').map((c) => c.trim()).filter((c) => c !== '' && c !== 'identity') : [];
  if (codings.length > MAX_CODINGS) throw new Error(`too many content-encodings in response: ${codings.length}, maximum allowed is ${MAX_CODINGS}`);
  return codings.every((c) => KNOWN_CODINGS.has(c)) ? codings.reverse() : null;
}

/** The body as `codings` decode it. */
function decoded(body: Readable, codings: readonly string[] | null): Readable {
  if (!codings || codings.length === 0) return body;
  return pipeline([body, ...codings.map(decoderOf)], () => undefined) as unknown as Readable;
}

const headerValue = (headers: Record<string, string | string[] | undefined>, name: string): string | null => {
  const value = headers[name.toLowerCase()];
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
};

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

export interface UndiciGetOptions {
  /** Replaces DNS for the connections (tests name hosts without DNS). */
  lookup?: (hostname: string, options: object, callback: (err: NodeJS.ErrnoException | null, address: string | { address: string; family: number }[], family?: number) => void) => void;
}

/**
 * The headless client: undici's request(), unless NODE_USE_ENV_PROXY asks Node's own fetch to go
 * through HTTP(S)_PROXY — then Node's fetch, which honours it, as before. (undici's proxy agent
 * was left out: a proxy that closed a CONNECT made it reconnect in a loop its abort signal did
 * not stop.)
 */
export function headlessGet(env: NodeJS.ProcessEnv = process.env, fetch: typeof globalThis.fetch = globalThis.fetch): HttpGet {
  return /^(1|true)$/i.test(env.NODE_USE_ENV_PROXY ?? '') ? fetchGet(fetch) : undiciGet();
}

/** undici's request() as the port, over one connection pool for every feed. */
export function undiciGet(options: UndiciGetOptions = {}): HttpGet {
  let client: Promise<{ request: typeof import('undici').request; dispatcher: Dispatcher }> | null = null;
  const load = () => (client ??= import('undici').then(({ Agent, request }) => ({
    request,
    dispatcher: new Agent(options.lookup ? { connect: { lookup: options.lookup } } : {}),
  })));
  return async (url, { headers, signal }) => {
    const { request, dispatcher } = await load();
    const res = await request(url, { method: 'GET', headers, signal, dispatcher });
    // undici's body emits an abort error when destroyed before its end; destroyed while no one
    // listens (the signal firing between the answer and the read), that would end the process.
    // A reader sees the errors that matter through its own listener while it reads.
    res.body.on('error', () => undefined);
    const empty = NULL_BODY.has(res.statusCode);
    let codings: string[] | null;
    try {
      codings = empty ? [] : codingsOf(headerValue(res.headers, 'content-encoding'));
    } catch (err) {
      res.body.destroy();
      throw err;
    }
    let body: Readable | null = null;
    return {
      status: res.statusCode,
      statusText: res.statusText ?? '',
      header: (name) => headerValue(res.headers, name),
      get body() {
        if (empty) return null;
        body ??= decoded(res.body, codings);
        return body;
      },
      discard: async () => {
        // dump() reads a short remainder so the connection is kept, and closes it past 128 KB.
        await res.body.dump().catch(() => undefined);
      },
    };
  };
}
