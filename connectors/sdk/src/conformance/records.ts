import type { TicketRecord } from "../contract";
import { describeValue } from "./helpers";

const STATES = new Set<unknown>(["valid", "cancelled", "duplicated", undefined]);

/**
 * What is wrong with one record a connector yielded (empty when it is well formed): a trimmed,
 * non-empty barcode; a known state; a finite, non-negative price; string texts and extras.
 */
export function recordProblems(record: unknown): string[] {
  if (typeof record !== "object" || record === null || Array.isArray(record))
    return [`is not an object: ${describeValue(record)}`];
  const r = record as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof r.barcode !== "string")
    problems.push(`barcode must be a string, got ${describeValue(r.barcode)}`);
  else if (r.barcode.trim() === "") problems.push("barcode is empty");
  else if (r.barcode.trim() !== r.barcode)
    problems.push(`barcode ${JSON.stringify(r.barcode)} is not trimmed`);
  if (!STATES.has(r.state))
    problems.push(`state ${describeValue(r.state)} is not valid, cancelled, duplicated or undefined`);
  if (r.price !== undefined && (typeof r.price !== "number" || !Number.isFinite(r.price) || r.price < 0))
    problems.push(`price ${describeValue(r.price)} is not a finite number >= 0`);
  for (const key of ["category", "holderName", "seat"] as const)
    if (r[key] !== undefined && typeof r[key] !== "string")
      problems.push(`${key} must be a string when present, got ${describeValue(r[key])}`);
  if (r.extra !== undefined) {
    if (typeof r.extra !== "object" || r.extra === null || Array.isArray(r.extra))
      problems.push(`extra must be an object of strings, got ${describeValue(r.extra)}`);
    else
      for (const [key, value] of Object.entries(r.extra))
        if (typeof value !== "string")
          problems.push(`extra.${key} must be a string, got ${describeValue(value)}`);
  }
  return problems;
}

/** The problems of every malformed record, each naming the record. */
export function recordsProblems(records: readonly unknown[]): string[] {
  return records.flatMap((record, i) => {
    const barcode = (record as { barcode?: unknown } | null)?.barcode;
    const name = `record #${i + 1}${typeof barcode === "string" ? ` (${JSON.stringify(barcode)})` : ""}`;
    return recordProblems(record).map((p) => `${name}: ${p}`);
  });
}

/** Barcodes that appear more than once. */
export function duplicateBarcodes(records: readonly TicketRecord[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const { barcode } of records) {
    if (seen.has(barcode)) repeated.add(barcode);
    seen.add(barcode);
  }
  return [...repeated];
}

/** Each barcode's last record: the gateway applies records in order, so the last one wins. */
export function lastRecordByBarcode(records: readonly TicketRecord[]): Map<string, TicketRecord> {
  return new Map(records.map((r) => [r.barcode, r]));
}
