// The import bench's ticket files: a box office's export as a CSV (UTF-8 with a BOM, `;`,
// French decimal commas) and as an Excel workbook (exceljs's streaming writer). Each line is a
// pure function of its index, so the bench can check any imported ticket against its line.
import fs from "node:fs";
import { createRequire } from "node:module";
import { barcodeOf } from "../access/client.mjs";
import { mulberry32 } from "../stats.mjs";

const require = createRequire(import.meta.url);

export const HEADER = ["Numéro de billet", "Catégorie", "Nom", "Place", "Prix", "Annulé"];
const CATEGORIES = ["Plein tarif", "Tarif réduit", "Abonné", "Carré or", "Invitation"];
const PRICES = [32.5, 24, 18.5, 45, 0];
const FIRST = ["Ana", "Benoît", "Chloé", "David", "Émilie", "Farid", "Giulia", "Hugo", "Inès", "Jérôme"];
const LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Petit", "Durand", "Lefèvre", "Moreau"];
/** About 2 % of the lines say "oui" in « Annulé ». */
const CANCELLED_SHARE = 0.02;

/**
 * Line `i` of a file whose barcodes start with `prefix`, as the ticket the import should make of
 * it. `cancelled` comes from a seeded draw per file (the same seed gives the same lines).
 */
export function lineOf(prefix, i, cancelled) {
  const c = i % CATEGORIES.length;
  return {
    barcode: barcodeOf(prefix, i),
    category: CATEGORIES[c],
    holderName: `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`,
    seat: `Rang ${String.fromCharCode(65 + (i % 26))} place ${(i % 40) + 1}`,
    price: PRICES[c],
    state: cancelled ? "cancelled" : "valid",
  };
}

/** Which lines are cancelled: a seeded draw, about 2 %. */
export function cancelledLines(n, seed) {
  const rnd = mulberry32(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rnd() < CANCELLED_SHARE ? 1 : 0;
  return out;
}

const euros = (x) => x.toFixed(2).replace(".", ",");

/** Writes the CSV; resolves to `{file, bytes, lines, cancelled, expected(i)}`. */
export function writeCsv(file, prefix, n, seed) {
  const cancelled = cancelledLines(n, seed);
  const fd = fs.openSync(file, "w");
  try {
    let chunk = `\uFEFF${HEADER.join(";")}\r\n`;
    for (let i = 0; i < n; i++) {
      const t = lineOf(prefix, i, cancelled[i]);
      chunk += `${t.barcode};${t.category};${t.holderName};${t.seat};${euros(t.price)};${cancelled[i] ? "oui" : ""}\r\n`;
      if (chunk.length > 256 * 1024) {
        fs.writeSync(fd, chunk);
        chunk = "";
      }
    }
    fs.writeSync(fd, chunk);
  } finally {
    fs.closeSync(fd);
  }
  return describe(file, prefix, n, cancelled);
}

/**
 * Writes the same lines as an .xlsx with exceljs's streaming writer (shared strings, as Excel
 * saves them; prices as numbers). exceljs is installed for `@billetix/connector-file`.
 */
export async function writeXlsx(file, prefix, n, seed) {
  const ExcelJS = require("exceljs");
  const cancelled = cancelledLines(n, seed);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useSharedStrings: true,
    useStyles: false,
  });
  const sheet = workbook.addWorksheet("Billets");
  sheet.addRow(HEADER).commit();
  for (let i = 0; i < n; i++) {
    const t = lineOf(prefix, i, cancelled[i]);
    sheet
      .addRow([t.barcode, t.category, t.holderName, t.seat, t.price, cancelled[i] ? "oui" : null])
      .commit();
  }
  sheet.commit();
  await workbook.commit();
  return describe(file, prefix, n, cancelled);
}

function describe(file, prefix, n, cancelled) {
  let count = 0;
  for (let i = 0; i < n; i++) count += cancelled[i];
  return {
    file,
    bytes: fs.statSync(file).size,
    lines: n,
    cancelled: count,
    expected: (i) => lineOf(prefix, i, cancelled[i]),
  };
}
