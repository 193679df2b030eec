import { ConnectorError, type TicketRecord } from "@billetix/connector-sdk";
import type { FileOptions } from "./file-config";
import { type ColumnLayout, normalizeValue, resolveColumns } from "./header";
import { parsePrice } from "./price";
import type { Cell, SheetRow } from "./sheet-row";

const EMPTY = "Le fichier est vide : il faut une ligne d'en-tête puis une ligne par billet.";

const text = (cell: Cell | undefined): string => (cell === undefined ? "" : String(cell).trim());
const quoted = (value: string) => `« ${value.length > 60 ? `${value.slice(0, 60)}…` : value} »`;

/**
 * Turns a sheet's rows into ticket records: the first non-blank row is the header, each later
 * non-blank row one ticket, in file order.
 *
 * A barcode may come on several rows (a sale, then its cancellation): each row is yielded, in
 * file order, and the gateway applies them in that order, so the later row wins — a cancellation
 * line after a sale line cancels the ticket, a sale line after it makes it valid again. Nothing
 * is held back to merge them, so memory does not grow with the file.
 *
 * @throws ConnectorError `bad-file` naming the line: no barcode column, an empty barcode, more
 *   fields than the header, an unreadable price, no header or no ticket at all
 */
export async function* ticketRecords(
  rows: AsyncIterable<SheetRow>,
  options: FileOptions,
  signal: AbortSignal,
): AsyncGenerator<TicketRecord> {
  let layout: ColumnLayout | undefined;
  let headerLine = 0;
  let tickets = 0;
  for await (const row of rows) {
    signal.throwIfAborted();
    if (row.cells.every((c) => text(c) === "")) continue;
    if (!layout) {
      layout = resolveColumns(row.cells.map(text), options.mapping, row.line);
      headerLine = row.line;
      continue;
    }
    yield ticketOf(row, layout, headerLine, options);
    tickets++;
  }
  if (!layout) throw new ConnectorError("bad-file", EMPTY);
  if (tickets === 0)
    throw new ConnectorError(
      "bad-file",
      `Le fichier ne contient aucun billet : rien après la ligne d'en-tête (ligne ${headerLine}).`,
      { line: headerLine },
    );
}

function ticketOf(
  row: SheetRow,
  layout: ColumnLayout,
  headerLine: number,
  options: FileOptions,
): TicketRecord {
  const { line, cells } = row;
  const fail = (message: string) => new ConnectorError("bad-file", `Ligne ${line} : ${message}`, { line });
  const columns = layout.headers.length;
  if (cells.length > columns && cells.slice(columns).some((c) => text(c) !== ""))
    throw fail(
      `${cells.length} champs alors que l'en-tête (ligne ${headerLine}) a ${columns} colonnes. ` +
        "Vérifiez le séparateur, et les guillemets autour des champs qui le contiennent.",
    );

  const barcode = text(cells[layout.barcode]);
  if (!barcode) throw fail(`le code-barre est vide (colonne « ${layout.headers[layout.barcode]} »).`);
  const record: TicketRecord = { barcode, state: "valid" };

  const { fields } = layout;
  if (fields.state !== undefined) {
    const value = normalizeValue(text(cells[fields.state]));
    if (value && options.cancelled.has(value)) record.state = "cancelled";
    else if (value && options.duplicated.has(value)) record.state = "duplicated";
  }
  for (const key of ["category", "holderName", "seat"] as const) {
    const index = fields[key];
    const value = index === undefined ? "" : text(cells[index]);
    if (value) record[key] = value;
  }
  if (fields.price !== undefined) {
    const cell = cells[fields.price];
    const raw = text(cell);
    if (raw) {
      const price = typeof cell === "number" ? cell : parsePrice(raw);
      if (price === null || !Number.isFinite(price) || price < 0)
        throw fail(
          `prix illisible ${quoted(raw)} (colonne « ${layout.headers[fields.price]} ») : ` +
            "un montant positif est attendu, comme « 12,50 » ou « 12.50 €».",
        );
      record.price = price;
    }
  }
  const extra: Record<string, string> = {};
  let extras = 0;
  for (const { index, key } of layout.extra) {
    const value = text(cells[index]);
    if (value) {
      extra[key] = value;
      extras++;
    }
  }
  if (extras) record.extra = extra;
  return record;
}
