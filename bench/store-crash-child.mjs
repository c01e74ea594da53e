// Child for the SIGKILL test: puts tasks durably in a loop and prints "ack N" after each put
// returns, until it is killed. Usage: node bench/store-crash-child.mjs CANDIDATE DIR
import { writeSync } from 'node:fs';
import { candidates, makeTask } from './store-candidates.mjs';

const [name, dir] = process.argv.slice(2);
const store = await candidates[name](dir);
// Synchronous writes: an ack still sitting in a stream buffer when the kill lands would be lost.
say('ready');
for (let n = 0; ; n += 1) {
  await store.put(makeTask(100_000 + n, 'running'));
  say(`ack ${n}`);
}

function say(line) {
  const bytes = Buffer.from(`${line}\n`);
  for (let offset = 0; offset < bytes.length;) {
    try {
      offset += writeSync(1, bytes, offset);
    } catch (error) {
      // The pipe is non-blocking: when the parent lags, wait for room instead of failing.
      if (error.code !== 'EAGAIN') throw error;
    }
  }
}
