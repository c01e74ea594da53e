// "Can an Electron binary be had?" (scripts/electron-binary.mjs), as `npm run test:electron`
// and `npm start` ask it: against laid-out node_modules/electron folders in temp dirs, and the
// smoke runner itself with ELECTRON_OVERRIDE_DIST_PATH at an empty folder, which is how a machine
// without the binary looks to it. No test here downloads anything.
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, matchesGlob } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import mainConfig from '../../vitest.config';
import {
  describeElectronBinary, downloadElectronBinary, findElectronBinary, obtainElectronBinary,
} from '../../scripts/electron-binary.mjs';

const repo = join(import.meta.dirname, '../..');
let root: string;
let empty: string;

/** A project folder whose node_modules/electron holds what the package would after `npm ci` (and, with `downloaded`, after its download). */
function layout(options: { downloaded?: boolean; pathTxt?: boolean; installJs?: string } = {}): void {
  const pkg = join(root, 'node_modules/electron');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'electron', version: '45.5.0' }));
  if (options.pathTxt ?? options.downloaded) writeFileSync(join(pkg, 'path.txt'), 'electron');
  if (options.downloaded) {
    mkdirSync(join(pkg, 'dist'), { recursive: true });
    writeFileSync(join(pkg, 'dist/electron'), '#!/bin/sh\n');
    chmodSync(join(pkg, 'dist/electron'), 0o755);
  }
  if (options.installJs) writeFileSync(join(pkg, 'install.js'), options.installJs);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'crier-electron-binary-'));
  empty = mkdtempSync(join(tmpdir(), 'crier-electron-empty-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(empty, { recursive: true, force: true });
});

describe('findElectronBinary', () => {
  it('finds the binary the electron package downloaded, as `electron .` would', () => {
    layout({ downloaded: true });
    expect(findElectronBinary({ root, env: {} })).toEqual({ found: true, path: join(root, 'node_modules/electron/dist/electron') });
  });

  it('answers no binary, without downloading, when the package has not fetched it yet', () => {
    layout();
    expect(findElectronBinary({ root, env: {} })).toEqual({
      found: false, path: null, reason: "Electron's binary has not been downloaded (node_modules/electron/path.txt is missing)",
    });
  });

  it('answers no binary when path.txt names a file that is gone', () => {
    layout({ pathTxt: true });
    expect(findElectronBinary({ root, env: {} })).toMatchObject({ found: false, reason: "Electron's binary is missing (node_modules/electron/dist/electron)" });
  });

  it('answers no binary when ELECTRON_OVERRIDE_DIST_PATH points at an empty folder, even with a downloaded one', () => {
    layout({ downloaded: true });
    const binary = findElectronBinary({ root, env: { ELECTRON_OVERRIDE_DIST_PATH: empty } });
    expect(binary).toEqual({
      found: false, path: join(empty, 'electron'),
      reason: `ELECTRON_OVERRIDE_DIST_PATH points at ${empty}, which holds no Electron binary (${join(empty, 'electron')} is missing)`,
    });
  });

  it('finds the binary in ELECTRON_OVERRIDE_DIST_PATH under the name path.txt gives', () => {
    layout({ pathTxt: true });
    writeFileSync(join(empty, 'electron'), '');
    expect(findElectronBinary({ root, env: { ELECTRON_OVERRIDE_DIST_PATH: empty } })).toEqual({ found: true, path: join(empty, 'electron') });
  });

  it('says to install the packages when node_modules/electron is absent', () => {
    expect(findElectronBinary({ root, env: {} })).toMatchObject({ found: false, reason: 'the electron package is not installed (run npm ci)' });
  });
});

describe('obtainElectronBinary', () => {
  it('downloads when only the download is missing, and finds what it fetched', async () => {
    layout();
    const fetchBinary = vi.fn(async () => {
      layout({ downloaded: true });
      return { ok: true, message: 'downloaded' };
    });
    expect(await obtainElectronBinary({ root, env: {}, fetchBinary })).toMatchObject({ found: true });
    expect(fetchBinary).toHaveBeenCalledTimes(1);
  });

  it('adds the download’s failure to the reason', async () => {
    layout();
    const binary = await obtainElectronBinary({ root, env: {}, fetchBinary: async () => ({ ok: false, message: 'TypeError: fetch failed' }) });
    expect(binary).toMatchObject({ found: false, reason: expect.stringMatching(/has not been downloaded .*, and downloading it failed: TypeError: fetch failed$/) });
  });

  it('never downloads when ELECTRON_OVERRIDE_DIST_PATH is set, or when asked not to', async () => {
    layout();
    const fetchBinary = vi.fn(async () => ({ ok: true, message: 'downloaded' }));
    expect(await obtainElectronBinary({ root, env: { ELECTRON_OVERRIDE_DIST_PATH: empty }, fetchBinary })).toMatchObject({ found: false });
    expect(await obtainElectronBinary({ root, env: {}, download: false, fetchBinary })).toMatchObject({ found: false });
    expect(fetchBinary).not.toHaveBeenCalled();
  });
});

describe('downloadElectronBinary', () => {
  it('reports the first line electron’s installer printed when it fails', async () => {
    layout({ installJs: "console.error('TypeError: fetch failed\\n    at somewhere'); process.exit(1);" });
    expect(await downloadElectronBinary({ root, env: {} })).toEqual({ ok: false, message: 'TypeError: fetch failed' });
  });

  it('gives up on an installer that does not answer in time', async () => {
    layout({ installJs: 'setInterval(() => {}, 1000);' });
    expect(await downloadElectronBinary({ root, env: {}, timeoutMs: 300 })).toEqual({ ok: false, message: 'no answer within 0.3 s' });
  });
});

describe('describeElectronBinary', () => {
  it('says in one line where the binary is, or why there is none and what to do', () => {
    expect(describeElectronBinary({ found: true, path: '/x/electron' })).toBe('Electron: /x/electron');
    const line = describeElectronBinary({ found: false, path: null, reason: 'it was never downloaded' });
    expect(line).toMatch(/^no Electron binary: it was never downloaded\. .*ELECTRON_OVERRIDE_DIST_PATH/);
    expect(line).not.toContain('\n');
  });
});

describe('npm run test:electron without an Electron binary', () => {
  it('says so in one line and exits 0, before building anything', async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['test/electron-smoke/run.mjs'], {
      cwd: repo, env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: empty }, timeout: 30_000,
    });
    expect(stdout).toBe(`electron smoke test skipped: no Electron binary can be had here (ELECTRON_OVERRIDE_DIST_PATH points at ${empty}, which holds no Electron binary (${join(empty, 'electron')} is missing))\n`);
    expect(stderr).toBe('');
  });

  it('is not part of npm test: the main config’s include never matches the smoke test', () => {
    const include = mainConfig.test?.include ?? [];
    expect(include.length).toBeGreaterThan(0);
    for (const file of ['test/electron-smoke/app.smoke.ts', 'test/electron-smoke/run.mjs', 'test/electron-smoke/vitest.config.ts']) {
      expect(include.some((pattern) => matchesGlob(file, pattern)), file).toBe(false);
    }
  });
});
