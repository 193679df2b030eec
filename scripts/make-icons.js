// @ts-check
// Writes an app's PNG icons without an image library: the app's artwork module says, for each
// icon, its file name, its size and the colour of every pixel; this script encodes and writes them.
// Run once after changing the artwork, output committed. Usage, from an app's folder:
//   node ../scripts/make-icons.js scripts/icon-art.js        (writes into public/icons/)
const { writeFileSync } = require("node:fs");
const path = require("node:path");
const zlib = require("node:zlib");

/**
 * @typedef {{ file: string, size: number, colorAt: (x: number, y: number) => number[] }} IconSpec
 *   `colorAt` gets the pixel's column and row (0 to size - 1) and answers its [red, green, blue].
 */

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

/** A square RGB PNG. @param {IconSpec} spec */
function png({ size, colorAt }) {
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) row.set(colorAt(x, y), 1 + x * 3);
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

/** @param {IconSpec[]} icons @param {string} outDir */
function writeIcons(icons, outDir) {
  for (const icon of icons) writeFileSync(path.join(outDir, icon.file), png(icon));
}

module.exports = { png, writeIcons };

if (require.main === module) {
  const [artModule] = process.argv.slice(2);
  if (!artModule) {
    console.error("usage, from an app's folder: node ../scripts/make-icons.js scripts/icon-art.js");
    process.exit(2);
  }
  writeIcons(require(path.resolve(artModule)), path.resolve("public", "icons"));
}
