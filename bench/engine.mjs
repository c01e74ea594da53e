// Crier's central claim, measured: a poll never waits for a post. Run after `node scripts/build.mjs`:
//   node bench/engine.mjs
//
// Design. The engine runs in this process through openEngine (main/core/engine.ts, bundled with
// esbuild into a temp dir), so the event-loop figures are the engine's own. The world it talks
// to runs in a child process (bench/engine-servers.mjs), so the servers' work is not on the loop
// being measured: FEEDS RSS feeds of ITEMS items over loopback HTTP (each fetch shows one new
// item), and the HTTPS fake X API (test/support/fake-x-api.ts) behind a front that holds every
// request for the scenario's delay. The X account is the engine's own seam, EngineExtras.account,
// built like createEnvAccount from the CRIER_X_* variables also passed in the engine's env, plus
// an https.Agent trusting the fake's certificate — no engine code changes, no NODE_EXTRA_CA_CERTS.
//
// Each scenario gets a fresh data dir and a fresh fake (so no post meets a duplicate of the
// last scenario's), settings { minPostGapSeconds 0, dailyCap 2400 }, then:
//   1. adds FEEDS feeds with backfill BACKFILL and waits for their first polls: FEEDS × BACKFILL
//      posts queue up and the queue starts posting them, one at a time;
//   2. runs CYCLES "poll now" cycles over all feeds, one a second (each fetches, parses and takes
//      in one new item per feed), timing each, while posts are in flight;
//   3. reports event-loop lag (monitorEventLoopDelay minus its resolution; from step 1 to the
//      end, and for step 2 alone) and posts completed per second while the queue had a backlog
//      (from step 1 until it first ran dry, or the end: a starved queue is not a slow one).
// Scenario A: X answers in ~5 ms (the baseline). Scenario B: X answers in ~2 s. A is the busier
// loop — its queue signs, sends and records ~100 posts a second beside the polls — so B/A may
// well come out below 1; what the ratio catches is a poll that waits: B's cycles would then
// take seconds.
//
// Targets (PASS/FAIL printed; exit 0 either way unless something crashed — benchmarks inform,
// they do not gate CI):
//   - median poll cycle B / median poll cycle A ≤ 1.5  (≈ 1 if a poll never waits for a post;
//     were it to wait for even one post, B's cycles would take ≥ 2 s)
//   - event-loop lag p99 ≤ 50 ms in both scenarios
// Loopback only; the child and every timer stop by themselves; a watchdog ends a stuck run.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const FEEDS = 40;
const ITEMS = 50;
const BACKFILL = 25;
const CYCLES = 10;
/** A cycle starts every this often (or when the last one ends, if later). */
const CYCLE_EVERY_MS = 1000;
const SCENARIOS = [{ name: 'A', label: 'X answers in ~5 ms', delayMs: 5 }, { name: 'B', label: 'X answers in ~2 s', delayMs: 2000 }];
const TARGET_RATIO = 1.5;
const TARGET_LAG_P99_MS = 50;
const LAG_RESOLUTION_MS = 5;

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'crier-bench-engine-'));
const watchdog = setTimeout(() => { console.error('engine bench: still running after 120 s, giving up'); process.exit(1); }, 120_000);
watchdog.unref();

// Bundled whole (the temp dir has no node_modules); CommonJS dependencies need the require shim.
const shim = { js: "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);" };
const bundle = (contents, file) => build({
  stdin: { contents, resolveDir: root, loader: 'ts', sourcefile: file }, outfile: join(dir, file), bundle: true,
  platform: 'node', format: 'esm', target: 'node24', external: ['esbuild'], logLevel: 'error', banner: shim,
  // twitter-text requires Node's deprecated built-in punycode; the same code from npm keeps stderr quiet.
  alias: { punycode: 'punycode/' },
});
await bundle(`export { openEngine } from './main/core/engine';
export { createXClient } from './main/core/x/client';
export { apiBaseFromEnv, credentialsFromEnv } from './main/core/x/credentials';
export { silentLogger } from './main/core/ports';`, 'engine.mjs');
await bundle(`export { startFakeXApi } from './test/support/fake-x-api';
export { testTls } from './test/support/tls';`, 'fake-x-api.mjs');
// The executor finds its worker beside the bundle that runs it, as in dist/.
await build({ entryPoints: [join(root, 'main/core/feeds/parse-worker.ts')], outfile: join(dir, 'parse-worker.js'), bundle: true, platform: 'node', format: 'esm', target: 'node24', logLevel: 'error', banner: shim });
const { openEngine, createXClient, apiBaseFromEnv, credentialsFromEnv, silentLogger } = await import(pathToFileURL(join(dir, 'engine.mjs')).href);

