// One 25 MB feed (10,000 items) added to a fresh `crier serve` after a cycle of 20 small feeds, and polled, with bench/block-probe.mjs
// loaded into the server: the longest main-thread block, a few times over, for working on that
// figure alone (poll-cycle.mjs measures it after its poll cycles, as the bench's figure).
//   node bench/big-feed-probe.mjs [--trials N] [--cli PATH] [--prof DIR (a CPU profile of the server's main thread per trial)]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { api, ask, importFeeds, killChildren, pollCycle, root, startFeedServer, startServe, stopServe } from './crier-serve.mjs';
import { load, median } from './results.mjs';

const { values: opts } = parseArgs({ options: { trials: { type: 'string', default: '3' }, cli: { type: 'string' }, prof: { type: 'string' } } });
const cli = opts.cli ?? join(root, 'dist/cli.js');
const probe = pathToFileURL(join(root, 'bench/block-probe.mjs')).href;
const dir = mkdtempSync(join(tmpdir(), 'crier-bench-big-'));
try {
  console.log(`load average ${load()}; ${cli}`);
  const server = await startFeedServer({ feeds: 20, big: 10_000 });
  const blocks = [];
  for (let n = 1; n <= Number(opts.trials); n++) {
    const nodeArgs = opts.prof ? ['--cpu-prof', `--cpu-prof-dir=${opts.prof}`, '--cpu-prof-interval=250'] : [];
    const serve = await startServe({ cli, dataDir: mkdtempSync(join(dir, 'data-')), probe, nodeArgs });
    try {
      // As in poll-cycle.mjs, a cycle of small feeds first: fetch's own code is loaded by then.
      await importFeeds(serve, server.base, 20);
      await pollCycle(serve);
      await api(serve, 'PUT', '/api/settings', { maxFeedBytes: 32 * 1024 * 1024 });
      await ask(serve, 'mark');
      const big = await api(serve, 'POST', '/api/feeds', { url: `${server.base}/big` });
      await api(serve, 'POST', `/api/feeds/${big.id}/poll`);
      const block = await ask(serve, 'read');
      const { feeds } = await api(serve, 'GET', '/api/state');
      const health = feeds.find((f) => f.id === big.id)?.health;
      if (!health?.lastFetchedAt || health.lastError) throw new Error(`the 25 MB feed did not poll: ${health?.lastError}`);
      blocks.push(block.blockMs);
      console.log(`  trial ${n}: main thread busy ${block.blockMs.toFixed(1)} ms at once (wall-clock gap ${block.gapMs.toFixed(1)} ms)`);
    } finally {
      await stopServe(serve);
    }
  }
  server.child.kill('SIGTERM');
  console.log(`longest block: median ${median(blocks).toFixed(1)} ms of ${blocks.map((b) => b.toFixed(1)).join(', ')}; load average ${load()}`);
} finally {
  killChildren();
  rmSync(dir, { recursive: true, force: true });
}
