import { TicketState } from "../access";
import { parisWallClock, parisWallClockAsUtc } from "../billing/billing-month";
import { type Performance, ShowEvent } from "../catalog";
import type { RequestContext } from "../common/context";
import { searchKey } from "../common/text";
import type { ScanLogEntry } from "./dto/scan-log.output";
import type { TicketReportRow } from "./dto/ticket-report.output";
import type { XlsxColumn } from "./xlsx-stream";

const DATE_FORMAT = "dd/mm/yyyy hh:mm:ss";
const PRICE_FORMAT = "#,##0.00";

const STATE_LABELS: Record<TicketState, string> = {
  [TicketState.valid]: "Valide",
  [TicketState.cancelled]: "Annulé",
  [TicketState.duplicated]: "Dupliqué",
};

export const TICKET_HEADERS = [
  "Code-barres",
  "État",
  "Catégorie",
  "Nom",
  "Place",
  "Prix",
  "Passages",
  "Dedans",
  "Première entrée",
  "Dernier scan",
] as const;

/** The ticket sheet's columns: the fixed ones, then each extra column by its name. */
export function ticketColumns(extraColumns: string[]): XlsxColumn[] {
  const widths = [20, 10, 18, 28, 12, 10, 10, 8, 20, 20];
  return [
    ...TICKET_HEADERS.map((header, i) => ({
      header,
      width: widths[i],
      ...(header === "Prix" ? { numFmt: PRICE_FORMAT } : {}),
      ...(i >= 8 ? { numFmt: DATE_FORMAT } : {}),
    })),
    ...extraColumns.map((name) => ({ header: name, width: Math.min(40, Math.max(12, name.length + 4)) })),
  ];
}

/** A row's cells, in the order of `ticketColumns(extraColumns)`. */
export function ticketCells(extraColumns: string[]): (row: TicketReportRow) => unknown[] {
  const excelDate = parisExcelDates();
  return (row) => {
    const cells: unknown[] = [
      row.barcode,
      STATE_LABELS[row.state] ?? row.state,
      row.category,
      row.holderName,
      row.seat,
      row.price,
      row.passes,
      row.inside ? "Oui" : "Non",
      excelDate(row.firstEntryAt),
      excelDate(row.lastScanAt),
    ];
    for (const name of extraColumns) cells.push(row.extra.find((e) => e.name === name)?.value);
    return cells;
  };
}

export const SCAN_HEADERS = [
  "Date du scan",
  "Code-barres",
  "Sens",
  "Résultat",
  "Motif",
  "Anomalie",
  "Terminal",
  "Enregistré le",
] as const;

export function scanColumns(): XlsxColumn[] {
  const widths = [20, 20, 8, 10, 40, 10, 24, 20];
  return SCAN_HEADERS.map((header, i) => ({
    header,
    width: widths[i],
    ...(i === 0 || i === 7 ? { numFmt: DATE_FORMAT } : {}),
  }));
}

/** An entry's cells, in the order of `scanColumns()`. */
export function scanCells(): (entry: ScanLogEntry) => unknown[] {
  const excelDate = parisExcelDates();
  return (entry) => [
    excelDate(entry.scannedAt),
    entry.barcode,
    entry.direction === "out" ? "Sortie" : "Entrée",
    entry.accepted ? "Accepté" : "Refusé",
    entry.message,
    entry.conflict ? "Oui" : "Non",
    entry.deviceName ?? entry.deviceId ?? null,
    excelDate(entry.recordedAt),
  ];
}

const HOUR_MS = 3_600_000;

/**
 * Turns instants into real Excel dates showing the Paris time, as the venues read them (like
 * `parisWallClockAsUtc`, to the second). Paris changes its offset only on the hour (01:00 UTC),
 * so the offset is worked out once per hour of dates, not per cell: that call costs as much as
 * the rest of a row.
 */
export function parisExcelDates(): (at: Date | null | undefined) => Date | null {
  const offsets = new Map<number, number>();
  return (at) => {
    const ms = at instanceof Date ? at.getTime() : Number.NaN;
    if (Number.isNaN(ms)) return null;
    const hour = Math.floor(ms / HOUR_MS);
    let offset = offsets.get(hour);
    if (offset === undefined) {
      offset = parisWallClockAsUtc(new Date(hour * HOUR_MS)).getTime() - hour * HOUR_MS;
      offsets.set(hour, offset);
    }
    return new Date(Math.floor((ms + offset) / 1000) * 1000);
  };
}

/**
 * "billets-concert-du-nouvel-an-2024-12-31-20h30.xlsx": the performance's label (else its event's
 * name) and its Paris start, reduced to letters, digits and dashes so any system accepts it.
 */
export async function reportFileName(
  ctx: RequestContext,
  prefix: string,
  performance: Performance,
): Promise<string> {
  const title = performance.label ?? (await ctx.loaders.load(ShowEvent, performance.eventId))?.name ?? "";
  const slug = searchKey(title)
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, 60)
    .replace(/^-+|-+$/g, "");
  let date = "";
  if (performance.startsAt) {
    const c = parisWallClock(performance.startsAt);
    const two = (n: number) => String(n).padStart(2, "0");
    date = `${c.year}-${two(c.month)}-${two(c.day)}-${two(c.hour)}h${two(c.minute)}`;
  }
  return `${[prefix, slug, date].filter(Boolean).join("-")}.xlsx`;
}
