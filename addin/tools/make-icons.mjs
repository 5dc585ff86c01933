// Draws the ribbon icons (16/32/80 px PNGs) into addin/static/assets. Run: node addin/tools/make-icons.mjs
// Simple geometric symbols on a coloured rounded square; no fonts, no dependencies beyond node:zlib.
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const out = join(dirname(fileURLToPath(import.meta.url)), '../static/assets');
mkdirSync(out, { recursive: true });

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
}
function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      // 4x4 supersampling
      let acc = [0, 0, 0, 0];
      for (let sy = 0; sy < 4; sy++)
        for (let sx = 0; sx < 4; sx++) {
          const p = pixel((x + (sx + 0.5) / 4) / size, (y + (sy + 0.5) / 4) / size);
          acc = acc.map((v, i) => v + p[i] * (i === 3 ? 1 : p[3] / 255));
        }
      const a = acc[3] / 16;
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = a ? Math.round(acc[0] / 16 / (a / 255)) : 0;
      raw[o + 1] = a ? Math.round(acc[1] / 16 / (a / 255)) : 0;
      raw[o + 2] = a ? Math.round(acc[2] / 16 / (a / 255)) : 0;
      raw[o + 3] = Math.round(a);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
const seg = (px, py, ax, ay, bx, by) => {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
};
const inRect = (x, y, x1, y1, x2, y2) => x >= x1 && x <= x2 && y >= y1 && y <= y2;

const symbols = {
  // check mark
  validate: (x, y) => seg(x, y, 0.27, 0.52, 0.44, 0.69) < 0.07 || seg(x, y, 0.44, 0.69, 0.75, 0.33) < 0.07,
  // three bars
  determine: (x, y) => inRect(x, y, 0.24, 0.52, 0.36, 0.76) || inRect(x, y, 0.44, 0.36, 0.56, 0.76) || inRect(x, y, 0.64, 0.24, 0.76, 0.76),
  // up arrow
  submit: (x, y) => seg(x, y, 0.5, 0.25, 0.5, 0.75) < 0.065 || seg(x, y, 0.5, 0.25, 0.3, 0.45) < 0.065 || seg(x, y, 0.5, 0.25, 0.7, 0.45) < 0.065,
  // stacked sheets
  consolidate: (x, y) => inRect(x, y, 0.24, 0.26, 0.76, 0.36) || inRect(x, y, 0.24, 0.45, 0.76, 0.55) || inRect(x, y, 0.24, 0.64, 0.76, 0.74),
  // window with a side pane
  pane: (x, y) => (inRect(x, y, 0.22, 0.26, 0.78, 0.74) && !inRect(x, y, 0.29, 0.33, 0.71, 0.67)) || inRect(x, y, 0.52, 0.26, 0.59, 0.74),
  // the group / add-in icon: a parcel grid
  icon: (x, y) => (inRect(x, y, 0.22, 0.22, 0.78, 0.78) && !(inRect(x, y, 0.29, 0.29, 0.46, 0.46) || inRect(x, y, 0.54, 0.29, 0.71, 0.46) || inRect(x, y, 0.29, 0.54, 0.46, 0.71))),
};
const colors = { validate: '#107C41', determine: '#0F6CBD', submit: '#8764B8', consolidate: '#C50F1F', pane: '#505050', icon: '#107C41' };

for (const [name, sym] of Object.entries(symbols)) {
  const bg = hex(colors[name]);
  for (const size of name === 'icon' ? [16, 32, 64, 80, 128] : [16, 32, 80]) {
    const pixel = (x, y) => {
      const r = 0.16;
      const cx = Math.min(Math.max(x, r), 1 - r), cy = Math.min(Math.max(y, r), 1 - r);
      if (Math.hypot(x - cx, y - cy) > r) return [0, 0, 0, 0];
      return sym(x, y) ? [255, 255, 255, 255] : [...bg, 255];
    };
    writeFileSync(join(out, `${name}-${size}.png`), png(size, pixel));
  }
}
console.log(`icons written to ${out}`);
