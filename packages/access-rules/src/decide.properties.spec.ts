import fc from "fast-check";
import { applyScans, countersDelta } from "./counters";
import { decide } from "./decide";
import type { PerformanceRules, ScanInput, TicketSnapshot } from "./types";

const T0 = Date.parse("2026-04-06T08:00:00Z");
const DAY = 24 * 3600_000;

const arbRules: fc.Arbitrary<PerformanceRules> = fc
  .record({
    mode: fc.constantFrom("single" as const, "inOut" as const, "multi" as const),
    maxPasses: fc.integer({ min: 1, max: 6 }),
    maxPassesPerDay: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    excludedCategories: fc.subarray(["A", "B", "C"]),
    spanDays: fc.integer({ min: 0, max: 4 }),
  })
  .map(({ spanDays, ...r }) => ({
    performanceId: "p1",
    ...r,
    validFrom: T0,
    validUntil: T0 + spanDays * DAY + DAY / 2,
  }));

const arbTicket: fc.Arbitrary<TicketSnapshot> = fc.record({
  performanceId: fc.constantFrom("p1", "p1", "p1", "p2"),
  barcode: fc.constant("B"),
  state: fc.constantFrom(
    "valid" as const,
    "valid" as const,
    "valid" as const,
    "cancelled" as const,
    "duplicated" as const,
  ),
  category: fc.constantFrom("A", "B", "C", "D"),
  passes: fc.constant(0),
  passesByDay: fc.constant({}),
  inside: fc.constant(false),
});

/** Scans in time order, as a device makes them. */
const arbScans: fc.Arbitrary<ScanInput[]> = fc
  .array(
    fc.record({
      direction: fc.constantFrom("in" as const, "out" as const),
      gap: fc.integer({ min: 0, max: DAY / 3 }),
      timeZone: fc.constantFrom("Europe/Paris", "UTC", "America/Guadeloupe", "Pacific/Noumea"),
    }),
    { maxLength: 30 },
  )
  .map((steps) => {
    let at = T0 - DAY / 4;
    return steps.map(({ gap, ...s }) => {
      at += gap;
      return { ...s, at };
    });
  });

const runs = { numRuns: 300 };

describe("properties of the decision", () => {
  it("the final state is the same however the scans are split into batches", () => {
    fc.assert(
      fc.property(
        arbTicket,
        arbRules,
        arbScans,
        fc.array(fc.nat(), { maxLength: 5 }),
        (ticket, rules, scans, cuts) => {
          const whole = applyScans(ticket, rules, scans).ticket;
          const points = [...new Set(cuts.map((c) => c % (scans.length + 1)))].sort((a, b) => a - b);
          let state: TicketSnapshot | undefined = ticket;
          let from = 0;
          for (const to of [...points, scans.length]) {
            state = applyScans(state, rules, scans.slice(from, to)).ticket;
            from = to;
          }
          expect(state).toEqual(whole);
        },
      ),
      runs,
    );
  });

  it("counters never go negative and admissions never exceed one per ticket", () => {
    fc.assert(
      fc.property(arbTicket, arbRules, arbScans, (ticket, rules, scans) => {
        const totals = { admitted: 0, inside: 0, refused: 0, anomalies: 0 };
        let state: TicketSnapshot | undefined = ticket;
        for (const scan of scans) {
          const decision = decide(state, rules, scan);
          const delta = countersDelta(state, decision);
          for (const key of Object.keys(totals) as (keyof typeof totals)[]) {
            totals[key] += delta[key];
            expect(totals[key]).toBeGreaterThanOrEqual(0);
          }
          state = decision.next;
        }
        expect(totals.admitted).toBeLessThanOrEqual(1);
        expect(totals.inside).toBeLessThanOrEqual(1);
      }),
      runs,
    );
  });

  it("in inOut, an accepted entry always leaves the ticket inside, an exit outside", () => {
    fc.assert(
      fc.property(arbTicket, arbRules, arbScans, (ticket, rules, scans) => {
        const inOut = { ...rules, mode: "inOut" as const };
        const { decisions } = applyScans(ticket, inOut, scans);
        for (const d of decisions) {
          if (d.reason === "ACCEPTED") expect(d.next?.inside).toBe(true);
          if (d.reason === "EXIT") expect(d.next?.inside).toBe(false);
        }
      }),
      runs,
    );
  });

  it("a refused scan never changes the ticket, and passes respect the limits", () => {
    fc.assert(
      fc.property(arbTicket, arbRules, arbScans, (ticket, rules, scans) => {
        let state: TicketSnapshot | undefined = ticket;
        for (const scan of scans) {
          const d = decide(state, rules, scan);
          if (!d.accepted) expect(d.next).toBe(state);
          state = d.next;
        }
        if (rules.mode === "single") expect(state?.passes ?? 0).toBeLessThanOrEqual(1);
        if (rules.mode === "multi") {
          expect(state?.passes ?? 0).toBeLessThanOrEqual(rules.maxPasses ?? 1);
          for (const n of Object.values(state?.passesByDay ?? {})) {
            expect(n).toBeLessThanOrEqual(rules.maxPassesPerDay ?? Number.POSITIVE_INFINITY);
          }
        }
      }),
      runs,
    );
  });

  it("is deterministic, and only valid tickets of the performance are ever accepted", () => {
    fc.assert(
      fc.property(arbTicket, arbRules, arbScans, (ticket, rules, scans) => {
        const a = applyScans(ticket, rules, scans);
        const b = applyScans(structuredClone(ticket), rules, scans);
        expect(b).toEqual(a);
        if (ticket.state !== "valid" || ticket.performanceId !== rules.performanceId) {
          expect(a.decisions.every((d) => !d.accepted)).toBe(true);
        }
      }),
      runs,
    );
  });
});
