// Every icon comes from assets/icon.svg through scripts/icons.mjs, and what is checked in is what
// the script renders: it renders again into a temp dir and the files must match byte for byte.
// Then each file is read for what the OS and electron-builder need of it.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const assets = join(root, 'assets');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  build: { mac: { icon: string }; win: { icon: string }; linux: { icon: string } };
};

let rendered: string;

const files = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' })
  .filter((f) => statSync(join(dir, f)).isFile()).map((f) => f.replaceAll('\\', '/')).sort();

/** Width and height from a PNG's IHDR. */
function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

/** An 8-bit RGBA, non-interlaced PNG (what resvg writes) decoded to its pixels. */
function decodePng(bytes: Buffer): { width: number; rgba: Buffer } {
  const [width, height] = pngSize(bytes);
  expect([bytes[24], bytes[25], bytes[28]]).toEqual([8, 6, 0]);
  const idat: Buffer[] = [];
  for (let at = 8; at < bytes.length; at += 12 + bytes.readUInt32BE(at)) {
    if (bytes.subarray(at + 4, at + 8).toString('latin1') === 'IDAT') idat.push(bytes.subarray(at + 8, at + 8 + bytes.readUInt32BE(at)));
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const rgba = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const a = x >= 4 ? rgba[y * stride + x - 4]! : 0;
      const b = y > 0 ? rgba[(y - 1) * stride + x]! : 0;
      const c = x >= 4 && y > 0 ? rgba[(y - 1) * stride + x - 4]! : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter]!;
      rgba[y * stride + x] = (raw[y * (stride + 1) + 1 + x]! + predictor) & 0xff;
    }
  }
  return { width, rgba };
}

/** The sizes an .ico holds (a 0 in the directory means 256). */
function icoSizes(bytes: Buffer): number[] {
  expect(bytes.readUInt16LE(2)).toBe(1);
  return Array.from({ length: bytes.readUInt16LE(4) }, (_, i) => bytes[6 + i * 16] || 256).sort((a, b) => a - b);
}

/** The element types an .icns holds. */
function icnsTypes(bytes: Buffer): string[] {
  expect(bytes.subarray(0, 4).toString('latin1')).toBe('icns');
  expect(bytes.readUInt32BE(4)).toBe(bytes.length);
  const types: string[] = [];
  for (let at = 8; at < bytes.length; at += bytes.readUInt32BE(at + 4)) types.push(bytes.subarray(at, at + 4).toString('latin1'));
  return types;
}

beforeAll(async () => {
  rendered = mkdtempSync(join(tmpdir(), 'crier-icons-'));
  await promisify(execFile)(process.execPath, ['scripts/icons.mjs', '--out', rendered], { cwd: root, timeout: 120_000 });
}, 130_000);

afterAll(() => {
  if (rendered) rmSync(rendered, { recursive: true, force: true });
});

describe('the icons in assets/', () => {
  it('are exactly what scripts/icons.mjs renders from assets/icon.svg, nothing more or less', () => {
    expect(files(assets)).toEqual(['icon.svg', ...files(rendered)].sort());
    for (const file of files(rendered)) expect(readFileSync(join(assets, file)).equals(readFileSync(join(rendered, file))), file).toBe(true);
  });

  it('give the tray each state in 16 and 32 px, in colour and as a macOS template', () => {
    for (const state of ['', '-paused', '-error']) {
      for (const template of ['', 'Template']) {
        expect(pngSize(readFileSync(join(assets, `tray${state}${template}.png`)))).toEqual([16, 16]);
        expect(pngSize(readFileSync(join(assets, `tray${state}${template}@2x.png`)))).toEqual([32, 32]);
      }
    }
  });

  it('draw the macOS template icons in black and alpha only, so the menu bar can tint them', () => {
    const templates = files(assets).filter((f) => f.includes('Template'));
    expect(templates).toHaveLength(6);
    for (const file of templates) {
      const { rgba } = decodePng(readFileSync(join(assets, file)));
      let coloured = 0;
      let drawn = 0;
      for (let i = 0; i < rgba.length; i += 4) {
        if (rgba[i + 3]! === 0) continue;
        drawn++;
        if (rgba[i]! + rgba[i + 1]! + rgba[i + 2]! > 0) coloured++;
      }
      expect(drawn, file).toBeGreaterThan(0);
      expect(coloured, file).toBe(0);
    }
  });

  it('draw the colour tray icons in the brand colours, with the paused badge amber and the error badge red', () => {
    const at = (file: string, x: number, y: number): number[] => {
      const { width, rgba } = decodePng(readFileSync(join(assets, file)));
      return [...rgba.subarray((y * width + x) * 4, (y * width + x) * 4 + 4)];
    };
    // Left middle of the rounded square: between the gradient's ends, #3b82f6 and #8b5cf6.
    const [r, g, b, alpha] = at('tray@2x.png', 4, 16);
    expect([r! >= 0x3b && r! <= 0x8b, g! >= 0x5c && g! <= 0x82, b, alpha]).toEqual([true, true, 0xf6, 255]);
    // On each badge's disc, off its white mark: between the pause bars; left of the "!".
    expect(at('tray-paused@2x.png', 24, 24)).toEqual([0xf5, 0x9e, 0x0b, 255]);
    expect(at('tray-error@2x.png', 20, 24)).toEqual([0xdc, 0x26, 0x26, 255]);
  });

  it('give Linux an icon set in every hicolor size, where package.json points', () => {
    expect(pkg.build.linux.icon).toBe('assets/installer/icons');
    const set = files(join(root, pkg.build.linux.icon));
    expect(set).toEqual(['128x128.png', '16x16.png', '24x24.png', '256x256.png', '32x32.png', '48x48.png', '512x512.png', '64x64.png']);
    for (const file of set) {
      const n = Number(file.split('x')[0]);
      expect(pngSize(readFileSync(join(root, pkg.build.linux.icon, file))), file).toEqual([n, n]);
    }
  });

  it('give macOS an .icns from 16 to 1024 px (electron-builder wants 512 at least), where package.json points', () => {
    expect(pkg.build.mac.icon).toBe('assets/installer/icon.icns');
    // ic10 is 1024 px (512@2x), ic09 512, ic08 256, ic07 128; is32/il32 the small classic sizes.
    expect(icnsTypes(readFileSync(join(root, pkg.build.mac.icon)))).toEqual(expect.arrayContaining(['ic10', 'ic09', 'ic08', 'ic07', 'ic11', 'ic12', 'is32', 'il32']));
  });

  it('give Windows an .ico from 16 to 256 px (NSIS and the .exe want 256), where package.json points', () => {
    expect(pkg.build.win.icon).toBe('assets/installer/icon.ico');
    expect(icoSizes(readFileSync(join(root, pkg.build.win.icon)))).toEqual(expect.arrayContaining([16, 24, 32, 48, 64, 128, 256]));
  });

  it('give the window a 512 px icon.png', () => {
    expect(pngSize(readFileSync(join(assets, 'icon.png')))).toEqual([512, 512]);
  });

});
