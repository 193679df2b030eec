import { dayKey } from "./day-key";

const HOUR = 3600_000;
const at = (iso: string) => Date.parse(iso);

describe("dayKey: the calendar day on the device's wall clock", () => {
  it.each<[string, string, string, string]>([
    ["Paris summer, 23:59:59.999 local", "2026-06-10T21:59:59.999Z", "Europe/Paris", "2026-06-10"],
    ["Paris summer, 00:00 local", "2026-06-10T22:00:00.000Z", "Europe/Paris", "2026-06-11"],
    ["Paris winter, 00:00 local", "2026-01-10T23:00:00.000Z", "Europe/Paris", "2026-01-11"],
    ["the same instant in UTC", "2026-06-10T22:00:00.000Z", "UTC", "2026-06-10"],
    [
      "New York, evening is still yesterday in UTC terms",
      "2026-06-11T03:00:00Z",
      "America/New_York",
      "2026-06-10",
    ],
    ["Nouméa (UTC+11)", "2026-06-10T13:00:00Z", "Pacific/Noumea", "2026-06-11"],
    ["Kathmandu (UTC+5:45), 00:00 local", "2026-06-10T18:15:00Z", "Asia/Kathmandu", "2026-06-11"],
    ["Kathmandu, one ms before", "2026-06-10T18:14:59.999Z", "Asia/Kathmandu", "2026-06-10"],
    ["an unknown zone counts as UTC", "2026-04-06T23:30:00Z", "Not/AZone", "2026-04-06"],
  ])("%s", (_case, iso, zone, day) => {
    expect(dayKey(at(iso), zone)).toBe(day);
  });

  describe("on the days the clocks change (Paris)", () => {
    // 2026-03-29: 02:00 → 03:00 (a 23-hour day); 2026-10-25: 03:00 → 02:00 (a 25-hour day).
    it.each<[string, string, string]>([
      ["spring: first instant", "2026-03-28T23:00:00.000Z", "2026-03-29"],
      ["spring: last instant of the eve", "2026-03-28T22:59:59.999Z", "2026-03-28"],
      ["spring: just before the jump (01:59 CET)", "2026-03-29T00:59:59.999Z", "2026-03-29"],
      ["spring: just after the jump (03:00 CEST)", "2026-03-29T01:00:00.000Z", "2026-03-29"],
      ["spring: last instant (23:59:59.999 CEST)", "2026-03-29T21:59:59.999Z", "2026-03-29"],
      ["spring: next midnight", "2026-03-29T22:00:00.000Z", "2026-03-30"],
      ["autumn: first instant", "2026-10-24T22:00:00.000Z", "2026-10-25"],
      ["autumn: 02:30 the first time (CEST)", "2026-10-25T00:30:00.000Z", "2026-10-25"],
      ["autumn: 02:30 the second time (CET)", "2026-10-25T01:30:00.000Z", "2026-10-25"],
      ["autumn: last instant (23:59:59.999 CET)", "2026-10-25T22:59:59.999Z", "2026-10-25"],
      ["autumn: next midnight", "2026-10-25T23:00:00.000Z", "2026-10-26"],
    ])("%s", (_case, iso, day) => {
      expect(dayKey(at(iso), "Europe/Paris")).toBe(day);
    });

    it("in any order of calls (the cached span never leaks to a neighbour)", () => {
      const spring = at("2026-03-28T23:00:00Z");
      const order = [25, 0, 24, 1, 23, -1, 2, 22].map((h) => spring + h * HOUR - 1);
      const got = order.map((t) => dayKey(t, "Europe/Paris"));
      const reference = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" });
      expect(got).toEqual(order.map((t) => reference.format(t)));
    });
  });

  it("where midnight does not exist (Santiago: 00:00 → 01:00), the day still starts then", () => {
    // 2026-09-06 in Chile: clocks jump from 00:00 (UTC-4) to 01:00 (UTC-3).
    expect(dayKey(at("2026-09-06T03:59:59.999Z"), "America/Santiago")).toBe("2026-09-05");
    expect(dayKey(at("2026-09-06T04:00:00.000Z"), "America/Santiago")).toBe("2026-09-06");
  });

  it("refuses an instant that is not a number", () => {
    expect(() => dayKey(Number.NaN, "Europe/Paris")).toThrow(RangeError);
  });

  // Every ~quarter hour of a year, in zones with odd offsets and clock changes (at 02:00, at
  // midnight, by half an hour): dayKey must agree with Intl read directly.
  it.each<[string, number]>([
    ["Europe/Paris", 2026],
    ["America/New_York", 2026],
    ["Australia/Lord_Howe", 2026],
    ["Asia/Kolkata", 2026],
    ["Pacific/Chatham", 2026],
    ["America/Santiago", 2026],
    ["America/Havana", 2026],
    ["America/Sao_Paulo", 2018],
    ["UTC", 2026],
  ])("agrees with Intl on every quarter hour of a year: %s %i", (zone, year) => {
    const reference = new Intl.DateTimeFormat("en-CA", { timeZone: zone });
    const start = Date.UTC(year, 0, 1);
    const wrong: string[] = [];
    for (let t = start; t < start + 366 * 24 * HOUR; t += 900_000 + 7_919) {
      for (const probe of [t, t - 7_920]) {
        const expected = reference.format(probe);
        if (dayKey(probe, zone) !== expected) wrong.push(`${new Date(probe).toISOString()} ≠ ${expected}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
