// Shared plumbing for browser tests: Debian's Chromium through playwright-core, a static
// server for dist/renderer, the fake bridge, and a watch for anything the page complains about.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { StateSnapshot } from '../../../preload/contract';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const RENDERER_DIST = join(ROOT, 'dist/renderer');
export const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'";

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    // playwright gives each launch a fresh temporary user data dir.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.map': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
};

export interface StaticServer { url: string; close(): Promise<void> }

/** Serves a directory on 127.0.0.1 with the app's CSP header, as `crier serve` would. */
export async function serveStatic(dir: string): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path === '/' ? 'tasks.html' : path);
    readFile(file).then((body) => {
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': CSP });
      res.end(body);
    }, () => { res.writeHead(404, { 'Content-Type': 'text/plain' }); res.end('not found'); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

let bridgeSource: string | null = null;
/** The fake bridge bundled as a classic script for addInitScript. */
export function fakeBridgeScript(): string {
  bridgeSource ??= buildSync({ entryPoints: [join(ROOT, 'test/e2e/support/fake-bridge.ts')], bundle: true, format: 'iife',
    platform: 'browser', target: 'chrome130', write: false }).outputFiles[0]?.text ?? '';
  return bridgeSource;
}

/** Installs window.crier (the fake) seeded with `snapshot` before any page script runs. */
export async function installFakeBridge(page: Page, snapshot: StateSnapshot): Promise<void> {
  await page.addInitScript({ content: `window.__crierSeed = ${JSON.stringify(snapshot)};` });
  await page.addInitScript({ content: fakeBridgeScript() });
}

export interface PageWatch {
  /** Console errors, page errors, CSP violations and dialogs, in order. */
  problems: string[];
}

/** Records everything that must not happen: console errors, uncaught errors, CSP violations, dialogs. */
export async function watchPage(page: Page): Promise<PageWatch> {
  const watch: PageWatch = { problems: [] };
  page.on('console', (m) => { if (m.type() === 'error') watch.problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => watch.problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => { watch.problems.push(`dialog: ${d.type()} ${d.message()}`); void d.dismiss(); });
  await page.exposeFunction('__reportProblem', (s: string) => { watch.problems.push(s); });
  await page.addInitScript(() => {
    const report = (window as unknown as { __reportProblem(s: string): void }).__reportProblem;
    document.addEventListener('securitypolicyviolation', (e) => report(`csp: ${e.violatedDirective} ${e.blockedURI}`));
  });
  return watch;
}

/**
 * Builds the renderer pages into `outDir` without touching dist/ (other suites run the built CLI
 * from there at the same time).
 */
export async function buildRenderer(outDir: string): Promise<void> {
  const { buildRenderer: build } = await import('../../../scripts/build-renderer.mjs');
  await build(outDir);
}
