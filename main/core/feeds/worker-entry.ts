// Where the parse worker's code lives. Built: dist/parse-worker.js beside the bundle that runs
// the executor (dist/cli.js), or one level up (dist/electron/main.js). In the packed desktop app
// that bundle is inside resources/app.asar and the worker file was unpacked beside the archive
// (electron-builder `asarUnpack`), so a worker starts from a plain file, as plain Node would,
// whatever Electron's asar layer does in worker threads. From source (vitest, tsx), no .js
// exists beside executor.ts, so the worker is bundled on demand with esbuild (a dev dependency)
// into a self-contained CommonJS file in the temp dir, once per process.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

let fromSource: Promise<URL> | null = null;

async function bundleFromSource(source: URL): Promise<URL> {
  const { build } = await import('esbuild');
  const sourcePath = fileURLToPath(source);
  const tag = createHash('sha256').update(sourcePath).update(readFileSync(sourcePath)).digest('hex').slice(0, 12);
  const outfile = join(tmpdir(), `crier-parse-worker-${process.pid}-${tag}.cjs`);
  await build({ entryPoints: [sourcePath], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node24', logLevel: 'silent' });
  process.once('exit', () => rmSync(outfile, { force: true }));
  return pathToFileURL(outfile);
}

/**
 * Where to look for parse-worker.js, in order, from the URL of the module that runs the executor.
 * The unpacked copy comes first: inside Electron, existsSync answers true for an unpacked file's
 * path in the archive too.
 */
export function workerCandidates(moduleUrl: string): URL[] {
  return ['./parse-worker.js', '../parse-worker.js'].flatMap((candidate) => {
    const url = new URL(candidate, moduleUrl);
    const unpacked = url.href.replace('/app.asar/', '/app.asar.unpacked/');
    return unpacked === url.href ? [url] : [new URL(unpacked), url];
  });
}

export async function locateParseWorker(): Promise<URL> {
  const found = workerCandidates(import.meta.url).find((url) => existsSync(url));
  if (found) return found;
  const source = new URL('./parse-worker.ts', import.meta.url);
  if (existsSync(source)) return (fromSource ??= bundleFromSource(source));
  throw new Error('parse-worker.js is missing beside the Crier bundle; rebuild with `node scripts/build.mjs`');
}
