import type { PerformanceRules, TicketSnapshot } from "@billetix/access-rules";
import type { Performance } from "../catalog/performance.entity";
import type { Ticket } from "./ticket.entity";

/** What a performance's rules are made of. */
export type RulesOf = Pick<
  Performance,
  | "id"
  | "controlMode"
  | "maxPasses"
  | "maxPassesPerDay"
  | "excludedCategories"
  | "dated"
  | "startsAt"
  | "endsAt"
>;

/** Doors of a dated performance open this long before it starts. */
export const DOORS_OPEN_BEFORE_MS = 4 * 3600_000;

/**
 * The rules a performance's doors apply. Dated: from 4 h before the start to the end; undated:
 * its validity period.
 */
export function performanceRules(performance: RulesOf): PerformanceRules {
  const starts = performance.startsAt?.getTime() ?? 0;
  return {
    performanceId: performance.id,
    mode: performance.controlMode,
    maxPasses: performance.maxPasses ?? undefined,
    maxPassesPerDay: performance.maxPassesPerDay ?? undefined,
    excludedCategories: performance.excludedCategories ?? [],
    validFrom: performance.dated ? starts - DOORS_OPEN_BEFORE_MS : starts,
    validUntil: performance.endsAt?.getTime() ?? Number.MAX_SAFE_INTEGER,
  };
}

export function ticketSnapshot(ticket: Ticket): TicketSnapshot {
  return {
    performanceId: ticket.performanceId.toHexString(),
    barcode: ticket.barcode,
    state: ticket.state,
    category: ticket.category ?? undefined,
    passes: ticket.passes,
    passesByDay: ticket.passesByDay ?? {},
    inside: ticket.inside,
    firstEntryAt: ticket.firstEntryAt?.getTime(),
    lastScanAt: ticket.lastScanAt?.getTime(),
  };
}
