// What the packed desktop app and its .deb hold. Packs once, offline, from the dist/ the global
// setup built: scripts/pack.mjs --targets deb with the stand-in Electron, and for fpm (the tool
// electron-builder downloads to write the .deb) a stand-in named by CUSTOM_FPM_PATH that records
// what it was asked to package. Then reads resources/app.asar the way Electron would find things
// in it, and what went into the deb: its metadata (and a packager's overrides, in a second, quick
// run over the packed directory), the AppArmor profile electron-builder 26 ships for Ubuntu
// 24.04+, the icons, the desktop entry. fpm's own .deb is not built: a machine with network
// builds it (README → Packaging).
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { extractFile, listPackage, statFile } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerCandidates } from '../../main/core/feeds/worker-entry';
import type { ParseReply } from '../../main/core/feeds/parse-protocol';

const root = join(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>; devDependencies: Record<string, string>;
  homepage: string; author: { name: string; email: string }; desktopName: string;
  build: { linux: { maintainer: string; afterInstall?: unknown; afterRemove?: unknown; appArmorProfile?: unknown }; deb?: Record<string, unknown> };
};

interface FpmCall {
  argv: string[];
  /** Copies of the files fpm was pointed at, which electron-builder deletes afterwards. */
  afterInstall: string;
  afterRemove: string;
  desktop: string;
}

let out: string;
let packLog: string;
let app: string;
let resources: string;
let entries: Set<string>;
let own: FpmCall;
let overridden: FpmCall;

/** Runs scripts/pack.mjs --targets deb into `dir`, with the recording fpm; answers what fpm was asked and the log. */
async function packDeb(dir: string, extra: string[]): Promise<{ call: FpmCall; log: string }> {
  const record = join(dir, 'fpm-call.json');
  const { stdout, stderr } = await promisify(execFile)(process.execPath,
    ['scripts/pack.mjs', '--no-build', '--out', dir, '--timeout', '280', '--targets', 'deb', '--', ...extra],
    { cwd: root, timeout: 290_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, CUSTOM_FPM_PATH: join(out, 'fpm'), FAKE_FPM_RECORD: record } });
  return { call: JSON.parse(readFileSync(record, 'utf8')) as FpmCall, log: stdout + stderr };
}

