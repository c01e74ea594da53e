// Memory of `crier serve` after polling (issue 13), on a real server (dist/cli.js; run after
// `node scripts/build.mjs`, which `npm run bench` does):
//   node bench/memory.mjs [--quick] [--trials N] [--sizes 100,1000] [--idle-seconds 60] [--cli PATH] [--no-record]
//
// For each size N and trial: a fresh `crier serve` on a fresh data dir imports N loopback feeds
// (50 items, ~136 KB each, served by bench/poll-servers.mjs in another process) by POST /api/opml,
// runs two poll cycles (POST /api/poll twice: the baselines, then all 304), and then sits idle for
// IDLE seconds; its VmRSS (/proc/PID/status) is read at the end of the idle time. The servers'
// cycles run one after another; their idle minutes overlap (an idle server does next to nothing),
// so the run takes the sum of the cycles plus one idle time. Started by bench/run.mjs with an IPC
// channel, it sends { idle: true } once the last cycles are done, and the harness runs the other
// benches while these servers sit idle.
// Figures (median of the trials, recorded in bench/results.json): VmRSS with 100 feeds, target
// < 150 MB; with 1,000 feeds, target < 250 MB.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  checkAllPolled, importFeeds, killChildren, pollCycle, root, rssMb, sleep, startFeedServer, startServe, stopServe,
} from './crier-serve.mjs';
import { figure, load, printFigures, recordFigures } from './results.mjs';

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    trials: { type: 'string' },
    sizes: { type: 'string', default: '100,1000' },
    'idle-seconds': { type: 'string', default: '60' },
    cli: { type: 'string' },
    'node-args': { type: 'string', default: '' },
    'no-record': { type: 'boolean', default: false },
  },
});
const TRIALS = Number(opts.trials ?? (opts.quick ? 1 : 3));
const SIZES = opts.sizes.split(',').map(Number);
const IDLE_MS = Number(opts['idle-seconds']) * 1000;
const TARGETS = { 100: 150, 1000: 250 };
const cli = opts.cli ?? join(root, 'dist/cli.js');
const nodeArgs = opts['node-args'] ? opts['node-args'].split(' ') : [];
const dir = mkdtempSync(join(tmpdir(), 'crier-bench-memory-'));
const watchdog = setTimeout(() => { console.error('memory bench: still running after 10 min, giving up'); cleanup(); process.exit(1); }, 600_000);
watchdog.unref();

function cleanup() {
  killChildren();
  rmSync(dir, { recursive: true, force: true });
}

async function trial(size, n, base) {
  const serve = await startServe({ cli, dataDir: mkdtempSync(join(dir, `data-${size}-${n}-`)), nodeArgs });
  await importFeeds(serve, base, size);
  const first = await pollCycle(serve);
  await checkAllPolled(serve, size);
  const second = await pollCycle(serve);
  const afterCycles = rssMb(serve.pid);
  const idleFrom = performance.now();
  console.log(`  ${size} feeds, trial ${n}: cycles ${first.toFixed(0)} ms and ${second.toFixed(0)} ms; VmRSS ${afterCycles.toFixed(0)} MB right after`);
  // The idle minute runs while the next trial polls: handed back wrapped, so awaiting this trial
  // does not wait for it.
  const rss = (async () => {
    await sleep(IDLE_MS - (performance.now() - idleFrom));
    const mb = rssMb(serve.pid);
    await stopServe(serve);
    console.log(`  ${size} feeds, trial ${n}: VmRSS ${mb.toFixed(0)} MB after ${IDLE_MS / 1000} s idle`);
    return mb;
  })();
  return { rss };
}

try {
  console.log(`load average ${load()} (1, 5, 15 min); ${cli}${nodeArgs.length ? ` with ${nodeArgs.join(' ')}` : ''}`);
  const server = await startFeedServer({ feeds: Math.max(...SIZES) });
  const idle = new Map(SIZES.map((size) => [size, []]));
  for (let n = 1; n <= TRIALS; n++) {
    for (const size of SIZES) idle.get(size).push((await trial(size, n, server.base)).rss);
  }
  // Run by bench/run.mjs, it says so: the other benches can run while these servers sit idle.
  process.send?.({ idle: true });
  const figures = [];
  for (const size of SIZES) {
    const rss = await Promise.all(idle.get(size));
    figures.push(figure(`VmRSS of crier serve, ${size.toLocaleString('en')} feeds, ${IDLE_MS / 1000} s idle after two cycles`, rss,
      { unit: 'MB', target: { op: '<', value: TARGETS[size] ?? 250 } }));
  }
  server.child.kill('SIGTERM');
  console.log('\nFigures');
  printFigures(figures);
  if (!opts['no-record']) recordFigures(figures);
  console.log(`load average at the end ${load()}`);
} finally {
  clearTimeout(watchdog);
  cleanup();
}
