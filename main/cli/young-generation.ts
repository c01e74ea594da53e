// `crier serve` runs for days and sits idle between polls, so what it keeps resident matters more
// than the last percent of throughput. V8 grows the young generation (to 64 MB of semi-spaces
// here) whenever much survives a scavenge, as a poll cycle's parse results do, and keeps the grown
// pages committed while idle. Its size limit is read only when the process starts, but the growth
// factor is read at every resize: set to 1, the young generation stays at the size it has when this
// runs — a few MB, as cli.ts calls it before the serve command's code is loaded (serve.ts calls it
// too, for callers that skip cli.ts). Measured idle 60 s after two poll cycles (bench/memory.mjs):
// 100 feeds 148 → 127 MB, 1,000 feeds 253 → 166 MB; poll cycles took no more CPU.
//
// V8's flags hold for every isolate of the process, the parse workers' too: with the growth factor
// at 1 their young generation stayed at its 1 MB start for a whole cycle of parses, and they spent
// a third of their time collecting garbage (a 300-feed first cycle: ~450 ms of GC a worker, 90 for
// the one-thread baseline). A worker's isolate is made after this runs, so a minimum semi-space
// size gives each its working size from the start (GC ~130 ms a worker; the cycle 1.5 → 1.15 s);
// the main isolate, made before, keeps its small one, and an idle server runs no worker. Since a
// poll parses a document in two light passes (parse-document.ts), 8 MB beat 4 (one worker's CPU
// for 300 feeds −15 to −20 %, a 25 MB feed no worse), and 2 or 16 did worse.
import { setFlagsFromString } from 'node:v8';

/** The semi-space size (MB) a parse worker's young generation starts with (its limit: executor.ts). */
export const WORKER_SEMI_SPACE_MB = 8;

export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString(`--min-semi-space-size=${WORKER_SEMI_SPACE_MB}`);
}
