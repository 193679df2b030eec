import { applyScans, type PerformanceRules, type ScanInput, type TicketState } from "@billetix/access-rules";
import type { OutboxEntry, StoredTicket } from "./database";
import type { ServerTicketChange } from "./types";

const STATES: Record<string, TicketState> = {
  v: "valid",
  c: "cancelled",
  d: "duplicated",
  valid: "valid",
  cancelled: "cancelled",
  duplicated: "duplicated",
};

/**
 * One NDJSON ticket line `[barcode, state, categoryIndex, passes, inside, passesByDay, holderName,
 * revision]` as the device stores it; undefined when the line is not one.
 */
export function ticketFromLine(
  performanceId: string,
  line: string,
  categories: readonly string[],
): StoredTicket | undefined {
  let row: unknown;
  try {
    row = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!Array.isArray(row) || typeof row[0] !== "string") return undefined;
  const [barcode, state, categoryIndex, passes, inside, byDay, holderName, revision] = row as unknown[];
  const ticket: StoredTicket = {
    performanceId,
    barcode: barcode as string,
    state: STATES[state as string] ?? "valid",
    passes: typeof passes === "number" ? passes : 0,
    passesByDay: byDay && typeof byDay === "object" ? (byDay as Record<string, number>) : {},
    inside: inside === 1 || inside === true,
    revision: typeof revision === "number" ? revision : 0,
  };
  const category =
    typeof categoryIndex === "number" && categoryIndex >= 0 ? categories[categoryIndex] : undefined;
  if (category !== undefined) ticket.category = category;
  if (typeof holderName === "string" && holderName !== "") ticket.holderName = holderName;
  return ticket;
}

/**
 * A subscription change as the device stores it; `local` fills what the change leaves out
 * (`category`/`holderName` absent: unchanged; null: none).
 */
export function ticketFromChange(change: ServerTicketChange, local: StoredTicket | undefined): StoredTicket {
  let passesByDay: Record<string, number> = {};
  try {
    const parsed: unknown = JSON.parse(change.passesByDay || "{}");
    if (parsed && typeof parsed === "object") passesByDay = parsed as Record<string, number>;
  } catch {
    passesByDay = local?.passesByDay ?? {};
  }
  const ticket: StoredTicket = {
    performanceId: change.performanceId,
    barcode: change.barcode,
    state: STATES[change.state] ?? "valid",
    passes: change.passes,
    passesByDay,
    inside: change.inside,
    revision: change.revision,
  };
  const category = change.category === undefined ? local?.category : (change.category ?? undefined);
  if (category !== undefined) ticket.category = category;
  const holderName = change.holderName === undefined ? local?.holderName : (change.holderName ?? undefined);
  if (holderName) ticket.holderName = holderName;
  return ticket;
}

/** How one ticket write moves its performance's counters. */
export interface TicketCountersDelta {
  admitted: number;
  inside: number;
  tickets: number;
}

export function ticketDelta(
  before: StoredTicket | undefined,
  after: StoredTicket | undefined,
): TicketCountersDelta {
  return {
    admitted: Number((after?.passes ?? 0) > 0) - Number((before?.passes ?? 0) > 0),
    inside: Number(after?.inside === true) - Number(before?.inside === true),
    tickets: Number(after !== undefined) - Number(before !== undefined),
  };
}

export function scanInputs(entries: readonly OutboxEntry[]): ScanInput[] {
  return entries.map((e) => ({ direction: e.direction, at: e.scannedAt, timeZone: e.timeZone }));
}

/**
 * The state to keep when a server state arrives: nothing if the local copy is as new (its
 * revision); else the server's state with this device's pending scans replayed on top, so a ticket
 * admitted here offline is not "un-admitted" by a server copy that has not seen the scan yet. The
 * scans are replayed without a controlled set: they were decided while their performance was
 * controlled, as the server will decide them.
 */
export function mergeServerState(
  local: StoredTicket | undefined,
  server: StoredTicket,
  pending: readonly OutboxEntry[] | undefined,
  rules: PerformanceRules,
): StoredTicket | undefined {
  if (local !== undefined && server.revision <= local.revision) return undefined;
  if (local?.firstEntryAt !== undefined && server.passes > 0) server.firstEntryAt = local.firstEntryAt;
  if (local?.lastScanAt !== undefined) server.lastScanAt = local.lastScanAt;
  if (!pending || pending.length === 0) return server;
  const replayed = applyScans(server, rules, scanInputs(pending)).ticket as StoredTicket | undefined;
  return replayed ?? server;
}

/** Pending scans by barcode, in scan order. */
export function byBarcode(entries: readonly OutboxEntry[]): Map<string, OutboxEntry[]> {
  const map = new Map<string, OutboxEntry[]>();
  for (const entry of entries) {
    const list = map.get(entry.barcode);
    if (list) list.push(entry);
    else map.set(entry.barcode, [entry]);
  }
  return map;
}
