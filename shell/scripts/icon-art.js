// @ts-check
// The shell's icons: a ticket on the brand navy. Written by the shared script, output committed:
//   node ../scripts/make-icons.js scripts/icon-art.js
const NAVY = [0x1d, 0x35, 0x57];
const PAPER = [0xf5, 0xf6, 0xf8];
const RED = [0xe6, 0x39, 0x46];

/** @param {number} X @param {number} Y in the 512 px drawing */
function colorAt(X, Y) {
  const inTicket = X >= 96 && X <= 416 && Y >= 160 && Y <= 352;
  const inNotch = (X - 96) ** 2 + (Y - 256) ** 2 < 1600 || (X - 416) ** 2 + (Y - 256) ** 2 < 1600;
  if (inTicket && !inNotch) return X >= 300 && X <= 312 ? RED : PAPER;
  return NAVY;
}

/** @type {import("../../scripts/make-icons").IconSpec[]} */
module.exports = [192, 512].map((size) => {
  const s = size / 512;
  return { file: `icon-${size}.png`, size, colorAt: (x, y) => colorAt(x / s, y / s) };
});
