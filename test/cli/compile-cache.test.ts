// `crier serve` keeps the code it compiled in Node's module compile cache (main/cli/compile-cache.ts),
// so the next start skips compiling the engine (issue 13; the time is bench/startup.mjs's figure).
// Seen from outside: the cache directory a real process was given, after a kill -9.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startServeProcess } from '../support/serve-process';

const root = mkdtempSync(join(tmpdir(), 'crier-compile-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Bytes of every file under `dir` (0 when it does not exist). */
function bytesUnder(dir: string): number {
  let total = 0;
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name)); else total += statSync(join(d, e.name)).size;
    }
  };
  try { walk(dir); } catch { return 0; }
  return total;
}

describe('the compile cache of crier serve', () => {
  it('writes what the start compiled once it listens, so a kill -9 afterwards loses none of it', async () => {
    const cache = join(root, 'cache');
    const serve = await startServeProcess({ dataDir: join(root, 'data'), env: { NODE_COMPILE_CACHE: cache } });
    try {
      // The engine's chunks and zod are well over 100 KB of code cache.
      await vi.waitFor(() => expect(bytesUnder(cache)).toBeGreaterThan(100_000));
    } finally {
      await serve.stop('SIGKILL');
    }
    expect(bytesUnder(cache)).toBeGreaterThan(100_000);
  });

  it('is on without being asked, in the directory Node picks: node-compile-cache in the temp dir', async () => {
    const tmp = join(root, 'tmp');
    mkdirSync(tmp);
    const serve = await startServeProcess({ dataDir: join(root, 'data-default'), env: { TMPDIR: tmp, NODE_COMPILE_CACHE: '' } });
    try {
      await vi.waitFor(() => expect(bytesUnder(join(tmp, 'node-compile-cache'))).toBeGreaterThan(100_000));
    } finally {
      await serve.stop('SIGKILL');
    }
  });
});
