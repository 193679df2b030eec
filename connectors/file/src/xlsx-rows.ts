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

/** A zip whose first entry is OpenDocument's `mimetype` (LibreOffice's .ods), not a workbook exceljs reads. */
export function isOpenDocument(head: Uint8Array): boolean {
  return Buffer.from(head.subarray(0, 128)).toString("latin1").includes("application/vnd.oasis.opendocument");
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

/** A worksheet passed over: its spilled copy's read stream is closed rather than left open. */
function skip(worksheet: unknown): void {
  const stream = (
    worksheet as { iterator?: { destroy?: () => void; on?: (e: string, f: () => void) => void } }
  ).iterator;
  if (typeof stream?.destroy !== "function") return;
  // exceljs removes the spooled file next, maybe before the stream has opened it.
  stream.on?.("error", () => {});
  stream.destroy();
}

/**
 * The rows of an .xlsx file's first worksheet, read with exceljs's streaming reader (the
 * workbook is never loaded whole), each with its row number as its line.
 *
 * Excel writes the sheets before the shared strings, so exceljs spools them to temporary files
 * and gives the rows once the whole archive has been read; it removes those files only when its
 * reading runs to the end. So the reading always runs to the end — other sheets skipped, and
 * when the caller stops early (a bad row), the rest drained, in the background after an abort —
 * except when the archive is broken or the upload was cut short, where there is no end to reach.
 *
 * @throws ConnectorError `bad-file` when the archive or the sheet cannot be read
 */
export async function* xlsxRows(
  bytes: AsyncIterable<Uint8Array>,
  signal: AbortSignal,
): AsyncGenerator<SheetRow> {
  // The unzipper is piped from the source, and a pipe passes no errors on: a failing source
  // (size limit, abort) ends the stream instead, and its error is thrown from here. exceljs
  // would wait forever on an unzipper that failed (a truncated archive) or lacks data, so every
  // read races either failure.
  let sourceError: unknown;
  let fail: (err: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  failed.catch(() => {});
  const failSource = (err: unknown) => {
    sourceError = err;
    fail(err);
  };
  let sourceDone = false;
  async function* guarded(): AsyncGenerator<Uint8Array> {
    try {
      yield* bytes;
      sourceDone = true;
    } catch (err) {
      failSource(err);
    }
  }
  const next = <T>(iterator: AsyncIterator<T>) => Promise.race([iterator.next(), failed]);

  const source = Readable.from(guarded(), { objectMode: false });
  const pipe = source.pipe.bind(source);
  source.pipe = ((destination: NodeJS.WritableStream, options?: { end?: boolean }) => {
    destination.on("error", fail);
    return pipe(destination, options);
  }) as typeof source.pipe;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, {
    worksheets: "emit",
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    entries: "ignore",
  });
  const firstSheetName = () =>
    (reader as unknown as { model?: { sheets?: { name?: string }[] } }).model?.sheets?.[0]?.name;
  const sheets = reader[Symbol.asyncIterator]();
  let rows: AsyncIterator<ExcelJS.Row> | undefined;
  let sawSheet = false;
  let complete = false;
  let broken = false;
  try {
    for (let sheet = await next(sheets); !sheet.done; sheet = await next(sheets)) {
      const worksheet = sheet.value;
      const name = (worksheet as unknown as { name?: string }).name;
      const first = firstSheetName();
      if (sawSheet || (first !== undefined && name !== undefined && name !== first)) {
        skip(worksheet);
        continue;
      }
      sawSheet = true;
      rows = worksheet[Symbol.asyncIterator]();
      for (let step = await next(rows); !step.done; step = await next(rows)) {
        signal.throwIfAborted();
        const values = Array.isArray(step.value.values) ? (step.value.values as unknown[]) : [];
        // exceljs counts columns from 1: values[0] is always empty.
        const cells: Cell[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellValue(values[i]));
        yield { line: step.value.number, cells };
      }
      rows = undefined;
    }
    complete = true;
  } catch (err) {
    if (sourceError) throw sourceError;
    if (signal.aborted) throw err;
    broken = true;
    if (isConnectorError(err)) throw err;
    throw new ConnectorError("bad-file", CORRUPT, { cause: err });
  } finally {
    const unfinished = !complete && !broken && !sourceError;
    if (unfinished && !signal.aborted) await drain(sheets, rows, next);
    // Aborted with the whole archive read: what is left is on disk, finish it in the background.
    else if (unfinished && sourceDone) void drain(sheets, rows, next);
    source.destroy();
  }
  if (!sawSheet) throw new ConnectorError("bad-file", CORRUPT);
}

/** Reads the rest of a workbook the caller no longer wants, so exceljs removes its temporary files. */
async function drain(
  sheets: AsyncIterator<unknown>,
  rows: AsyncIterator<unknown> | undefined,
  next: <T>(iterator: AsyncIterator<T>) => Promise<IteratorResult<T>>,
): Promise<void> {
  try {
    if (rows) while (!(await next(rows)).done);
    for (let sheet = await next(sheets); !sheet.done; sheet = await next(sheets)) skip(sheet.value);
  } catch {
    // The caller's error is the one to report.
  }
}
