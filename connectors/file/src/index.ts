import { defineConnector } from "@billetix/connector-sdk";
import { fileConfigProblems, fileSourceConfig } from "./file-config";
import { parseTicketFile } from "./parse-file";

export { type Delimiter, detectDelimiter } from "./delimiter";
export { fileConfigProblems, fileSourceConfig } from "./file-config";
export { DEFAULT_HEADERS, normalizeHeader, normalizeValue, resolveColumns } from "./header";
export { parsePrice } from "./price";

/**
 * Ticket files an admin uploads: CSV (any usual separator, UTF-8 or Windows-1252) or Excel
 * (.xlsx, first sheet). Columns are found by their headers; a cancellation column may mark
 * tickets cancelled or duplicated. File sources are cumulative: each file adds to what the
 * earlier ones brought.
 *
 * A barcode on several lines of one file is yielded once per line, in file order, and the
 * gateway applies them in that order: the later line wins (a cancellation line after the sale
 * cancels the ticket). The gateway imports a file all or nothing, so a bad line anywhere refuses
 * the whole file.
 *
 * @example
 * const records = connector.parseFile?.({
 *   config: { delimiter: "auto" },
 *   content: fs.createReadStream("billets.csv"),
 *   fileName: "billets.csv",
 *   signal: AbortSignal.timeout(60_000),
 * });
 */
export default defineConnector({
  id: "file",
  label: "Fichier (CSV ou Excel)",
  labelEn: "File (CSV or Excel)",
  description:
    "Importe les billets d'un fichier CSV ou Excel (.xlsx) : une ligne d'en-tête, puis une ligne par billet.",
  kind: "file",
  compatibility: "^1.0.0",
  cancellations: true,
  sourceConfig: fileSourceConfig,
  // A file brings its own tickets: a performance needs nothing more to import one.
  performanceParams: [],
  checkConfig: (config) => fileConfigProblems(config),
  parseFile: parseTicketFile,
});
