// The bare baseline for Crier's first poll cycle (bench/poll-cycle.mjs): the least any feed reader
// on this Node must do for the same feeds — fetch each document and hand its text to feedsmith's
// parseFeed — in one thread, at most CONCURRENCY fetches at once, as a fresh process like the
// `crier serve` it is compared with. argv: base URL, feed count, concurrency.
// Prints one JSON line { ms, items, cpuMs } (cpuMs: the CPU time the process used meanwhile).
/* global fetch */
import { performance } from 'node:perf_hooks';
import { parseFeed } from 'feedsmith';

const [base, feedsArg, concurrencyArg] = process.argv.slice(2);
const feeds = Number(feedsArg);
const concurrency = Number(concurrencyArg);

let next = 0;
let items = 0;
async function lane() {
  while (next < feeds) {
    const f = next++;
    const res = await fetch(`${base}/feed/${f}`);
    if (!res.ok) throw new Error(`feed ${f}: HTTP ${res.status}`);
    const parsed = parseFeed(await res.text());
    items += parsed.feed.items?.length ?? parsed.feed.entries?.length ?? 0;
  }
}

const t = performance.now();
const cpu0 = process.cpuUsage();
await Promise.all(Array.from({ length: concurrency }, lane));
const ms = performance.now() - t;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(`${JSON.stringify({ ms, items, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
