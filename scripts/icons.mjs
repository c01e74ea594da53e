// Renders every icon from the one source, assets/icon.svg, into assets/ (the results are checked
// in; run this again only after changing the SVG):
//   icon.png                    512 px: the window icon, and electron-builder's fallback
//   installer/icon.icns         macOS (16–1024 px, from a 1024 px rendering)
//   installer/icon.ico          Windows (16–256 px)
//   installer/icons/NxN.png     Linux: the hicolor sizes the deb and AppImage install
//   tray[-paused|-error][Template][@2x].png   16 and 32 px: the tray, normal, paused or failed;
//                               Template = black + alpha for the macOS menu bar, which tints it
// The tray icons compose the source's shapes (#brand, #megaphone, #badge-*) differently from the
// app icon: a fuller glyph, and a badge punched into its corner.
//
// @resvg/resvg-js renders SVG to PNG; png2icons packs ICNS and ICO (neither can be drawn directly).
//   node scripts/icons.mjs [--out DIR]   (DIR instead of assets/, for the test that re-renders)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import png2icons from 'png2icons';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const out = args.includes('--out') ? resolve(args[args.indexOf('--out') + 1]) : join(root, 'assets');

const SOURCE = join(root, 'assets/icon.svg');
const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];
const TRAY_KINDS = { '': 'normal', '-paused': 'paused', '-error': 'error' };

const source = readFileSync(SOURCE, 'utf8');
const defs = /<defs>[\s\S]*<\/defs>/.exec(source.replace(/<!--[\s\S]*?-->/g, ''))?.[0];
if (!defs) throw new Error('assets/icon.svg has no <defs>: the tray icons are built from its shapes');

/** An SVG on a 0..100 canvas that uses the source's shapes. */
const canvas = (body) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" height="100">${defs}${body}</svg>`;

// The badge sits in the bottom-right corner, with a transparent ring so it reads against the glyph.
const BADGE = { cx: 76, cy: 76, r: 24, ring: 7 };
const badgeBox = `x="${BADGE.cx - BADGE.r}" y="${BADGE.cy - BADGE.r}" width="${2 * BADGE.r}" height="${2 * BADGE.r}"`;
const MASKS = `<mask id="hole" maskUnits="userSpaceOnUse" x="0" y="0" width="100" height="100">
    <rect width="100" height="100" fill="#fff"/><circle cx="${BADGE.cx}" cy="${BADGE.cy}" r="${BADGE.r + BADGE.ring}" fill="#000"/></mask>
  <mask id="exclaim-out" maskUnits="userSpaceOnUse" x="0" y="0" width="100" height="100">
    <rect width="100" height="100" fill="#fff"/><use href="#badge-exclaim" ${badgeBox} fill="#000"/></mask>`;

function badge(kind, template) {
  const disc = (colour) => `<circle cx="${BADGE.cx}" cy="${BADGE.cy}" r="${BADGE.r}" fill="${colour}"/>`;
  if (kind === 'paused') {
    // Template: the bars alone, so the glyph stays one colour the system can tint.
    return template
      ? `<use href="#badge-paused" ${badgeBox} fill="#000"/>`
      : `${disc('#f59e0b')}<use href="#badge-paused" ${badgeBox} fill="#fff"/>`;
  }
  return template
    ? `<g mask="url(#exclaim-out)">${disc('#000')}</g>`
    : `${disc('#dc2626')}<use href="#badge-exclaim" ${badgeBox} fill="#fff"/>`;
}

function traySvg(kind, template) {
  const glyph = template
    // The menu bar wants a bare glyph, filling the square.
    ? '<use href="#megaphone" x="6" y="14" width="88" height="72" fill="#000"/>'
    : '<rect x="2" y="2" width="96" height="96" rx="24" fill="url(#brand)"/><use href="#megaphone" x="20" y="22" width="64" height="56" fill="#fff"/>';
  if (kind === 'normal') return canvas(glyph);
  return canvas(`<defs>${MASKS}</defs><g mask="url(#hole)">${glyph}</g>${badge(kind, template)}`);
}

/** PNG bytes of `svg` at `size` px square. */
function renderPng(svg, size) {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } }).render().asPng();
}

const written = [];
const write = (name, bytes) => {
  const file = join(out, name);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, bytes);
  written.push(name);
};

for (const [suffix, kind] of Object.entries(TRAY_KINDS)) {
  for (const template of [false, true]) {
    const svg = traySvg(kind, template);
    const base = `tray${suffix}${template ? 'Template' : ''}`;
    write(`${base}.png`, renderPng(svg, 16));
    write(`${base}@2x.png`, renderPng(svg, 32));
  }
}
write('icon.png', renderPng(source, 512));
for (const size of LINUX_SIZES) write(`installer/icons/${size}x${size}.png`, renderPng(source, size));
const large = renderPng(source, 1024);
const icns = png2icons.createICNS(large, png2icons.BICUBIC2, 0);
const ico = png2icons.createICO(large, png2icons.BICUBIC2, 0, true, true);
if (!icns || !ico) throw new Error('png2icons could not pack the 1024 px rendering');
write('installer/icon.icns', icns);
write('installer/icon.ico', ico);
console.log(`icons: ${written.length} files from assets/icon.svg into ${out}`);
