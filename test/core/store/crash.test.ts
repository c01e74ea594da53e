import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/core/ports';
import { openStore } from '../../../main/core/store';
import { createFakeClock } from '../../support/fake-clock';
import { tempDir } from './store-fixtures';

const SLOTS = 300; // as in crash-driver.ts
let driverDir = '';
let driver = '';

beforeAll(async () => {
  // The driver is bundled whole (conf, zod and all) so plain node runs it from a temp dir.
  driverDir = mkdtempSync(join(tmpdir(), 'crier-crash-driver-'));
  driver = join(driverDir, 'crash-driver.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./crash-driver.ts', import.meta.url))],
    bundle: true, platform: 'node', format: 'esm', target: 'node22', outfile: driver, logLevel: 'error',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
});

afterAll(() => rmSync(driverDir, { recursive: true, force: true }));

/** Starts the driver, SIGKILLs it `afterMs` after its first acknowledged put, resolves with the last acknowledged n. */
function runAndKill(dir: string, afterMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [driver, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let last = -1;
    let pending = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.stdout.on('data', (chunk) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('ack ')) continue;
        // Timed from the first acknowledged put, not from 'ready': on a loaded machine the first
        // write can take longer than the shortest wait, and a kill before it proves nothing.
        if (last < 0) setTimeout(() => child.kill('SIGKILL'), afterMs);
        last = Number(line.slice(4));
      }
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`driver ended without being killed: ${stderr}`));
      else resolve(last);
    });
  });
}

describe('SIGKILL during writes', () => {
  it.each([60, 180, 400])('loses no acknowledged durable put and nothing is damaged when killed after %i ms', async (afterMs) => {
    const dir = tempDir();
    const last = await runAndKill(dir, afterMs);
    expect(last).toBeGreaterThan(0);

    const store = openStore(dir, { clock: createFakeClock(), log: silentLogger });
    try {
      expect(store.notices).toEqual([]);
      expect(readdirSync(dir).filter((name) => name.includes('.corrupt-'))).toEqual([]);
      // Every acknowledged put is there, or a later one of the same slot (at most the one in flight).
      for (let n = Math.max(0, last - SLOTS + 1); n <= last; n += 1) {
        const task = store.tasks.get(`task-${n % SLOTS}`);
        expect(task?.attempts).toBeGreaterThanOrEqual(n);
        expect(task?.attempts).toBeLessThanOrEqual(last + 1);
      }
    } finally {
      await store.close();
    }
  });
});
