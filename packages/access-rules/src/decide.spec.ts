import { applyScans, countersDelta } from "./counters";
import { decide } from "./decide";
import type { Reason } from "./reasons";
import type { PerformanceRules, ScanInput, TicketSnapshot } from "./types";

const T0 = Date.parse("2026-04-06T17:00:00Z"); // 19:00 in Paris
const HOUR = 3600_000;

const ticket = (patch: Partial<TicketSnapshot> = {}): TicketSnapshot => ({
  performanceId: "p1",
  barcode: "B1",
  state: "valid",
  category: "Plein tarif",
  passes: 0,
  passesByDay: {},
  inside: false,
  ...patch,
});
const rules = (patch: Partial<PerformanceRules> = {}): PerformanceRules => ({
  performanceId: "p1",
  mode: "single",
  excludedCategories: [],
  validFrom: T0 - 2 * HOUR,
  validUntil: T0 + 4 * HOUR,
  ...patch,
});
const scan = (patch: Partial<ScanInput> = {}): ScanInput => ({
  direction: "in",
  at: T0,
  timeZone: "Europe/Paris",
  ...patch,
});

describe("the order of the checks", () => {
  // Each row fails its own check and every later one: the earlier check must win.
  const everythingWrong = {
    ticket: ticket({ category: "Invitation", passes: 1, inside: true, passesByDay: { "2026-04-06": 1 } }),
    rules: rules({ excludedCategories: ["Invitation"] }),
    scan: scan({ at: T0 - 3 * HOUR }),
  };
  it.each<
    [
      Reason,
      TicketSnapshot | undefined,
      Partial<PerformanceRules>,
      Partial<ScanInput>,
      Set<string> | undefined,
    ]
  >([
    ["UNKNOWN_TICKET", undefined, {}, {}, new Set(["p9"])],
    ["CANCELLED", { ...everythingWrong.ticket, state: "cancelled", performanceId: "p2" }, {}, {}, undefined],
    [
      "DUPLICATED",
      { ...everythingWrong.ticket, state: "duplicated", performanceId: "p2" },
      {},
      {},
      undefined,
    ],
    ["OTHER_PERFORMANCE", { ...everythingWrong.ticket, performanceId: "p2" }, {}, {}, undefined],
    ["OTHER_PERFORMANCE", everythingWrong.ticket, {}, {}, new Set(["p9"])],
    ["TOO_EARLY", { ...everythingWrong.ticket, passes: 0, inside: false }, {}, {}, undefined],
    [
      "TOO_LATE",
      { ...everythingWrong.ticket, passes: 0, inside: false },
      {},
      { at: T0 + 5 * HOUR },
      undefined,
    ],
    [
      "FILTERED",
      { ...everythingWrong.ticket, passes: 0, inside: false },
      { mode: "multi", maxPasses: 0 },
      { at: T0 },
      undefined,
    ],
    ["ALREADY_USED", ticket({ passes: 1 }), {}, { at: T0 }, undefined],
  ])("%s", (reason, t, r, s, controlled) => {
    const d = decide(t, { ...everythingWrong.rules, ...r }, { ...everythingWrong.scan, ...s }, controlled);
    expect(d).toEqual({ accepted: false, reason, anomaly: false, next: t });
  });

  it("a ticket of an imported performance not controlled now belongs to another performance", () => {
    expect(decide(ticket(), rules(), scan(), new Set(["p9"])).reason).toBe("OTHER_PERFORMANCE");
    expect(decide(ticket(), rules(), scan(), new Set(["p1", "p9"])).reason).toBe("ACCEPTED");
    expect(decide(ticket(), rules(), scan(), undefined).reason).toBe("ACCEPTED");
  });

  it("a ticket checked against the rules of another performance (not imported) is refused", () => {
    expect(decide(ticket({ performanceId: "p7" }), rules(), scan(), new Set(["p1", "p7"])).reason).toBe(
      "OTHER_PERFORMANCE",
    );
  });

  it("inOut: a ticket cancelled or re-issued while its holder is inside still lets them out, once", () => {
    for (const state of ["cancelled", "duplicated"] as const) {
      const inside = ticket({ state, inside: true, passes: 1 });
      const out = decide(inside, rules({ mode: "inOut" }), scan({ direction: "out" }));
      expect(out).toMatchObject({ accepted: true, reason: "EXIT", next: { inside: false } });
      // Back in, or out again from outside: the state decides.
      const again = out.next as TicketSnapshot;
      expect(decide(again, rules({ mode: "inOut" }), scan()).reason).toBe(state.toUpperCase());
      expect(decide(again, rules({ mode: "inOut" }), scan({ direction: "out" })).reason).toBe(
        state.toUpperCase(),
      );
    }
  });

  it("a cancelled ticket is refused inside the window, and on an exit while outside", () => {
    const cancelled = ticket({ state: "cancelled", inside: false, passes: 1 });
    expect(decide(cancelled, rules({ mode: "inOut" }), scan({ direction: "out" })).reason).toBe("CANCELLED");
    expect(decide(cancelled, rules({ mode: "single" }), scan()).reason).toBe("CANCELLED");
  });

  it("refuses an instant that is not a number, rather than deciding on it", () => {
    expect(() => decide(ticket(), rules(), scan({ at: Number.NaN }))).toThrow(RangeError);
    expect(() => decide(ticket(), rules(), scan({ at: Number.POSITIVE_INFINITY }))).toThrow(/scan\.at/);
  });
});

