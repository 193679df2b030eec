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
