import { describe, expect, it } from "@jest/globals";
import {
  formatParisIso,
  formatParisLocal,
  parisOffsetMinutes,
  parisToIso,
  parisWallTimeToUtc,
  parseParisTime,
} from "./paris-time";

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
    ["2025-10-25T20:30:00", "2025-10-25T20:30:00+02:00"],
    ["2025-10-26T01:30:00", "2025-10-26T01:30:00+02:00"],
    // 02:30 happens twice on 26 October 2025: the first one, still in summer time.
    ["2025-10-26T02:30:00", "2025-10-26T02:30:00+02:00"],
    ["2025-10-26T03:00:00", "2025-10-26T03:00:00+01:00"],
    ["2025-10-26T15:00:00", "2025-10-26T15:00:00+01:00"],
    ["2025-10-27T20:30", "2025-10-27T20:30:00+01:00"],
    ["2025-03-29T20:00:00", "2025-03-29T20:00:00+01:00"],
    // 02:30 never happens on 30 March 2025: clocks jump from 02:00 to 03:00.
    ["2025-03-30T02:30:00", "2025-03-30T03:30:00+02:00"],
    ["2025-03-30T20:00:00", "2025-03-30T20:00:00+02:00"],
    ["2026-01-15T14:00:00", "2026-01-15T14:00:00+01:00"],
    ["2026-01-20 20:00:00", "2026-01-20T20:00:00+01:00"],
    ["2026-07-14 22:30:00", "2026-07-14T22:30:00+02:00"],
    ["2026-03-29 01:59:59", "2026-03-29T01:59:59+01:00"],
    ["2026-03-29 03:00:00", "2026-03-29T03:00:00+02:00"],
    ["2026-03-29 02:30:00", "2026-03-29T03:30:00+02:00"],
    ["2026-10-25 02:30:00", "2026-10-25T02:30:00+02:00"],
    ["2026-10-25 03:00:00", "2026-10-25T03:00:00+01:00"],
    ["2026-12-31 23:59:59", "2026-12-31T23:59:59+01:00"],
    [" 2026-12-31 23:59:59\n", "2026-12-31T23:59:59+01:00"],
  ])("reads %j as %s", (local, iso) => {
    expect(parisToIso(local)).toBe(iso);
    expect(parseParisTime(local)?.getTime()).toBe(new Date(iso).getTime());
  });

  it.each([
    "",
    "hier",
    "demain",
    "25/10/2025 20:30",
    "2025-10-25",
    "2025-02-30T20:00:00",
    "2025-10-25T25:00:00",
    "2026-06-15 24:00:00",
    "2026-06-15 10:60:00",
    "2026-06-15 10:00:60",
    "0099-06-15 10:00:00",
  ])("refuses %j", (text) => {
    expect(parseParisTime(text)).toBeUndefined();
    expect(parisToIso(text)).toBeUndefined();
  });

  it("gives the instant of a wall-clock time, with the changes of time read as parseParisTime does", () => {
    expect(parisWallTimeToUtc(2027, 3, 22, 20, 0)).toBe(Date.UTC(2027, 2, 22, 19, 0));
    expect(parisWallTimeToUtc(2027, 7, 14, 22, 30, 15)).toBe(Date.UTC(2027, 6, 14, 20, 30, 15));
    expect(parisWallTimeToUtc(2027, 3, 28, 2, 30)).toBe(Date.UTC(2027, 2, 28, 1, 30));
    expect(parisWallTimeToUtc(2027, 10, 31, 2, 30)).toBe(Date.UTC(2027, 9, 31, 0, 30));
    expect(parisWallTimeToUtc(2027, 2, 29, 20, 0)).toBeUndefined();
  });

  it("says the offset in force at an instant, changing on the hour", () => {
    expect(parisOffsetMinutes(Date.UTC(2026, 0, 1))).toBe(60);
    expect(parisOffsetMinutes(Date.UTC(2026, 6, 1))).toBe(120);
    expect(parisOffsetMinutes(Date.UTC(2026, 2, 29, 1) - 1)).toBe(60);
    expect(parisOffsetMinutes(Date.UTC(2026, 2, 29, 1))).toBe(120);
    expect(parisOffsetMinutes(Date.UTC(2026, 9, 25, 1) - 1)).toBe(120);
    expect(parisOffsetMinutes(Date.UTC(2026, 9, 25, 1))).toBe(60);
  });

  it("formats an instant in ISO with the offset, with milliseconds when asked", () => {
    const instant = Date.UTC(2027, 2, 22, 19, 0, 0, 123);
    expect(formatParisIso(instant)).toBe("2027-03-22T20:00:00+01:00");
    expect(formatParisIso(new Date(instant))).toBe("2027-03-22T20:00:00+01:00");
    expect(formatParisIso(instant, { milliseconds: true })).toBe("2027-03-22T20:00:00.123+01:00");
    expect(formatParisIso(Date.UTC(2027, 5, 1, 8), { milliseconds: true })).toBe(
      "2027-06-01T10:00:00.000+02:00",
    );
    expect(formatParisLocal(Date.UTC(2027, 5, 1, 8))).toBe("2027-06-01 10:00:00");
  });
});