describe("single pass", () => {
  it("accepts once, whatever the direction, then refuses", () => {
    const first = decide(ticket(), rules(), scan({ direction: "out" }));
    expect(first).toMatchObject({ accepted: true, reason: "ACCEPTED", anomaly: false });
    expect(first.next).toMatchObject({
      passes: 1,
      firstEntryAt: T0,
      inside: false,
      passesByDay: { "2026-04-06": 1 },
    });
    const second = decide(first.next, rules(), scan({ at: T0 + 1000 }));
    expect(second).toMatchObject({ accepted: false, reason: "ALREADY_USED" });
    expect(second.next).toBe(first.next);
  });

  it("the window's edges are inclusive", () => {
    expect(decide(ticket(), rules(), scan({ at: T0 - 2 * HOUR })).accepted).toBe(true);
    expect(decide(ticket(), rules(), scan({ at: T0 + 4 * HOUR })).accepted).toBe(true);
    expect(decide(ticket(), rules(), scan({ at: T0 - 2 * HOUR - 1 })).reason).toBe("TOO_EARLY");
    expect(decide(ticket(), rules(), scan({ at: T0 + 4 * HOUR + 1 })).reason).toBe("TOO_LATE");
  });

  it("a filtered ticket that already entered gets the standard message", () => {
    const r = rules({ excludedCategories: ["Invitation"] });
    expect(decide(ticket({ category: "Invitation", passes: 1 }), r, scan()).reason).toBe("ALREADY_USED");
  });
});

describe("in and out", () => {
  const inOut = rules({ mode: "inOut" });

  it("enters, refuses a second entry, exits, re-enters; re-entry is not a new admission", () => {
    const { decisions, ticket: last } = applyScans(ticket(), inOut, [
      scan(),
      scan({ at: T0 + 1 }),
      scan({ direction: "out", at: T0 + 2 }),
      scan({ at: T0 + 3 }),
    ]);
    expect(decisions.map((d) => d.reason)).toEqual(["ACCEPTED", "ALREADY_INSIDE", "EXIT", "ACCEPTED"]);
    expect(last).toMatchObject({ inside: true, passes: 2, firstEntryAt: T0 });
    expect(countersDelta(ticket(), decisions[0])).toEqual({
      admitted: 1,
      inside: 1,
      refused: 0,
      anomalies: 0,
    });
    expect(countersDelta(decisions[2].next, decisions[3])).toEqual({
      admitted: 0,
      inside: 1,
      refused: 0,
      anomalies: 0,
    });
  });

  it("an exit while outside lets the person out and is an anomaly, the ticket stays outside", () => {
    const d = decide(ticket(), inOut, scan({ direction: "out" }));
    expect(d).toMatchObject({ accepted: true, reason: "EXIT_WHILE_OUTSIDE", anomaly: true });
    expect(d.next).toEqual(ticket());
    expect(countersDelta(ticket(), d)).toEqual({ admitted: 0, inside: 0, refused: 0, anomalies: 1 });
  });

  it("people inside may leave after the window closes; nobody enters then", () => {
    const inside = ticket({ inside: true, passes: 1 });
    expect(decide(inside, inOut, scan({ direction: "out", at: T0 + 9 * HOUR })).reason).toBe("EXIT");
    expect(decide(ticket(), inOut, scan({ at: T0 + 9 * HOUR })).reason).toBe("TOO_LATE");
  });

  it("a filtered ticket inside leaves normally, and is told it is already inside", () => {
    const r = rules({ mode: "inOut", excludedCategories: ["Invitation"] });
    const inside = ticket({ category: "Invitation", inside: true, passes: 1 });
    expect(decide(inside, r, scan({ direction: "out" })).reason).toBe("EXIT");
    expect(decide(inside, r, scan()).reason).toBe("ALREADY_INSIDE");
    expect(decide(ticket({ category: "Invitation" }), r, scan()).reason).toBe("FILTERED");
  });
});

