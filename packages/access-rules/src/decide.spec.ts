import { applyScans, countersDelta } from "./counters";
import { dayKey } from "./day-key";
import { decide } from "./decide";
import { REASONS, reasonMessage } from "./reasons";
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
  it.each<[string, TicketSnapshot | undefined, Partial<PerformanceRules>, Partial<ScanInput>, string]>([
    ["unknown", undefined, {}, {}, "UNKNOWN_TICKET"],
    [
      "cancelled beats everything else",
      ticket({ state: "cancelled", performanceId: "p2" }),
      {},
      {},
      "CANCELLED",
    ],
    ["duplicated", ticket({ state: "duplicated" }), {}, { at: T0 - 10 * HOUR }, "DUPLICATED"],
    ["another performance", ticket({ performanceId: "p2" }), {}, { at: T0 - 10 * HOUR }, "OTHER_PERFORMANCE"],
    [
      "too early beats the filter",
      ticket({ category: "Invitation" }),
      { excludedCategories: ["Invitation"] },
      { at: T0 - 3 * HOUR },
      "TOO_EARLY",
    ],
    ["too late", ticket(), {}, { at: T0 + 5 * HOUR }, "TOO_LATE"],
    ["filtered", ticket({ category: "Invitation" }), { excludedCategories: ["Invitation"] }, {}, "FILTERED"],
    ["already used", ticket({ passes: 1 }), {}, {}, "ALREADY_USED"],
  ])("%s", (_case, t, r, s, reason) => {
    expect(decide(t, rules(r), scan(s)).reason).toBe(reason);
  });

  it("a ticket of an imported performance not controlled now belongs to another performance", () => {
    expect(decide(ticket(), rules(), scan(), new Set(["p9"])).reason).toBe("OTHER_PERFORMANCE");
    expect(decide(ticket(), rules(), scan(), new Set(["p1", "p9"])).reason).toBe("ACCEPTED");
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

  it("without a daily limit, only the total counts", () => {
    const r = rules({ mode: "multi", maxPasses: 2 });
    const { decisions } = applyScans(ticket(), r, [scan(), scan({ at: T0 + 1 }), scan({ at: T0 + 2 })]);
    expect(decisions.map((d) => d.reason)).toEqual(["ACCEPTED", "ACCEPTED", "NO_PASSES_LEFT"]);
  });
});

describe("days, messages, inputs", () => {
  it("days across a DST change, and unknown time zones count as UTC", () => {
    expect(dayKey(Date.parse("2026-03-29T00:30:00Z"), "Europe/Paris")).toBe("2026-03-29");
    expect(dayKey(Date.parse("2026-10-24T22:30:00Z"), "Europe/Paris")).toBe("2026-10-25");
    expect(dayKey(Date.parse("2026-04-06T23:30:00Z"), "Not/AZone")).toBe("2026-04-06");
  });

  it("every reason has a French and an English message", () => {
    for (const reason of REASONS) {
      expect(reasonMessage(reason)).toMatch(/\S/);
      expect(reasonMessage(reason, "en")).toMatch(/\S/);
    }
    expect(reasonMessage("FILTERED")).toBe("Billet filtré");
  });

  it("never mutates its input", () => {
    const t = Object.freeze(ticket({ passesByDay: Object.freeze({}) }));
    expect(() => decide(t, rules({ mode: "multi", maxPasses: 2 }), scan())).not.toThrow();
    expect(t.passes).toBe(0);
  });
});

describe("dayKey agrees with Intl on every quarter hour of a year, in several zones", () => {
  it.each([
    "Europe/Paris",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "Pacific/Chatham",
    "UTC",
  ])("%s", (zone) => {
    const reference = new Intl.DateTimeFormat("en-CA", {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    const start = Date.parse("2026-01-01T00:00:00Z");
    for (let at = start; at < start + 366 * 86_400_000; at += 900_000 + 7_919) {
      expect(dayKey(at, zone)).toBe(reference.format(at));
    }
  });
});
