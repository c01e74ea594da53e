// Bundles each renderer/<page>.ts that has a renderer/<page>.html and copies the pages and their
// static files into outDir. Used by scripts/build.mjs (outDir dist/renderer) and by browser tests
// and screenshots that want a private copy.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'renderer');

export async function buildRenderer(outDir) {
  mkdirSync(outDir, { recursive: true });
  const files = existsSync(src) ? readdirSync(src) : [];
  const pages = files.filter((f) => f.endsWith('.html')).map((f) => join(src, f.replace(/\.html$/, '.ts'))).filter(existsSync);
  // <page>.early.ts: a page's few lines that run before its main script (tasks.early.ts opens the event stream).
  const entries = [...pages, ...pages.map((p) => p.replace(/\.ts$/, '.early.ts')).filter(existsSync)];
  // One build per page, split: each import() becomes a chunk of its own (the tasks window's length
  // counter, twitter-text and its polyfills, half the page's script, loads when an editor first
  // opens), while what the pages share stays inside each page's file, so a page's start never
  // waits on a second request for a shared chunk (issue 13).
  const built = await Promise.all(entries.map((entry) => build({ bundle: true, platform: 'browser', format: 'esm', target: 'chrome130', sourcemap: 'linked',
    entryPoints: [entry], outdir: outDir, splitting: true, chunkNames: 'chunks/[name]-[hash]', metafile: true, logLevel: 'warning' })));
  const preloads = new Map();
  for (const { metafile } of built) {
    for (const [out, info] of Object.entries(metafile.outputs)) {
      if (!info.entryPoint) continue;
      // esbuild's helpers go in a chunk the page imports statically: fetched with the page's own
      // script (modulepreload), not one round trip after it.
      const chunks = info.imports.filter((i) => i.kind === 'import-statement').map((i) => relative(dirname(out), i.path).split(sep).join('/'));
      preloads.set(basename(out).replace(/\.js$/, '.html'), chunks);
    }
  }
  removeStaleChunks(join(outDir, 'chunks'), new Set(built.flatMap((r) => Object.keys(r.metafile.outputs)).map((o) => basename(o))));
  for (const f of files) {
    if (f.endsWith('.html') && preloads.get(f)?.length) {
      const links = preloads.get(f).map((c) => `<link rel="modulepreload" href="${c}">`).join('\n  ');
      writeFileSync(join(outDir, f), readFileSync(join(src, f), 'utf8').replace(/(\s*)(<script type="module")/, `$1${links}$1$2`));
    } else if (/\.(html|css|svg|png)$/.test(f)) cpSync(join(src, f), join(outDir, f));
  }
}

/**
 * Chunk names carry a hash of their content, so each build that changes one leaves the old one
 * behind; it goes once an hour old (a page opened from the previous build may still import it).
 */
function removeStaleChunks(dir, current) {
  if (!existsSync(dir)) return;
  const cutoff = Date.now() - 60 * 60 * 1000;
  for (const name of readdirSync(dir)) {
    if (current.has(name) || current.has(name.replace(/\.map$/, ''))) continue;
    try {
      if (statSync(join(dir, name)).mtimeMs < cutoff) rmSync(join(dir, name), { force: true });
    } catch {
      // Removed meanwhile by a build running beside this one.
    }
  }
}
