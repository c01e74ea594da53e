// The pages load from app://crier/<page>, not file://, so the CSP's 'self' and the IPC sender
// check have an origin to mean. The scheme must be privileged before 'ready' (standard, secure,
// fetch-capable); the handler serves only files under the built renderer directory, with the
// same security headers the headless server sends.
import { readFile } from 'node:fs/promises';
import type { Protocol } from 'electron';
import { APP_ORIGIN } from '../../preload/ipc-channels';
import { SECURITY_HEADERS } from '../shell/security-headers';
import { contentTypeFor, resolveStatic } from '../shell/static-files';

export const APP_SCHEME = 'app';
export const APP_HOST = 'crier';

export type PageName = 'tasks' | 'settings';

export function pageUrl(page: PageName, hash?: string): string {
  return `${APP_ORIGIN}/${page}.html${hash ? `#${hash}` : ''}`;
}

/** True for URLs of our own pages (app://crier/...), the only ones windows may show. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Before app 'ready', or Chromium treats app:// as an opaque, insecure origin. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

function notFound(): Response {
  return new Response('Not found', {
    status: 404,
    headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}

/** The protocol handler: files under `root` for app://crier/<path>, a 404 for anything else. */
export function createPageHandler(root: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return notFound();
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return notFound();
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return notFound();
    let file: string;
    let body: Buffer;
    try {
      // resolveStatic refuses dot-segments, encoded separators and symlinks out of root.
      ({ file } = await resolveStatic(root, url.pathname));
      body = await readFile(file);
    } catch {
      return notFound();
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: {
        ...SECURITY_HEADERS,
        'Content-Type': contentTypeFor(file),
        'Content-Length': String(body.byteLength),
        'Cache-Control': 'no-cache',
      },
    });
  };
}

export function serveAppProtocol(protocol: Pick<Protocol, 'handle'>, root: string): void {
  protocol.handle(APP_SCHEME, createPageHandler(root));
}
