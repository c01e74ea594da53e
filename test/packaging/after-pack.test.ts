// The afterPack hook against binaries laid out as electron-builder leaves them: a stand-in like
// the one scripts/pack.mjs makes, and files carrying Electron's fuse wire (the sentinel, a version
// byte, a length byte, one byte per fuse), which is all @electron/fuses reads and writes.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { Arch } from 'electron-builder';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import afterPack, { ARCH, type PackContext, STAND_IN_MARKER } from '../../scripts/after-pack.mjs';


const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ON = 0x31;
const OFF = 0x30;
// Electron's defaults: RunAsNode, NodeOptions, inspect and file:// privileges on; the rest off.
const DEFAULT_WIRE = [ON, OFF, ON, ON, OFF, OFF, OFF, ON];

function fakeElectron(file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const filler = Buffer.alloc(4096, 0x90);
  writeFileSync(file, Buffer.concat([filler, Buffer.from(SENTINEL), Buffer.from([1, DEFAULT_WIRE.length, ...DEFAULT_WIRE]), filler]));
}

let dir: string;
const linux = (): PackContext => ({
  appOutDir: dir, electronPlatformName: 'linux', arch: ARCH.x64,
  packager: { executableName: 'crier', appInfo: { productFilename: 'Crier' } },
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crier-after-pack-'));
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe('afterPack', () => {
  it('flips the recommended fuses in a Linux binary that carries the fuse wire', async () => {
    fakeElectron(join(dir, 'crier'));
    await afterPack(linux());
    const wire = await getCurrentFuseWire(join(dir, 'crier'));
    expect(wire[FuseV1Options.RunAsNode]).toBe(OFF);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(ON);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(OFF);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(OFF);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ON);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ON);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(OFF);
    expect(wire[FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]).toBe(OFF);
  });

  it('flips the fuses in the Electron Framework of a macOS app bundle', async () => {
    const framework = join(dir, 'Crier.app/Contents/Frameworks/Electron Framework.framework/Electron Framework');
    fakeElectron(framework);
    mkdirSync(join(dir, 'Crier.app/Contents/MacOS'), { recursive: true });
    writeFileSync(join(dir, 'Crier.app/Contents/MacOS/Crier'), Buffer.alloc(64, 0xcf));
    await afterPack({ ...linux(), electronPlatformName: 'darwin' });
    const flipped = Buffer.concat([Buffer.from(SENTINEL), Buffer.from([1, 8, OFF, ON, OFF, OFF, ON, ON, OFF, OFF])]);
    expect(readFileSync(framework).includes(flipped)).toBe(true);
  });

  describe('on macOS', () => {
    // A stand-in for Apple's codesign on PATH: it records its arguments and a copy of the
    // framework as it was when it ran, and exits with CODESIGN_EXIT.
    let bin: string;
    let savedPath: string | undefined;
    const framework = (): string => join(dir, 'Crier.app/Contents/Frameworks/Electron Framework.framework/Electron Framework');
    const calls = (): string[] | null => (existsSync(join(bin, 'args')) ? readFileSync(join(bin, 'args'), 'utf8').trim().split('\n') : null);
    const darwin = (arch: number): PackContext => ({ ...linux(), electronPlatformName: 'darwin', arch });

    beforeEach(() => {
      bin = mkdtempSync(join(tmpdir(), 'crier-codesign-'));
      writeFileSync(join(bin, 'codesign'), [
        '#!/bin/sh',
        `printf '%s\\n' "$@" > '${join(bin, 'args')}'`,
        `cp '${framework()}' '${join(bin, 'framework-when-signed')}'`,
        'exit "${CODESIGN_EXIT:-0}"',
        '',
      ].join('\n'));
      chmodSync(join(bin, 'codesign'), 0o755);
      savedPath = process.env.PATH;
      process.env.PATH = `${bin}:${savedPath ?? ''}`;
      fakeElectron(framework());
      mkdirSync(join(dir, 'Crier.app/Contents/MacOS'), { recursive: true });
      writeFileSync(join(dir, 'Crier.app/Contents/MacOS/Crier'), Buffer.alloc(64, 0xcf));
    });
    afterEach(() => {
      process.env.PATH = savedPath;
      delete process.env.CODESIGN_EXIT;
      rmSync(bin, { recursive: true, force: true });
    });

    it('re-signs an arm64 app ad hoc after flipping its fuses, so an unsigned build still launches', async () => {
      await afterPack(darwin(ARCH.arm64));
      expect(calls()).toEqual(['--sign', '-', '--force', '--preserve-metadata=entitlements,requirements,flags,runtime', '--deep', join(dir, 'Crier.app')]);
      // The framework codesign saw already had the flipped wire: signing came after the flip.
      const flipped = Buffer.concat([Buffer.from(SENTINEL), Buffer.from([1, 8, OFF, ON, OFF, OFF, ON, ON, OFF, OFF])]);
      expect(readFileSync(join(bin, 'framework-when-signed')).includes(flipped)).toBe(true);
      expect(vi.mocked(console.log).mock.calls.flat().join('\n')).toMatch(/fuses flipped: .*Crier \(ad-hoc signature reset\)/);
    });

    it('re-signs a universal app ad hoc too (it holds an arm64 slice)', async () => {
      await afterPack(darwin(ARCH.universal));
      expect(calls()?.at(-1)).toBe(join(dir, 'Crier.app'));
    });

    it('leaves an x64 app’s signature alone', async () => {
      await afterPack(darwin(ARCH.x64));
      expect(calls()).toBeNull();
    });

    it('fails the build when the ad-hoc signing fails, rather than ship an app that will not launch', async () => {
      process.env.CODESIGN_EXIT = '1';
      vi.spyOn(console, 'error').mockImplementation(() => undefined);
      await expect(afterPack(darwin(ARCH.arm64))).rejects.toThrow(/Ad-hoc codesign failed/);
    });
  });

  it('never re-signs outside macOS, whatever the architecture', async () => {
    fakeElectron(join(dir, 'crier'));
    const bin = mkdtempSync(join(tmpdir(), 'crier-codesign-'));
    const savedPath = process.env.PATH;
    try {
      writeFileSync(join(bin, 'codesign'), `#!/bin/sh\ntouch '${join(bin, 'called')}'\n`);
      chmodSync(join(bin, 'codesign'), 0o755);
      process.env.PATH = `${bin}:${savedPath ?? ''}`;
      await afterPack({ ...linux(), arch: ARCH.arm64 });
      expect(existsSync(join(bin, 'called'))).toBe(false);
    } finally {
      process.env.PATH = savedPath;
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('reads architectures by electron-builder’s own Arch numbers', () => {
    expect(ARCH).toEqual({ x64: Arch.x64, arm64: Arch.arm64, universal: Arch.universal });
  });

  it('flips the fuses in the .exe of a Windows app', async () => {
    fakeElectron(join(dir, 'Crier.exe'));
    await afterPack({ ...linux(), electronPlatformName: 'win32' });
    expect((await getCurrentFuseWire(join(dir, 'Crier.exe')))[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ON);
  });

  it('leaves the offline stand-in untouched and says that it skipped the fuses', async () => {
    const standIn = `#!/bin/sh\n# ${STAND_IN_MARKER}: not Electron.\nexit 1\n`;
    writeFileSync(join(dir, 'crier'), standIn);
    await afterPack(linux());
    expect(readFileSync(join(dir, 'crier'), 'utf8')).toBe(standIn);
    expect(vi.mocked(console.log).mock.calls.flat().join('\n')).toMatch(/fuses skipped: .*stand-in/);
  });

  it('fails the build when a binary that is not the stand-in has no fuse wire', async () => {
    writeFileSync(join(dir, 'crier'), Buffer.alloc(4096, 0x7f));
    await expect(afterPack(linux())).rejects.toThrow(/sentinel/);
  });
});
