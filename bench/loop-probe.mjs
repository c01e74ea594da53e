// Loaded into a `crier serve` process by bench/import.mjs with `node --import`, so the bench can
// read that process's event-loop stalls without any code of Crier's knowing about it. A 5 ms
// interval timer notes each gap between its runs beyond the 5 ms it asked for: a gap is the
// longest stretch the loop spent on other work, so it bounds the longest turn from above.
// Talks over the IPC channel the bench opens: 'mark' starts a window, 'read' answers
// { maxGapMs, stallsOver50, samples } for the window so far.
/* global setInterval */
import { performance } from 'node:perf_hooks';

const EVERY_MS = 5;
let last = performance.now();
let maxGapMs = 0;
let stallsOver50 = 0;
let samples = 0;

setInterval(() => {
  const now = performance.now();
  const gap = now - last - EVERY_MS;
  last = now;
  samples++;
  if (gap > maxGapMs) maxGapMs = gap;
  if (gap > 50) stallsOver50++;
}, EVERY_MS).unref();

if (process.send) {
  process.on('message', (message) => {
    if (message === 'mark') {
      maxGapMs = 0;
      stallsOver50 = 0;
      samples = 0;
      process.send({ marked: true });
    } else if (message === 'read') {
      process.send({ maxGapMs, stallsOver50, samples });
    }
  });
  // The channel must not keep a stopping server alive.
  process.channel?.unref();
}
