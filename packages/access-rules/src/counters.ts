import type { Decision } from "./decide";
import { decide } from "./decide";
import type { PerformanceRules, ScanInput, TicketSnapshot } from "./types";

/** How a performance's live counters move for one decision: increments, possibly negative for `inside`. */
export interface CountersDelta {
  /** Tickets admitted at least once (the gauge's numerator): moves on a ticket's first entry only. */
  admitted: number;
  /** inOut: people on the inside (+1 on an entry, -1 on an exit). Stays 0 in single and multi. */
  inside: number;
  /** Refused scans. */
  refused: number;
  /** Anomalies: exits while outside. */
  anomalies: number;
}

/**
 * The counters' increments for a decision taken on `before`, so the server and the scanner count
 * alike. `after` defaults to `decision.next`; the three-argument form is for a caller that holds
 * the state it actually stored (it must be `decision.next` or an equal copy).
 *
 * @example
 * const d = decide(before, rules, scan);
 * const inc = countersDelta(before, d); // { admitted: 1, inside: 1, refused: 0, anomalies: 0 }
 * await performances.updateOne({ _id }, { $inc: { admittedCount: inc.admitted, insideCount: inc.inside } });
 */
export function countersDelta(before: TicketSnapshot | undefined, decision: Decision): CountersDelta;
export function countersDelta(
  before: TicketSnapshot | undefined,
  after: TicketSnapshot | undefined,
  decision: Decision,
): CountersDelta;
export function countersDelta(
  before: TicketSnapshot | undefined,
  afterOrDecision: TicketSnapshot | Decision | undefined,
  maybeDecision?: Decision,
): CountersDelta {
  const decision = maybeDecision ?? (afterOrDecision as Decision);
  const after = maybeDecision ? (afterOrDecision as TicketSnapshot | undefined) : decision.next;
  const wasIn = before !== undefined && before.passes > 0;
  const isIn = after !== undefined && after.passes > 0;
  return {
    admitted: Number(isIn) - Number(wasIn),
    inside: Number(after?.inside === true) - Number(before?.inside === true),
    refused: decision.accepted ? 0 : 1,
    anomalies: decision.anomaly ? 1 : 0,
  };
}

/**
 * Decides a sequence of scans of one ticket, each on the state the previous one left: what a
 * device that scanned offline, or the gateway receiving its batch, does.
 *
 * @example
 * const { ticket: last, decisions } = applyScans(ticket, rules, [
 *   { direction: "in", at: t, timeZone: "Europe/Paris" },
 *   { direction: "in", at: t + 60_000, timeZone: "Europe/Paris" },
 * ]);
 * decisions.map((d) => d.reason); // ["ACCEPTED", "ALREADY_USED"] in single mode
 */
export function applyScans(
  ticket: TicketSnapshot | undefined,
  rules: PerformanceRules,
  scans: readonly ScanInput[],
  controlledPerformanceIds?: ReadonlySet<string>,
): { ticket: TicketSnapshot | undefined; decisions: Decision[] } {
  const decisions: Decision[] = [];
  let current = ticket;
  for (const scan of scans) {
    const decision = decide(current, rules, scan, controlledPerformanceIds);
    decisions.push(decision);
    current = decision.next;
  }
  return { ticket: current, decisions };
}
