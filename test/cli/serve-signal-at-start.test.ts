// `crier serve` prints its listening line only once its SIGTERM and SIGINT handlers are in place:
// a supervisor (or a test) that signals the moment it reads the line gets the orderly stop and
// exit code 0, never a process killed by the signal's default action mid-start.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServeProcess } from '../support/serve-process';

let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'crier-signal-at-start-'));
  // A data dir opened once, so every start below is as quick as a start can be.
  const first = await startServeProcess({ dataDir: join(root, 'template') });
  await first.stop('SIGTERM');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('crier serve signalled at once', () => {
  it('stops in order, exit code 0, on a SIGTERM sent the moment its listening line is read', async () => {
    // The window was a few instructions wide: several starts make it likelier to be met.
    for (let i = 0; i < 6; i++) {
      const dataDir = join(root, `run-${i}`);
      cpSync(join(root, 'template'), dataDir, { recursive: true });
      const serve = await startServeProcess({ dataDir });
      expect(await serve.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    }
  }, 120_000);
});
