import { describe, expect, it } from "@jest/globals";
import { formatParisLocal, parisLocalToIso, parseParisLocal } from "./paris-time";

// The conversions themselves, changes of time included, are tested in the SDK.
describe("Paris time in the partner's format", () => {
  it.each([
    ["2026-01-20 20:00:00", "2026-01-20T20:00:00+01:00"],
    ["2026-03-29 02:30:00", "2026-03-29T03:30:00+02:00"],
    ["2026-10-25 02:30:00", "2026-10-25T02:30:00+02:00"],
  ])("converts %s to %s", (local, iso) => {
    expect(parisLocalToIso(local)).toBe(iso);
    expect(new Date(iso).getTime()).toBe(parseParisLocal(local)?.getTime());
  });

  it("writes what it reads", () => {
    expect(formatParisLocal(new Date("2026-07-14T20:30:00Z"))).toBe("2026-07-14 22:30:00");
    expect(formatParisLocal(parseParisLocal("2026-12-31 23:59:59") as Date)).toBe("2026-12-31 23:59:59");
  });

  it.each([
    "2026-02-30 10:00:00",
    "2026-06-15T10:00:00",
    "2026-06-15 10:00",
    " 2026-06-15 10:00:00",
    "2026-06-15 24:00:00",
    "2026-06-15 10:60:00",
    "",
    "hier",
  ])("refuses %j", (text) => {
    expect(parseParisLocal(text)).toBeUndefined();
    expect(parisLocalToIso(text)).toBeUndefined();
  });
});
