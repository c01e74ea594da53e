// `crier serve`'s HTTP server: node:http, because every answer — including the ones a framework
// would write itself (413 mid-upload, 404, parser errors) — must be our JSON error shape with our
// headers, the SSE stream needs the raw response, and the whole surface is ~20 routes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { AppService } from '../core/app-service';
import type { Logger } from '../core/ports';
import { MAX_URL_LENGTH } from '../core/schemas';
import { allowedHosts, formatHost, hostAllowed, originAllowed, requestAuthorized, tokenCookie, tokenMatches, TOKEN_PATTERN } from './access';
import { EventHub } from './event-stream';
import { describeError, sendError, sendJson } from './http-answers';
import { HttpError } from '../shell/http-error';
import { SECURITY_HEADER_LINES, SECURITY_HEADERS } from '../shell/security-headers';
import { matchRoute } from './routes';
import { CALLBACK_PATH } from '../core/x/oauth2/authorize-url';
import { landingPage, resolveStatic, sendFile } from '../shell/static-files';

export interface ServerOptions {
  service: AppService;
  host: string;
  port: number;
  token: string;
  /** The built renderer pages (dist/renderer). */
  staticDir: string;
  log: Logger;
  /** Account connect/disconnect answer 501 (default true: this server is the headless shell). */
  headless?: boolean;
  /** SSE keepalive comment interval (tests shorten it). */
  keepaliveMs?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const unauthorized = (): HttpError => new HttpError(401, 'unauthorized',
  'This Crier server needs its token: open the URL Crier printed when it started (it ends in ?token=…), or send Authorization: Bearer TOKEN.');

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { service, log, token, staticDir } = options;
  if (!TOKEN_PATTERN.test(token)) throw new Error('The token must be 16 to 512 hex or base64url characters.');
  const headless = options.headless ?? true;
  const hub = new EventHub({ service, log, ...(options.keepaliveMs ? { keepaliveMs: options.keepaliveMs } : {}) });
  let port = options.port;
  let allowed = allowedHosts(options.host, port);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    if (rawUrl.length > MAX_URL_LENGTH) throw new HttpError(414, 'uri-too-long', `URLs are at most ${MAX_URL_LENGTH} characters.`);
    if (!hostAllowed(req, allowed)) throw new HttpError(403, 'forbidden-host', 'This server answers only to its own loopback address (Host header refused).');
    if (!originAllowed(req, allowed)) throw new HttpError(403, 'forbidden-origin', 'Requests from other origins are refused.');
    const url = new URL(rawUrl, 'http://crier.invalid');
    const method = req.method ?? 'GET';
    const isApi = url.pathname === '/api' || url.pathname.startsWith('/api/');

    if (isApi) {
      res.setHeader('Cache-Control', 'no-store');
      if (!requestAuthorized(req, token, port)) throw unauthorized();
      const { route, params } = matchRoute(method, url.pathname);
      const result = await route.handle({ req, params, service, headless });
      if ('stream' in result) {
        await hub.open(req, res);
        return;
      }
      if (result.status === 204) {
        res.writeHead(204);
        res.end();
      } else if ('json' in result) {
        sendJson(res, result.status, result.json);
      } else if ('text' in result) {
        res.writeHead(result.status, { ...result.headers, 'Content-Type': result.contentType, 'Content-Length': Buffer.byteLength(result.text) });
        res.end(result.text);
      }
      return;
    }