describe("multi pass", () => {
  const multi = rules({ mode: "multi", maxPasses: 3, maxPassesPerDay: 2, validUntil: T0 + 10 * 24 * HOUR });

  it("counts passes a day in the device's time zone, and in total", () => {
    const day1 = [scan({ at: T0 }), scan({ at: T0 + HOUR }), scan({ at: T0 + 2 * HOUR })];
    const day2 = [scan({ at: T0 + 24 * HOUR }), scan({ at: T0 + 48 * HOUR })];
    const { decisions } = applyScans(ticket(), multi, [...day1, ...day2]);
    expect(decisions.map((d) => d.reason)).toEqual([
      "ACCEPTED",
      "ACCEPTED",
      "NO_PASSES_LEFT_TODAY",
      "ACCEPTED",
      "NO_PASSES_LEFT",
    ]);
  });

  it("the day turns at midnight on the device, not in UTC", () => {
    // 23:30 and 00:30 in Paris (summer: UTC+2) are two days; in UTC they are the same day.
    const before = Date.parse("2026-06-10T21:30:00Z");
    const after = Date.parse("2026-06-10T22:30:00Z");
    const r = rules({
      mode: "multi",
      maxPasses: 5,
      maxPassesPerDay: 1,
      validFrom: before - HOUR,
      validUntil: after + HOUR,
    });
    const paris = applyScans(ticket(), r, [scan({ at: before }), scan({ at: after })]);
    expect(paris.decisions.map((d) => d.reason)).toEqual(["ACCEPTED", "ACCEPTED"]);
    const utc = applyScans(ticket(), r, [
      scan({ at: before, timeZone: "UTC" }),
      scan({ at: after, timeZone: "UTC" }),
    ]);
    expect(utc.decisions.map((d) => d.reason)).toEqual(["ACCEPTED", "NO_PASSES_LEFT_TODAY"]);
  });

  it("the last pass of the day is the limit, the next day opens again", () => {
    const r = rules({ mode: "multi", maxPasses: 10, maxPassesPerDay: 1, validUntil: T0 + 3 * 24 * HOUR });
    const lastSecond = Date.parse("2026-04-06T21:59:59.999Z"); // 23:59:59.999 in Paris
    const { decisions } = applyScans(ticket(), r, [
      scan({ at: T0 }),
      scan({ at: lastSecond }),
      scan({ at: lastSecond + 1 }),
    ]);
    expect(decisions.map((d) => d.reason)).toEqual(["ACCEPTED", "NO_PASSES_LEFT_TODAY", "ACCEPTED"]);
  });

  it("an undated period: valid on its first and last instant, not outside", () => {
    const r = rules({
      mode: "multi",
      maxPasses: 10,
      validFrom: Date.parse("2026-03-01T00:00:00Z"),
      validUntil: Date.parse("2026-09-30T22:00:00Z"),
    });
    expect(decide(ticket(), r, scan({ at: r.validFrom })).accepted).toBe(true);
    expect(decide(ticket(), r, scan({ at: r.validUntil })).accepted).toBe(true);
    expect(decide(ticket(), r, scan({ at: r.validUntil + 1 })).reason).toBe("TOO_LATE");
  });

  it("without a total limit, only the daily limit counts", () => {
    const r = rules({ mode: "multi", maxPassesPerDay: 2, validUntil: T0 + 30 * 24 * HOUR });
    const days = Array.from({ length: 20 }, (_, i) => [
      scan({ at: T0 + i * 24 * HOUR }),
      scan({ at: T0 + i * 24 * HOUR + 1 }),
    ]);
    const { decisions, ticket: last } = applyScans(ticket(), r, days.flat());
    expect(decisions.every((d) => d.reason === "ACCEPTED")).toBe(true);
    expect(last?.passes).toBe(40);
  });

  it("the last pass in total is allowed, then no passes left (before the daily check)", () => {
    const r = rules({ mode: "multi", maxPasses: 3, maxPassesPerDay: 1 });
    expect(decide(ticket({ passes: 2 }), r, scan()).next?.passes).toBe(3);
    expect(decide(ticket({ passes: 3, passesByDay: { "2026-04-06": 1 } }), r, scan()).reason).toBe(
      "NO_PASSES_LEFT",
    );
  });

  it("ignores the direction: an 'out' scan is a pass", () => {
    const d = decide(ticket(), rules({ mode: "multi", maxPasses: 2 }), scan({ direction: "out" }));
    expect(d).toMatchObject({ accepted: true, reason: "ACCEPTED", next: { passes: 1, inside: false } });
  });

  describe("midnight on the days the clocks change", () => {
    const daily = (from: string, to: string) =>
      rules({
        mode: "multi",
        maxPasses: 99,
        maxPassesPerDay: 1,
        validFrom: Date.parse(from),
        validUntil: Date.parse(to),
      });

    it.each<[string, string, string, string, string]>([
      // zone, day (local), its last instant, its first instant, the next day's first instant
      [
        "Europe/Paris",
        "2026-03-29 (23 h)",
        "2026-03-28T23:00:00.000Z",
        "2026-03-29T21:59:59.999Z",
        "2026-03-29T22:00:00.000Z",
      ],
      [
        "Europe/Paris",
        "2026-10-25 (25 h)",
        "2026-10-24T22:00:00.000Z",
        "2026-10-25T22:59:59.999Z",
        "2026-10-25T23:00:00.000Z",
      ],
      [
        "America/New_York",
        "2026-03-08 (23 h)",
        "2026-03-08T05:00:00.000Z",
        "2026-03-09T03:59:59.999Z",
        "2026-03-09T04:00:00.000Z",
      ],
      [
        "America/New_York",
        "2026-11-01 (25 h)",
        "2026-11-01T04:00:00.000Z",
        "2026-11-02T04:59:59.999Z",
        "2026-11-02T05:00:00.000Z",
      ],
    ])("%s %s: one pass a day from its first to its last instant", (zone, _day, first, last, next) => {
      const r = daily("2026-01-01T00:00:00Z", "2026-12-31T23:59:59Z");
      const at = (iso: string) => ({ direction: "in" as const, at: Date.parse(iso), timeZone: zone });
      const { decisions } = applyScans(ticket(), r, [
        at(first),
        at(last),
        { ...at(first), at: Date.parse(first) - 1 }, // the eve: out of order, still its own day
        at(next),
      ]);
      expect(decisions.map((d) => d.reason)).toEqual([
        "ACCEPTED",
        "NO_PASSES_LEFT_TODAY",
        "ACCEPTED",
        "ACCEPTED",
      ]);
    });
  });

  it("days are the device's: the same instants from a device in UTC count differently", () => {
    const r = rules({ mode: "multi", maxPasses: 9, maxPassesPerDay: 1, validUntil: T0 + 48 * HOUR });
    const lateParis = Date.parse("2026-04-06T21:30:00Z"); // 23:30 Paris, 21:30 UTC
    const earlyParis = Date.parse("2026-04-06T22:30:00Z"); // 00:30 Paris the next day, 22:30 UTC
    const ticketAfterOne = decide(ticket(), r, scan({ at: lateParis })).next;
    expect(ticketAfterOne?.passesByDay).toEqual({ "2026-04-06": 1 });
    expect(decide(ticketAfterOne, r, scan({ at: earlyParis })).reason).toBe("ACCEPTED");
    expect(decide(ticketAfterOne, r, scan({ at: earlyParis, timeZone: "UTC" })).reason).toBe(
      "NO_PASSES_LEFT_TODAY",
    );
  });

  it("without a daily limit, only the total counts", () => {
    const r = rules({ mode: "multi", maxPasses: 2 });
    const { decisions } = applyScans(ticket(), r, [scan(), scan({ at: T0 + 1 }), scan({ at: T0 + 2 })]);
    expect(decisions.map((d) => d.reason)).toEqual(["ACCEPTED", "ACCEPTED", "NO_PASSES_LEFT"]);
  });
});

