// @ts-check
// The scanner's icons: a barcode in a viewfinder, on the scanner's teal (told apart from the
// shell's navy ticket on a home screen), plus the maskable variant with its artwork inside the safe
// zone. Written by the shared script, output committed:
//   node ../scripts/make-icons.js scripts/icon-art.js
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

/**
 * @param {string} file @param {number} size @param {number} zoom the artwork's scale around the centre
 * @returns {import("../../scripts/make-icons").IconSpec}
 */
function icon(file, size, zoom) {
  /** @param {number} p a pixel's column or row, sampled at its centre */
  const drawing = (p) => 256 + ((p + 0.5) * (512 / size) - 256) / zoom;
  return { file, size, colorAt: (x, y) => colorAt(drawing(x), drawing(y)) };
}

module.exports = [
  ...[192, 512].map((size) => icon(`icon-${size}.png`, size, 1.2)),
  // Maskable: launchers crop to a circle of 80 %; the artwork (56 % at zoom 1) stays inside it.
  ...[192, 512].map((size) => icon(`icon-maskable-${size}.png`, size, 0.9)),
];
