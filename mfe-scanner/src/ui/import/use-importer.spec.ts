import { describe, expect, it } from "@jest/globals";
import type { AvailablePerformance } from "../scanner.queries";
import { startsSoon, toMeta } from "./use-importer";

const NOW = Date.parse("2026-06-12T10:00:00Z");
const HOUR = 3600_000;
const iso = (ms: number) => new Date(ms).toISOString();

const listed: AvailablePerformance = {
  id: "p1",
  institutionId: "i1",
  eventName: "Le Misanthrope",
  venueName: "Théâtre",
  dated: true,
  startsAt: "2026-06-12T18:00:00.000Z",
  endsAt: "2026-06-12T21:00:00.000Z",
  label: null,
  controlMode: "single",
  ticketCount: 548,
};

describe("toMeta", () => {
  it("turns the gateway's ISO dates into epoch ms", () => {
    expect(toMeta(listed)).toEqual({
      id: "p1",
      institutionId: "i1",
      eventName: "Le Misanthrope",
      venueName: "Théâtre",
      dated: true,
      startsAt: Date.parse("2026-06-12T18:00:00.000Z"),
      endsAt: Date.parse("2026-06-12T21:00:00.000Z"),
      label: null,
    });
  });

  it("keeps an undated performance's missing dates and its label", () => {
    const meta = toMeta({ ...listed, dated: false, startsAt: null, endsAt: null, label: "Pass exposition" });
    expect(meta).toMatchObject({ dated: false, startsAt: null, endsAt: null, label: "Pass exposition" });
  });
});

describe("startsSoon", () => {
  it.each<[string, string | null, string | null, boolean]>([
    ["in 8 h", iso(NOW + 8 * HOUR), iso(NOW + 11 * HOUR), true],
    ["in 25 h", iso(NOW + 25 * HOUR), iso(NOW + 28 * HOUR), false],
    ["started, not over", iso(NOW - HOUR), iso(NOW + 2 * HOUR), true],
    ["over", iso(NOW - 5 * HOUR), iso(NOW - 2 * HOUR), false],
    ["started, no end", iso(NOW - HOUR), null, false],
    ["no dates", null, null, false],
  ])("%s → %s", (_what, startsAt, endsAt, soon) => {
    expect(startsSoon({ startsAt, endsAt }, NOW)).toBe(soon);
  });
});
