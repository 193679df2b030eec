import { describe, expect, it } from "@jest/globals";
import { formatParisLocal, parisLocalToIso, parseParisLocal } from "./paris-time";

const intl = new Intl.DateTimeFormat("sv-SE", {
  timeZone: "Europe/Paris",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

describe("Paris time", () => {
  it("formats like the tz database, every 37 minutes across 2024-2027 and around each change", () => {
    const instants: number[] = [];
    for (let t = Date.parse("2024-01-01T00:00:00Z"); t < Date.parse("2028-01-01T00:00:00Z"); t += 37 * 60_000)
      instants.push(t);
    for (const change of ["2024-03-31", "2024-10-27", "2025-03-30", "2025-10-26", "2026-03-29", "2026-10-25"])
      for (const delta of [-1000, 0, 1000]) instants.push(Date.parse(`${change}T01:00:00Z`) + delta);
    const wrong = instants
      .map((t) => new Date(t))
      .filter((d) => formatParisLocal(d) !== intl.format(d))
      .map((d) => d.toISOString());
    expect(wrong).toEqual([]);
  });

  it.each([
    ["2026-01-20 20:00:00", "2026-01-20T20:00:00+01:00"],
    ["2026-07-14 22:30:00", "2026-07-14T22:30:00+02:00"],
    ["2026-03-29 01:59:59", "2026-03-29T01:59:59+01:00"],
    ["2026-03-29 03:00:00", "2026-03-29T03:00:00+02:00"],
    // In the spring gap: read with the winter offset, so it is 03:30 summer time.
    ["2026-03-29 02:30:00", "2026-03-29T03:30:00+02:00"],
    // Twice in autumn: the earlier (summer) one.
    ["2026-10-25 02:30:00", "2026-10-25T02:30:00+02:00"],
    ["2026-10-25 03:00:00", "2026-10-25T03:00:00+01:00"],
    ["2026-12-31 23:59:59", "2026-12-31T23:59:59+01:00"],
  ])("converts %s to %s", (local, iso) => {
    expect(parisLocalToIso(local)).toBe(iso);
    expect(new Date(iso).getTime()).toBe(parseParisLocal(local)?.getTime());
  });

  it.each([
    "2026-02-30 10:00:00",
    "2026-06-15T10:00:00",
    "2026-06-15 24:00:00",
    "2026-06-15 10:60:00",
    "",
    "hier",
  ])("refuses %j", (text) => {
    expect(parseParisLocal(text)).toBeUndefined();
    expect(parisLocalToIso(text)).toBeUndefined();
  });
});
