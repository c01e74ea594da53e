// Can an Electron binary be had? Answers the way `electron .` would find one (the electron
// package's index.js): ELECTRON_OVERRIDE_DIST_PATH first, else node_modules/electron/path.txt and
// dist/. The package downloads its binary lazily, on the first `require('electron')`; requiring it
// to ask would start that download, so this reads the same files instead, and downloads only when
// asked to (electron's own install.js), with a time limit.
//
// Used by `npm run test:electron` (no binary: one line, exit 0) and by `npm start`'s message.
//   node scripts/electron-binary.mjs [--download]   prints the binary's path, or why there is none (exit 1)
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * @typedef {{ found: true, path: string } | { found: false, path: string | null, reason: string }} ElectronBinary
 * @typedef {{ root?: string, env?: Record<string, string | undefined> }} Where
 */

const isFile = (file) => {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
};

/**
 * Where `electron .` would look for the binary, and whether it is there. Never downloads.
 * @param {Where} [where]
 * @returns {ElectronBinary}
 */
export function findElectronBinary({ root = ROOT, env = process.env } = {}) {
  const pkgDir = join(root, 'node_modules', 'electron');
  if (!existsSync(join(pkgDir, 'package.json'))) {
    return { found: false, path: null, reason: 'the electron package is not installed (run npm ci)' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const path = join(override, executable || 'electron');
    return isFile(path)
      ? { found: true, path }
      : { found: false, path, reason: `ELECTRON_OVERRIDE_DIST_PATH points at ${override}, which holds no Electron binary (${path} is missing)` };
  }
  if (!executable) {
    return { found: false, path: null, reason: 'Electron\'s binary has not been downloaded (node_modules/electron/path.txt is missing)' };
  }
  const path = join(pkgDir, 'dist', executable);
  return isFile(path)
    ? { found: true, path }
    : { found: false, path, reason: `Electron's binary is missing (${relative(root, path)})` };
}

/**
 * Runs electron's own downloader (node_modules/electron/install.js) and answers its outcome in
 * one line. Offline it fails within seconds (DNS); a stalled download is cut at `timeoutMs`.
 * @param {{ root?: string, env?: Record<string, string | undefined>, timeoutMs?: number }} [options]
 * @returns {Promise<{ ok: boolean, message: string }>}
 */
export function downloadElectronBinary({ root = ROOT, env = process.env, timeoutMs = 300_000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'node_modules', 'electron', 'install.js')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => { clearTimeout(timer); resolve({ ok: false, message: err.message }); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const first = output.split('\n').map((line) => line.trim()).find((line) => line !== '');
      if (code === 0) resolve({ ok: true, message: 'downloaded' });
      else if (signal) resolve({ ok: false, message: `no answer within ${timeoutMs / 1000} s` });
      else resolve({ ok: false, message: first ?? `install.js exited ${code}` });
    });
  });
}

/**
 * findElectronBinary, and when the only thing missing is the package's own download (no
 * override set), the download, then a second look.
 * @param {Where & { download?: boolean, timeoutMs?: number, fetchBinary?: typeof downloadElectronBinary }} [options]
 * @returns {Promise<ElectronBinary>}
 */
export async function obtainElectronBinary({ root = ROOT, env = process.env, download = true, timeoutMs, fetchBinary = downloadElectronBinary } = {}) {
  const first = findElectronBinary({ root, env });
  if (first.found || !download || env.ELECTRON_OVERRIDE_DIST_PATH || !existsSync(join(root, 'node_modules', 'electron', 'package.json'))) return first;
  const fetched = await fetchBinary({ root, env, timeoutMs });
  if (!fetched.ok) return { ...first, reason: `${first.reason}, and downloading it failed: ${fetched.message}` };
  return findElectronBinary({ root, env });
}

/** One line for a person: where the binary is, or why there is none and what to do. */
export function describeElectronBinary(binary) {
  return binary.found
    ? `Electron: ${binary.path}`
    : `no Electron binary: ${binary.reason}. Run npm start (or npx install-electron) on a machine with network, or set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron.`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const binary = await obtainElectronBinary({ download: process.argv.includes('--download') });
  console.log(describeElectronBinary(binary));
  process.exitCode = binary.found ? 0 : 1;
}
