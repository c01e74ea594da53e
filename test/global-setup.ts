// Builds dist/ once before any test file runs: the CLI, serve and browser suites spawn the built
// bin and load the built pages, and a build inside one suite would pull dist/ out from under
// another running in parallel.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
}
