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

const arbFreshTicket: fc.Arbitrary<TicketSnapshot> = fc.record({
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

/** A ticket as some earlier scans left it (under some rules): any state the doors can reach. */
const arbTicket: fc.Arbitrary<TicketSnapshot> = fc
  .tuple(arbFreshTicket, fc.boolean(), fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 6 }))
  .map(([fresh, scanned, days]) => {
    if (!scanned || fresh.state !== "valid") return fresh;
    const passesByDay: Record<string, number> = {};
    for (const [i, n] of days.entries()) if (n > 0) passesByDay[`2026-04-0${i + 1}`] = n;
    const passes = Object.values(passesByDay).reduce((a, b) => a + b, 0);
    return { ...fresh, passes, passesByDay, inside: passes > 0 && days.length % 2 === 0 };
  });

const arbControlled = fc.option(
  fc.subarray(["p1", "p2", "p3"]).map((ids) => new Set(ids)),
  {
    nil: undefined,
  },
);

const runs = { numRuns: 300 };

describe("properties of the decision", () => {
  it("the final state is the same however the scans are split into batches", () => {
    fc.assert(
      fc.property(
        arbTicket,
        arbRules,
        fc.oneof(
          arbScans,
          arbScans.chain((s) => fc.shuffledSubarray(s, { minLength: s.length })),
        ),
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

  it("the counters' moves add up to the difference between the first and the last state", () => {
    fc.assert(
      fc.property(arbTicket, arbRules, arbScans, arbControlled, (ticket, rules, scans, controlled) => {
        const totals = { admitted: 0, inside: 0, refused: 0, anomalies: 0 };
        let state: TicketSnapshot | undefined = ticket;
        const { decisions, ticket: last } = applyScans(ticket, rules, scans, controlled);
        for (const decision of decisions) {
          const delta = countersDelta(state, decision);
          for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += delta[key];
          state = decision.next;
        }
        expect(totals).toEqual({
          admitted: Number((last?.passes ?? 0) > 0) - Number(ticket.passes > 0),
          inside: Number(last?.inside ?? false) - Number(ticket.inside),
          refused: decisions.filter((d) => !d.accepted).length,
          anomalies: decisions.filter((d) => d.reason === "EXIT_WHILE_OUTSIDE").length,
        });
      }),
      runs,
    );
  });

  it("passes never go down, and always equal the sum of the passes per day", () => {
    fc.assert(
      fc.property(arbTicket, arbRules, arbScans, (ticket, rules, scans) => {
        let state: TicketSnapshot | undefined = ticket;
        for (const decision of applyScans(ticket, rules, scans).decisions) {
          const next = decision.next as TicketSnapshot;
          expect(next.passes).toBeGreaterThanOrEqual(state?.passes ?? 0);
          expect(Object.values(next.passesByDay).reduce((a, b) => a + b, 0)).toBe(next.passes);
          state = next;
        }
      }),
      runs,
    );
  });

  it("counters never go negative and admissions never exceed one per ticket", () => {
    fc.assert(
      fc.property(arbTicket, arbRules, arbScans, (ticket, rules, scans) => {
        const fresh = { ...ticket, passes: 0, passesByDay: {}, inside: false };
        const totals = { admitted: 0, inside: 0, refused: 0, anomalies: 0 };
        let state: TicketSnapshot | undefined = fresh;
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
        for (const [i, d] of decisions.entries()) {
          if (d.reason === "ACCEPTED") {
            expect(d.next?.inside).toBe(true);
            // ... so the next entry, whenever it comes, is refused until an exit.
            const again = decide(d.next, inOut, { ...scans[i], direction: "in" });
            expect(again.reason).toBe("ALREADY_INSIDE");
          }
          if (d.reason === "EXIT") expect(d.next?.inside).toBe(false);
          if (d.reason === "EXIT_WHILE_OUTSIDE") expect(d).toMatchObject({ accepted: true, anomaly: true });
          if (d.accepted && scans[i].direction === "out") expect(d.next?.inside).toBe(false);
        }
      }),
      runs,
    );
  });

  it("a refused scan never changes the ticket, and passes respect the limits", () => {
    fc.assert(
      fc.property(arbFreshTicket, arbRules, arbScans, arbControlled, (ticket, rules, scans, controlled) => {
        let state: TicketSnapshot | undefined = ticket;
        for (const scan of scans) {
          const before = structuredClone(state);
          const d = decide(state, rules, scan, controlled);
          expect(state).toEqual(before); // never mutated either
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
        const b = applyScans(JSON.parse(JSON.stringify(ticket)), JSON.parse(JSON.stringify(rules)), scans);
        expect(b).toEqual(a);
        if (ticket.state !== "valid" || ticket.performanceId !== rules.performanceId) {
          expect(a.decisions.every((d) => !d.accepted)).toBe(true);
        }
        for (const [i, d] of a.decisions.entries()) {
          const enters = rules.mode !== "inOut" || scans[i].direction === "in";
          if (d.accepted && enters) {
            expect(scans[i].at).toBeGreaterThanOrEqual(rules.validFrom);
            expect(scans[i].at).toBeLessThanOrEqual(rules.validUntil);
          }
        }
      }),
      runs,
    );
  });
});
