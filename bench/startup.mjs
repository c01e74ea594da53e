// Start-up time and what is loaded at start (issue 13), measured on a real `crier serve`
// (dist/cli.js; run after `node scripts/build.mjs`):
//   node bench/startup.mjs [--quick] [--trials N] [--tasks N] [--cli PATH (another build's dist/cli.js)]
//                          [--against PATH (a second build's dist/cli.js, timed in the same trials)] [--no-record]
//                          [--seed-only DIR (seed DIR with the data dir and exit, to profile a start by hand)]
//
// Start-up: the time from spawning `node dist/cli.js serve --data-dir D --port 0` to its first
// stdout line (the listening line, written once the store is open, the engine started and the
// server listening), with D seeded by the real store with TASKS tasks (10,000: completed, failed,
// cancelled and pending, none past the history limits) and 100 enabled feeds, each with its
// runtime (next poll a day away, so nothing is fetched) and a seen record of 200 ids and links.
// Each trial gets a fresh copy of D (a start-up rewrites the journal). No CRIER_X_* variables:
// no account, as on a first start. The figure is the median of TRIALS trials (5; --quick: 1).
// Beside it, in the same run, the baseline: spawning `node -e "console.log(1)"` to its first
// line, what any Node program costs here before its own code runs. On Linux also the CPU time
// the process had used by its listening line (/proc/PID/stat, all its threads): other work on a
// shared machine stretches the wall-clock figure far more than this one.
//
// Loaded at start: one more start (not timed) with bench/load-probe.mjs imported into the
// server, which notes every node_modules file loaded: the packages, their files and bytes, and
// the process's RSS and live heap (after a GC) once it is listening.
//
// The start-up figure (target < 300 ms) is merged into bench/results.json by bench/results.mjs;
// the rest is printed beside it. Benchmarks inform; they do not gate CI: the exit code is 0
// unless something crashed. Loopback only; a watchdog ends a stuck run.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { figure, load, median, printFigures, recordFigures } from './results.mjs';

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    trials: { type: 'string' },
    tasks: { type: 'string', default: '10000' },
    cli: { type: 'string' },
    against: { type: 'string' },
    'no-record': { type: 'boolean', default: false },
    'seed-only': { type: 'string' },
  },
});
const TRIALS = Number(opts.trials ?? (opts.quick ? 1 : 5));
const TASKS = Number(opts.tasks);
const FEEDS = 100;
const SEEN_PER_FEED = 200;
const TARGET_STARTUP_MS = 300;

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = opts.cli ?? join(root, 'dist/cli.js');
const probe = pathToFileURL(join(root, 'bench/load-probe.mjs')).href;
if (!existsSync(cli)) {
  console.error('startup bench: dist/cli.js is missing; run `node scripts/build.mjs` first (npm run bench does).');
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'crier-bench-startup-'));
const against = opts.against ?? null;
const children = new Set();
function cleanup() {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
const watchdog = setTimeout(() => { console.error('startup bench: still running after 10 min, giving up'); cleanup(); process.exit(1); }, 600_000);
watchdog.unref();

const f0 = (x) => x.toFixed(0);
const mb = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;

// ---- the data dir -----------------------------------------------------------------------------

const shim = { js: "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);" };
await build({
  stdin: { contents: `export { openStore } from './main/core/store';
export { systemClock, silentLogger } from './main/core/ports';
export { DEFAULT_SETTINGS, newFeedConfig, emptyHealth } from './main/core/defaults';`, resolveDir: root, loader: 'ts', sourcefile: 'store.ts' },
  outfile: join(dir, 'store.mjs'), bundle: true, platform: 'node', format: 'esm', target: 'node24', logLevel: 'error', banner: shim,
});
const { openStore, systemClock, silentLogger, DEFAULT_SETTINGS, newFeedConfig, emptyHealth } = await import(pathToFileURL(join(dir, 'store.mjs')).href);

const STATUSES = ['completed', 'completed', 'completed', 'completed', 'failed', 'cancelled', 'completed', 'pending'];

async function seed(dataDir) {
  const store = openStore(dataDir, { clock: systemClock, log: silentLogger });
  try {
    const settings = { ...DEFAULT_SETTINGS, historyLimit: 100_000, failedHistoryLimit: 100_000 };
    store.setSettings(settings);
    const now = Date.now();
    const feeds = Array.from({ length: FEEDS }, (_, f) => newFeedConfig(`feed-${f}`, `http://127.0.0.1:9/feed-${f}.xml`, settings,
      { name: f % 3 === 0 ? `Feed number ${f}` : null, template: '{title} {link} {hashtags}' }));
    store.setFeeds(feeds);
    for (let f = 0; f < FEEDS; f++) {
      const at = new Date(now - 600_000).toISOString();
      store.putFeedRuntime(`feed-${f}`, {
        title: `Feed ${f}: news and notes`,
        validators: { etag: `"etag-${f}-abcdef"`, lastModified: new Date(now - 86_400_000).toUTCString() },
        // A day away: the start-up schedules the polls, none is due during the bench.
        health: { ...emptyHealth(), lastFetchedAt: at, lastStatus: 200, nextPollAt: new Date(now + 86_400_000).toISOString() },
        recentSkips: Array.from({ length: 5 }, (_, k) => ({ itemTitle: `Skipped item ${k}`, reason: 'filtered: matched "sponsored"', at })),
      });
      const ids = Array.from({ length: SEEN_PER_FEED }, (_, k) => `https://feed${f}.example.org/posts/${k}#guid-${f}-${k}`);
      store.putSeen(`feed-${f}`, { ids, links: ids.map((id) => id.split('#')[0]), address: `http://127.0.0.1:9/feed-${f}.xml` });
    }
    for (let i = 0; i < TASKS; i++) {
      const status = STATUSES[i % STATUSES.length];
      // Half an hour apart, about what the default daily cap of 50 posts allows.
      const at = new Date(now - (TASKS - i) * 1_800_000).toISOString();
      const feed = i % FEEDS;
      const title = `Feed ${feed} item ${i}: a headline of a usual length, with a few more words`;
      const link = `https://feed${feed}.example.org/posts/${i}/a-headline-of-a-usual-length`;
      store.tasks.put({
        id: `task-${String(i).padStart(6, '0')}`, feedId: `feed-${feed}`, itemId: `${link}#guid-${i}`, itemTitle: title, itemLink: link,
        text: `${title} ${link} #news #bench`, imageUrl: i % 5 === 0 ? `https://feed${feed}.example.org/img/${i}.jpg` : null, status,
        attempts: status === 'pending' ? 0 : status === 'failed' ? 8 : 1, nextAttemptAt: null,
        error: status === 'failed' ? { kind: 'server', message: 'X answered 503: Service Unavailable.', httpStatus: 503 } : null,
        postId: status === 'completed' ? String(1_900_000_000_000 + i) : null,
        postUrl: status === 'completed' ? `https://x.com/crier_bench/status/${1_900_000_000_000 + i}` : null,
        // Pending tasks are dry runs waiting out the user's pause, so a start posts nothing.
        dryRun: status === 'pending', note: i % 11 === 0 ? 'Image failed: posted text only' : null, createdAt: at, updatedAt: at,
      });
    }
    store.queueMemory.savePause({ reason: 'user', resumesAt: null, credentials: null });
  } finally {
    await store.close();
  }
}

// ---- spawning -----------------------------------------------------------------------------------

// A compile cache of this run's own (main/cli/compile-cache.ts): the untimed first start below
// fills it, as a user's first start after an install does; the trials are the starts after it.
const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CRIER_') && !k.includes('COMPILE_CACHE'))),
  NODE_COMPILE_CACHE: join(dir, 'compile-cache') };

