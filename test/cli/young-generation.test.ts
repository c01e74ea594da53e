// crier serve keeps V8's young generation at the size start-up gave it (cli/young-generation.ts):
// an idle server would otherwise keep tens of MB of grown semi-spaces resident. Its own file, as
// the flag holds for the rest of the process.
import { getHeapSpaceStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { keepYoungGenerationSmall, WORKER_SEMI_SPACE_MB } from '../../main/cli/young-generation';
import { WORKER_YOUNG_GENERATION_MB } from '../../main/core/feeds/executor';

const newSpace = (): number => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_size;

describe('keepYoungGenerationSmall', () => {
  it('stops the young generation from growing while much of what is allocated survives', () => {
    keepYoungGenerationSmall();
    const before = newSpace();
    // Half of it lives on, as a poll cycle's parse results do: the case in which V8 grows it.
    const kept: Array<Array<{ i: number; s: string }>> = [];
    for (let round = 0; round < 200; round++) {
      const batch = Array.from({ length: 5000 }, (_, i) => ({ i, s: `item ${round}:${i}` }));
      if (round % 2 === 0) kept.push(batch);
    }
    expect(kept).toHaveLength(100);
    expect(newSpace()).toBeLessThanOrEqual(before);
  });

  it('still gives a worker made afterwards (a parse worker) a young generation of its working size from the start', async () => {
    keepYoungGenerationSmall();
    const probe = `const v8 = require('node:v8');
      require('node:worker_threads').parentPort.postMessage(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);`;
    // The parse workers' limits (main/core/feeds/executor.ts).
    const worker = new Worker(probe, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB, maxOldGenerationSizeMb: 1024 } });
    try {
      const size = await new Promise<number>((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
      // With the growth factor alone it stayed at 2 MB, and the worker spent a third of its time in GC.
      expect(size).toBeGreaterThanOrEqual(WORKER_SEMI_SPACE_MB * 1024 * 1024);
    } finally {
      await worker.terminate();
    }
  });
});
