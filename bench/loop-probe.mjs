// Loaded into a `crier serve` process by bench/import.mjs with `node --import`, so the bench can
// read that process's event-loop stalls without any code of Crier's knowing about it. A 5 ms
// interval timer notes each gap between its runs beyond the 5 ms it asked for: a gap is the
// longest stretch the loop spent on other work, so it bounds the longest turn from above. On a
// machine shared with other jobs a gap also counts the time the OS gave the cores to them, so
// the probe notes too how much CPU the main thread itself used in each gap
// (process.threadCpuUsage): that part does not grow with the machine's load.
// Talks over the IPC channel the bench opens: 'mark' starts a window, 'read' answers
// { maxGapMs, maxCpuGapMs, stallsOver50, cpuStallsOver50, samples } for the window so far.
/* global setInterval */
import { performance } from 'node:perf_hooks';

const EVERY_MS = 5;
// threadCpuUsage is Node ≥ 23.9; before that, the whole process's CPU (worker threads included).
const cpuNow = () => {
  const { user, system } = process.threadCpuUsage?.() ?? process.cpuUsage();
  return (user + system) / 1000;
};
let last = performance.now();
let lastCpu = cpuNow();
let stats;
const reset = () => { stats = { maxGapMs: 0, maxCpuGapMs: 0, stallsOver50: 0, cpuStallsOver50: 0, samples: 0 }; };
reset();

setInterval(() => {
  const now = performance.now();
  const cpu = cpuNow();
  const gap = now - last - EVERY_MS;
  const cpuGap = cpu - lastCpu;
  last = now;
  lastCpu = cpu;
  stats.samples++;
  stats.maxGapMs = Math.max(stats.maxGapMs, gap);
  stats.maxCpuGapMs = Math.max(stats.maxCpuGapMs, cpuGap);
  if (gap > 50) stats.stallsOver50++;
  if (cpuGap > 50) stats.cpuStallsOver50++;
}, EVERY_MS).unref();

if (process.send) {
  process.on('message', (message) => {
    if (message === 'mark') {
      reset();
      process.send({ marked: true });
    } else if (message === 'read') {
      process.send(stats);
    }
  });
  // The channel must not keep a stopping server alive.
  process.channel?.unref();
}
