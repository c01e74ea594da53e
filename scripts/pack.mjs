// `npm run pack`: builds dist/, then packs the Linux app directory (out/linux-unpacked) with
// electron-builder, offline. Real installers (AppImage, deb, dmg, NSIS) need Electron and tool
// downloads and are built on a release machine: see README → Packaging.
//
// Offline, electron-builder gets `electronVersion` (from node_modules/electron, so it never asks
// the network which version to use) and `electronDist`: a directory it copies instead of
// unzipping a downloaded Electron. Ours is a stand-in holding only what electron-builder's Linux
// packer touches: an executable named `electron`, which it renames to the app's executable name
// (our stand-in is a shell script that says what it is and exits 1). Everything the app itself
// brings — resources/app.asar, app.asar.unpacked — is real, and that is what this checks.
// scripts/after-pack.mjs recognises the stand-in by its marker line and skips the fuses.
//
//   node scripts/pack.mjs [--no-build] [--out DIR] [--timeout SECONDS] [--targets LIST] [-- ARGS]
//     --no-build  use dist/ as it is (the tests build it once for every suite)
//     --out DIR   write DIR/linux-unpacked instead of out/linux-unpacked
//     --timeout   give up (and kill electron-builder) after this long; default 300 s
//     --targets   Linux targets instead of the app directory, e.g. deb: electron-builder then
//                 needs its packaging tool (fpm), which it downloads unless CUSTOM_FPM_PATH names
//                 one (test/packaging/deb.test.ts gives it a recording stand-in)
//     -- ARGS     passed to electron-builder as they are (e.g. -c.linux.maintainer=…)
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STAND_IN_MARKER } from './after-pack.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const args = process.argv.slice(2);
const build = !args.includes('--no-build');
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const timeoutMs = Number(option('--timeout') ?? 300) * 1000;
const outDir = resolve(root, option('--out') ?? 'out');
const targets = option('--targets')?.split(',') ?? null;
const passThrough = args.includes('--') ? args.slice(args.indexOf('--') + 1) : [];

function run(command, argv, options = {}) {
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout ends electron-builder and whatever it started.
    const child = spawn(command, argv, { cwd: root, stdio: 'inherit', detached: true, ...options });
    const timer = setTimeout(() => {
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
      reject(new Error(`${argv[0] ?? command} did not finish within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${argv[0] ?? command} failed (${signal ?? `exit ${code}`})`));
    });
  });
}

function makeStandIn() {
  const dir = mkdtempSync(join(tmpdir(), 'crier-electron-stand-in-'));
  const exe = join(dir, 'electron');
  writeFileSync(exe, [
    '#!/bin/sh',
    `# ${STAND_IN_MARKER}: not Electron. scripts/pack.mjs packs with this so it can run offline.`,
    'echo "This Crier build was packed with a stand-in for Electron and cannot run; build it on a machine that can download Electron (README: Packaging)." >&2',
    'exit 1',
    '',
  ].join('\n'));
  chmodSync(exe, 0o755);
  return dir;
}

async function pack() {
  const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
  if (build) await run(process.execPath, ['scripts/build.mjs']);
  const standIn = makeStandIn();
  try {
    mkdirSync(outDir, { recursive: true });
    await run(process.execPath, [
      join(root, 'node_modules/electron-builder/cli.js'),
      ...(targets ? ['--linux', ...targets] : ['--linux', '--dir']), '--x64',
      '--publish', 'never',
      `-c.electronVersion=${electronVersion}`,
      `-c.electronDist=${standIn}`,
      `-c.directories.output=${outDir}`,
      ...passThrough,
    ]);
  } finally {
    rmSync(standIn, { recursive: true, force: true });
  }
  console.log(`packed: ${relative(process.cwd(), join(outDir, 'linux-unpacked'))} (Electron ${electronVersion}, stand-in binary)`);
}

await pack().catch((err) => {
  console.error(`pack: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
