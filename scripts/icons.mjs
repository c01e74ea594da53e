// Draws Crier's app and tray icons into assets/ as PNGs, with nothing but node:zlib: the brand
// mark (renderer/styles.css .brand-mark: a blue-violet rounded square with a white megaphone),
// and for the tray a paused badge (two bars) or an error badge (a dot with "!").
// macOS gets Template variants: black + alpha, which the menu bar tints itself.
// Run: node scripts/icons.mjs   (the PNGs are committed; run again only to change the design)
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync, crc32 } from 'node:zlib';

const OUT = new URL('../assets/', import.meta.url);

// ---- shapes in unit space (0..1 on both axes); each answers "is this point inside?" -------------
const roundedRect = (x0, y0, x1, y1, r) => (x, y) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const polygon = (points) => (x, y) => {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
};
const union = (...shapes) => (x, y) => shapes.some((s) => s(x, y));

/** The brand's megaphone (the clip-path in .brand-mark::after) placed in the box x0..x1, y0..y1, with a small handle. */
function megaphone(x0, y0, x1, y1) {
  const w = x1 - x0;
  const h = y1 - y0;
  const at = (u, v) => [x0 + u * w, y0 + v * h];
  return union(
    polygon([at(0, 0.3), at(0.45, 0.3), at(1, 0), at(1, 1), at(0.45, 0.7), at(0, 0.7)]),
    roundedRect(...at(0.12, 0.62), ...at(0.3, 0.92), 0.06 * w),
  );
}

// ---- paints ----------------------------------------------------------------------------------
const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
const solid = (h, a = 1) => { const [r, g, b] = hex(h); return () => [r, g, b, a]; };
/** The brand gradient, 135deg: top-left #3b82f6 to bottom-right #8b5cf6. */
const brand = () => {
  const from = hex('#3b82f6');
  const to = hex('#8b5cf6');
  return (x, y) => {
    const t = Math.min(1, Math.max(0, (x + y) / 2));
    return [0, 1, 2].map((i) => from[i] + (to[i] - from[i]) * t).concat(1);
  };
};

// ---- rendering: each pixel supersampled, layers composited per sample ---------------------------
/** layers: [{ shape, paint }] painted in order, or [{ shape, erase: true }] punching a hole. */
function render(size, layers) {
  const n = size <= 64 ? 8 : 4;
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0; // premultiplied sums over the samples
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = (px + (sx + 0.5) / n) / size;
          const y = (py + (sy + 0.5) / n) / size;
          let cr = 0, cg = 0, cb = 0, ca = 0;
          for (const layer of layers) {
            if (!layer.shape(x, y)) continue;
            if (layer.erase) { cr = cg = cb = ca = 0; continue; }
            const [lr, lg, lb, la] = layer.paint(x, y);
            cr = lr * la + cr * (1 - la);
            cg = lg * la + cg * (1 - la);
            cb = lb * la + cb * (1 - la);
            ca = la + ca * (1 - la);
          }
          r += cr; g += cg; b += cb; a += ca;
        }
      }
      const o = (py * size + px) * 4;
      const alpha = a / (n * n);
      rgba[o] = alpha > 0 ? Math.round(r / a) : 0;
      rgba[o + 1] = alpha > 0 ? Math.round(g / a) : 0;
      rgba[o + 2] = alpha > 0 ? Math.round(b / a) : 0;
      rgba[o + 3] = Math.round(alpha * 255);
    }
  }
  return rgba;
}

function png(size, rgba) {
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4); // filter 0 per row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- the designs -------------------------------------------------------------------------------
const WHITE = solid('#ffffff');
const BLACK = solid('#000000');

/** Badge in the bottom-right corner, with a transparent ring so it reads against the glyph. */
const BADGE = { cx: 0.76, cy: 0.76, r: 0.24, ring: 0.07 };

function badgeLayers(kind, template) {
  const { cx, cy, r, ring } = BADGE;
  const hole = { shape: circle(cx, cy, r + ring), erase: true };
  if (kind === 'paused') {
    const bars = union(
      roundedRect(cx - 0.13, cy - 0.15, cx - 0.04, cy + 0.15, 0.02),
      roundedRect(cx + 0.04, cy - 0.15, cx + 0.13, cy + 0.15, 0.02),
    );
    // Template: the bars alone (black), so the glyph stays one colour the system can tint.
    return template
      ? [hole, { shape: bars, paint: BLACK }]
      : [hole, { shape: circle(cx, cy, r), paint: solid('#f59e0b') }, { shape: bars, paint: WHITE }];
  }
  const mark = union(
    roundedRect(cx - 0.035, cy - 0.155, cx + 0.035, cy + 0.04, 0.03),
    circle(cx, cy + 0.115, 0.04),
  );
  return template
    ? [hole, { shape: circle(cx, cy, r), paint: BLACK }, { shape: mark, erase: true }]
    : [hole, { shape: circle(cx, cy, r), paint: solid('#dc2626') }, { shape: mark, paint: WHITE }];
}

function trayLayers(kind, template) {
  const layers = template
    // The menu bar wants a bare glyph, filling the square.
    ? [{ shape: megaphone(0.06, 0.14, 0.94, 0.86), paint: BLACK }]
    : [
      { shape: roundedRect(0.02, 0.02, 0.98, 0.98, 0.24), paint: brand() },
      { shape: megaphone(0.2, 0.22, 0.84, 0.78), paint: WHITE },
    ];
  return kind === 'normal' ? layers : [...layers, ...badgeLayers(kind, template)];
}

const appIcon = [
  // macOS-style margin: the artwork sits in ~80% of the canvas.
  { shape: roundedRect(0.1, 0.1, 0.9, 0.9, 0.18), paint: brand() },
  { shape: megaphone(0.3, 0.28, 0.74, 0.72), paint: WHITE },
];

mkdirSync(OUT, { recursive: true });
const write = (name, size, layers) => {
  writeFileSync(new URL(name, OUT), png(size, render(size, layers)));
  console.log(`assets/${name} ${size}x${size}`);
};
for (const [suffix, kind] of [['', 'normal'], ['-paused', 'paused'], ['-error', 'error']]) {
  for (const template of [false, true]) {
    const base = `tray${suffix}${template ? 'Template' : ''}`;
    write(`${base}.png`, 16, trayLayers(kind, template));
    write(`${base}@2x.png`, 32, trayLayers(kind, template));
  }
}
write('icon.png', 512, appIcon);