describe("category filters", () => {
  const excluded = { excludedCategories: ["Invitation", "Exonéré"] };
  // [case, verdict, door opens, mode, ticket, scan]
  it.each<[string, Reason, boolean, Partial<PerformanceRules>, Partial<TicketSnapshot>, Partial<ScanInput>]>([
    ["single, never used", "FILTERED", false, { mode: "single" }, {}, {}],
    [
      "single, already used: the standard message",
      "ALREADY_USED",
      false,
      { mode: "single" },
      { passes: 1 },
      {},
    ],
    ["single, 'out' is an entry too", "FILTERED", false, { mode: "single" }, {}, { direction: "out" }],
    ["inOut, entering from outside", "FILTERED", false, { mode: "inOut" }, {}, {}],
    ["inOut, re-entering after an exit", "FILTERED", false, { mode: "inOut" }, { passes: 1 }, {}],
    [
      "inOut, entering while inside: the standard message",
      "ALREADY_INSIDE",
      false,
      { mode: "inOut" },
      { passes: 1, inside: true },
      {},
    ],
    [
      "inOut, leaving from inside: a plain exit",
      "EXIT",
      true,
      { mode: "inOut" },
      { passes: 1, inside: true },
      { direction: "out" },
    ],
    [
      "inOut, leaving while outside: the usual anomaly",
      "EXIT_WHILE_OUTSIDE",
      true,
      { mode: "inOut" },
      {},
      { direction: "out" },
    ],
    ["multi, first pass", "FILTERED", false, { mode: "multi", maxPasses: 5 }, {}, {}],
    ["multi, every later pass too", "FILTERED", false, { mode: "multi", maxPasses: 5 }, { passes: 2 }, {}],
  ])("%s → %s", (_case, reason, accepted, r, t, s) => {
    const before = ticket({ category: "Invitation", ...t });
    const d = decide(before, rules({ ...excluded, ...r }), scan(s));
    expect(d).toMatchObject({ reason, accepted });
  });

  it("matches the category exactly; a ticket without a category is never filtered", () => {
    const r = rules(excluded);
    expect(decide(ticket({ category: "invitation" }), r, scan()).reason).toBe("ACCEPTED");
    expect(decide(ticket({ category: undefined }), r, scan()).reason).toBe("ACCEPTED");
    expect(decide(ticket({ category: "Exonéré" }), r, scan()).reason).toBe("FILTERED");
  });
});

