// The pages' figures (issue 13), measured in Chromium against a real `crier serve`. Run after
// `node scripts/build.mjs` (npm run bench does both):
//   node bench/pages.mjs [--quick]
//
// Design. A temp data dir is seeded with TASKS tasks through the store itself (main/core/store,
// bundled with esbuild): a realistic mix of statuses, titles, post texts, errors and notes, about
// 700 bytes of JSON each, the queue paused by the user so nothing changes while we measure, and the
// feeds disabled so nothing is fetched. `node dist/cli.js serve` runs on it (loopback only).
// Debian's Chromium runs through playwright-core (a fresh temporary profile, the flags of
// test/e2e/support/browser.ts) and is left 2 s to finish its own start-up work; each trial then
// opens a fresh context (no cache, cookies or storage), sets the server's cookie and opens /tasks.html:
//   - first row painted: the Element Timing API's renderTime of the first task title (the row
//     builder marks titles with `elementtiming`), from the navigation's start — HTML, scripts, the
//     state load and the first paint of the list all count;
//   - scrolling: once every task is loaded, the list is scrolled by STEP px at every
//     requestAnimationFrame for FRAMES frames, and the p95 of the frame intervals (rAF timestamps)
//     is compared with the same scroll over a plain static list of the very rows the virtual list
//     showed (clones in normal flow, in the same page, same styles). The two take turns, ROUNDS
//     parts of the scroll each, so the ratio cancels out the machine and its load.
// Each figure is the median of TRIALS trials (--quick: one) and is merged by name into
// bench/results.json: { machine: { cores, node }, figures: [{ name, value, unit, target, pass, min,
// max, trials }] } (other benches write their own figures into the same file).
// Wall-clock figures grow with whatever else shares the cores: each trial prints the load average.
// Benchmarks inform; they do not gate CI: the exit code is 0 unless something crashed.
/* global window, document, requestAnimationFrame, PerformanceObserver -- the functions passed to page.evaluate run in the page */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const QUICK = process.argv.includes('--quick');
const TRIALS = QUICK ? 1 : 3;
const TASKS = 10_000;
const FRAMES = 300;
const STEP = 40;
/** The scroll is measured in this many parts, virtual and plain list in turn. */
const ROUNDS = 4;
const TARGET_FIRST_ROW_MS = 300;
const TARGET_SCROLL_RATIO = 1.25;
const VIEWPORT = { width: 1100, height: 800 };
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist/cli.js');
const resultsFile = join(root, 'bench/results.json');
if (!existsSync(cli)) {
  console.error('pages bench: dist/cli.js is missing; run `node scripts/build.mjs` first (npm run bench does).');
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'crier-bench-pages-'));
const watchdog = setTimeout(() => { console.error('pages bench: still running after 10 min, giving up'); process.exit(1); }, 600_000);
watchdog.unref();

// ---- the data dir -----------------------------------------------------------------------------

const shim = { js: "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);" };
await build({
  stdin: { contents: `export { openStore } from './main/core/store';
export { systemClock, silentLogger } from './main/core/ports';
export { DEFAULT_SETTINGS, newFeedConfig } from './main/core/defaults';`, resolveDir: root, loader: 'ts', sourcefile: 'store.ts' },
  outfile: join(dir, 'store.mjs'), bundle: true, platform: 'node', format: 'esm', target: 'node24', logLevel: 'error', banner: shim,
});
const { openStore, systemClock, silentLogger, DEFAULT_SETTINGS, newFeedConfig } = await import(pathToFileURL(join(dir, 'store.mjs')).href);

const STATUSES = ['completed', 'completed', 'completed', 'pending', 'failed', 'cancelled', 'completed', 'pending'];
const WORDS = 'release notes security advisory kernel merge window compiler benchmark database replication storage network protocol browser engine rendering pipeline scheduler memory allocator'.split(' ');

