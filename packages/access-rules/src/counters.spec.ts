import { applyScans, countersDelta } from "./counters";
import { decide } from "./decide";
import type { PerformanceRules, ScanInput, TicketSnapshot } from "./types";

const T0 = Date.parse("2026-04-06T17:00:00Z");
const ticket: TicketSnapshot = {
  performanceId: "p1",
  barcode: "B1",
  state: "valid",
  passes: 0,
  passesByDay: {},
  inside: false,
};
const rules = (mode: PerformanceRules["mode"]): PerformanceRules => ({
  performanceId: "p1",
  mode,
  maxPasses: 3,
  excludedCategories: [],
  validFrom: T0 - 3600_000,
  validUntil: T0 + 3600_000,
});
const scan = (direction: ScanInput["direction"], dt = 0): ScanInput => ({
  direction,
  at: T0 + dt,
  timeZone: "Europe/Paris",
});
const none = { admitted: 0, inside: 0, refused: 0, anomalies: 0 };

describe("countersDelta", () => {
  it("single: a first entry is admitted, a second one refused; nobody counts as inside", () => {
    const { decisions } = applyScans(ticket, rules("single"), [scan("in"), scan("in", 1)]);
    expect(countersDelta(ticket, decisions[0])).toEqual({ ...none, admitted: 1 });
    expect(countersDelta(decisions[0].next, decisions[1])).toEqual({ ...none, refused: 1 });
  });

  it("inOut: entry, exit, re-entry move `inside`; only the first entry is an admission", () => {
    const { decisions } = applyScans(ticket, rules("inOut"), [scan("in"), scan("out", 1), scan("in", 2)]);
    const befores = [ticket, decisions[0].next, decisions[1].next];
    expect(decisions.map((d, i) => countersDelta(befores[i], d))).toEqual([
      { ...none, admitted: 1, inside: 1 },
      { ...none, inside: -1 },
      { ...none, inside: 1 },
    ]);
  });

  it("inOut: an exit while outside is an anomaly, not a refusal", () => {
    const d = decide(ticket, rules("inOut"), scan("out"));
    expect(countersDelta(ticket, d)).toEqual({ ...none, anomalies: 1 });
  });

  it("multi: only the first pass is an admission", () => {
    const { decisions } = applyScans(ticket, rules("multi"), [scan("in"), scan("in", 1)]);
    expect(countersDelta(decisions[0].next, decisions[1])).toEqual(none);
  });

  it("an unknown ticket is a refusal", () => {
    expect(countersDelta(undefined, decide(undefined, rules("single"), scan("in")))).toEqual({
      ...none,
      refused: 1,
    });
  });

  it("the three-argument form (before, after, decision) agrees with the two-argument one", () => {
    const d = decide(ticket, rules("inOut"), scan("in"));
    expect(countersDelta(ticket, d.next, d)).toEqual(countersDelta(ticket, d));
    expect(countersDelta(ticket, structuredClone(d.next), d)).toEqual({ ...none, admitted: 1, inside: 1 });
  });
});

describe("applyScans", () => {
  it("an empty sequence leaves the ticket as it was", () => {
    expect(applyScans(ticket, rules("single"), [])).toEqual({ ticket, decisions: [] });
  });

  it("passes the controlled performances to every decision", () => {
    const { decisions } = applyScans(ticket, rules("multi"), [scan("in"), scan("in", 1)], new Set(["p2"]));
    expect(decisions.map((d) => d.reason)).toEqual(["OTHER_PERFORMANCE", "OTHER_PERFORMANCE"]);
  });
});
