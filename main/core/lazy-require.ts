// Dependencies loaded at their first use rather than at start (issue 13). The bundles keep
// packages external, and a static import of one is hoisted to the top of its bundle, so it loads
// when Crier starts, whether that run ever uses it or not; require() loads it when called. For a
// package whose code sits behind an async step, import() of our own module does the same through a
// chunk of its own (account.ts, executor.ts); this is for synchronous callers.
//
// Only for code outside the parse worker: its bundle must carry its dependencies (it runs where no
// node_modules are), and esbuild bundles what a static import names, not what require() is handed.
import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

/** A getter that requires `name` on its first call and returns the same module ever after. */
export function lazyRequire<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireHere(name) as T);
}