async function seed(dataDir) {
  const store = openStore(dataDir, { clock: systemClock, log: silentLogger });
  try {
    const settings = { ...DEFAULT_SETTINGS, historyLimit: 100_000, failedHistoryLimit: 100_000 };
    store.setSettings(settings);
    const feeds = Array.from({ length: 12 }, (_, i) => newFeedConfig(`feed-${i}`, `https://feed${i}.example.org/rss.xml`, settings,
      { enabled: false, name: i % 3 === 0 ? `Feed number ${i}` : null }));
    store.setFeeds(feeds);
    store.queueMemory.savePause({ reason: 'user', resumesAt: null, credentials: null });
    const now = Date.now();
    for (let i = 0; i < TASKS; i++) {
      const status = STATUSES[i % STATUSES.length];
      const at = new Date(now - i * 60_000).toISOString();
      const words = Array.from({ length: 6 + (i % 9) }, (_, k) => WORDS[(i * 7 + k * 3) % WORDS.length]).join(' ');
      const title = `Item ${i}: ${words}`;
      const link = `https://feed${i % 12}.example.org/posts/${i}/${words.replaceAll(' ', '-')}`;
      const text = `${title} — ${'a longer summary of what changed, why it matters and who it affects; '.repeat(1 + (i % 3))}`.slice(0, 250) + ` ${link}`;
      store.tasks.put({
        id: `task-${String(i).padStart(5, '0')}`, feedId: `feed-${i % 12}`, itemId: `${link}#${i}`, itemTitle: title, itemLink: link, text,
        imageUrl: i % 5 === 0 ? `https://feed${i % 12}.example.org/img/${i}.jpg` : null, status,
        attempts: status === 'pending' ? 0 : 1, nextAttemptAt: null,
        error: status === 'failed' ? { kind: 'invalid-post', message: 'X refused the post: the text is not allowed (400).', httpStatus: 400 } : null,
        postId: status === 'completed' ? String(1_900_000_000 + i) : null,
        postUrl: status === 'completed' ? `https://x.com/crier_bench/status/${1_900_000_000 + i}` : null,
        dryRun: false, note: i % 11 === 0 ? 'Image failed: posted text only' : null, createdAt: at, updatedAt: at,
      });
    }
  } finally {
    await store.close();
  }
}

// ---- crier serve --------------------------------------------------------------------------------

function startServe(dataDir) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CRIER_')));
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--data-dir', dataDir], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  // Its log goes to stderr: kept (the last 4 kB) for the error message, not printed.
  let log = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (c) => { log = (log + c).slice(-4096); });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`crier serve exited early (${code}): ${log}`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      const m = /^Crier listening on (http:\/\/[^/]+)\/\?token=(\S+)$/.exec(line);
      if (!m) { child.kill('SIGKILL'); reject(new Error(`unexpected first line: ${line}`)); return; }
      child.stdout.resume();
      resolve({ child, origin: m[1], token: m[2], port: Number(new URL(m[1]).port) });
    });
  });
}

function stopServe(child) {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    if (child.exitCode !== null) { resolve(); return; }
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

// ---- one trial ----------------------------------------------------------------------------------

/**
 * Collects the first task title's render time (Element Timing) before any page script runs, and
 * the long tasks (over 50 ms) of the main thread, for the breakdown printed beside it.
 */
const ELEMENT_TIMING = () => {
  window.__firstRow = null;
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push([Math.round(e.startTime), Math.round(e.duration)]);
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.identifier === 'task-title' && window.__firstRow === null) window.__firstRow = e.renderTime || e.loadTime || e.startTime;
    }
  }).observe({ type: 'element', buffered: true });
};

/**
 * Where the time before the first row went, from the navigation's start (ms): the HTML's and each
 * script's and state request's arrival, the document's parse, and the long tasks until then.
 */
