import type { Decision } from "./decide";
import { decide } from "./decide";
import type { PerformanceRules, ScanInput, TicketSnapshot } from "./types";

/** How a performance's live counters move for one decision. */
export interface CountersDelta {
  /** Tickets admitted at least once (the gauge's numerator): moves on a first entry only. */
  admitted: number;
  /** inOut: tickets on the inside. */
  inside: number;
  refused: number;
  anomalies: number;
}

/** The counters' increments for a decision taken on `before`: the server and the scanner count alike. */
export function countersDelta(before: TicketSnapshot | undefined, decision: Decision): CountersDelta {
  const after = decision.next;
  return {
    admitted: decision.reason === "ACCEPTED" && before !== undefined && before.passes === 0 ? 1 : 0,
    inside: before && after ? Number(after.inside) - Number(before.inside) : 0,
    refused: decision.accepted ? 0 : 1,
    anomalies: decision.anomaly ? 1 : 0,
  };
}

/** Decides a sequence of scans of one ticket, each on the state the previous one left. */
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
