// What the packed desktop app holds. Packs once (scripts/pack.mjs, offline, with the stand-in
// Electron) into a temp dir from the dist/ the global setup built, then reads resources/app.asar
// the way Electron would find things in it.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { extractFile, listPackage, statFile } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerCandidates } from '../../main/core/feeds/worker-entry';
import type { ParseReply, ParseRequest } from '../../main/core/feeds/parse-protocol';

const root = join(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>; devDependencies: Record<string, string>;
};

let out: string;
let packLog: string;
let app: string;
let resources: string;
let entries: Set<string>;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'crier-pack-'));
  const { stdout, stderr } = await promisify(execFile)(process.execPath,
    ['scripts/pack.mjs', '--no-build', '--out', out, '--timeout', '100'],
    { cwd: root, timeout: 110_000, maxBuffer: 16 * 1024 * 1024 });
  packLog = stdout + stderr;
  app = join(out, 'linux-unpacked');
  resources = join(app, 'resources');
  // listPackage answers with the platform's separator and a leading one.
  entries = new Set(listPackage(join(resources, 'app.asar'), { isPack: false }).map((p) => p.replaceAll('\\', '/').replace(/^\//, '')));
}, 120_000);

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

const top = (): string[] => [...new Set([...entries].map((p) => p.split('/')[0]!))].sort();

describe('the packed app', () => {
  it('starts from dist/electron/main.js, as package.json in the archive says', () => {
    const packed = JSON.parse(extractFile(join(resources, 'app.asar'), 'package.json').toString('utf8')) as { main: string; type: string };
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

  it('holds every tray and window icon the shell loads at run time', () => {
    const icons = readdirSync(join(root, 'assets'));
    expect(icons).toContain('tray.png');
    for (const icon of icons) expect(entries, icon).toContain(`dist/assets/${icon}`);
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
    expect(statFile(join(resources, 'app.asar'), 'dist/parse-worker.js')).toMatchObject({ unpacked: true });
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
      const request: ParseRequest = { id: 1, bytes: new Uint8Array(Buffer.from(xml, 'latin1')), contentType: null, baseUrl: 'https://example.com/' };
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