const BREAKDOWN = () => {
  const r = (x) => Math.round(x);
  const nav = performance.getEntriesByType('navigation')[0];
  const parts = [`HTML ${r(nav.responseEnd)}`, `DOM parsed ${r(nav.domInteractive)}`, `DOMContentLoaded ${r(nav.domContentLoadedEventEnd)}`];
  for (const e of performance.getEntriesByType('resource')) {
    const path = new URL(e.name).pathname;
    if (/\.(js|css)$|^\/api\//.test(path)) parts.push(`${path.split('/').pop()} ${r(e.startTime)}–${r(e.responseEnd)}`);
  }
  const longs = window.__longTasks.filter(([at]) => at < window.__firstRow);
  parts.push(`long tasks before it: ${longs.map(([at, ms]) => `${ms} ms at ${at}`).join(', ') || 'none'}`);
  return parts.join('; ');
};

/**
 * Scrolls `selector` by `step` px each frame for `frames` frames from `from` px; the frame
 * intervals in ms (rAF timestamps), and where it got to.
 */
const SCROLL = async ([selector, from, frames, step]) => {
  const scroller = document.querySelector(selector);
  const nextFrame = () => new Promise((r) => requestAnimationFrame(r));
  scroller.scrollTop = from;
  await nextFrame(); await nextFrame(); await nextFrame();
  const intervals = [];
  let last = await nextFrame();
  for (let i = 0; i < frames; i++) {
    scroller.scrollTop += step;
    const t = await nextFrame();
    intervals.push(t - last);
    last = t;
  }
  return { intervals, reached: scroller.scrollTop };
};

/**
 * Beside the tasks list, a plain list of clones of every row the virtual list shows over the
 * scrolled distance, in normal flow, in a scroller of the same class (hidden until shown).
 */
const BUILD_PLAIN = async ([distance]) => {
  const scroller = document.getElementById('scroller');
  const nextFrame = () => new Promise((r) => requestAnimationFrame(r));
  const clones = new Map();
  const collect = () => {
    for (const row of document.querySelectorAll('#list > [aria-posinset]')) {
      const index = Number(row.getAttribute('aria-posinset'));
      if (!clones.has(index)) clones.set(index, row.cloneNode(true));
    }
  };
  for (let top = 0; top <= distance + scroller.clientHeight; top += Math.max(50, Math.floor(scroller.clientHeight / 2))) {
    scroller.scrollTop = top;
    await nextFrame(); await nextFrame();
    collect();
  }
  scroller.scrollTop = 0;
  const plainScroller = document.createElement('main');
  plainScroller.id = 'plain-scroller';
  plainScroller.className = 'list-scroller';
  plainScroller.hidden = true;
  const list = document.createElement('div');
  list.className = 'task-list';
  // In normal flow whatever the list's own styles say (older builds sized it from script).
  list.style.contain = 'none';
  list.style.height = 'auto';
  for (const index of [...clones.keys()].sort((a, b) => a - b)) {
    const row = clones.get(index);
    row.removeAttribute('aria-posinset');
    row.style.position = 'relative';
    row.style.transform = 'none';
    list.append(row);
  }
  plainScroller.append(list);
  scroller.after(plainScroller);
  await nextFrame(); await nextFrame();
  return clones.size;
};

/** Shows one of the two scrollers (the other is hidden: display none). */
const SHOW = (id) => {
  document.getElementById('scroller').hidden = id !== 'scroller';
  document.getElementById('plain-scroller').hidden = id !== 'plain-scroller';
};

function p95(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)];
}

