// Stress test of the data dir lock (issue 11): many rounds of three processes taking over one
// stale crier.lock at the same instant. Reports every round with two holders at once or a racer
// that never got the lock; exits 1 if there was any.
//
//   node scripts/stress-lock.mjs [--rounds 200] [--lock path/to/lock.ts] [--racers 3] [--hold 20]
//
// --lock races another copy of the module, e.g. the one before the fix:
//   git show 431bf82:main/core/store/lock.ts > /tmp/old-lock.ts && node scripts/stress-lock.mjs --lock /tmp/old-lock.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
// Node runs this TypeScript file through its own type stripping (Node >= 23.6).
import { bundleLockModule, LockRace, LOCK_SOURCE, staleLockDirs } from '../test/support/lock-race.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '200' },
    lock: { type: 'string', default: LOCK_SOURCE },
    racers: { type: 'string', default: '3' },
    hold: { type: 'string', default: '20' },
  },
});
const rounds = Number(values.rounds);
const workDir = mkdtempSync(join(tmpdir(), 'crier-stress-lock-'));
const ms = (ns) => (Number(ns) / 1e6).toFixed(2);

let race;
let dirs = [];
try {
  const lockModule = await bundleLockModule(resolve(values.lock), join(workDir, 'lock.mjs'));
  race = await LockRace.start({ lockModule, racers: Number(values.racers), holdMs: Number(values.hold) });
  const started = performance.now();
  let doubleHolders = 0;
  let failed = 0;
  let contested = 0;
  // Odd rounds meet a lock in the module's own format, even rounds one in the first builds' "<pid>\n".
  const isOldFormat = (round) => round % 2 === 0;
  for (let round = 1; round <= rounds; round += 1) {
    // Batches of 20, each left by its own dead process, so no stale pid is old enough to be reused.
    if (dirs.length === 0) dirs = await staleLockDirs(lockModule, Math.min(20, rounds - round + 1), (index) => isOldFormat(round + index));
    const oldFormat = isOldFormat(round);
    const result = await race.round(dirs.shift());
    if (result.intervals.some((interval) => interval.refusals > 0)) contested += 1;
    if (result.overlaps.length > 0) {
      doubleHolders += 1;
      const origin = result.intervals.reduce((min, i) => (i.acquiredAt < min ? i.acquiredAt : min), result.intervals[0].acquiredAt);
      const spans = result.intervals.map((i) => `pid ${i.pid} ${ms(i.acquiredAt - origin)}–${ms(i.releasedAt - origin)} ms`).join(', ');
      console.log(`round ${round} (${oldFormat ? 'old' : 'new'} format stale lock): ${result.overlaps.length} overlapping pair(s): ${spans}`);
    }
    if (result.errors.length > 0) {
      failed += 1;
      console.log(`round ${round}: ${result.errors.join('; ')}`);
    }
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`${rounds} rounds in ${seconds} s: ${doubleHolders} with two holders at once, ${failed} with a racer that never got the lock, ${contested} where some racer was refused first`);
  process.exitCode = doubleHolders > 0 || failed > 0 ? 1 : 0;
} finally {
  race?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  rmSync(workDir, { recursive: true, force: true });
}