let packedPackage: { main: string; type: string };
let workerStat: ReturnType<typeof statFile>;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'crier-pack-'));
  writeFileSync(join(out, 'fpm.cjs'), `
    const { readFileSync, writeFileSync } = require('node:fs');
    const argv = process.argv.slice(2);
    const after = (name) => argv[argv.indexOf(name) + 1];
    const desktop = argv.find((a) => a.endsWith('=/usr/share/applications/crier.desktop'));
    writeFileSync(process.env.FAKE_FPM_RECORD, JSON.stringify({
      argv,
      afterInstall: readFileSync(after('--after-install'), 'utf8'),
      afterRemove: readFileSync(after('--after-remove'), 'utf8'),
      desktop: desktop ? readFileSync(desktop.slice(0, desktop.indexOf('=/')), 'utf8') : '',
    }));
    writeFileSync(after('--package'), 'not a deb: a stand-in for fpm wrote this');
  `);
  writeFileSync(join(out, 'fpm'), `#!/bin/sh\nexec '${process.execPath}' '${join(out, 'fpm.cjs')}' "$@"\n`);
  chmodSync(join(out, 'fpm'), 0o755);
  ({ call: own, log: packLog } = await packDeb(join(out, 'own'), []));
  app = join(out, 'own/linux-unpacked');
  resources = join(app, 'resources');
  // listPackage answers with the platform's separator and a leading one.
  entries = new Set(listPackage(join(resources, 'app.asar'), { isPack: false }).map((p) => p.replaceAll('\\', '/').replace(/^\//, '')));
  // Read from the archive before the second pack: that one may write the app directory again,
  // and @electron/asar keeps the header it read first, so a later read would use stale offsets.
  packedPackage = JSON.parse(extractFile(join(resources, 'app.asar'), 'package.json').toString('utf8')) as { main: string; type: string };
  workerStat = statFile(join(resources, 'app.asar'), 'dist/parse-worker.js');
  // A packager's own values, over the app directory packed above (no second pack).
  ({ call: overridden } = await packDeb(join(out, 'overridden'), [
    '--prepackaged', app,
    '-c.linux.maintainer=Jane Packager <jane@example.org>',
    '-c.extraMetadata.homepage=https://packages.example.org/crier',
  ]));
}, 600_000);

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

/** The value after `--name` in fpm's arguments. */
const flag = (call: FpmCall, name: string): string | undefined => call.argv[call.argv.indexOf(name) + 1];
/** Source files mapped to where the package installs them (`SOURCE=TARGET`). */
const mapped = (call: FpmCall, target: RegExp): string[] => call.argv.filter((a) => a.includes('=/') && target.test(a.slice(a.indexOf('=/') + 1)));

const top = (): string[] => [...new Set([...entries].map((p) => p.split('/')[0]!))].sort();

describe('the packed app', () => {
  it('starts from dist/electron/main.js, as package.json in the archive says', () => {
    const packed = packedPackage;
    expect(packed.main).toBe('dist/electron/main.js');
    expect(packed.type).toBe('module');
  });

  it('holds the main bundle, the preload bridge, the parse worker and both pages', () => {
    for (const file of ['dist/electron/main.js', 'dist/preload.cjs', 'dist/parse-worker.js',
      'dist/renderer/tasks.html', 'dist/renderer/tasks.js', 'dist/renderer/settings.html',
      'dist/renderer/settings.js', 'dist/renderer/styles.css']) {
      expect(entries, file).toContain(file);
    }
  });

  it('holds every tray and window icon the shell loads at run time, and not the icon source or the installers’ formats', () => {
    const icons = readdirSync(join(root, 'assets')).filter((f) => f.endsWith('.png'));
    expect(icons).toEqual(expect.arrayContaining(['tray.png', 'trayTemplate@2x.png', 'tray-error.png', 'icon.png']));
    for (const icon of icons) expect(entries, icon).toContain(`dist/assets/${icon}`);
    expect([...entries].filter((p) => p.startsWith('dist/assets/')).sort()).toEqual(icons.map((i) => `dist/assets/${i}`).sort());
  });

  it('holds every production dependency', () => {
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(
      ['feedsmith', 'zod', 'twitter-api-v2', 'conf', 'iconv-lite', 'twitter-text', 'pino']));
    for (const name of Object.keys(pkg.dependencies)) expect(entries, name).toContain(`node_modules/${name}/package.json`);
  });

  it('holds no development dependency, Electron included', () => {
    expect(Object.keys(pkg.devDependencies)).toEqual(expect.arrayContaining(
      ['vitest', 'playwright-core', 'esbuild', 'typescript', 'electron', 'electron-builder']));
    for (const name of Object.keys(pkg.devDependencies)) expect(entries, name).not.toContain(`node_modules/${name}`);
  });

  it('holds only package.json, dist and node_modules: no sources, tests, docs or CI', () => {
    expect(top()).toEqual(['dist', 'node_modules', 'package.json']);
    expect([...entries].filter((p) => p.startsWith('dist/') && /\.(ts|map)$/.test(p))).toEqual([]);
  });

  it('leaves out the crier CLI, which the fused Electron binary cannot run', () => {
    expect(entries).not.toContain('dist/cli.js');
  });

  it('keeps the parse worker unpacked beside the archive, as a plain file', () => {
    expect(workerStat).toMatchObject({ unpacked: true });
    expect(existsSync(join(resources, 'app.asar.unpacked/dist/parse-worker.js'))).toBe(true);
  });

  it('finds the unpacked parse worker from the packed main bundle', () => {
    const main = pathToFileURL(join(resources, 'app.asar/dist/electron/main.js')).href;
    const found = workerCandidates(main).find((url) => existsSync(url));
    expect(found?.href).toBe(pathToFileURL(join(resources, 'app.asar.unpacked/dist/parse-worker.js')).href);
  });

  it('runs the unpacked parse worker with no node_modules or package.json beside it', async () => {
    const worker = new Worker(new URL(pathToFileURL(join(resources, 'app.asar.unpacked/dist/parse-worker.js'))));
    try {
      const xml = '<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>Caf\xe9 &amp; co</title>'
        + '<item><title>Hello</title><link>https://example.com/1</link></item></channel></rss>';
      // selection null: every item whole (a preview's request). Untyped, as the request's shape
      // is the executor's business; this only needs a worker that answers it.
      const request = { id: 1, bytes: new Uint8Array(Buffer.from(xml, 'latin1')), contentType: null, baseUrl: 'https://example.com/', selection: null };
      const replies = await new Promise<ParseReply[]>((resolve, reject) => {
        const got: ParseReply[] = [];
        worker.on('error', reject);
        worker.on('message', (reply: ParseReply) => {
          got.push(reply);
          if (reply.type === 'done' || reply.type === 'error') resolve(got);
        });
        worker.postMessage(request);
      });
      expect(replies.map((r) => r.type)).toEqual(['ready', 'head', 'items', 'done']);
      expect(replies[1]).toMatchObject({ type: 'head', title: 'Café & co' });
      expect(replies.flatMap((r) => (r.type === 'items' ? r.items.map((i) => i.link) : []))).toEqual(['https://example.com/1']);
    } finally {
      await worker.terminate();
    }
  });

  it('was packed around the stand-in Electron, whose fuses the afterPack hook skipped', () => {
    expect(readFileSync(join(app, 'crier'), 'utf8')).toContain('crier-electron-stand-in');
    expect(packLog).toMatch(/fuses skipped: .*stand-in/);
  });
});

