// `npm start` (after the build): the desktop app in Electron's own binary, found the way
// `electron .` finds it (scripts/electron-binary.mjs), downloaded first if the package has not
// yet. Where no binary can be had, one line says what failed and what else works, instead of
// the electron package's stack trace, whose advice (download again) fails the same way.
//   node scripts/start.mjs [electron args…]
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { obtainElectronBinary } from './electron-binary.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The one line for a person when there is no Electron to run. */
export function cannotStartLine(reason) {
  return `crier: the desktop app cannot start: ${reason}. \`npx crier serve\` runs the same app in a browser; `
    + 'or set ELECTRON_OVERRIDE_DIST_PATH to the folder of an Electron you unpacked by hand.';
}

const binary = await obtainElectronBinary({ root: ROOT, timeoutMs: 120_000 });
if (!binary.found) {
  process.stderr.write(`${cannotStartLine(binary.reason)}\n`);
  process.exit(1);
}

// As the electron package's cli.js does: the app's folder first, signals passed on, its exit code ours.
const child = spawn(binary.path, [ROOT, ...process.argv.slice(2)], { stdio: 'inherit', windowsHide: false });
child.on('error', (err) => {
  process.stderr.write(`${cannotStartLine(`${binary.path} did not run (${err.message})`)}\n`);
  process.exit(1);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
