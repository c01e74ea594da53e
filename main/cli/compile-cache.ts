// Node compiles every module of the engine (ours, zod, pino…) at each start: two fifths of a
// `crier serve` start with 10,000 tasks. Node's module compile cache keeps V8's code cache on disk
// and reuses it while the files are unchanged (https://nodejs.org/api/module.html#module-compile-cache):
// measured 452 → 289 ms to the listening line (bench/startup.mjs). It is turned on before the
// command's code is loaded and handed to the parse workers through the environment they inherit.
//
// Where: NODE_COMPILE_CACHE when set, else a directory of the user's own (XDG_CACHE_HOME or
// ~/.cache on Linux, ~/Library/Caches on macOS, LOCALAPPDATA on Windows), made private (0700) — not
// Node's default in the shared temp dir, where another local user could create the directory
// first and plant compiled code for Crier to run. NODE_DISABLE_COMPILE_CACHE=1 turns it off. A
// cache that cannot be used only costs the speed-up: nothing here throws.
import { mkdirSync } from 'node:fs';
import module from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The user's own cache directory for Crier's compiled code, or null when there is no home to put it in. */
export function privateCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: () => string = homedir): string | null {
  let base: string | undefined;
  try {
    if (platform === 'win32') base = env.LOCALAPPDATA || join(home(), 'AppData', 'Local');
    else if (platform === 'darwin') base = join(home(), 'Library', 'Caches');
    else base = env.XDG_CACHE_HOME || join(home(), '.cache');
  } catch {
    return null;
  }
  return base ? join(base, 'crier', 'compile-cache') : null;
}

/** Turns the compile cache on for this process and the workers it starts; the directory, or null. */
export function useCompileCache(env: NodeJS.ProcessEnv = process.env): string | null {
  if (typeof module.enableCompileCache !== 'function' || env.NODE_DISABLE_COMPILE_CACHE) return null;
  let dir = env.NODE_COMPILE_CACHE || null;
  if (dir === null) {
    dir = privateCacheDir(env);
    if (dir === null) return null;
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch {
      return null;
    }
  }
  const result = module.enableCompileCache(dir);
  if (!result.directory) return null;
  env.NODE_COMPILE_CACHE = result.directory;
  return result.directory;
}

/**
 * Writes what this process compiled so far: a long-running server is often stopped by a kill that
 * skips Node's own write at exit, and then every later start would compile everything again.
 */
export function saveCompileCache(): void {
  if (typeof module.flushCompileCache === 'function' && module.getCompileCacheDir?.()) module.flushCompileCache();
}
