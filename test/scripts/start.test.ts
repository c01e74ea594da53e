// `npm start` where Electron cannot be had says so in one line; where it can, it runs it.
// Real child processes; ELECTRON_OVERRIDE_DIST_PATH always set, so nothing is downloaded.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const START = path.join(ROOT, 'scripts', 'start.mjs');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'crier-start-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const start = (env: Record<string, string>, args: string[] = []) =>
  spawnSync(process.execPath, [START, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });

describe('npm start', () => {
  it('says in one line what failed and what else works when there is no Electron binary', () => {
    const run = start({ ELECTRON_OVERRIDE_DIST_PATH: dir });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(dir);
    expect(lines[0]).toContain('npx crier serve');
    expect(lines[0]).toContain('ELECTRON_OVERRIDE_DIST_PATH');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it.skipIf(process.platform === 'win32')('runs the binary on the app folder with the arguments given, and exits with its code', () => {
    const fake = path.join(dir, 'electron');
    writeFileSync(fake, '#!/bin/sh\necho "args: $*"\nexit 3\n');
    chmodSync(fake, 0o755);
    const run = start({ ELECTRON_OVERRIDE_DIST_PATH: dir }, ['--verbose']);
    expect(run.stdout.trim()).toBe(`args: ${ROOT.replace(/\/$/, '')} --verbose`);
    expect(run.status).toBe(3);
  });
});
