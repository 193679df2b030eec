import { nextSyncAt, type ScheduleInput } from "./sync-schedule";

const H = 3600_000;
const start = new Date("2026-12-20T20:00:00Z");
const at = (offsetMs: number) => new Date(start.getTime() + offsetMs);
const base: ScheduleInput = {
  now: at(-10 * 24 * H),
  startsAt: start,
  endsAt: at(3 * H),
  archived: false,
  slowEveryMinutes: 360,
  fastEveryMinutes: 5,
  fastWindowHours: 24,
};

describe("nextSyncAt", () => {
  it("waits the slow interval far from the performance", () => {
    expect(nextSyncAt(base)).toEqual(at(-10 * 24 * H + 6 * H));
  });

  it("never lets a slow wait skip the start of the fast window", () => {
    expect(nextSyncAt({ ...base, now: at(-26 * H) })).toEqual(at(-24 * H));
  });

  it.each([
    ["at the window's start", -24 * H],
    ["just before the start", -1],
    ["during the performance", 2 * H],
  ])("uses the fast interval %s", (_, offset) => {
    expect(nextSyncAt({ ...base, now: at(offset) })).toEqual(at(offset + 5 * 60_000));
  });

  it("stops at the end of the performance when no import end is set", () => {
    expect(nextSyncAt({ ...base, now: at(3 * H) })).toBeUndefined();
    expect(nextSyncAt({ ...base, now: at(3 * H - 60_000) })).toEqual(at(3 * H));
  });

  it("stops after importEndsAt, with one last sync at that instant", () => {
    const importEndsAt = at(-2 * H);
    expect(nextSyncAt({ ...base, importEndsAt, now: at(-2 * H - 60_000) })).toEqual(importEndsAt);
    expect(nextSyncAt({ ...base, importEndsAt, now: importEndsAt })).toBeUndefined();
    expect(nextSyncAt({ ...base, importEndsAt, now: at(-30 * H) })).toEqual(at(-24 * H));
  });

  it("follows importEndsAt past the performance's end", () => {
    expect(nextSyncAt({ ...base, importEndsAt: at(10 * H), now: at(4 * H) })).toEqual(
      at(4 * H + 360 * 60_000),
    );
  });

  it("does not sync archived performances", () => {
    expect(nextSyncAt({ ...base, archived: true })).toBeUndefined();
  });

  it("retries sooner after failures, backing off up to the interval", () => {
    expect(nextSyncAt({ ...base, failures: 1 })).toEqual(at(-10 * 24 * H + 60_000));
    expect(nextSyncAt({ ...base, failures: 3 })).toEqual(at(-10 * 24 * H + 4 * 60_000));
    expect(nextSyncAt({ ...base, failures: 30 })).toEqual(at(-10 * 24 * H + 6 * H));
  });

  it("uses the slow interval for an undated performance with no dates", () => {
    expect(nextSyncAt({ ...base, startsAt: undefined, endsAt: undefined })).toEqual(at(-10 * 24 * H + 6 * H));
  });
});
