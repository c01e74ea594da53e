// The engine's fetch port over Chromium's network stack (system proxy, OS certificate store).
// Two facts shape it (docs/FIELD-NOTES.md): Chromium's HTTP cache turns our conditional GET's
// 304 into a cached 200, so every request is 'no-store'; and net.fetch with redirect 'manual'
// rejects with "Redirect was cancelled" instead of answering with the 3xx, so manual requests
// go through net.request, whose 'redirect' event we turn into the 3xx response Node's fetch
// would give. The engine then decides whether and where to follow.
import { Readable } from 'node:stream';
import type { ClientRequest, ClientRequestConstructorOptions, Net } from 'electron';

export interface NetPort {
  fetch: Net['fetch'];
  request(options: ClientRequestConstructorOptions): ClientRequest;
}

/**
 * Chromium sets these itself and refuses (or mishandles) them from the caller: a caller's
 * Accept-Encoding, in particular, switches off its transparent decompression.
 */
const NET_MANAGED_HEADERS = new Set(['accept-encoding', 'host', 'connection', 'content-length', 'keep-alive', 'transfer-encoding', 'upgrade']);
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

function requestHeaders(headers: Headers): Headers {
  const kept = new Headers();
  for (const [name, value] of headers) if (!NET_MANAGED_HEADERS.has(name.toLowerCase())) kept.append(name, value);
  return kept;
}

function responseHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      try {
        headers.append(name, v);
      } catch {
        // a header value the Fetch API refuses: leave it out rather than fail the response
      }
    }
  }
  return headers;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

async function manualFetch(net: NetPort, request: Request): Promise<Response> {
  const body = request.body ? new Uint8Array(await request.arrayBuffer()) : null;
  const { signal } = request;
  if (signal.aborted) throw abortReason(signal);
  return new Promise<Response>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      fn();
    };
    const req = net.request({
      method: request.method,
      url: request.url,
      redirect: 'manual',
      cache: 'no-store',
      // Like Node's fetch: no cookie jar for feed requests.
      credentials: 'omit',
      useSessionCookies: false,
    });
    const onAbort = (): void => {
      settle(() => reject(abortReason(signal)));
      req.abort();
    };
    signal.addEventListener('abort', onAbort, { once: true });

    req.on('redirect', (statusCode, _method, redirectUrl, headers) => {
      const answer = responseHeaders(headers);
      if (!answer.has('location')) answer.set('location', redirectUrl);
      settle(() => resolve(new Response(null, { status: statusCode, headers: answer })));
      // Aborting inside the handler is what keeps Electron from failing the request instead.
      req.abort();
      signal.removeEventListener('abort', onAbort);
    });
    req.on('response', (res) => {
      const status = res.statusCode;
      const stream = NULL_BODY_STATUSES.has(status) || request.method === 'HEAD'
        ? null
        : (Readable.toWeb(res as unknown as Readable) as ReadableStream<Uint8Array>);
      let response: Response;
      try {
        response = new Response(stream, { status, statusText: res.statusMessage, headers: responseHeaders(res.headers) });
      } catch {
        response = new Response(stream, { status, headers: responseHeaders(res.headers) });
      }
      settle(() => resolve(response));
    });
    req.on('error', (err: Error) => settle(() => reject(new TypeError('fetch failed', { cause: err }))));

    for (const [name, value] of requestHeaders(request.headers)) req.setHeader(name, value);
    if (body && body.byteLength > 0) req.write(Buffer.from(body));
    req.end();
  });
}

export function createNetFetch(net: NetPort): typeof globalThis.fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    if (request.redirect === 'manual') return manualFetch(net, request);
    return net.fetch(new Request(request, { headers: requestHeaders(request.headers), cache: 'no-store' }));
  };
}
