// @ts-check
// Draws the scanner's PNG icons (a barcode in a viewfinder, on the scanner's teal: told apart from
// the shell's navy ticket on a home screen) without an image library, plus the maskable variant
// with its artwork inside the safe zone. Run once (`node scripts/make-icons.js`), output committed.
const { writeFileSync } = require("node:fs");
const path = require("node:path");
const zlib = require("node:zlib");

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
/** @param {Buffer} buf */
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
/** @param {string} type @param {Buffer} data */
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

const TEAL = [0x0f, 0x76, 0x6e];
const WHITE = [0xff, 0xff, 0xff];
const RED = [0xff, 0x6b, 0x6b];

/** Bar widths then gaps, left to right, in the 512 px drawing (x from 160 to 352). */
const BARS = [14, 8, 6, 8, 20, 6, 8, 10, 14, 6, 6, 8, 20, 8, 6, 10, 14];

/** @param {number} X @param {number} Y in the 512 px drawing */
function colorAt(X, Y) {
  // Scanning line across the barcode.
  if (Y >= 250 && Y <= 262 && X >= 136 && X <= 376) return RED;
  // Viewfinder corners.
  const corner = (
    /** @type {number} */ cx,
    /** @type {number} */ cy,
    /** @type {number} */ dx,
    /** @type {number} */ dy,
  ) => {
    const x = (X - cx) * dx;
    const y = (Y - cy) * dy;
    return (x >= 0 && x <= 90 && y >= 0 && y <= 26) || (y >= 0 && y <= 90 && x >= 0 && x <= 26);
  };
  if (
    corner(112, 112, 1, 1) ||
    corner(400, 112, -1, 1) ||
    corner(112, 400, 1, -1) ||
    corner(400, 400, -1, -1)
  )
    return WHITE;
  // Barcode.
  if (Y >= 176 && Y <= 336) {
    let x = 160;
    for (let i = 0; i < BARS.length; i++) {
      const next = x + BARS[i];
      if (X >= x && X < next) return i % 2 === 0 ? WHITE : TEAL;
      x = next;
    }
  }
  return TEAL;
}

/** @param {number} size @param {number} zoom the artwork's scale around the centre */
function icon(size, zoom) {
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) {
      const X = 256 + ((x + 0.5) * (512 / size) - 256) / zoom;
      const Y = 256 + ((y + 0.5) * (512 / size) - 256) / zoom;
      row.set(colorAt(X, Y), 1 + x * 3);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", zlib.deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const out = path.join(__dirname, "..", "public", "icons");
for (const size of [192, 512]) writeFileSync(path.join(out, `icon-${size}.png`), icon(size, 1.2));
// Maskable: launchers crop to a circle of 80 %; the artwork (56 % at zoom 1) stays inside it.
for (const size of [192, 512]) writeFileSync(path.join(out, `icon-maskable-${size}.png`), icon(size, 0.9));