    if (method !== 'GET' && method !== 'HEAD') {
      throw new HttpError(405, 'method-not-allowed', 'Pages are read with GET.', undefined, { Allow: 'GET, HEAD' });
    }
    if (url.pathname === CALLBACK_PATH && method === 'GET') {
      // X's answer to a login: no token or cookie comes with it (the cookie is SameSite=Strict and
      // this is a navigation from x.com); its single-use state is what authenticates it. The
      // outcome becomes a notice the settings page shows; the code and state go nowhere else.
      const outcome = await service.finishXOAuth2(url.searchParams);
      log.info('OAuth 2.0 callback answered', { ok: outcome.ok });
      res.writeHead(303, { Location: '/settings.html#account', 'Cache-Control': 'no-store', 'Content-Length': 0 });
      res.end();
      return;
    }
    const urlToken = url.searchParams.get('token');
    if (urlToken !== null) {
      if (!tokenMatches(urlToken, token)) throw unauthorized();
      url.searchParams.delete('token');
      // One leading slash only: `//host/...` in a Location would send the browser to another site.
      const location = `/${url.pathname.replace(/^\/+/, '')}` + (url.searchParams.size > 0 ? `?${url.searchParams.toString()}` : '');
      log.info('page token exchanged for a cookie', { path: url.pathname });
      res.writeHead(303, { 'Set-Cookie': tokenCookie(port, token), Location: location, 'Cache-Control': 'no-store', 'Content-Length': 0 });
      res.end();
      return;
    }
    if (!requestAuthorized(req, token, port)) throw unauthorized();
    if (url.pathname === '/') {
      res.writeHead(303, { Location: await landingPage(staticDir), 'Content-Length': 0 });
      res.end();
      return;
    }
    const { file, size } = await resolveStatic(staticDir, url.pathname);
    sendFile(res, file, size, method === 'HEAD');
  }

  function fail(req: IncomingMessage, res: ServerResponse, err: unknown): void {
    const { status, body, headers, internal } = describeError(err);
    const path = safePath(req);
    if (internal) log.error('request failed', { method: req.method, path, error: err instanceof Error ? err.message : String(err) });
    else log.debug('request refused', { method: req.method, path, status, code: body.code });
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // Headers a route may have set before failing (e.g. Cache-Control) stay; the rest is replaced.
    sendError(res, status, body, headers);
    if (status === 413) {
      // The rest of the upload is read and thrown away, so the client gets to read the answer
      // (a socket destroyed under a client still writing surfaces as EPIPE, not as this 413);
      // a client still sending after 10 s is cut off.
      res.on('finish', () => setTimeout(() => req.socket.destroy(), 10_000).unref());
      req.resume();
    }
  }

  let closing: Promise<void> | null = null;
  // Not an ES import of node:http: Node builds that module's ES namespace by reading every export,
  // and its fetch-related getters load undici, ~50 ms of a start-up that never fetches (issue 13).
  const { createServer } = process.getBuiltinModule('node:http');
  const server = createServer({ requestTimeout: 60_000, headersTimeout: 30_000 }, (req, res) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    const started = Date.now();
    res.on('finish', () => {
      log.debug('request', { method: req.method, path: safePath(req), status: res.statusCode, ms: Date.now() - started });
      // A response that finished after close() began leaves a keep-alive socket behind: close it now.
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
    try {
      handle(req, res).catch((err: unknown) => fail(req, res, err));
    } catch (err) {
      fail(req, res, err);
    }
  });

  // Node's own parser errors (oversized headers, garbage) would answer in plain text without our headers.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    const body = JSON.stringify({ error: tooLarge
      ? { code: 'headers-too-large', message: 'The request line or headers are too large.' }
      : { code: 'bad-request', message: 'The request could not be parsed.' } });
    socket.end(`HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n${SECURITY_HEADER_LINES}`
      + `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  server.on('error', (err) => log.error('server error', { error: err.message }));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  allowed = allowedHosts(options.host, port);
  try {
    const state = await service.getState();
    hub.setHead(state.epoch, state.seq);
  } catch (err) {
    log.warn('could not read the initial state', { error: err instanceof Error ? err.message : String(err) });
  }
  const url = `http://${formatHost(options.host)}:${port}/`;
  log.info('server listening', { url, host: options.host, port });

  return {
    url,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        hub.close();
        server.closeIdleConnections();
        // Requests still running get a moment to answer, then their sockets go.
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      });
      return closing;
    },
  };
}

/** The path for logs: never the query, which may hold the token. */
function safePath(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0]!.slice(0, 200);
}
