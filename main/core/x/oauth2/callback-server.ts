// The desktop's loopback redirect: a small HTTP server on 127.0.0.1 at the fixed redirect port
// (X matches the registered callback URL exactly), answering GET /oauth2/callback with a plain
// page that says how the login ended. Headless serves the same path from `crier serve` instead.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CALLBACK_PATH } from './authorize-url';

export interface CallbackOutcome {
  ok: boolean;
  /** One sentence for the browser tab: "Connected @handle…" or the failure's message. No secrets. */
  message: string;
}

export interface CallbackServerOptions {
  /** 0 picks a free port (tests). */
  port: number;
  /** Gets the callback's query; resolves to what the page says. Must not reject (a rejection reads as an unexpected failure). */
  onCallback(query: URLSearchParams): Promise<CallbackOutcome>;
}

export interface CallbackServer {
  port: number;
  close(): Promise<void>;
}

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  // The page is static text: nothing to load, nothing to frame, nothing to keep.
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function callbackPage(outcome: CallbackOutcome): string {
  const title = outcome.ok ? 'Crier is connected to X' : 'Crier could not connect to X';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>`
    + '<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em}</style></head>'
    + `<body><h1>${title}</h1><p>${escapeHtml(outcome.message)}</p><p>You can close this tab and go back to Crier.</p></body></html>`;
}

/** Listens on 127.0.0.1 only. Rejects when the port is taken (EADDRINUSE), so the caller can say so. */
export async function startCallbackServer(options: CallbackServerOptions): Promise<CallbackServer> {
  const answer = (res: ServerResponse, status: number, outcome: CallbackOutcome): void => {
    const body = callbackPage(outcome);
    res.writeHead(status, { ...HEADERS, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) {
      answer(res, 404, { ok: false, message: 'Nothing here: this port only takes the answer of X\'s sign-in page.' });
      return;
    }
    options.onCallback(url.searchParams).then(
      (outcome) => answer(res, outcome.ok ? 200 : 400, outcome),
      () => answer(res, 500, { ok: false, message: 'The sign-in failed unexpectedly; the details are in the log.' }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
