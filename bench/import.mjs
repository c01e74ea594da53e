// Bulk work never freezes the app (issue 11), measured on a real `crier serve` (dist/cli.js; run
// after `node scripts/build.mjs`):
//   node bench/import.mjs [--quick] [--feeds N] [--trials N] [--storm-seconds S] [--startup-tasks N]
//                         [--parts import,storm,startup] [--cli PATH (another build's cli.js)] [--no-record]
//
// 1. Import. TRIALS times, on a fresh data dir each: POST /api/opml with an OPML of FEEDS
//    outlines (loopback feeds served by bench/import-servers.mjs in another process), timing the
//    answer. Meanwhile (a) bench/loop-probe.mjs, loaded into the server with `node --import`,
//    records the longest gap of a 5 ms timer — an upper bound on the longest event-loop turn —
//    and the main thread's CPU time in that gap (about what the gap would be on an idle
//    machine), and (b) a client sends GET /api/state every 10 ms and times each answer. Then,
//    for 5 s, how many feeds polled and the longest gap again: the first polls.
// 2. PATCH storm, on the last trial's server (FEEDS feeds): 50 clients PATCH random feeds'
//    names back to back for STORM_SECONDS (60; 10 with --quick) while a client sends
//    GET /api/state every 50 ms.
// 3. Start-up with 200,000 stored tasks (100,000 completed under historyLimit 100,000 and
//    100,000 failed under failedHistoryLimit 1,000,000, so none is pruned): time from spawning
//    `crier serve` to its listening line (one run; --startup-runs N for a median), then one
//    GET /api/state.
//
// Targets (PASS/FAIL printed; exit 0 either way unless something crashed — benchmarks inform):
//   - the import answers in ≤ 2,000 ms (median of the trials);
//   - no event-loop gap over 50 ms during the import (median of the trials' longest gaps);
//   - GET /api/state p99 ≤ 100 ms during the PATCH storm.
// Loopback only; every child stops with the run; a watchdog ends a stuck run.
/* global fetch */
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { figure, recordFigures } from './results.mjs';

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    feeds: { type: 'string', default: '1000' },
    trials: { type: 'string', default: '3' },
    'storm-seconds': { type: 'string' },
    'startup-tasks': { type: 'string', default: '200000' },
    'startup-runs': { type: 'string', default: '1' },
    cli: { type: 'string' },
    parts: { type: 'string', default: 'import,storm,startup' },
    'no-record': { type: 'boolean', default: false },
  },
});
const PARTS = new Set(opts.parts.split(','));
const FEEDS = Number(opts.feeds);
const TRIALS = Number(opts.trials);
const STORM_SECONDS = Number(opts['storm-seconds'] ?? (opts.quick ? 10 : 60));
const STORM_CLIENTS = 50;
const STARTUP_TASKS = Number(opts['startup-tasks']);
const STARTUP_RUNS = Number(opts['startup-runs']);
const FIRST_POLL_WINDOW_MS = 5000;
const TARGET_IMPORT_MS = 2000;
const TARGET_GAP_MS = 50;
const TARGET_STATE_P99_MS = 100;

const root = fileURLToPath(new URL('..', import.meta.url));
const cliPath = opts.cli ?? join(root, 'dist/cli.js');
const probeUrl = pathToFileURL(join(root, 'bench/loop-probe.mjs')).href;
const dir = mkdtempSync(join(tmpdir(), 'crier-bench-import-'));
const watchdog = setTimeout(() => { console.error('import bench: still running after 15 min, giving up'); cleanup(); process.exit(1); }, 15 * 60_000);
watchdog.unref();

const children = new Set();
function cleanup() {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const sorted = (xs) => [...xs].sort((a, b) => a - b);
const pct = (xs, p) => (xs.length ? sorted(xs)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)] : NaN);
const median = (xs) => pct(xs, 50);
const f0 = (x) => x.toFixed(0);
const f1 = (x) => x.toFixed(1);
const verdict = (ok) => (ok ? 'PASS' : 'FAIL');

function startFeedServer() {
  const child = spawn(process.execPath, [join(root, 'bench/import-servers.mjs'), String(FEEDS)], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.add(child);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`feed server exited early (${code})`)));
    createInterface({ input: child.stdout }).once('line', (line) => resolve({ child, ...JSON.parse(line) }));
  });
}

const LISTENING = /^Crier listening on (http:\/\/[^/]+)\/\?token=([A-Za-z0-9_-]+)$/;

