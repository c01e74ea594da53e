// `crier serve` runs for days and sits idle between polls, so what it keeps resident matters more
// than the last percent of throughput. V8 grows the young generation (to 64 MB of semi-spaces
// here) whenever much survives a scavenge, as a poll cycle's parse results do, and keeps the grown
// pages committed while idle. Its size limit is read only when the process starts, but the growth
// factor is read at every resize: set to 1, the young generation stays at the size it has when this
// runs — a few MB, as cli.ts calls it before the serve command's code is loaded (serve.ts calls it
// too, for callers that skip cli.ts). Measured idle 60 s after two poll cycles (bench/memory.mjs):
// 100 feeds 148 → 127 MB, 1,000 feeds 253 → 166 MB; poll cycles took no more CPU.
import { setFlagsFromString } from 'node:v8';

export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
