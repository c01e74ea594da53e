// The built renderer pages, from the same origin as the API. Only files that really sit under the
// static root (after resolving symlinks) are served; anything else is a 404, never a directory
// listing or a file elsewhere on disk.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';
import { HttpError } from './http-error';
import { SECURITY_HEADERS } from './security-headers';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The Content-Type a built file is served with (also by the desktop's app:// protocol). */
export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

const notFound = (): HttpError => new HttpError(404, 'not-found', 'No such page.');

/** The file a URL path names inside root, or a 404. */
export async function resolveStatic(root: string, pathname: string): Promise<{ file: string; size: number }> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    throw notFound();
  }
  const parts = decoded.split(/[/\\]+/).filter(Boolean);
  if (parts.length === 0 || decoded.includes('\0') || parts.some((p) => p.startsWith('.'))) throw notFound();
  try {
    const realRoot = await realpath(root);
    const file = await realpath(join(realRoot, ...parts));
    if (!file.startsWith(realRoot + sep)) throw notFound();
    const info = await stat(file);
    if (!info.isFile()) throw notFound();
    return { file, size: info.size };
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw notFound();
  }
}

export function sendFile(res: ServerResponse, file: string, size: number, head: boolean): void {
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': contentTypeFor(file),
    'Content-Length': size,
    'Cache-Control': 'no-cache',
  });
  if (head) {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** Where `/` goes: the tasks page, or the placeholder while the pages are still being built. */
export async function landingPage(root: string): Promise<string> {
  for (const page of ['tasks.html', 'index.html']) {
    try {
      await resolveStatic(root, `/${page}`);
      return `/${page}`;
    } catch {
      // try the next one
    }
  }
  return '/tasks.html';
}