const CLOCK_TICKS = (() => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  return Number(r.stdout) > 0 ? Number(r.stdout) : 100;
})();

/** CPU time (user + system, all threads) a running process has used, in ms; null where /proc is missing. */
function cpuMsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** Spawns `args` and resolves at its first stdout line: { child, ms, cpuMs, line }. */
function spawnToFirstLine(args, spawnOptions = {}) {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], ...spawnOptions });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let log = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (c) => { log = (log + c).slice(-4096); });
  return new Promise((resolve, reject) => {
    const early = (code) => reject(new Error(`${args.join(' ')} exited before its first line (${code}): ${log}`));
    child.once('error', reject);
    child.once('exit', early);
    createInterface({ input: child.stdout }).once('line', (line) => {
      const ms = performance.now() - started;
      const cpuMs = cpuMsOf(child.pid);
      child.removeListener('exit', early);
      child.stdout.resume();
      resolve({ child, ms, cpuMs, line });
    });
  });
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) { resolve(); return; }
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

async function serveOnce(template, { probed, cliPath = cli }) {
  const data = mkdtempSync(join(dir, 'run-'));
  cpSync(template, data, { recursive: true });
  try {
    return await serveOn(data, { probed, cliPath });
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
}

async function serveOn(data, { probed, cliPath = cli }) {
  const flags = probed ? ['--expose-gc', '--import', probe] : [];
  const stdio = probed ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'];
  const run = await spawnToFirstLine([...flags, cliPath, 'serve', '--port', '0', '--data-dir', data], { stdio });
  if (!/^Crier listening on http:\/\//.test(run.line)) throw new Error(`unexpected first line: ${run.line}`);
  let loaded = null;
  if (probed) {
    loaded = await new Promise((resolve) => {
      run.child.once('message', resolve);
      run.child.send('read');
    });
  }
  await stop(run.child);
  return { ms: run.ms, cpuMs: run.cpuMs, loaded };
}

// ---- the run ------------------------------------------------------------------------------------

if (opts['seed-only']) {
  try {
    await seed(opts['seed-only']);
    await serveOn(opts['seed-only'], { probed: false });
    console.log(`seeded ${opts['seed-only']}: ${TASKS} tasks, ${FEEDS} feeds`);
  } finally {
    cleanup();
  }
  process.exit(0);
}

try {
  console.log(`load average ${load()} (1, 5, 15 min); ${cli}`);
  const template = mkdtempSync(join(dir, 'template-'));
  const seedStart = performance.now();
  await seed(template);
  // One start on the template itself, not counted: a data dir this build has opened holds the
  // post ledger and the record of posted texts (rebuilt from the tasks once, on an upgrade), and
  // the OS file cache then holds node, dist/ and node_modules for every trial. It also fills the
  // compile cache: its time is the first start after an install.
  const first = await serveOn(template, { probed: false });
  const journalBytes = readFileSync(join(template, 'state.jsonl')).length;
  console.log(`seeded ${TASKS} tasks, ${FEEDS} feeds with seen records (journal ${mb(journalBytes)} MB) in ${f0(performance.now() - seedStart)} ms`);
  console.log(`first start (an upgrade of the data dir and an empty compile cache), not a trial: ${f0(first.ms)} ms`);

  if (against) await serveOnce(template, { probed: false, cliPath: against });
  const startups = [];
  const cpus = [];
  const baselines = [];
  const baselineCpus = [];
  const others = [];
  const otherCpus = [];
  // In turns, so a change in the machine's load meets every series alike.
  for (let n = 1; n <= TRIALS; n++) {
    const base = await spawnToFirstLine(['-e', 'console.log(1)']);
    await stop(base.child);
    baselines.push(base.ms);
    baselineCpus.push(base.cpuMs);
    const run = await serveOnce(template, { probed: false });
    startups.push(run.ms);
    cpus.push(run.cpuMs);
    if (against) {
      const other = await serveOnce(template, { probed: false, cliPath: against });
      others.push(other.ms);
      otherCpus.push(other.cpuMs);
    }
  }
  const startupMs = median(startups);
  const hasCpu = cpus.every((c) => c !== null);
  const cpuNote = (values) => (hasCpu ? `; CPU ${values.map(f0).join(', ')} ms, median ${f0(median(values))} ms` : '');
  console.log(`\nstart-up, spawn to listening line: ${startups.map(f0).join(', ')} ms; median ${f0(startupMs)} ms${cpuNote(cpus)}`);
  console.log(`baseline, spawn of node -e to its first line: ${baselines.map(f0).join(', ')} ms; median ${f0(median(baselines))} ms${cpuNote(baselineCpus)}`);
  if (against) console.log(`against ${against}, spawn to listening line: ${others.map(f0).join(', ')} ms; median ${f0(median(others))} ms${cpuNote(otherCpus)}`);

  const { loaded } = await serveOnce(template, { probed: true });
  const packages = Object.entries(loaded.packages).sort((a, b) => b[1] - a[1]).map(([name, files]) => `${name} (${files})`);
  console.log(`\nloaded at start from node_modules: ${loaded.files} files, ${mb(loaded.bytes)} MB of source; packages (files): ${packages.join(', ') || 'none'}`);
  console.log(`once listening: RSS ${mb(loaded.rssBytes)} MB, live heap ${mb(loaded.heapUsedBytes)} MB`);

  const startup = figure(`start-up with ${TASKS.toLocaleString('en-US')} tasks: spawn of crier serve to its listening line`, startups,
    { unit: 'ms', target: { op: '<', value: TARGET_STARTUP_MS } });
  console.log('');
  printFigures([startup]);
  if (!opts['no-record']) {
    recordFigures([startup]);
    console.log('  recorded in bench/results.json');
  }
} finally {
  cleanup();
}