async function trial(browser, serve, n) {
  {
    const context = await browser.newContext({ viewport: VIEWPORT });
    await context.addCookies([{ name: `crier_token_${serve.port}`, value: serve.token, url: serve.origin, httpOnly: true, sameSite: 'Strict' }]);
    const page = await context.newPage();
    const stateLoads = [];
    page.on('request', (r) => { const p = new URL(r.url()).pathname; if (p === '/api/state' || p === '/api/events') stateLoads.push(new URL(r.url()).pathname + new URL(r.url()).search); });
    await page.addInitScript(ELEMENT_TIMING);
    await page.goto(`${serve.origin}/tasks.html`);
    await page.waitForFunction(() => window.__firstRow !== null, null, { timeout: 60_000 });
    const firstRowMs = await page.evaluate(() => window.__firstRow);
    const breakdown = await page.evaluate(BREAKDOWN);
    // Every task loaded: the list is as tall as 10,000 rows.
    await page.waitForFunction((total) => document.querySelector('.filter-all .filter-count')?.textContent?.replace(/\D/g, '') === String(total)
      && document.getElementById('scroller').scrollHeight > total * 60, TASKS, { timeout: 60_000 });
    await page.waitForTimeout(500);
    const rows = await page.evaluate(BUILD_PLAIN, [FRAMES * STEP]);
    // The same stretch of rows in ROUNDS parts, virtual and plain in turn, so a burst of load on
    // this machine falls on both lists alike.
    const virtual = [];
    const plain = [];
    const part = FRAMES / ROUNDS;
    for (let r = 0; r < ROUNDS; r++) {
      for (const [id, out] of [['scroller', virtual], ['plain-scroller', plain]]) {
        await page.evaluate(SHOW, id);
        const run = await page.evaluate(SCROLL, [`#${id}`, r * part * STEP, part, STEP]);
        // Scroll anchoring may shift the virtual list by a row's misestimate; more is worth saying.
        if (Math.abs(run.reached - (r + 1) * part * STEP) > VIEWPORT.height) console.log(`    note: #${id} ended at ${run.reached} px, not ${(r + 1) * part * STEP}`);
        out.push(...run.intervals);
      }
    }
    const v = p95(virtual);
    const p = p95(plain);
    console.log(`  trial ${n}: first row ${firstRowMs.toFixed(0)} ms; scroll p95 ${v.toFixed(1)} ms virtual vs ${p.toFixed(1)} ms plain `
      + `(${rows} rows, ${FRAMES} frames each); state requests: ${stateLoads.join(', ')}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log(`    before the first row: ${breakdown}`);
    await context.close();
    return { firstRowMs, scrollRatio: v / p, virtualP95: v, plainP95: p };
  }
}

/**
 * A context with nothing in it yet, after the browser's own start-up work (fonts, its built-in
 * pages) has settled: what is measured is our page, not Chromium starting.
 */
async function settledBrowser() {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  await page.goto('about:blank');
  await page.waitForTimeout(2000);
  await context.close();
  return browser;
}

// ---- figures ------------------------------------------------------------------------------------

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function figure(name, values, unit, target, pass) {
  const value = median(values);
  return { name, value: Number(value.toFixed(unit === 'ratio' ? 2 : 0)), unit, target, pass: pass(value),
    min: Number(Math.min(...values).toFixed(2)), max: Number(Math.max(...values).toFixed(2)), trials: values.length };
}

function writeResults(figures) {
  let results = { machine: { cores: availableParallelism(), node: process.version }, figures: [] };
  try {
    const old = JSON.parse(readFileSync(resultsFile, 'utf8'));
    if (Array.isArray(old?.figures)) results.figures = old.figures;
  } catch { /* no file yet, or unreadable: start afresh */ }
  const mine = new Set(figures.map((f) => f.name));
  results = { ...results, figures: [...results.figures.filter((f) => !mine.has(f.name)), ...figures] };
  writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
}

let serve = null;
try {
  const dataDir = join(dir, 'data');
  const seeding = performance.now();
  await seed(dataDir);
  console.log(`seeded ${TASKS.toLocaleString('en')} tasks in ${(performance.now() - seeding).toFixed(0)} ms`);
  serve = await startServe(dataDir);
  const trials = [];
  const browser = await settledBrowser();
  try {
    // Each trial in a fresh context: no cache, cookies or storage from the one before.
    for (let i = 1; i <= TRIALS; i++) trials.push(await trial(browser, serve, i));
  } finally {
    await browser.close();
  }
  const figures = [
    figure(`tasks page, ${TASKS.toLocaleString('en')} tasks: first row painted`, trials.map((t) => t.firstRowMs), 'ms', `< ${TARGET_FIRST_ROW_MS} ms`, (v) => v < TARGET_FIRST_ROW_MS),
    figure(`tasks page, ${TASKS.toLocaleString('en')} tasks, scrolling: frame time p95 ÷ a plain list's`, trials.map((t) => t.scrollRatio), 'ratio', `≤ ${TARGET_SCROLL_RATIO}`, (v) => v <= TARGET_SCROLL_RATIO),
  ];
  console.log(`\nFigures (median of ${TRIALS} trial${TRIALS === 1 ? '' : 's'})`);
  for (const f of figures) console.log(`  ${f.name}: ${f.value} ${f.unit === 'ratio' ? '' : f.unit} (min ${f.min}, max ${f.max}; target ${f.target}): ${f.pass ? 'PASS' : 'FAIL'}`);
  writeResults(figures);
} finally {
  if (serve) await stopServe(serve.child);
  rmSync(dir, { recursive: true, force: true });
}