/** A real `crier serve` with the loop probe loaded and an IPC channel to ask it. */
function startServe(dataDir, timeoutMs = 60_000) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CRIER_')));
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', probeUrl, cliPath, 'serve', '--port', '0', '--data-dir', dataDir],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  children.add(child);
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (c) => { stderr = (stderr + c).slice(-4000); });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`crier serve did not listen within ${timeoutMs} ms\n${stderr}`)), timeoutMs);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`crier serve exited (${code})\n${stderr}`)); });
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      const m = LISTENING.exec(line);
      if (!m) return reject(new Error(`unexpected first line: ${line}`));
      resolve({ child, origin: m[1], token: m[2], startMs: performance.now() - started });
    });
  });
}

function stopServe(serve) {
  return new Promise((resolve) => {
    serve.child.removeAllListeners('exit');
    serve.child.once('exit', () => { children.delete(serve.child); resolve(); });
    serve.child.kill('SIGTERM');
  });
}

function ask(child, message) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(message);
  });
}

async function api(serve, method, path, body, contentType = 'application/json') {
  const res = await fetch(`${serve.origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${serve.token}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

/** GET /api/state every `everyMs` (or as soon as the last one answered, if later), timing each. */
function stateProbe(serve, everyMs) {
  const latencies = [];
  let failures = 0;
  let running = true;
  const done = (async () => {
    const first = performance.now();
    for (let n = 0; running; n++) {
      await sleep(first + n * everyMs - performance.now());
      if (!running) break;
      const t = performance.now();
      // A server that stalls past its own timeouts drops the connection: that call counts as
      // answered when it failed, which understates the stall, never hides it.
      await api(serve, 'GET', '/api/state').catch(() => { failures++; });
      latencies.push(performance.now() - t);
    }
  })();
  return { async stop() { running = false; await done; return Object.assign(latencies, { failures }); } };
}

function opmlOf(base) {
  const outlines = Array.from({ length: FEEDS }, (_, f) => `    <outline type="rss" text="Import feed ${f}" xmlUrl="${base}/feed/${f}"/>`);
  return `<?xml version="1.0" encoding="utf-8"?>\n<opml version="2.0">\n  <head><title>bench</title></head>\n  <body>\n${outlines.join('\n')}\n  </body>\n</opml>\n`;
}

async function importTrial(n, feeds, keep) {
  const serve = await startServe(mkdtempSync(join(dir, `import-${n}-`)));
  await api(serve, 'GET', '/api/state');
  // A server that has fetched before, as one with feeds has: Node loads its fetch (undici) on the
  // first call, ~40 ms of one turn, and the parse worker starts on the first parse.
  await api(serve, 'POST', '/api/preview', { url: `${feeds.base}/feed/0` });
  await ask(serve.child, 'mark');
  const probe = stateProbe(serve, 10);
  const t = performance.now();
  const result = await api(serve, 'POST', '/api/opml', opmlOf(feeds.base), 'text/x-opml').catch((err) => ({ error: err }));
  const importMs = performance.now() - t;
  if (result.error) console.log(`  trial ${n}: the import failed after ${f0(importMs)} ms: ${result.error.cause?.code ?? result.error.message}`);
  const loop = await ask(serve.child, 'read');
  const probed = await probe.stop();
  if (!result.error && result.added !== FEEDS) throw new Error(`the import added ${result.added} feeds, not ${FEEDS}`);

  await ask(serve.child, 'mark');
  await sleep(FIRST_POLL_WINDOW_MS - (performance.now() - t - importMs));
  const after = await ask(serve.child, 'read');
  const state = await api(serve, 'GET', '/api/state');
  const polled = state.feeds.filter((f) => f.health.lastFetchedAt !== null).length;
  const r = { n, importMs, loop, probed, polled, afterGapMs: after.maxGapMs };
  console.log(`  trial ${n}: answered in ${f0(importMs)} ms; longest loop gap ${f1(loop.maxGapMs)} ms wall (${loop.stallsOver50} over 50 ms), ${f1(loop.maxCpuGapMs)} ms main-thread CPU (${loop.cpuStallsOver50} over 50 ms);` +
    ` GET /api/state meanwhile p50 ${f1(median(probed))} / p99 ${f1(pct(probed, 99))} / max ${f1(Math.max(...probed))} ms (${probed.length} calls, ${probed.failures} failed);` +
    ` ${polled} of ${FEEDS} feeds polled within ${FIRST_POLL_WINDOW_MS / 1000} s, longest loop gap then ${f1(after.maxGapMs)} ms wall, ${f1(after.maxCpuGapMs)} ms CPU`);
  if (!keep) await stopServe(serve);
  return { ...r, serve: keep ? serve : null, ids: state.feeds.map((f) => f.id) };
}

async function patchStorm(serve, ids) {
  await ask(serve.child, 'mark');
  const probe = stateProbe(serve, 50);
  const patchMs = [];
  let errors = 0;
  const reasons = new Set();
  const end = performance.now() + STORM_SECONDS * 1000;
  let count = 0;
  const client = async (c) => {
    while (performance.now() < end) {
      const id = ids[Math.floor(Math.random() * ids.length)];
      const t = performance.now();
      try {
        await api(serve, 'PATCH', `/api/feeds/${id}`, { name: `Storm ${c}.${count++}` });
        patchMs.push(performance.now() - t);
      } catch (err) {
        errors++;
        reasons.add(String(err.message ?? err).slice(0, 200));
      }
    }
  };
  await Promise.all(Array.from({ length: STORM_CLIENTS }, (_, c) => client(c)));
  const probed = await probe.stop();
  const loop = await ask(serve.child, 'read');
  const r = {
    patches: patchMs.length, errors, perSecond: patchMs.length / STORM_SECONDS,
    patchP50: median(patchMs), patchP99: pct(patchMs, 99),
    stateP50: median(probed), stateP99: pct(probed, 99), stateMax: Math.max(...probed), stateCalls: probed.length, loop,
  };
  console.log(`  ${r.patches} PATCHes in ${STORM_SECONDS} s (${f0(r.perSecond)}/s, ${errors} errors), each p50 ${f1(r.patchP50)} / p99 ${f1(r.patchP99)} ms`);
  for (const reason of [...reasons].slice(0, 5)) console.log(`    error: ${reason}`);
  console.log(`  GET /api/state meanwhile: p50 ${f1(r.stateP50)} / p99 ${f1(r.stateP99)} / max ${f1(r.stateMax)} ms (${r.stateCalls} calls, ${probed.failures} failed)`);
  console.log(`  longest loop gap ${f1(loop.maxGapMs)} ms wall (${loop.stallsOver50} over 50 ms), ${f1(loop.maxCpuGapMs)} ms main-thread CPU (${loop.cpuStallsOver50} over 50 ms)`);
  return r;
}

/** A data dir holding `count` tasks in the journal, as the store writes them (records.ts). */
function writeTaskDir(count) {
  const data = mkdtempSync(join(dir, 'startup-'));
  writeFileSync(join(data, 'settings.json'), JSON.stringify({ historyLimit: 100_000, failedHistoryLimit: 1_000_000, __internal__: { migrations: { version: '1.0.0' } } }, null, '\t'));
  const file = join(data, 'state.jsonl');
  writeFileSync(file, `${JSON.stringify({ t: 'header', format: 'crier-journal', version: 1 })}\n`);
  const base = Date.UTC(2026, 0, 1);
  const BATCH = 10_000;
  for (let start = 0; start < count; start += BATCH) {
    const lines = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) {
      const completed = i % 2 === 0;
      const at = new Date(base + i * 1000).toISOString();
      const feed = i % 1000;
      lines.push(JSON.stringify({
        t: 'task',
        v: {
          id: `task-${i}`, feedId: `feed-${feed}`, itemId: `urn:bench:${feed}:${i}`, itemTitle: `Feed ${feed} item ${i}: a headline of a usual length`,
          itemLink: `https://example.com/${feed}/posts/${i}`, text: `Feed ${feed} item ${i}: a headline of a usual length https://example.com/${feed}/posts/${i} #bench`,
          imageUrl: null, status: completed ? 'completed' : 'failed', attempts: completed ? 1 : 8, nextAttemptAt: null,
          error: completed ? null : { kind: 'server', message: 'X answered 503: Service Unavailable.', httpStatus: 503 },
          postId: completed ? String(1_900_000_000_000_000_000n + BigInt(i)) : null,
          postUrl: completed ? `https://x.com/crier/status/${1_900_000_000_000_000_000n + BigInt(i)}` : null,
          dryRun: false, note: null, createdAt: at, updatedAt: at,
        },
      }));
    }
    appendFileSync(file, `${lines.join('\n')}\n`);
  }
  return data;
}

