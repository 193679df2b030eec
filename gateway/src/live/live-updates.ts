import type { Document } from "mongodb";

export interface CountersUpdate {
  performanceId: string;
  revision: number;
  ticketCount: number;
  validCount: number;
  admittedCount: number;
  insideCount: number;
  refusedCount: number;
  anomalyCount: number;
}

export const COUNTERS_FIELDS = ["_id", "revision", "counters"];

export function toCountersUpdate(doc: Document): CountersUpdate {
  const c = doc.counters ?? {};
  return {
    performanceId: String(doc._id),
    revision: doc.revision ?? 0,
    ticketCount: c.ticketCount ?? 0,
    validCount: c.validCount ?? 0,
    admittedCount: c.admittedCount ?? 0,
    insideCount: c.insideCount ?? 0,
    refusedCount: c.refusedCount ?? 0,
    anomalyCount: c.anomalyCount ?? 0,
  };
}

export interface TicketChange {
  performanceId: string;
  barcode: string;
  state: string;
  /** A ticket a source just brought arrives whole: the scanner decides filters on its category. */
  category?: string;
  holderName?: string;
  passes: number;
  passesByDay: Record<string, number>;
  inside: boolean;
  revision: number;
}

export const TICKET_CHANGE_FIELDS = [
  "performanceId",
  "barcode",
  "state",
  "category",
  "holderName",
  "passes",
  "passesByDay",
  "inside",
  "revision",
];

export function toTicketChange(doc: Document): TicketChange {
  return {
    performanceId: String(doc.performanceId),
    barcode: doc.barcode,
    state: doc.state,
    category: doc.category ?? undefined,
    holderName: doc.holderName ?? undefined,
    passes: doc.passes ?? 0,
    passesByDay: doc.passesByDay ?? {},
    inside: Boolean(doc.inside),
    revision: doc.revision ?? 0,
  };
}
