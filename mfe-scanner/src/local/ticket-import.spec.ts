import "fake-indexeddb/auto";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { openScannerDb, ticketRange } from "./database";
import { ScannerError } from "./scanner.error";
import type { ScannerEngine } from "./scanner-engine";
import { type Harness, harness, meta, P1, P2, rejection, rules } from "./testing/engine-fixtures";

const tickets = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ barcode: `B${String(from + i).padStart(6, "0")}` }));

let h: Harness;
let engine: ScannerEngine;
beforeEach(async () => {
  h = await harness();
  engine = await h.open();
});
afterEach(() => h.stop());

async function storedTickets(performanceId: string) {
  const db = await openScannerDb(h.dbName);
  try {
    return await db.getAll("tickets", ticketRange(performanceId));
  } finally {
    db.close();
  }
}

describe("a first import", () => {
  it("stores every ticket with its state, category and holder, and counts them", async () => {
    h.gateway.addPerformance(P1, rules({ excludedCategories: ["Invitation"] }), [
      { barcode: "A1", category: "Plein tarif", holderName: "Jeanne Dupont" },
      { barcode: "A2", category: "Invitation", passes: 1, passesByDay: { "2026-04-06": 1 } },
      { barcode: "A3", state: "cancelled" },
      { barcode: "A4", passes: 2, inside: true },
    ]);
    const progress: [number, number | null][] = [];
    const imported = await engine.importPerformance(meta(P1), (done, total) => progress.push([done, total]));

    expect(imported).toMatchObject({
      id: P1,
      eventName: "Spectacle 1",
      ticketCount: 4,
      admitted: 2,
      inside: 1,
      revision: 4,
      categories: ["Plein tarif", "Invitation"],
      rules: { performanceId: P1, excludedCategories: ["Invitation"] },
    });
    expect(progress.at(-1)).toEqual([4, 4]);
    const stored = new Map((await storedTickets(P1)).map((t) => [t.barcode, t]));
    expect(stored.get("A1")).toMatchObject({
      category: "Plein tarif",
      holderName: "Jeanne Dupont",
      state: "valid",
    });
    expect(stored.get("A2")).toMatchObject({
      category: "Invitation",
      passes: 1,
      passesByDay: { "2026-04-06": 1 },
    });
    expect(stored.get("A3")).toMatchObject({ state: "cancelled" });
    expect(stored.get("A3")?.category).toBeUndefined();
    expect(await engine.listImported()).toEqual([imported]);
  });

  it("writes in batches and reports progress after each, against the header's total", async () => {
    h.gateway.addPerformance(P1, rules(), tickets(9_000));
    const progress: [number, number | null][] = [];
    const imported = await engine.importPerformance(meta(P1), (done, total) => progress.push([done, total]));
    expect(imported.ticketCount).toBe(9_000);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.every(([, total]) => total === 9_000)).toBe(true);
    expect(progress.at(-1)).toEqual([9_000, 9_000]);
    expect((await storedTickets(P1)).length).toBe(9_000);
  });

  it("works with a gateway that does not say the total", async () => {
    h.gateway.sendTotal = false;
    h.gateway.addPerformance(P1, rules(), tickets(3));
    const progress: [number, number | null][] = [];
    await engine.importPerformance(meta(P1), (done, total) => progress.push([done, total]));
    expect(progress.at(-1)).toEqual([3, null]);
  });

  it("leaves nothing when the download is cut mid-way, and a second try imports it all", async () => {
    h.gateway.addPerformance(P1, rules(), tickets(9_000));
    h.gateway.fail("tickets", { kind: "cut", afterLines: 6_000 });
    const error = await rejection(engine.importPerformance(meta(P1)));
    expect(error).toBeInstanceOf(ScannerError);
    expect((error as ScannerError).code).toBe("INTERRUPTED");
    expect(error.message).toMatch(/^Import interrompu/);
    expect(await storedTickets(P1)).toEqual([]);
    expect(await engine.listImported()).toEqual([]);

    const imported = await engine.importPerformance(meta(P1));
    expect(imported.ticketCount).toBe(9_000);
  });

  it("refuses a whole list shorter than its header says (a body cut at a line's end)", async () => {
    h.gateway.addPerformance(P1, rules(), tickets(5));
    const original = h.gateway.performances.get(P1);
    // The header says 5, one line never comes.
    const fetchShort: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const text = await response.text();
      const lines = text.split("\n");
      return new Response(`${lines.slice(0, -2).join("\n")}\n`, { status: 200 });
    };
    const short = await h.open({ fetch: fetchShort, dbName: `${h.dbName}-short` });
    const error = await rejection(short.importPerformance(meta(P1)));
    expect((error as ScannerError).code).toBe("INTERRUPTED");
    expect(original?.tickets.size).toBe(5);
  });

  it("removes the tickets of an import the tab never finished, at the next open", async () => {
    const db = await openScannerDb(h.dbName);
    await db.put("tickets", {
      performanceId: P2,
      barcode: "X",
      state: "valid",
      passes: 0,
      passesByDay: {},
      inside: false,
      revision: 1,
    });
    await db.put("meta", [P2], "importing");
    db.close();
    engine.close();
    await h.open();
    expect(await storedTickets(P2)).toEqual([]);
  });

  it.each([
    [
      "no network",
      () => h.gateway.fail("tickets", { kind: "drop" }),
      "NETWORK",
      /^Connexion au serveur impossible : importez quand le réseau revient$/,
    ],
    [
      "a session ended",
      () => {
        h.gateway.loggedIn = false;
      },
      "SESSION_ENDED",
      /^Session expirée : reconnectez-vous$/,
    ],
    ["a performance not controlled (403)", () => h.gateway.forbidden.add(P1), "REFUSED", /case PDA décochée/],
    [
      "an unknown performance (404)",
      () => h.gateway.performances.delete(P1),
      "REFUSED",
      /^Représentation introuvable\.$/,
    ],
    [
      "a server error without JSON",
      () => h.gateway.fail("tickets", { kind: "status", status: 502, body: "<html>" }),
      "REFUSED",
      /HTTP 502/,
    ],
  ])("fails with a French message on %s", async (_, arrange, code, message) => {
    h.gateway.addPerformance(P1, rules(), tickets(3));
    arrange();
    const error = await rejection(engine.importPerformance(meta(P1)));
    expect(error).toBeInstanceOf(ScannerError);
    expect((error as ScannerError).code).toBe(code);
    expect(error.message).toMatch(message);
    expect(await engine.listImported()).toEqual([]);
    expect(await storedTickets(P1)).toEqual([]);
  });

  it("marks the session ended on 401", async () => {
    h.gateway.addPerformance(P1, rules(), tickets(1));
    h.gateway.loggedIn = false;
    await rejection(engine.importPerformance(meta(P1)));
    expect(engine.status().sessionEnded).toBe(true);
  });

  it("stops when the caller aborts", async () => {
    h.gateway.addPerformance(P1, rules(), tickets(3));
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(engine.importPerformance(meta(P1), undefined, controller.signal));
    expect((error as ScannerError).code).toBe("ABORTED");
    expect(await storedTickets(P1)).toEqual([]);
  });
});

