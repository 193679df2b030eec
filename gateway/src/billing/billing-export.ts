import ExcelJS from "exceljs";
import type { BillingExportRow } from "./billing.service";
import { formatParisDateTime, parisWallClockAsUtc } from "./billing-month";

export type BillingExportFormat = "xlsx" | "csv";

export const EXPORT_HEADERS = ["Mois", "Institution", "Login", "Première importation"] as const;

export const EXPORT_CONTENT_TYPES: Record<BillingExportFormat, string> = {
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  csv: "text/csv; charset=utf-8",
};

/** The detail sheet and a per-institution summary; dates in Paris time, as the venues read them. */
export async function billingWorkbook(rows: BillingExportRow[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Billetix";

  const detail = workbook.addWorksheet("Facturation");
  detail.columns = [
    { header: EXPORT_HEADERS[0], key: "month", width: 10 },
    { header: EXPORT_HEADERS[1], key: "institutionName", width: 40 },
    { header: EXPORT_HEADERS[2], key: "username", width: 30 },
    { header: EXPORT_HEADERS[3], key: "firstImportAt", width: 22, style: { numFmt: "dd/mm/yyyy hh:mm" } },
  ];
  detail.getRow(1).font = { bold: true };
  detail.views = [{ state: "frozen", ySplit: 1 }];
  for (const row of rows) detail.addRow({ ...row, firstImportAt: parisWallClockAsUtc(row.firstImportAt) });

  const summary = workbook.addWorksheet("Synthèse");
  summary.columns = [
    { header: "Mois", key: "month", width: 10 },
    { header: "Institution", key: "institutionName", width: 40 },
    { header: "Logins facturés", key: "count", width: 16 },
  ];
  summary.getRow(1).font = { bold: true };
  const counts = new Map<string, { month: string; institutionName: string; count: number }>();
  for (const row of rows) {
    const key = `${row.month}\u0000${row.institutionName}`;
    const line = counts.get(key) ?? { month: row.month, institutionName: row.institutionName, count: 0 };
    line.count++;
    counts.set(key, line);
  }
  for (const line of counts.values()) summary.addRow(line);

  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** `;`-separated with a UTF-8 BOM: what French Excel opens correctly with a double click. */
export function billingCsv(rows: BillingExportRow[]): Buffer {
  const lines = [
    EXPORT_HEADERS.map(csvCell).join(";"),
    ...rows.map((r) =>
      [r.month, r.institutionName, r.username, formatParisDateTime(r.firstImportAt)].map(csvCell).join(";"),
    ),
  ];
  return Buffer.from(`\uFEFF${lines.join("\r\n")}\r\n`, "utf8");
}

function csvCell(value: string): string {
  // Names are typed by users: a leading = + - @ would run as a formula in Excel.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
