// `npm run test:electron`: the smoke test of the real desktop app (app.smoke.ts), run by vitest
// with its own config (test/electron-smoke/vitest.config.ts), never by `npm test`.
//
// 1. Can an Electron binary be had (scripts/electron-binary.mjs: ELECTRON_OVERRIDE_DIST_PATH, or
//    node_modules/electron's download, fetched now if missing)? If not, say so in one line and
//    exit 0: the machines this repository is built on cannot download it.
// 2. Build dist/ (the smoke test launches `electron .`, i.e. dist/electron/main.js).
// 3. On Linux, run under xvfb-run (a private X display) and, when present, dbus-run-session (a
//    private session bus: the tray's StatusNotifierItem and the keyring never meet the user's).
//
//   node test/electron-smoke/run.mjs [--no-download] [--no-build]
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { obtainElectronBinary } from '../../scripts/electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);

const binary = await obtainElectronBinary({ root, download: !args.includes('--no-download'), timeoutMs: 300_000 });
if (!binary.found) {
  console.log(`electron smoke test skipped: no Electron binary can be had here (${binary.reason})`);
  process.exit(0);
}

const run = (command, argv, env = process.env) => spawnSync(command, argv, { cwd: root, stdio: 'inherit', env }).status ?? 1;
const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

if (!args.includes('--no-build') && run(process.execPath, ['scripts/build.mjs']) !== 0) process.exit(1);

const vitest = [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'test/electron-smoke/vitest.config.ts'];
const env = { ...process.env, CRIER_SMOKE_ELECTRON: binary.path };
let command = process.execPath;
let argv = vitest;
if (process.platform === 'linux') {
  if (!has('xvfb-run')) {
    console.error('electron smoke test: xvfb-run is needed on Linux for a private display (Debian/Ubuntu: apt-get install xvfb)');
    process.exit(1);
  }
  const bus = has('dbus-run-session') ? ['dbus-run-session', '--'] : [];
  command = 'xvfb-run';
  argv = ['-a', '-s', '-screen 0 1280x1024x24', ...bus, process.execPath, ...vitest];
}
process.exit(run(command, argv, env));
