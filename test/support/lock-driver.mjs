// A child process that loads only the lock module (an esbuild bundle of main/core/store/lock.ts,
// path in argv[2]) so several of them can race for one data dir. Driven by test/support/lock-race.ts.
//
//   node lock-driver.mjs LOCK_MODULE abandon DIR…  takes the lock of each DIR and exits without
//                                                 releasing them, leaving stale locks in the
//                                                 module's own format
//   node lock-driver.mjs LOCK_MODULE hold DIR      takes the lock, prints `held` (or the error), and
//                                                 releases it when stdin ends
//   node lock-driver.mjs LOCK_MODULE race         prints `ready`, then for each JSON line on stdin
//                                                 { dir, startAt, holdMs, giveUpMs } waits for the
//                                                 wall-clock instant startAt, takes the lock
//                                                 (retrying while refused), holds it holdMs, releases
//                                                 it and prints one JSON line of what happened
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const [, , lockModule = '', mode = '', ...dirs] = process.argv;
const { acquireLock } = await import(pathToFileURL(lockModule).href);
const pause = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms) => Atomics.wait(pause, 0, 0, ms);

if (mode === 'abandon') {
  for (const dir of dirs) acquireLock(dir);
  process.exit(0);
}

if (mode === 'hold') {
  let release;
  try {
    release = acquireLock(dirs[0]);
  } catch (error) {
    process.stdout.write(`${error?.name}: ${error?.message}\n`);
    process.exit(1);
  }
  process.stdout.write('held\n');
  process.stdin.resume();
  process.stdin.on('end', () => { release(); process.exit(0); });
}

/** Sleeps until just before the instant, then spins, so the racers leave together. */
function waitFor(startAt) {
  const ahead = startAt - Date.now() - 2;
  if (ahead > 0) sleep(ahead);
  while (Date.now() < startAt) { /* spin */ }
}

function race({ dir, startAt, holdMs, giveUpMs }) {
  waitFor(startAt);
  let refusals = 0;
  for (;;) {
    let release;
    try {
      release = acquireLock(dir);
    } catch (error) {
      if (error?.name !== 'StoreLockedError') return { pid: process.pid, error: String(error?.stack ?? error) };
      refusals += 1;
      if (Date.now() - startAt > giveUpMs) return { pid: process.pid, error: `still refused after ${giveUpMs} ms: ${error.message}` };
      sleep(1);
      continue;
    }
    // Logged inside the held interval (after taking, before releasing), so two logged intervals
    // that overlap prove two holders at once. hrtime is the machine's monotonic clock, shared by
    // all processes.
    const acquiredAt = process.hrtime.bigint();
    sleep(holdMs);
    const releasedAt = process.hrtime.bigint();
    release();
    return { pid: process.pid, acquiredAt: String(acquiredAt), releasedAt: String(releasedAt), refusals };
  }
}

if (mode === 'race') {
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => process.stdout.write(`${JSON.stringify(race(JSON.parse(line)))}\n`));
  process.stdout.write('ready\n');
}
