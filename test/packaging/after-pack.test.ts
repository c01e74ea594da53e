// The afterPack hook against binaries laid out as electron-builder leaves them: a stand-in like
// the one scripts/pack.mjs makes, and files carrying Electron's fuse wire (the sentinel, a version
// byte, a length byte, one byte per fuse), which is all @electron/fuses reads and writes.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import afterPack, { type PackContext, STAND_IN_MARKER } from '../../scripts/after-pack.mjs';


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
  appOutDir: dir, electronPlatformName: 'linux',
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
