import type { EventEmitter } from "node:events";
import { setImmediate } from "node:timers/promises";
import ExcelJS from "exceljs";
import type { Response } from "express";

export const XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Bytes allowed to wait in the zip pipeline (compression not keeping up) before reading on. */
const MAX_PENDING_BYTES = 1024 * 1024;
const YIELD_EVERY_ROWS = 200;

export interface XlsxColumn {
  header: string;
  /** In characters, as Excel counts them. */
  width: number;
  /** An Excel number format: dates, prices. */
  numFmt?: string;
}

export interface XlsxSheet<Row> {
  fileName: string;
  sheetName: string;
  columns: XlsxColumn[];
  /** Batches of rows, read only as fast as the client takes the file; returned early if it leaves. */
  rows: AsyncIterable<Iterable<Row>>;
  cells: (row: Row) => unknown[];
}

export type StreamOutcome = "complete" | "disconnected";

/**
 * Streams one sheet as an .xlsx straight into the response with exceljs's streaming writer: each
 * row is committed as soon as it is read and never kept, and no row is read while the response
 * (or the compression before it) is backed up, so memory stays flat whatever the size. Call it
 * once everything has been checked: it sends the headers first, so a later failure can only cut
 * the file (the caller's route destroys the response), never turn into a JSON error. If the client
 * disconnects, reading stops (the rows' cursor is closed) and "disconnected" is returned.
 */
export async function streamXlsx<Row>(res: Response, sheet: XlsxSheet<Row>): Promise<StreamOutcome> {
  res.status(200).type(XLSX_CONTENT_TYPE).attachment(sheet.fileName);
  res.flushHeaders();

  let failure: unknown;
  let disconnected = false;
  const closed = new Promise<void>((resolve) =>
    res.once("close", () => {
      if (!res.writableFinished) disconnected = true;
      resolve();
    }),
  );
  const fail = (error: unknown) => {
    failure ??= error;
  };
  res.on("error", fail);

  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: res,
    useStyles: true,
    useSharedStrings: false,
  });
  const zip = zipOf(workbook);
  zip.on("error", fail);
  const worksheet = workbook.addWorksheet(sheet.sheetName, { views: [{ state: "frozen", ySplit: 1 }] });
  worksheet.columns = sheet.columns.map((column, i) => ({
    header: column.header,
    key: `c${i}`,
    width: column.width,
  }));
  const header = worksheet.getRow(1);
  header.font = { bold: true };
  header.commit();
  // One style object per column, shared by its cells, and one for every row: exceljs caches a
  // style's id by object, so the fresh copies it would make otherwise cost a style lookup per
  // cell and per row (half the time of a row).
  const styles: Partial<ExcelJS.Style>[] = sheet.columns.map((c) => (c.numFmt ? { numFmt: c.numFmt } : {}));
  const rowStyle: Partial<ExcelJS.Style> = {};

  const compressing = compressionInput(worksheet);
  const stopped = () => disconnected || failure !== undefined;
  const backedUp = () =>
    res.writableNeedDrain ||
    (compressing !== undefined && compressing._writableState.length > MAX_PENDING_BYTES);

  let complete = false;
  try {
    let written = 0;
    reading: for await (const batch of sheet.rows) {
      for (const item of batch) {
        const row = worksheet.addRow([]);
        // A Row has a style at runtime; exceljs's typings leave it out.
        (row as ExcelJS.Row & { style: Partial<ExcelJS.Style> }).style = rowStyle;
        const cells = sheet.cells(item);
        for (let i = 0; i < cells.length; i++) {
          if (cells[i] === null || cells[i] === undefined) continue;
          const cell = row.getCell(i + 1);
          cell.value = cells[i] as ExcelJS.CellValue;
          cell.style = styles[i];
        }
        row.commit();
        // Now and then, let compression, the socket and the next batch's reply move on.
        if (++written % YIELD_EVERY_ROWS === 0) await setImmediate();
        while (!stopped() && backedUp()) await drained(res.writableNeedDrain ? res : compressing, res);
        if (stopped()) break reading;
      }
    }
    if (failure !== undefined) throw failure;
    if (disconnected) return "disconnected";
    // Resolves once the response has finished; a client leaving meanwhile must not hang us.
    const committing = workbook.commit();
    committing.catch(fail);
    await Promise.race([committing, closed]);
    if (failure !== undefined) throw failure;
    complete = !disconnected;
    return complete ? "complete" : "disconnected";
  } finally {
    if (!complete) abandon(zip, worksheet, res);
  }
}

/** Where exceljs 4.4's typings stop: the zip (archiver) its streaming writer pipes into the response. */
interface ZipStream extends EventEmitter {
  abort(): void;
  resume(): void;
  unpipe(destination?: NodeJS.WritableStream): void;
}

function zipOf(workbook: ExcelJS.stream.xlsx.WorkbookWriter): ZipStream {
  return (workbook as unknown as { zip: ZipStream }).zip;
}

interface PendingInput extends EventEmitter {
  _writableState: { length: number };
}

/**
 * The stream between a sheet's rows and the compression. exceljs writes rows into a buffer that
 * ignores back-pressure; archiver copies it into this PassThrough, which keeps what the deflate
 * has not taken yet. Its length is what would pile up; undefined if exceljs ever changes shape,
 * and then the response's own back-pressure is all we go by.
 */
function compressionInput(worksheet: ExcelJS.Worksheet): PendingInput | undefined {
  const pipes = (worksheet as unknown as { stream?: { pipes?: unknown[] } }).stream?.pipes;
  const input = pipes?.[0] as Partial<PendingInput> | undefined;
  return typeof input?._writableState?.length === "number" && typeof input.once === "function"
    ? (input as PendingInput)
    : undefined;
}

/** Resolves when `stream` drains, or when the response closes (the client left). */
function drained(stream: EventEmitter | undefined, res: Response): Promise<void> {
  if (!stream) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stream.off("drain", done);
      res.off("close", done);
      resolve();
    };
    stream.on("drain", done);
    res.on("close", done);
  });
}

/** Cuts the zip off the response and lets what is in flight drain into nothing, releasing zlib. */
function abandon(zip: ZipStream, worksheet: ExcelJS.Worksheet, res: Response): void {
  zip.unpipe(res);
  zip.resume();
  try {
    worksheet.commit();
    zip.abort();
  } catch {
    // Already failing: the route logs the cause and destroys the response.
  }
}
