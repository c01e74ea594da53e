// Bundles each renderer/<page>.ts that has a renderer/<page>.html and copies the pages and their
// static files into outDir. Used by scripts/build.mjs (outDir dist/renderer) and by browser tests
// and screenshots that want a private copy.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'renderer');

export async function buildRenderer(outDir) {
  mkdirSync(outDir, { recursive: true });
  const files = existsSync(src) ? readdirSync(src) : [];
  const entries = files.filter((f) => f.endsWith('.html')).map((f) => join(src, f.replace(/\.html$/, '.ts'))).filter(existsSync);
  if (entries.length > 0) {
    await build({ bundle: true, platform: 'browser', format: 'esm', target: 'chrome130', sourcemap: 'linked',
      entryPoints: entries, outdir: outDir, logLevel: 'warning' });
  }
  for (const f of files) if (/\.(html|css|svg|png)$/.test(f)) cpSync(join(src, f), join(outDir, f));
}
