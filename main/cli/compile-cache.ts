// Node compiles every module of the engine (ours, zod, pino…) at each start: two fifths of a
// `crier serve` start with 10,000 tasks. Node's module compile cache keeps V8's code cache on disk
// and reuses it while the files are unchanged (https://nodejs.org/api/module.html#module-compile-cache):
// measured 452 → 289 ms to the listening line (bench/startup.mjs). It is turned on before the
// command's code is loaded, in the directory Node picks (NODE_COMPILE_CACHE, else
// <tmpdir>/node-compile-cache; NODE_DISABLE_COMPILE_CACHE=1 turns it off), and handed to the parse
// workers through the environment they inherit. A cache that cannot be used only costs the speed-up:
// Node never throws here.
import module from 'node:module';

/** Turns the compile cache on for this process and the workers it starts; the directory, or null. */
export function useCompileCache(env: NodeJS.ProcessEnv = process.env): string | null {
  if (typeof module.enableCompileCache !== 'function') return null;
  const result = module.enableCompileCache();
  if (!result.directory) return null;
  env.NODE_COMPILE_CACHE ??= result.directory;
  return result.directory;
}

/**
 * Writes what this process compiled so far: a long-running server is often stopped by a kill that
 * skips Node's own write at exit, and then every later start would compile everything again.
 */
export function saveCompileCache(): void {
  if (typeof module.flushCompileCache === 'function' && module.getCompileCacheDir?.()) module.flushCompileCache();
}
