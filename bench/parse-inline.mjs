// Where inline parsing stops paying: parse time on the calling thread vs a round trip through
// one warm parse worker, for RSS documents of growing size. Run after `node scripts/build.mjs`:
//   node bench/parse-inline.mjs
// A worker never wins on latency (same work plus a round trip); it wins on how long the main
// thread is blocked. The executor's default inlineBelowBytes (16 KB) keeps inline parses to ~2 ms.
import { performance } from 'node:perf_hooks';
import { TextEncoder } from 'node:util';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'crier-bench-'));
const out = join(dir, 'parse-document.mjs');
// Bundled whole (the temp dir has no node_modules); iconv-lite is CommonJS, hence the require shim.
await build({ entryPoints: ['main/core/feeds/parse-document.ts'], outfile: out, bundle: true, platform: 'node', format: 'esm', logLevel: 'error',
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" } });
const { parseDocument } = await import(out);

const item = (i) => `<item><title>Item ${i}</title><link>https://example.com/${i}</link><guid>urn:${i}</guid><pubDate>Tue, 03 Jun 2025 09:39:21 GMT</pubDate><description>&lt;p&gt;Some text about item ${i}, long enough to look real.&lt;/p&gt;</description></item>`;
const doc = (n) => new TextEncoder().encode(`<rss version="2.0"><channel><title>b</title>${Array.from({ length: n }, (_, i) => item(i)).join('')}</channel></rss>`);

const worker = new Worker(new URL('../dist/parse-worker.js', import.meta.url));
let pending = null;
worker.on('message', (m) => { if (m.type === 'done' || m.type === 'error') pending?.(); });
const viaWorker = (bytes) => new Promise((resolve) => { pending = resolve; const copy = new Uint8Array(bytes); worker.postMessage({ id: 1, bytes: copy, contentType: null, baseUrl: 'https://example.com/' }, [copy.buffer]); });

const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log('bytes\tinline ms\tworker ms');
for (const n of [5, 10, 20, 40, 80, 160, 320]) {
  const bytes = doc(n);
  const inline = [];
  const pooled = [];
  for (let r = 0; r < 25; r++) {
    let t = performance.now(); parseDocument(bytes, null, 'https://example.com/'); inline.push(performance.now() - t);
    t = performance.now(); await viaWorker(bytes); pooled.push(performance.now() - t);
  }
  console.log(`${bytes.byteLength}\t${median(inline).toFixed(2)}\t\t${median(pooled).toFixed(2)}`);
}
await worker.terminate();
rmSync(dir, { recursive: true, force: true });