function startServers(delayMs) {
  const child = spawn(process.execPath, [join(root, 'bench/engine-servers.mjs'), join(dir, 'fake-x-api.mjs'), String(delayMs), String(FEEDS), String(ITEMS)], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench servers exited early (${code})`)));
    createInterface({ input: child.stdout }).once('line', (line) => resolve({ child, ...JSON.parse(line) }));
  });
}

function stopServers(child) {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

const ms = (ns) => ns / 1e6;
const sleep = (delay) => new Promise((resolve) => setTimeout(resolve, Math.max(0, delay)));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function runScenario({ name, label, delayMs }) {
  const servers = await startServers(delayMs);
  const dataDir = mkdtempSync(join(dir, `data-${name}-`));
  const env = {
    CRIER_X_API_BASE: servers.xBase,
    CRIER_X_APP_KEY: servers.credentials.appKey, CRIER_X_APP_SECRET: servers.credentials.appSecret,
    CRIER_X_ACCESS_TOKEN: servers.credentials.accessToken, CRIER_X_ACCESS_SECRET: servers.credentials.accessSecret,
  };
  const httpsAgent = new Agent({ keepAlive: true, ca: servers.caPem });
  const client = createXClient({ credentials: credentialsFromEnv(env), apiBase: apiBaseFromEnv(env), log: silentLogger, httpsAgent });
  let handle = null;
  const account = {
    client: () => client,
    state: () => ({ connected: true, handle, method: 'oauth1', secretsProtected: true }),
    setHandle(next) { handle = next; },
    connect: () => Promise.reject(new Error('not in the bench')),
    disconnect: () => Promise.reject(new Error('not in the bench')),
  };
  const engine = await openEngine({ dataDir, env, log: silentLogger, headless: true }, { account });

  // Posts are counted as their tasks reach a final state, from the engine's own deltas.
  // Throughput counts only while the queue had a backlog: once it runs dry it is starved, not slow.
  const settled = new Map();
  let backlog = true;
  let settledInBacklog = 0;
  let dryAt = null;
  const unsubscribe = engine.onDelta((delta) => {
    for (const task of delta.tasks ?? []) {
      if ((task.status === 'completed' || task.status === 'failed') && !settled.has(task.id)) {
        settled.set(task.id, task.status);
        if (backlog && task.status === 'completed') settledInBacklog++;
      }
    }
    const counts = delta.queue?.counts;
    if (backlog && queuedSeen && counts && counts.pending + counts.running === 0) {
      backlog = false;
      dryAt = performance.now();
    }
  });
  let queuedSeen = false;
  try {
    await engine.updateSettings({ minPostGapSeconds: 0, dailyCap: 2400 });
    const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
    lag.enable();
    const started = performance.now();

    for (const url of servers.feedUrls) await engine.addFeed({ url, backfill: BACKFILL });
    await engine.pollNow(); // joins the first polls the adds started
    const backfillMs = performance.now() - started;
    const queued = (await engine.getState()).queue.counts;
    queuedSeen = true;

    // The cycles alone too: the add phase (40 adds, 1,000 posts composed) is a burst of its own.
    const cycleLag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
    cycleLag.enable();
    const cycles = [];
    const first = performance.now();
    for (let c = 0; c < CYCLES; c++) {
      await sleep(first + c * CYCLE_EVERY_MS - performance.now());
      const { counts } = (await engine.getState()).queue;
      const t = performance.now();
      await engine.pollNow();
      cycles.push({ ms: performance.now() - t, waiting: counts.pending + counts.running });
    }
    const ended = performance.now();
    lag.disable();
    cycleLag.disable();

    const state = await engine.getState();
    const failed = [...settled.values()].filter((s) => s === 'failed').length;
    const unhealthy = state.feeds.filter((f) => f.health.lastError !== null).length;
    const left = state.queue.counts.pending + state.queue.counts.running;
    const busyS = ((dryAt ?? ended) - started) / 1000;
    const lagOf = (h) => {
      const at = (ns) => Math.max(0, ms(ns) - LAG_RESOLUTION_MS);
      return { p50: at(h.percentile(50)), p99: at(h.percentile(99)), max: at(h.max) };
    };
    const result = {
      name, label, backfillMs, cycles,
      medianCycleMs: median(cycles.map((c) => c.ms)),
      lag: lagOf(lag), cycleLag: lagOf(cycleLag),
      completed: settled.size - failed, failed, postsPerSecond: settledInBacklog / busyS, settledInBacklog, busyS, ranDry: dryAt !== null,
      queuedAfterBackfill: queued.pending + queued.running, left, unhealthy,
    };
    print(result);
    return result;
  } finally {
    unsubscribe();
    const closing = performance.now();
    await engine.close(); // lets the post in flight finish (B: up to ~2 s)
    httpsAgent.destroy();
    await stopServers(servers.child);
    console.log(`  closed in ${(performance.now() - closing).toFixed(0)} ms`);
  }
}

function print(r) {
  console.log(`\nScenario ${r.name}: ${r.label}; ${FEEDS} feeds × ${ITEMS} items, backfill ${BACKFILL}, minPostGapSeconds 0`);
  console.log(`  add ${FEEDS} feeds + first polls: ${r.backfillMs.toFixed(0)} ms; then ${r.queuedAfterBackfill} posts pending or in flight`);
  console.log(`  poll-now cycles over all feeds (ms; posts pending or in flight at the start):`);
  console.log(`    ${r.cycles.map((c) => `${c.ms.toFixed(0)} (${c.waiting})`).join('  ')}`);
  console.log(`  median poll cycle: ${r.medianCycleMs.toFixed(0)} ms`);
  const lagLine = (l) => `p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms, max ${l.max.toFixed(1)} ms`;
  console.log(`  event-loop lag, whole run: ${lagLine(r.lag)}`);
  console.log(`  event-loop lag, poll cycles only: ${lagLine(r.cycleLag)}`);
  console.log(`  posts completed: ${r.completed}, failed ${r.failed}, still queued at the end ${r.left}`);
  console.log(`  throughput: ${r.settledInBacklog} posts in ${r.busyS.toFixed(1)} s${r.ranDry ? ' (until the queue first ran dry)' : ''} = ${r.postsPerSecond.toFixed(1)} posts/s`);
  if (r.unhealthy) console.log(`  WARNING: ${r.unhealthy} feeds report an error`);
}

try {
  const results = [];
  for (const scenario of SCENARIOS) results.push(await runScenario(scenario));
  const [A, B] = results;
  const ratio = B.medianCycleMs / A.medianCycleMs;
  const verdict = (ok) => (ok ? 'PASS' : 'FAIL');
  console.log('\nTargets');
  console.log(`  poll cycle B/A = ${B.medianCycleMs.toFixed(0)} / ${A.medianCycleMs.toFixed(0)} ms = ${ratio.toFixed(2)} (target ≤ ${TARGET_RATIO}): ${verdict(ratio <= TARGET_RATIO)}`);
  for (const r of results) {
    console.log(`  event-loop lag p99, scenario ${r.name} = ${r.lag.p99.toFixed(1)} ms (target ≤ ${TARGET_LAG_P99_MS} ms): ${verdict(r.lag.p99 <= TARGET_LAG_P99_MS)}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
