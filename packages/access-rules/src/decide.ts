import { dayKey } from "./day-key";
import type { Reason } from "./reasons";
import type { PerformanceRules, ScanInput, TicketSnapshot } from "./types";

/** The verdict on one scan. JSON-serialisable. */
export interface Decision {
  /** Open the door (true for `ACCEPTED`, `EXIT` and `EXIT_WHILE_OUTSIDE`). */
  accepted: boolean;
  /** Why: show `reasonMessage(reason)`. */
  reason: Reason;
  /** To be recorded and counted as an anomaly: an exit while outside (the person still goes out). */
  anomaly: boolean;
  /**
   * The ticket after the scan: a new object when it changed, the very same snapshot when it did
   * not (every refusal, and an exit while outside); undefined for an unknown ticket.
   */
  next: TicketSnapshot | undefined;
}

const refuse = (ticket: TicketSnapshot | undefined, reason: Reason): Decision => ({
  accepted: false,
  reason,
  anomaly: false,
  next: ticket,
});

/**
 * Whether a ticket may pass, and its state afterwards. Pure and deterministic: the gateway and the
 * scanner (offline) decide with this same function, so they agree. It never mutates its input;
 * a refused scan returns the very same snapshot as `next`.
 *
 * The checks, in order (the first that fails gives the reason):
 * 1. `UNKNOWN_TICKET` — no ticket;
 * 2. `CANCELLED`, then `DUPLICATED` — the ticket's state;
 * 3. `OTHER_PERFORMANCE` — the ticket is not of `rules.performanceId`, or its performance is not
 *    among `controlledPerformanceIds`;
 * 4. `TOO_EARLY` / `TOO_LATE` — outside `[validFrom, validUntil]`, both ends inclusive
 *    (not checked for an exit in inOut: nobody is kept in);
 * 5. `FILTERED` — an excluded category trying to come in (a ticket already in gets the mode's
 *    standard verdict instead; exits in inOut are never filtered);
 * 6. the mode: `single` (`ALREADY_USED`), `inOut` (`ALREADY_INSIDE`, `EXIT`, `EXIT_WHILE_OUTSIDE`),
 *    `multi` (`NO_PASSES_LEFT`, `NO_PASSES_LEFT_TODAY`).
 *
 * @param ticket the ticket found for the scanned barcode, or undefined
 * @param rules the rules of the performance the ticket is checked against
 * @param scan direction, instant (epoch ms) and the device's IANA time zone
 * @param controlledPerformanceIds the performances controlled now on this device (all, if omitted)
 * @throws RangeError when `scan.at` is not a finite number (a bug in the caller, not a verdict)
 *
 * @example
 * const rules: PerformanceRules = {
 *   performanceId: "p1", mode: "inOut", excludedCategories: ["Invitation"],
 *   validFrom: Date.parse("2026-04-06T16:00:00Z"), validUntil: Date.parse("2026-04-06T22:00:00Z"),
 * };
 * const ticket: TicketSnapshot = {
 *   performanceId: "p1", barcode: "4006381333931", state: "valid", category: "Plein tarif",
 *   passes: 0, passesByDay: {}, inside: false,
 * };
 * const at = Date.parse("2026-04-06T17:30:00Z");
 * const d = decide(ticket, rules, { direction: "in", at, timeZone: "Europe/Paris" });
 * // d.accepted === true, d.reason === "ACCEPTED", d.next.inside === true, d.next.passes === 1
 * show(d.accepted, reasonMessage(d.reason)); // "Entrée autorisée"
 * store(d.next);
 */
export function decide(
  ticket: TicketSnapshot | undefined,
  rules: PerformanceRules,
  scan: ScanInput,
  controlledPerformanceIds?: ReadonlySet<string>,
): Decision {
  const at = scan.at;
  if (!Number.isFinite(at)) throw new RangeError(`decide: scan.at must be finite epoch ms (got ${at})`);
  if (!ticket) return refuse(undefined, "UNKNOWN_TICKET");
  // One never keeps people in: a ticket inside leaves even if it was cancelled or re-issued since.
  if (
    rules.mode === "inOut" &&
    scan.direction === "out" &&
    ticket.inside &&
    ticket.performanceId === rules.performanceId
  ) {
    return leave(ticket, at);
  }
  if (ticket.state === "cancelled") return refuse(ticket, "CANCELLED");
  if (ticket.state === "duplicated") return refuse(ticket, "DUPLICATED");
  if (
    ticket.performanceId !== rules.performanceId ||
    (controlledPerformanceIds !== undefined && !controlledPerformanceIds.has(ticket.performanceId))
  ) {
    return refuse(ticket, "OTHER_PERFORMANCE");
  }

  const mode = rules.mode;
  if (mode === "inOut" && scan.direction === "out") return leave(ticket, at);

  if (at < rules.validFrom) return refuse(ticket, "TOO_EARLY");
  if (at > rules.validUntil) return refuse(ticket, "TOO_LATE");
  // "Si le billet est déjà entré, le message standard sera affiché": a ticket already in (single:
  // used; inOut: inside) gets its mode's verdict, itself a refusal. In multi every pass comes
  // from outside, so an excluded category is always refused.
  if (
    ticket.category !== undefined &&
    rules.excludedCategories.length > 0 &&
    rules.excludedCategories.includes(ticket.category) &&
    !(mode === "single" ? ticket.passes > 0 : mode === "inOut" && ticket.inside)
  ) {
    return refuse(ticket, "FILTERED");
  }

  switch (mode) {
    case "single":
      return ticket.passes > 0 ? refuse(ticket, "ALREADY_USED") : enter(ticket, scan, false);
    case "inOut":
      return ticket.inside ? refuse(ticket, "ALREADY_INSIDE") : enter(ticket, scan, true);
    case "multi": {
      if (rules.maxPasses !== undefined && ticket.passes >= rules.maxPasses) {
        return refuse(ticket, "NO_PASSES_LEFT");
      }
      if (rules.maxPassesPerDay !== undefined) {
        const today = ticket.passesByDay[dayKey(at, scan.timeZone)] ?? 0;
        if (today >= rules.maxPassesPerDay) return refuse(ticket, "NO_PASSES_LEFT_TODAY");
      }
      return enter(ticket, scan, false);
    }
  }
}

/**
 * An exit in inOut, at any time, whatever the category: one never keeps people in. Leaving while
 * outside opens the door too, but is an anomaly, and the ticket stays outside.
 */
function leave(ticket: TicketSnapshot, at: number): Decision {
  if (!ticket.inside) return { accepted: true, reason: "EXIT_WHILE_OUTSIDE", anomaly: true, next: ticket };
  const next = copy(ticket);
  next.inside = false;
  next.lastScanAt = at;
  return { accepted: true, reason: "EXIT", anomaly: false, next };
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
