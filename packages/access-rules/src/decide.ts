import { dayKey } from "./day-key";
import type { Reason } from "./reasons";
import type { PerformanceRules, ScanInput, TicketSnapshot } from "./types";

export interface Decision {
  /** Open the door. */
  accepted: boolean;
  reason: Reason;
  /** To be recorded and counted as an anomaly (an exit while outside). */
  anomaly: boolean;
  /** The ticket after the scan: the same snapshot when nothing changed. */
  next: TicketSnapshot | undefined;
}

const refuse = (ticket: TicketSnapshot | undefined, reason: Reason): Decision => ({
  accepted: false,
  reason,
  anomaly: false,
  next: ticket,
});

/**
 * Whether a ticket may pass, and its state afterwards. Pure and deterministic: the gateway and
 * the scanner (offline) decide with this same function. The checks, in order:
 * unknown → cancelled → duplicated → other performance → window → category filter → mode.
 *
 * @param ticket the ticket found for the scanned barcode, or undefined
 * @param rules the rules of the ticket's performance
 * @param controlledPerformanceIds the performances being controlled now on this device (all, if omitted)
 *
 * @example
 * const d = decide(ticket, rules, { direction: "in", at: Date.now(), timeZone: "Europe/Paris" });
 * if (d.accepted) show("Entrée autorisée"); else show(reasonMessage(d.reason));
 */
export function decide(
  ticket: TicketSnapshot | undefined,
  rules: PerformanceRules,
  scan: ScanInput,
  controlledPerformanceIds?: ReadonlySet<string>,
): Decision {
  if (!ticket) return refuse(undefined, "UNKNOWN_TICKET");
  if (ticket.state === "cancelled") return refuse(ticket, "CANCELLED");
  if (ticket.state === "duplicated") return refuse(ticket, "DUPLICATED");
  if (
    ticket.performanceId !== rules.performanceId ||
    (controlledPerformanceIds && !controlledPerformanceIds.has(ticket.performanceId))
  ) {
    return refuse(ticket, "OTHER_PERFORMANCE");
  }

  const leaving = rules.mode === "inOut" && scan.direction === "out";
  // One never keeps people in: leaving is allowed outside the window.
  if (!leaving) {
    if (scan.at < rules.validFrom) return refuse(ticket, "TOO_EARLY");
    if (scan.at > rules.validUntil) return refuse(ticket, "TOO_LATE");
  }
  // A filtered ticket that already came in gets the standard verdict (the guide's rule).
  const alreadyIn = ticket.passes > 0 || ticket.inside;
  if (!alreadyIn && ticket.category !== undefined && rules.excludedCategories.includes(ticket.category)) {
    return refuse(ticket, "FILTERED");
  }

  switch (rules.mode) {
    case "single":
      return ticket.passes > 0 ? refuse(ticket, "ALREADY_USED") : enter(ticket, scan, false);
    case "inOut":
      if (leaving) {
        if (!ticket.inside)
          return { accepted: true, reason: "EXIT_WHILE_OUTSIDE", anomaly: true, next: ticket };
        const next = copy(ticket);
        next.inside = false;
        next.lastScanAt = scan.at;
        return { accepted: true, reason: "EXIT", anomaly: false, next };
      }
      return ticket.inside ? refuse(ticket, "ALREADY_INSIDE") : enter(ticket, scan, true);
    case "multi": {
      if (ticket.passes >= (rules.maxPasses ?? 1)) return refuse(ticket, "NO_PASSES_LEFT");
      const today = ticket.passesByDay[dayKey(scan.at, scan.timeZone)] ?? 0;
      if (rules.maxPassesPerDay !== undefined && today >= rules.maxPassesPerDay) {
        return refuse(ticket, "NO_PASSES_LEFT_TODAY");
      }
      return enter(ticket, scan, false);
    }
  }
}

/** `inside` only has a meaning in inOut. */
function enter(ticket: TicketSnapshot, scan: ScanInput, goesInside: boolean): Decision {
  const day = dayKey(scan.at, scan.timeZone);
  const passesByDay: Record<string, number> = Object.assign({}, ticket.passesByDay);
  passesByDay[day] = (passesByDay[day] ?? 0) + 1;
  const next = copy(ticket);
  next.passes = ticket.passes + 1;
  next.passesByDay = passesByDay;
  next.inside = goesInside || ticket.inside;
  next.firstEntryAt = ticket.firstEntryAt ?? scan.at;
  next.lastScanAt = scan.at;
  return { accepted: true, reason: "ACCEPTED", anomaly: false, next };
}

/**
 * A shallow copy that keeps whatever else the caller stores on its snapshots. Object.assign, not
 * spread: V8 takes a slow path (microseconds) when a spread object gains properties.
 */
function copy(ticket: TicketSnapshot): { -readonly [K in keyof TicketSnapshot]: TicketSnapshot[K] } {
  return Object.assign({}, ticket);
}
