import type { PerformanceRules } from "@billetix/access-rules";
import { describe, expect, it } from "@jest/globals";
import type { OutboxEntry, StoredTicket } from "./database";
import { newClientScanId, newDeviceKey } from "./ids";
import { mergeServerState, ticketDelta, ticketFromChange, ticketFromLine } from "./ticket-state";

const T0 = Date.parse("2026-04-06T17:00:00Z");
const rules: PerformanceRules = {
  performanceId: "p1",
  mode: "inOut",
  excludedCategories: [],
  validFrom: T0 - 3_600_000,
  validUntil: T0 + 3_600_000,
};
const ticket = (patch: Partial<StoredTicket> = {}): StoredTicket => ({
  performanceId: "p1",
  barcode: "A1",
  state: "valid",
  passes: 0,
  passesByDay: {},
  inside: false,
  revision: 1,
  ...patch,
});
const pending = (direction: "in" | "out", at = T0): OutboxEntry => ({
  clientScanId: newClientScanId(at),
  performanceId: "p1",
  barcode: "A1",
  direction,
  scannedAt: at,
  timeZone: "Europe/Paris",
  deviceAccepted: true,
  state: "pending",
});

describe("ticket lines", () => {
  it.each([
    ['["A1","v",-1,0,0,0,"",3]', { barcode: "A1", state: "valid", passes: 0, inside: false, revision: 3 }],
    [
      '["A2","c",1,2,1,{"2026-04-06":2},"Jeanne",9]',
      {
        barcode: "A2",
        state: "cancelled",
        category: "Invitation",
        passes: 2,
        inside: true,
        passesByDay: { "2026-04-06": 2 },
        holderName: "Jeanne",
        revision: 9,
      },
    ],
    ['["A3","d",0,0,0,0,"",1]', { barcode: "A3", state: "duplicated", category: "Plein tarif" }],
  ])("reads %s", (line, expected) => {
    expect(ticketFromLine("p1", line, ["Plein tarif", "Invitation"])).toMatchObject({
      performanceId: "p1",
      ...expected,
    });
  });

  it("leaves out what a ticket does not have", () => {
    const t = ticketFromLine("p1", '["A1","v",-1,0,0,0,"",3]', []);
    expect(t && "category" in t).toBe(false);
    expect(t && "holderName" in t).toBe(false);
  });

  it.each(["", "not json", "{}", "[1,2]", "null"])("refuses %p", (line) => {
    expect(ticketFromLine("p1", line, [])).toBeUndefined();
  });
});

describe("subscription changes", () => {
  const change = {
    performanceId: "p1",
    barcode: "A1",
    state: "cancelled",
    passes: 1,
    inside: false,
    revision: 5,
    passesByDay: '{"2026-04-06":1}',
  };

  it("keep the local category and holder when the change leaves them out, drop them on null", () => {
    const local = ticket({ category: "Invitation", holderName: "Jeanne" });
    expect(ticketFromChange(change, local)).toMatchObject({
      state: "cancelled",
      category: "Invitation",
      holderName: "Jeanne",
      passesByDay: { "2026-04-06": 1 },
    });
    const cleared = ticketFromChange({ ...change, category: null, holderName: null }, local);
    expect(cleared.category).toBeUndefined();
    expect(cleared.holderName).toBeUndefined();
  });
});

describe("merging a server state", () => {
  it("ignores a state not newer than the local copy", () => {
    expect(
      mergeServerState(ticket({ revision: 5 }), ticket({ revision: 5, passes: 3 }), [], rules),
    ).toBeUndefined();
    expect(mergeServerState(ticket({ revision: 5 }), ticket({ revision: 4 }), [], rules)).toBeUndefined();
  });

  it("takes a newer state as is when nothing is pending", () => {
    expect(
      mergeServerState(
        ticket({ revision: 1, passes: 1 }),
        ticket({ revision: 2, state: "cancelled" }),
        [],
        rules,
      ),
    ).toMatchObject({ state: "cancelled", passes: 0, revision: 2 });
  });

  it("replays the pending scans on top, in order", () => {
    const merged = mergeServerState(
      ticket({ revision: 1, passes: 1, inside: true }),
      ticket({ revision: 2, holderName: "Jean" }),
      [pending("in", T0), pending("out", T0 + 1), pending("in", T0 + 2)],
      rules,
    );
    expect(merged).toMatchObject({ passes: 2, inside: true, holderName: "Jean", revision: 2 });
  });

  it("creates a ticket the device did not have", () => {
    expect(mergeServerState(undefined, ticket({ revision: 7 }), undefined, rules)).toMatchObject({
      revision: 7,
    });
  });

  it.each([
    [undefined, ticket({ passes: 1, inside: true }), { admitted: 1, inside: 1, tickets: 1 }],
    [
      ticket({ passes: 1, inside: true }),
      ticket({ passes: 2, inside: false }),
      { admitted: 0, inside: -1, tickets: 0 },
    ],
    [ticket({ passes: 1 }), ticket({ passes: 0 }), { admitted: -1, inside: 0, tickets: 0 }],
    [ticket({ passes: 1, inside: true }), undefined, { admitted: -1, inside: -1, tickets: -1 }],
  ])("moves the counters by the difference (%#)", (before, after, delta) => {
    expect(ticketDelta(before, after)).toEqual(delta);
  });
});

describe("ids", () => {
  it("fit the gateway's checks", () => {
    expect(newDeviceKey()).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(newClientScanId(T0)).toMatch(/^[A-Za-z0-9_:.-]{8,64}$/);
    expect(newClientScanId(Number.NaN)).toMatch(/^[A-Za-z0-9_:.-]{8,64}$/);
    expect(newDeviceKey()).not.toBe(newDeviceKey());
  });
});
