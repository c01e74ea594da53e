// Loaded into a `crier serve` process by bench/poll-cycle.mjs with `node --import`: how long the
// main thread was blocked at once, without any code of Crier's knowing. A 2 ms interval timer
// notes each gap between its runs beyond the 2 ms it asked for, and how much CPU the main thread
// itself used in that gap (process.threadCpuUsage). On a loaded machine the OS can deschedule
// the whole process — a wall-clock gap no code of ours causes — so the block is the smaller of
// the two: the wall-clock gap, bounded by the main thread's own CPU time in it.
// Talks over the IPC channel: 'mark' starts a window, 'read' answers { blockMs, gapMs, samples }.
/* global setInterval */
import { performance } from 'node:perf_hooks';

const EVERY_MS = 2;
const cpuMs = () => {
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1000;
};
let last = performance.now();
let lastCpu = cpuMs();
let blockMs = 0;
let gapMs = 0;
let samples = 0;

setInterval(() => {
  const now = performance.now();
  const cpu = cpuMs();
  const gap = now - last - EVERY_MS;
  const block = Math.min(gap, cpu - lastCpu);
  last = now;
  lastCpu = cpu;
  samples++;
  if (gap > gapMs) gapMs = gap;
  if (block > blockMs) blockMs = block;
}, EVERY_MS).unref();

if (process.send) {
  process.on('message', (message) => {
    if (message === 'mark') {
      blockMs = 0;
      gapMs = 0;
      samples = 0;
      process.send({ marked: true });
    } else if (message === 'read') {
      process.send({ blockMs, gapMs, samples });
    }
  });
  // The channel must not keep a stopping server alive.
  process.channel?.unref();
}