describe("inputs are never mutated", () => {
  it.each<[string, Partial<PerformanceRules>, Partial<TicketSnapshot>, Partial<ScanInput>]>([
    ["single entry", {}, {}, {}],
    ["inOut entry", { mode: "inOut" }, {}, {}],
    ["inOut exit", { mode: "inOut" }, { inside: true, passes: 1 }, { direction: "out" }],
    [
      "multi pass",
      { mode: "multi", maxPasses: 3, maxPassesPerDay: 2 },
      { passes: 1, passesByDay: { "2026-04-06": 1 } },
      {},
    ],
  ])("%s", (_case, r, t, s) => {
    const before = ticket(t);
    const copy = structuredClone(before);
    const frozen = Object.freeze({ ...before, passesByDay: Object.freeze({ ...before.passesByDay }) });
    const d = decide(frozen, Object.freeze(rules(r)), Object.freeze(scan(s)));
    expect(d.accepted).toBe(true);
    expect(d.next).not.toBe(frozen);
    expect(frozen).toEqual(copy);
  });

  it("keeps whatever else the caller stores on its snapshot", () => {
    const withExtra = { ...ticket(), holderName: "Mme Martin" } as TicketSnapshot;
    expect(decide(withExtra, rules(), scan()).next).toMatchObject({ holderName: "Mme Martin", passes: 1 });
  });

  it("is JSON-serialisable, and decides the same on a JSON round trip", () => {
    const d = decide(ticket(), rules({ mode: "multi", maxPasses: 2 }), scan());
    const roundTrip = JSON.parse(JSON.stringify(d));
    expect(roundTrip).toEqual(d);
    expect(
      decide(roundTrip.next, rules({ mode: "multi", maxPasses: 2 }), scan({ at: T0 + 1 })),
    ).toMatchObject({
      reason: "ACCEPTED",
      next: { passes: 2, passesByDay: { "2026-04-06": 2 } },
    });
  });
});
