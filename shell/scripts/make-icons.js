// @ts-check
// Draws the PNG icons (a ticket on the brand colour) without an image library; run once, output committed.
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

/** @param {number} size */
function icon(size) {
  const s = size / 512;
  const navy = [0x1d, 0x35, 0x57];
  const paper = [0xf5, 0xf6, 0xf8];
  const red = [0xe6, 0x39, 0x46];
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) {
      const X = x / s;
      const Y = y / s;
      let color = navy;
      const inTicket = X >= 96 && X <= 416 && Y >= 160 && Y <= 352;
      const inNotch = (X - 96) ** 2 + (Y - 256) ** 2 < 1600 || (X - 416) ** 2 + (Y - 256) ** 2 < 1600;
      if (inTicket && !inNotch) color = X >= 300 && X <= 312 ? red : paper;
      row.set(color, 1 + x * 3);
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

for (const size of [192, 512]) {
  writeFileSync(path.join(__dirname, "..", "public", "icons", `icon-${size}.png`), icon(size));
}
