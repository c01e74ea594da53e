// Compares the persistence candidates on the three tests issue 4 (the store) sets:
//   1. a state change (one durable task put) with 10,000 tasks stored   — target < 5 ms
//   2. SIGKILL during writes loses at most the write in flight, never corrupts
//   3. startup (open + load every task) with 10,000 tasks               — target < 300 ms
// Usage: node bench/store.mjs [--tasks 10000] [--changes 300] [--kills 5]
import { spawn } from 'node:child_process';
import { closeSync, fdatasyncSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildStoreBundle, candidates, makeTask } from './store-candidates.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const TASKS = option('tasks', 10_000);
const CHANGES = option('changes', 300);
const KILLS = option('kills', 5);
const child = fileURLToPath(new URL('./store-crash-child.mjs', import.meta.url));

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const ms = (n) => n.toFixed(2);

async function measure(name) {
  const dir = mkdtempSync(join(tmpdir(), `crier-bench-${name}-`));
  try {
    const seed = await candidates[name](dir);
    await seed.putMany(Array.from({ length: TASKS }, (_, n) => makeTask(n)));
    await seed.close();

    // Startup: a fresh process would also pay module loading; that cost is the same per run, so
    // the figure here is open + read + decode every task. Best of 3 to keep the disk cache warm for all.
    const startups = [];
    let store;
    for (let run = 0; run < 3; run += 1) {
      if (store) await store.close();
      const t0 = performance.now();
      store = await candidates[name](dir);
      if (store.count() !== TASKS) throw new Error(`${name}: expected ${TASKS} tasks, found ${store.count()}`);
      startups.push(performance.now() - t0);
    }

    const changes = [];
    for (let i = 0; i < CHANGES; i += 1) {
      const task = { ...makeTask(i % TASKS), status: i % 2 ? 'running' : 'pending', updatedAt: new Date().toISOString() };
      const t0 = performance.now();
      await store.put(task);
      changes.push(performance.now() - t0);
    }
    await store.close();
    changes.sort((a, b) => a - b);

    const crash = await crashTrials(name);
    return { name, startup: Math.min(...startups), p50: percentile(changes, 0.5), p99: percentile(changes, 0.99), max: changes.at(-1), ...crash };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Kills a child mid-writes KILLS times. After each kill the store must reopen, every acknowledged
 * put must be there, and at most one more (the write in flight). A reopen refused by a lock the
 * dead process left is counted apart from corruption, then retried without that lock.
 */
async function crashTrials(name) {
  let lost = 0;
  let corrupt = 0;
  let staleLock = 0;
  let acked = 0;
  for (let trial = 0; trial < KILLS; trial += 1) {
    const dir = mkdtempSync(join(tmpdir(), `crier-crash-${name}-`));
    try {
      const last = await runAndKill(name, dir, 150 + trial * 70);
      acked += last + 1;
      let store;
      try {
        store = await candidates[name](dir);
      } catch (error) {
        if (!/locked/i.test(error.message)) throw error;
        staleLock += 1;
        for (const entry of readdirSync(dir)) if (entry.endsWith('.lock')) rmSync(join(dir, entry), { recursive: true, force: true });
        store = await candidates[name](dir);
      }
      const found = store.count();
      if (found < last + 1) lost += last + 1 - found;
      if (found > last + 2) throw new Error(`${found} tasks after ${last + 1} acknowledged puts`);
      await store.close();
    } catch (error) {
      corrupt += 1;
      console.error(`${name}: after SIGKILL: ${error.message}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { acked, lost, corrupt, staleLock };
}

function runAndKill(name, dir, afterMs) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, name, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let last = -1;
    let buffer = '';
    proc.stdout.on('data', (chunk) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop();
      for (const line of lines) {
        if (line === 'ready') setTimeout(() => proc.kill('SIGKILL'), afterMs);
        else if (line.startsWith('ack ')) last = Number(line.slice(4));
      }
    });
    proc.on('error', reject);
    proc.on('close', () => resolve(last));
  });
}

/** What an fdatasync after each durable append would add: the price of surviving power loss too. */
function fsyncCost() {
  const dir = mkdtempSync(join(tmpdir(), 'crier-fsync-'));
  try {
    const fd = openSync(join(dir, 'probe.jsonl'), 'a');
    const line = Buffer.from(`${JSON.stringify({ t: 'task', v: makeTask(1) })}\n`);
    const plain = [];
    const synced = [];
    for (let i = 0; i < 100; i += 1) {
      let t0 = performance.now();
      writeSync(fd, line);
      plain.push(performance.now() - t0);
      t0 = performance.now();
      writeSync(fd, line);
      fdatasyncSync(fd);
      synced.push(performance.now() - t0);
    }
    closeSync(fd);
    plain.sort((a, b) => a - b);
    synced.sort((a, b) => a - b);
    return { plain: percentile(plain, 0.5), synced: percentile(synced, 0.5), syncedP99: percentile(synced, 0.99) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await buildStoreBundle();
const rows = [];
for (const name of Object.keys(candidates)) rows.push(await measure(name));

console.log(`\nStore candidates, ${TASKS} tasks stored, ${CHANGES} durable state changes, ${KILLS} SIGKILL trials (node ${process.version})\n`);
console.log('| candidate | startup ms (< 300) | change p50 ms | change p99 ms (< 5) | change max ms | acked puts | acked lost | corrupt | reopen blocked by stale lock |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(`| ${r.name} | ${ms(r.startup)} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${r.acked} | ${r.lost} | ${r.corrupt} | ${r.staleLock} |`);
}
const sync = fsyncCost();
console.log(`\nOne durable append: write ${ms(sync.plain)} ms p50; write + fdatasync ${ms(sync.synced)} ms p50, ${ms(sync.syncedP99)} ms p99.`);