describe('package.json metadata for the deb', () => {
  it('is honest: addresses in the reserved .invalid domain, which can never be mistaken for real ones', () => {
    expect(pkg.homepage).toMatch(/^https:\/\/[a-z.-]+\.invalid\/$/);
    expect(pkg.author.email).toMatch(/@[a-z.-]+\.invalid$/);
    expect(pkg.build.linux.maintainer).toMatch(/^[^<]+ <[^@\s]+@[a-z.-]+\.invalid>$/);
  });

  it('gets the deb past electron-builder’s metadata check, with the maintainer, vendor and homepage from package.json', () => {
    expect(flag(own, '--name')).toBe('crier');
    expect(flag(own, '--maintainer')).toBe(pkg.build.linux.maintainer);
    expect(flag(own, '--vendor')).toBe(pkg.build.linux.maintainer);
    expect(flag(own, '--url')).toBe(pkg.homepage);
    expect(packLog).not.toMatch(/author is missed|Please specify/);
  });

  it('takes a packager’s maintainer and homepage from the command line instead', () => {
    expect(flag(overridden, '--maintainer')).toBe('Jane Packager <jane@example.org>');
    expect(flag(overridden, '--vendor')).toBe('Jane Packager <jane@example.org>');
    expect(flag(overridden, '--url')).toBe('https://packages.example.org/crier');
  });
});

describe('the deb', () => {
  it('installs the app under /opt/Crier, where the AppArmor profile expects it', () => {
    expect(mapped(own, /^\/opt\/Crier$/)).toEqual([`${app}/=/opt/Crier`]);
  });

  it('ships electron-builder’s AppArmor profile, letting /opt/Crier/crier use user namespaces (Ubuntu 24.04+)', () => {
    // No afterInstall, afterRemove or appArmorProfile of ours replaces electron-builder's.
    for (const key of ['afterInstall', 'afterRemove', 'appArmorProfile'] as const) {
      expect(pkg.build.linux[key]).toBeUndefined();
      expect(pkg.build.deb?.[key]).toBeUndefined();
    }
    const profile = readFileSync(join(resources, 'apparmor-profile'), 'utf8');
    expect(profile).toContain('profile "crier" "/opt/Crier/crier"');
    expect(profile).toMatch(/^\s*userns,$/m);
    expect(own.afterInstall).toContain("APPARMOR_PROFILE_SOURCE='/opt/Crier/resources/apparmor-profile'");
    expect(own.afterInstall).toContain("APPARMOR_PROFILE_TARGET='/etc/apparmor.d/crier'");
    expect(own.afterRemove).toContain('/etc/apparmor.d/crier');
  });

  it('installs the icon in every hicolor size the Linux icon set has', () => {
    const sizes = mapped(own, /^\/usr\/share\/icons\/hicolor\//).map((a) => /hicolor\/(\d+)x\1\/apps\/crier\.png$/.exec(a)?.[1]);
    expect(sizes.map(Number).sort((a, b) => a - b)).toEqual([16, 24, 32, 48, 64, 128, 256, 512]);
  });

  it('installs a desktop entry named for desktopName, whose window class matches it', () => {
    expect(pkg.desktopName).toBe('crier.desktop');
    expect(own.desktop).toMatch(/^Exec=\/opt\/Crier\/crier %U$/m);
    expect(own.desktop).toMatch(/^StartupWMClass=crier$/m);
    expect(own.desktop).toMatch(/^Icon=crier$/m);
  });
});
