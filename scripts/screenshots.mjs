// `npm run screenshots`: light and dark PNGs of the tasks and settings pages with realistic fake data,
// rendered by Debian's Chromium through the fake preload bridge (no server, no network).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, buildSync } from 'esbuild';
import { chromium } from 'playwright-core';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
// The pages are built here into a temp dir, so a half-finished engine elsewhere in the tree
// (which would stop scripts/build.mjs) never blocks a screenshot.
const dist = mkdtempSync(join(tmpdir(), 'crier-shots-'));
const src = join(root, 'renderer');
const pages = readdirSync(src).filter((f) => f.endsWith('.html')).map((f) => join(src, f.replace(/\.html$/, '.ts'))).filter(existsSync);
await build({ bundle: true, platform: 'browser', format: 'esm', target: 'chrome130', entryPoints: pages, outdir: dist, logLevel: 'warning' });
for (const f of readdirSync(src)) if (/\.(html|css|svg|png)$/.test(f)) cpSync(join(src, f), join(dist, f));
const outDir = join(root, 'docs/screenshots');
mkdirSync(outDir, { recursive: true });

const bundle = (entry, format) => buildSync({ entryPoints: [join(root, entry)], bundle: true, format, platform: 'browser',
  target: 'chrome130', write: false }).outputFiles[0].text;
const fixtures = await import(`data:text/javascript;base64,${Buffer.from(bundle('test/e2e/support/fixtures.ts', 'esm')).toString('base64')}`);
const bridge = bundle('test/e2e/support/fake-bridge.ts', 'iife');

const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };
const server = createServer((req, res) => {
  const path = normalize(new URL(req.url ?? '/', 'http://x').pathname).replace(/^(\.\.[/\\])+/, '');
  try {
    const body = readFileSync(join(dist, path));
    res.writeHead(200, { 'Content-Type': types[extname(path)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'] });
try {
  for (const scheme of ['light', 'dark']) {
    const context = await browser.newContext({ viewport: { width: 1120, height: 860 }, deviceScaleFactor: 2, colorScheme: scheme,
      reducedMotion: 'reduce' });
    const now = Date.now();
    const shots = [
      { name: 'tasks', seed: fixtures.realisticSnapshot(now), ready: '.task', fullPage: false },
      // The settings page scrolls; the whole of it shows every section.
      { name: 'settings', seed: fixtures.settingsSnapshot(now), ready: '.feed-card', fullPage: true },
    ];
    for (const shot of shots) {
      const page = await context.newPage();
      await page.addInitScript({ content: `window.__crierSeed = ${JSON.stringify(shot.seed)};` });
      await page.addInitScript({ content: bridge });
      await page.goto(`${base}/${shot.name}.html`);
      await page.locator(shot.ready).first().waitFor();
      await page.waitForTimeout(300);
      const file = join(outDir, `${shot.name}-${scheme}.png`);
      await page.screenshot({ path: file, fullPage: shot.fullPage });
      console.log(`wrote ${file}`);
      await page.close();
    }
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
  rmSync(dist, { recursive: true, force: true });
}