async function startupWithTasks() {
  const template = writeTaskDir(STARTUP_TASKS);
  const times = [];
  let stateMs = NaN;
  let tasks = NaN;
  for (let n = 1; n <= STARTUP_RUNS; n++) {
    const data = mkdtempSync(join(dir, `startup-run-${n}-`));
    cpSync(template, data, { recursive: true });
    const serve = await startServe(data, 120_000);
    times.push(serve.startMs);
    if (n === STARTUP_RUNS) {
      const t = performance.now();
      const state = await api(serve, 'GET', '/api/state');
      stateMs = performance.now() - t;
      tasks = state.tasks.length;
    }
    await stopServe(serve);
    rmSync(data, { recursive: true, force: true });
  }
  console.log(`  spawn to listening line: ${times.map(f0).join(', ')} ms (median ${f0(median(times))}); then GET /api/state with ${tasks} tasks: ${f0(stateMs)} ms`);
  return { times, median: median(times), stateMs, tasks };
}

try {
  // Wall-clock gaps grow when other work shares the 2 cores: the load average says how much.
  const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`load average ${load()} (1, 5, 15 min)`);
  const targets = [];
  if (PARTS.has('import') || PARTS.has('storm')) {
    const feeds = await startFeedServer();
    console.log(`Import of ${FEEDS} feeds by POST /api/opml, ${TRIALS} trials (${cliPath})`);
    const trials = [];
    for (let n = 1; n <= TRIALS; n++) trials.push(await importTrial(n, feeds, n === TRIALS));
    const last = trials[trials.length - 1];
    const importMedian = median(trials.map((t) => t.importMs));
    const gapMedian = median(trials.map((t) => t.loop.maxGapMs));
    const cpuGapMedian = median(trials.map((t) => t.loop.maxCpuGapMs));
    targets.push(`  import of ${FEEDS} feeds answers, median of ${TRIALS} = ${f0(importMedian)} ms (target ≤ ${TARGET_IMPORT_MS} ms): ${verdict(importMedian <= TARGET_IMPORT_MS)}`);
    // The issue-13 figure, merged into bench/results.json (see results.mjs).
    if (!opts['no-record']) {
      recordFigures([figure(`OPML import of ${FEEDS.toLocaleString('en')} feeds: POST /api/opml answers`, trials.map((t) => t.importMs),
        { unit: 'ms', target: { op: '≤', value: TARGET_IMPORT_MS } })]);
    }
    targets.push(`  longest event-loop gap during the import, median of ${TRIALS} = ${f1(gapMedian)} ms wall (target ≤ ${TARGET_GAP_MS} ms): ${verdict(gapMedian <= TARGET_GAP_MS)}`);
    targets.push(`    of which the main thread's own CPU, median of ${TRIALS} = ${f1(cpuGapMedian)} ms (≤ ${TARGET_GAP_MS} ms: ${verdict(cpuGapMedian <= TARGET_GAP_MS)}; the rest is other jobs on the cores)`);

    if (PARTS.has('storm')) {
      console.log(`\nPATCH storm: ${STORM_CLIENTS} clients renaming random feeds of ${FEEDS} for ${STORM_SECONDS} s`);
      const storm = await patchStorm(last.serve, last.ids);
      targets.push(`  GET /api/state p99 during the PATCH storm = ${f1(storm.stateP99)} ms (target ≤ ${TARGET_STATE_P99_MS} ms): ${verdict(storm.stateP99 <= TARGET_STATE_P99_MS)}`);
      targets.push(`    longest loop gap during the storm: ${f1(storm.loop.maxGapMs)} ms wall, ${f1(storm.loop.maxCpuGapMs)} ms main-thread CPU`);
    }
    await stopServe(last.serve);
    feeds.child.kill('SIGTERM');
  }

  if (PARTS.has('startup')) {
    console.log(`\nStart-up with ${STARTUP_TASKS} stored tasks`);
    const startup = await startupWithTasks();
    targets.push(`  start-up with ${STARTUP_TASKS} tasks, median of ${STARTUP_RUNS} = ${f0(startup.median)} ms (figure only)`);
  }

  console.log('\nTargets');
  for (const line of targets) console.log(line);
  console.log(`load average at the end ${load()}`);
} finally {
  clearTimeout(watchdog);
  cleanup();
}
