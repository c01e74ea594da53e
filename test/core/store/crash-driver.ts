// Run by crash.test.ts as bundled JS: writes tasks in a loop until SIGKILLed, printing
// "ack N" after each durable put returns. Usage: node crash-driver.mjs DIR
import { writeSync } from 'node:fs';
import { systemClock, silentLogger } from '../../../main/core/ports';
import { openStore } from '../../../main/core/store';
import { makeTask } from './task-fixture';

const SLOTS = 300;
const dir = process.argv[2] ?? '';
const store = openStore(dir, { clock: systemClock, log: silentLogger, coalesceMs: 5 });
say('ready');
for (let n = 0; ; n += 1) {
  // Ids repeat, so the journal outgrows twice its live size and compacts while being killed.
  store.tasks.put(makeTask(n % SLOTS, 'running', { attempts: n, note: 'x'.repeat(n % 700) }), { durable: true });
  say(`ack ${n}`);
  // Coalesced writes in between, so the kill can also land in a timer flush or a compaction.
  store.putSeen('feed-1', { ids: [`item-${n}`], links: [] });
  if (n % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 6));
}

function say(line: string): void {
  const bytes = Buffer.from(`${line}\n`);
  for (let offset = 0; offset < bytes.length;) {
    try {
      offset += writeSync(1, bytes, offset);
    } catch (error) {
      // A non-blocking pipe that is full: wait for the parent to read.
      if ((error as { code?: string }).code !== 'EAGAIN') throw error;
    }
  }
}
