// `crier serve` keeps the code it compiled in Node's module compile cache (main/cli/compile-cache.ts),
// so the next start skips compiling the engine (issue 13; the time is bench/startup.mjs's figure).
// Seen from outside: the cache directory a real process was given, after a kill -9.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { privateCacheDir } from '../../main/cli/compile-cache';
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

  it('is on without being asked, in a private directory of the user\'s cache, not the shared temp dir', async () => {
    const cacheHome = join(root, 'xdg-cache');
    const tmp = join(root, 'tmp');
    mkdirSync(tmp);
    const serve = await startServeProcess({ dataDir: join(root, 'data-default'), env: { XDG_CACHE_HOME: cacheHome, TMPDIR: tmp, NODE_COMPILE_CACHE: '' } });
    const dir = join(cacheHome, 'crier', 'compile-cache');
    try {
      await vi.waitFor(() => expect(bytesUnder(dir)).toBeGreaterThan(100_000));
    } finally {
      await serve.stop('SIGKILL');
    }
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(bytesUnder(join(tmp, 'node-compile-cache'))).toBe(0);
  });

  it('puts the cache where each platform keeps a user\'s caches', () => {
    const home = (): string => '/home/ada';
    expect(privateCacheDir({}, 'linux', home)).toBe('/home/ada/.cache/crier/compile-cache');
    expect(privateCacheDir({ XDG_CACHE_HOME: '/xdg' }, 'linux', home)).toBe('/xdg/crier/compile-cache');
    expect(privateCacheDir({}, 'darwin', home)).toBe('/home/ada/Library/Caches/crier/compile-cache');
    expect(privateCacheDir({ LOCALAPPDATA: 'C:/Users/ada/AppData/Local' }, 'win32', home)).toMatch(/^C:.Users.ada.AppData.Local.crier.compile-cache$/);
    expect(privateCacheDir({}, 'linux', () => { throw new Error('no home'); })).toBeNull();
  });
});
