import { Readable } from "node:stream";
import { ConnectorError, isConnectorError } from "@billetix/connector-sdk";
import ExcelJS from "exceljs";
import type { Cell, SheetRow } from "./sheet-row";

const CORRUPT =
  "Le classeur Excel (.xlsx) est illisible : fichier abîmé ou incomplet. Ouvrez-le dans Excel et enregistrez-le de nouveau.";

/** `PK\x03\x04`: a zip archive, which is what an .xlsx file is. */
export function isZip(head: Uint8Array): boolean {
  return head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

/** A cell of the streaming reader as text, or as a number when it is one. */
export function cellValue(value: unknown): Cell {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return value;
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return "";
    // Workbook dates have no time zone: the reader gives them as UTC.
    const iso = value.toISOString().replace(/\.000Z$|Z$/, "");
    return iso.endsWith("T00:00:00") ? iso.slice(0, 10) : iso.replace("T", " ");
  }
  if (typeof value === "object") {
    const v = value as { richText?: { text?: string }[]; result?: unknown; text?: unknown; error?: unknown };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text ?? "").join("");
    if ("result" in v) return cellValue(v.result);
    if (v.text !== undefined) return cellValue(v.text);
    if (typeof v.error === "string") return v.error;
  }
  return String(value);
}

/**
 * The rows of an .xlsx file's first worksheet, read with exceljs's streaming reader (the
 * workbook is never loaded whole), each with its row number as its line.
 *
 * @throws ConnectorError `bad-file` when the archive or the sheet cannot be read
 */
export async function* xlsxRows(
  bytes: AsyncIterable<Uint8Array>,
  signal: AbortSignal,
): AsyncGenerator<SheetRow> {
  // The unzipper is piped from the source, and a pipe does not pass errors on: a failing source
  // (size limit, abort) ends the stream instead, and its error is thrown from here.
  let sourceError: unknown;
  async function* guarded(): AsyncGenerator<Uint8Array> {
    try {
      yield* bytes;
    } catch (err) {
      sourceError = err;
    }
  }
  const source = Readable.from(guarded(), { objectMode: false });
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, {
    worksheets: "emit",
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    entries: "ignore",
  });
  let sawSheet = false;
  try {
    for await (const worksheet of reader) {
      const first = (reader as unknown as { model?: { sheets?: { name?: string }[] } }).model?.sheets?.[0]
        ?.name;
      const name = (worksheet as unknown as { name?: string }).name;
      if (first !== undefined && name !== undefined && name !== first) continue;
      sawSheet = true;
      for await (const row of worksheet) {
        if (sourceError) throw sourceError;
        signal.throwIfAborted();
        const values = Array.isArray(row.values) ? (row.values as unknown[]) : [];
        // exceljs counts columns from 1: values[0] is always empty.
        const cells: Cell[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellValue(values[i]));
        yield { line: row.number, cells };
      }
      break;
    }
  } catch (err) {
    if (sourceError) throw sourceError;
    if (isConnectorError(err) || signal.aborted) throw err;
    throw new ConnectorError("bad-file", CORRUPT, { cause: err });
  } finally {
    source.destroy();
  }
  if (sourceError) throw sourceError;
  if (!sawSheet) throw new ConnectorError("bad-file", CORRUPT);
}
