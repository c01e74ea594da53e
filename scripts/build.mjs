// Bundles every entry with esbuild. Type checking is `tsc --noEmit` in `npm run build`.
import { build } from 'esbuild';
import { buildRenderer } from './build-renderer.mjs';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist');
// dist/ is not emptied first: a running `crier serve` or a test suite may be using it.
mkdirSync(out, { recursive: true });

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const node = {
  define: { __CRIER_VERSION__: JSON.stringify(pkg.version) },
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  sourcemap: 'linked',
  // Dependencies stay in node_modules (npm installs them; electron-builder packs them).
  packages: 'external',
  logLevel: 'warning',
};
/** Where the CLI's chunks go: one level under dist/, as the parse worker's lookup expects (worker-entry.ts). */
const CLI_CHUNKS = 'cli-chunks';
const entries = [
  // Split: each import() in the CLI (a command, the X client, the inline feed parser) becomes a
  // chunk loaded when first used, with the dependencies only it imports, so `crier serve` does not
  // load what it may never need (issue 13). (One bundle would hoist every dependency's import to
  // its top and load them all at start.) The packed app leaves the CLI and its chunks out.
  { entryPoints: [join(root, 'main/cli.ts')], outdir: out, entryNames: '[name]', chunkNames: `${CLI_CHUNKS}/[name]-[hash]`,
    splitting: true, metafile: true, banner: { js: '#!/usr/bin/env node' },
    // zod goes inside: its 95 files cost a start more to find and load than to read as one chunk
    // (10,000-task start 281 → 256 ms, bench/startup.mjs --against). The other packages stay out.
    packages: undefined, external: ['electron', ...Object.keys(pkg.dependencies ?? {}).filter((d) => d !== 'zod').flatMap((d) => [d, `${d}/*`])] },
  // The parse worker brings its dependencies with it: the packed app runs it from
  // app.asar.unpacked (README → Packaging), where no node_modules are beside it, and its CommonJS
  // dependencies (iconv-lite) get a real `require` for Node's built-ins.
  { entryPoints: [join(root, 'main/core/feeds/parse-worker.ts')], outfile: join(out, 'parse-worker.js'), packages: undefined,
    banner: { js: "import { createRequire as __crierCreateRequire } from 'node:module'; const require = __crierCreateRequire(import.meta.url);" } },
];
if (existsSync(join(root, 'main/electron/main.ts'))) {
  entries.push({ entryPoints: [join(root, 'main/electron/main.ts')], outfile: join(out, 'electron/main.js') });
}
const results = await Promise.all(entries.filter((e) => existsSync(e.entryPoints[0])).map((e) => build({ ...node, ...e })));
chmodSync(join(out, 'cli.js'), 0o755);
removeStaleChunks(results);

/**
 * Chunk names carry a hash of their content, so each build that changes one leaves the old file
 * behind. Old ones go once they are an hour old: a `crier serve` started from the previous build
 * (a test suite's, say) may still import one it has not needed yet.
 */
function removeStaleChunks(built) {
  const dir = join(out, CLI_CHUNKS);
  if (!existsSync(dir)) return;
  const current = new Set(built.flatMap((r) => Object.keys(r.metafile?.outputs ?? {})).map((p) => join(root, p)));
  const cutoff = Date.now() - 60 * 60 * 1000;
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (current.has(file) || current.has(file.replace(/\.map$/, ''))) continue;
    try {
      if (statSync(file).mtimeMs < cutoff) rmSync(file, { force: true });
    } catch {
      // Removed meanwhile by a build running beside this one.
    }
  }
}

if (existsSync(join(root, 'preload/index.ts'))) {
  // A sandboxed preload cannot require local files: one CommonJS bundle.
  await build({ ...node, packages: undefined, format: 'cjs', external: ['electron'],
    entryPoints: [join(root, 'preload/index.ts')], outfile: join(out, 'preload.cjs') });
}

await buildRenderer(join(out, 'renderer'));
// What the app loads at run time (tray and window icons); the SVG source and the installers' icon
// formats (assets/installer) stay out of the packed app.
const runtimeAsset = (src) => {
  const path = relative(join(root, 'assets'), src);
  return !path.endsWith('.svg') && path.split(sep)[0] !== 'installer';
};
if (existsSync(join(root, 'assets'))) cpSync(join(root, 'assets'), join(out, 'assets'), { recursive: true, filter: runtimeAsset });
