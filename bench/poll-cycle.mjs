// The poll cycle (issue 13), measured on a real `crier serve` (dist/cli.js; run after
// `node scripts/build.mjs`, which `npm run bench` does):
//   node bench/poll-cycle.mjs [--quick] [--trials N] [--feeds N] [--cli PATH (another build's cli.js)] [--no-record]
//
// The world: FEEDS loopback RSS feeds of 50 items, ~136 KB each, and one 25 MB feed of 10,000
// items, served by bench/poll-servers.mjs in another process (ETags, so a repeat is a 304).
// Each trial, in alternating order:
//   - bare: bench/poll-bare.mjs, a fresh process on the same Node, fetches the FEEDS documents and
//     hands each text to feedsmith's parseFeed in one thread, at most maxConcurrentFetches (the
//     setting's default, read from Crier) at once — the least any reader must do;
//   - Crier: a fresh `crier serve` on a fresh data dir; POST /api/opml imports the FEEDS feeds, then
//     POST /api/poll, timed until it answers (it answers when every feed's poll has finished; the
//     bench then checks that every feed's health.lastFetchedAt is set and no feed failed): the
//     first cycle, the feeds' baselines. A second POST /api/poll is the second cycle (all 304).
//     Then maxFeedBytes is raised to 32 MB, the 25 MB feed is added (its first poll: fetch, parse,
//     baseline) and polled a second time with new items, while bench/block-probe.mjs, loaded into
//     the server, records the longest stretch the main thread was busy at once.
// Figures (each the median of the trials; recorded in bench/results.json, see results.mjs):
//   - first poll cycle ÷ bare, target ≤ 1.0;   - second cycle ÷ first, target ≤ 0.10;
//   - longest main-thread block while the 25 MB feed is polled, target < 20 ms.
// Loopback only; every child stops with the run; a watchdog ends a stuck run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  api, ask, checkAllPolled, importFeeds, killChildren, pollCycle, processCpuMs, root, runJsonChild, startFeedServer, startServe, stopServe,
  threadCpuMs,
} from './crier-serve.mjs';
import { figure, load, printFigures, recordFigures } from './results.mjs';

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    trials: { type: 'string' },
    feeds: { type: 'string', default: '300' },
    cli: { type: 'string' },
    'no-record': { type: 'boolean', default: false },
  },
});
const TRIALS = Number(opts.trials ?? (opts.quick ? 1 : 3));
const FEEDS = Number(opts.feeds);
const BIG_ITEMS = 10_000;
const cli = opts.cli ?? join(root, 'dist/cli.js');
const probe = pathToFileURL(join(root, 'bench/block-probe.mjs')).href;
const dir = mkdtempSync(join(tmpdir(), 'crier-bench-poll-'));
const watchdog = setTimeout(() => { console.error('poll-cycle bench: still running after 10 min, giving up'); cleanup(); process.exit(1); }, 600_000);
watchdog.unref();

function cleanup() {
  killChildren();
  rmSync(dir, { recursive: true, force: true });
}

const f0 = (x) => x.toFixed(0);
const f1 = (x) => x.toFixed(1);

async function bareTrial(base, concurrency) {
  const { ms, items, cpuMs } = await runJsonChild([join(root, 'bench/poll-bare.mjs'), base, String(FEEDS), String(concurrency)]);
  if (items !== FEEDS * 50) throw new Error(`the bare baseline parsed ${items} items, not ${FEEDS * 50}`);
  return { ms, cpuMs };
}

async function crierTrial(n, base) {
  const serve = await startServe({ cli, dataDir: mkdtempSync(join(dir, `data-${n}-`)), probe });
  try {
    const { settings } = await api(serve, 'GET', '/api/state');
    await importFeeds(serve, base, FEEDS);
    const cpuBefore = processCpuMs(serve.pid);
    const threadsBefore = threadCpuMs(serve.pid);
    const first = await pollCycle(serve);
    // CPU time is the load-independent side of the cycle: how much work, whatever the machine's load.
    const cpuMs = processCpuMs(serve.pid) - cpuBefore;
    const mainMs = threadCpuMs(serve.pid).main - threadsBefore.main;
    await checkAllPolled(serve, FEEDS);
    const second = await pollCycle(serve);

    await api(serve, 'PUT', '/api/settings', { maxFeedBytes: 32 * 1024 * 1024 });
    await ask(serve, 'mark');
    const big = await api(serve, 'POST', '/api/feeds', { url: `${base}/big` });
    await api(serve, 'POST', `/api/feeds/${big.id}/poll`); // joins the first poll the add started
    const block = await ask(serve, 'read');
    const { feeds } = await api(serve, 'GET', '/api/state');
    const health = feeds.find((f) => f.id === big.id)?.health;
    if (!health?.lastFetchedAt || health.lastError) throw new Error(`the 25 MB feed did not poll: ${health?.lastError}`);
    return { first, second, block, cpuMs, mainMs, concurrency: settings.maxConcurrentFetches };
  } finally {
    await stopServe(serve);
  }
}

try {
  console.log(`load average ${load()} (1, 5, 15 min); ${cli}`);
  const server = await startFeedServer({ feeds: FEEDS, big: BIG_ITEMS });
  console.log(`${FEEDS} feeds of 50 items, ${f0(server.feedBytes / 1024)} KB each; ${TRIALS} trials`);
  const ratios = [];
  const seconds = [];
  const blocks = [];
  let concurrency = 4;
  for (let n = 1; n <= TRIALS; n++) {
    // Alternating order, so neither side always runs on the warmer (or busier) machine.
    let bare;
    let crier;
    if (n % 2 === 1) {
      bare = await bareTrial(server.base, concurrency);
      crier = await crierTrial(n, server.base);
    } else {
      crier = await crierTrial(n, server.base);
      bare = await bareTrial(server.base, crier.concurrency);
    }
    concurrency = crier.concurrency;
    ratios.push(crier.first / bare.ms);
    seconds.push(crier.second / crier.first);
    blocks.push(crier.block.blockMs);
    console.log(`  trial ${n}: bare ${f0(bare.ms)} ms (CPU ${f0(bare.cpuMs)} ms), Crier's first cycle ${f0(crier.first)} ms (× ${(crier.first / bare.ms).toFixed(2)};` +
      ` CPU ${f0(crier.cpuMs)} ms, ${f0(crier.mainMs)} of them on the main thread),` +
      ` second ${f0(crier.second)} ms (× ${(crier.second / crier.first).toFixed(3)} of the first);` +
      ` 25 MB feed: main thread busy ${f1(crier.block.blockMs)} ms at once (wall-clock gap ${f1(crier.block.gapMs)} ms)`);
  }
  server.child.kill('SIGTERM');
  const figures = [
    figure(`first poll cycle ÷ bare fetch + parseFeed, ${FEEDS} feeds`, ratios, { unit: 'ratio', target: { op: '≤', value: 1.0 } }),
    figure(`second poll cycle (all 304) ÷ first, ${FEEDS} feeds`, seconds, { unit: 'ratio', target: { op: '≤', value: 0.1 }, digits: 3 }),
    figure('longest main-thread block while a 25 MB feed is polled', blocks, { unit: 'ms', target: { op: '<', value: 20 }, digits: 1 }),
  ];
  console.log('\nFigures');
  printFigures(figures);
  if (!opts['no-record']) recordFigures(figures);
  console.log(`load average at the end ${load()}`);
} finally {
  clearTimeout(watchdog);
  cleanup();
}