describe("importing again", () => {
  beforeEach(async () => {
    h.gateway.addPerformance(P1, rules({ mode: "multi" }), tickets(5));
    await engine.importPerformance(meta(P1));
  });

  it("asks only the changes since its revision, and applies them", async () => {
    h.gateway.putTicket(P1, { barcode: "B000001", state: "cancelled" });
    h.gateway.putTicket(P1, { barcode: "B000002", passes: 1, passesByDay: { "2026-04-06": 1 } });
    h.gateway.putTicket(P1, { barcode: "NEW", category: "Tarif réduit" });
    const progress: [number, number | null][] = [];
    const imported = await engine.importPerformance(meta(P1), (done, total) => progress.push([done, total]));

    expect(h.gateway.downloads.at(-1)).toBe(`/api/scanner/performances/${P1}/tickets?since=5`);
    expect(progress.at(-1)).toEqual([3, null]);
    expect(imported).toMatchObject({
      revision: 8,
      ticketCount: 6,
      admitted: 1,
      categories: ["Tarif réduit"],
    });
    const stored = new Map((await storedTickets(P1)).map((t) => [t.barcode, t]));
    expect(stored.get("B000001")?.state).toBe("cancelled");
    expect(stored.get("NEW")?.category).toBe("Tarif réduit");
  });

  it("replaces the copy when the server sends the whole list (since: 0)", async () => {
    h.gateway.removeTicket(P1, "B000003");
    h.gateway.putTicket(P1, { barcode: "B000004", passes: 1 });
    const imported = await engine.importPerformance(meta(P1));

    expect(h.gateway.downloads.at(-1)).toContain("since=5");
    expect(imported).toMatchObject({ ticketCount: 4, admitted: 1, revision: 7 });
    expect((await storedTickets(P1)).map((t) => t.barcode)).toEqual([
      "B000000",
      "B000001",
      "B000002",
      "B000004",
    ]);
  });

  it("keeps this device's pending scans when a whole list replaces the copy", async () => {
    await engine.setControlled([P1]);
    await engine.scan("B000001", "in");
    h.gateway.putTicket(P1, { barcode: "B000001", holderName: "Jean Valjean" });
    h.gateway.removeTicket(P1, "B000004");
    const imported = await engine.importPerformance(meta(P1));
    expect(imported).toMatchObject({ ticketCount: 4, admitted: 1 });
    expect((await storedTickets(P1)).find((t) => t.barcode === "B000001")).toMatchObject({
      passes: 1,
      holderName: "Jean Valjean",
    });
  });

  it("refreshes the rules and label from the header", async () => {
    const performance = h.gateway.performances.get(P1);
    if (!performance) throw new Error("no performance");
    performance.rules = { ...performance.rules, maxPasses: 2 };
    performance.label = "Soirée";
    const imported = await engine.importPerformance(meta(P1));
    expect(imported.rules.maxPasses).toBe(2);
    expect(imported.label).toBe("Soirée");
  });

  it("keeps a performance's scans in the outbox when it is removed", async () => {
    await engine.setControlled([P1]);
    await engine.scan("B000001", "in");
    await engine.removeImported(P1);
    expect(await engine.listImported()).toEqual([]);
    expect(engine.controlled()).toEqual([]);
    expect(await storedTickets(P1)).toEqual([]);
    expect(engine.status().pending).toBe(1);
  });
});
