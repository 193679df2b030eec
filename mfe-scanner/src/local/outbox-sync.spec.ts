import "fake-indexeddb/auto";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { type OutboxEntry, openScannerDb } from "./database";
import type { ScannerEngine } from "./scanner-engine";
import { FAST, type Harness, harness, meta, P1, P2, rules, T0, until } from "./testing/engine-fixtures";
import { REPEAT_WINDOW_MS } from "./types";

const OFFLINE =
  "Connexion au serveur impossible : les scans sont gardés sur ce terminal et partiront au retour du réseau.";

let h: Harness;
let engine: ScannerEngine;
beforeEach(async () => {
  h = await harness();
});
afterEach(() => h.stop());

async function scanner(ids: string[], options: Parameters<Harness["open"]>[0] = {}) {
  const opened = await h.open(options);
  for (const id of ids) await opened.importPerformance(meta(id));
  expect(await opened.setControlled(ids)).toEqual({ ok: true });
  return opened;
}

const fresh = () => [...h.gateway.scans.values()].filter((s) => !s.result.replayed);

describe("uploading the outbox", () => {
  beforeEach(async () => {
    h.gateway.addPerformance(P1, rules({ mode: "inOut" }), [{ barcode: "A1" }, { barcode: "A2" }]);
    engine = await scanner([P1]);
  });

  it("uploads soon after a scan, with the device's verdict and key", async () => {
    engine.startSync();
    const outcome = await engine.scan("A1", "in");
    await until(engine, () => engine.status().pending === 0 && engine.status().lastUploadAt !== null);
    expect(h.gateway.uploads.at(-1)).toEqual([
      {
        clientScanId: outcome.clientScanId,
        performanceId: P1,
        barcode: "A1",
        direction: "in",
        scannedAt: T0,
        timeZone: "Europe/Paris",
        deviceAccepted: true,
      },
    ]);
    expect(h.gateway.ticket(P1, "A1")).toMatchObject({ passes: 1, inside: true });
    expect(engine.status()).toMatchObject({
      online: true,
      lastError: null,
      nextRetryAt: null,
      sessionEnded: false,
    });
    expect(engine.conflicts()).toEqual([]);
  });

  it("does not upload before startSync, and syncNow uploads at once", async () => {
    await engine.scan("A1", "in");
    expect(h.gateway.uploads).toHaveLength(0);
    const status = await engine.syncNow();
    expect(status.pending).toBe(0);
    expect(h.gateway.uploads).toHaveLength(1);
  });

  it("retries after network failures and records each scan exactly once (a lost answer included)", async () => {
    h.gateway.fail("scans", { kind: "drop-after-record" });
    h.gateway.fail("scans", { kind: "drop" }, 2);
    engine.startSync();
    await engine.scan("A1", "in");
    await until(engine, () => !engine.status().online);
    expect(engine.status()).toMatchObject({ online: false, lastError: OFFLINE, pending: 1 });
    expect(engine.status().nextRetryAt).toBe(T0 + FAST.backoffBaseMs);

    await until(engine, () => engine.status().pending === 0);
    expect(engine.status()).toMatchObject({ online: true, lastError: null, nextRetryAt: null });
    expect(h.gateway.uploads).toHaveLength(4);
    expect(fresh()).toHaveLength(1);
    expect(h.gateway.ticket(P1, "A1")).toMatchObject({ passes: 1, inside: true });
    expect(engine.conflicts()).toEqual([]);
  });

  it("backs off exponentially, up to the maximum", async () => {
    h.gateway.fail("scans", { kind: "drop" }, 6);
    const delays: number[] = [];
    let seen: number | null = null;
    engine.subscribe(() => {
      const next = engine.status().nextRetryAt;
      if (next === null || next === seen) return;
      seen = next;
      delays.push(next - h.clock.time);
      h.clock.advance(1_000); // each failure's retry instant differs from the last
    });
    engine.startSync();
    await engine.scan("A1", "in");
    await until(engine, () => engine.status().pending === 0, 10_000);
    expect(delays).toEqual([20, 40, 80, 160, 160, 160]);
  });

  it("retries a busy server (503) the same way, without saying offline", async () => {
    h.gateway.fail("scans", { kind: "status", status: 503, body: { code: "X", message: "Serveur occupé." } });
    engine.startSync();
    await engine.scan("A1", "in");
    await until(engine, () => engine.status().lastError === "Serveur occupé.");
    expect(engine.status().online).toBe(true);
    await until(engine, () => engine.status().pending === 0);
    expect(engine.rejected()).toEqual([]);
  });

  it("uploads on the browser's online event, without waiting for the back-off", async () => {
    engine.close();
    engine = await h.open({ timings: { ...FAST, backoffBaseMs: 60_000, backoffMaxMs: 60_000 } });
    h.gateway.fail("scans", { kind: "drop" });
    engine.startSync();
    await engine.scan("A1", "in");
    await until(engine, () => !engine.status().online);
    h.events.dispatchEvent(new Event("offline"));
    h.events.dispatchEvent(new Event("online"));
    await until(engine, () => engine.status().pending === 0);
    expect(engine.status().online).toBe(true);
  });

  it("goes offline on the browser's offline event", async () => {
    engine.startSync();
    h.events.dispatchEvent(new Event("offline"));
    expect(engine.status().online).toBe(false);
  });

  it("stops on 401 until the operator logs in again; nothing is lost", async () => {
    h.gateway.loggedIn = false;
    engine.startSync();
    await engine.scan("A1", "in");
    await until(engine, () => engine.status().sessionEnded);
    expect(engine.status()).toMatchObject({
      sessionEnded: true,
      lastError: "Session expirée : reconnectez-vous",
      nextRetryAt: null,
      pending: 1,
    });
    const tries = h.gateway.uploads.length + h.gateway.downloads.length;
    // Absence of retries: wait longer than the whole back-off schedule, then look.
    await new Promise((resolve) => setTimeout(resolve, 4 * FAST.backoffMaxMs));
    expect(h.gateway.uploads.length + h.gateway.downloads.length).toBe(tries);

    h.gateway.loggedIn = true;
    const status = await engine.resumeAfterLogin();
    expect(status).toMatchObject({ sessionEnded: false, pending: 0, lastError: null });
    expect(fresh()).toHaveLength(1);
  });

  it("sends at most 500 scans a request, in scan order", async () => {
    engine.close();
    const db = await openScannerDb(h.dbName);
    const tx = db.transaction("outbox", "readwrite");
    for (let i = 0; i < 1_200; i++) {
      const entry: OutboxEntry = {
        clientScanId: `scan-${String(i).padStart(6, "0")}`,
        performanceId: P1,
        barcode: i % 2 ? "A1" : "A2",
        direction: "in",
        scannedAt: T0 + i,
        timeZone: "Europe/Paris",
        deviceAccepted: false,
        state: "pending",
      };
      void tx.store.add(entry);
    }
    await tx.done;
    db.close();
    engine = await h.open();
    expect(engine.status().pending).toBe(1_200);
    await engine.syncNow();
    expect(h.gateway.uploads.map((u) => u.length)).toEqual([500, 500, 200]);
    expect(h.gateway.uploads.flat().map((s) => s.scannedAt)).toEqual(
      Array.from({ length: 1_200 }, (_, i) => T0 + i),
    );
    expect(engine.status().pending).toBe(0);
  });
});

describe("batches the server refuses", () => {
  beforeEach(async () => {
    h.gateway.addPerformance(P1, rules(), [{ barcode: "A1" }, { barcode: "A2" }]);
    h.gateway.addPerformance(P2, rules(), [{ barcode: "B1" }, { barcode: "B2" }]);
    engine = await scanner([P1, P2]);
  });

  it("keeps the scans of a performance the login may no longer scan (403) as rejected, uploads the others", async () => {
    await engine.scan("A1", "in");
    await engine.scan("B1", "in");
    await engine.scan("A2", "in");
    await engine.scan("B2", "in");
    h.gateway.forbidden.add(P2);
    const status = await engine.syncNow();

    expect(status.pending).toBe(0);
    // The whole batch, then each performance's scans.
    expect(h.gateway.uploads.map((u) => u.map((s) => s.barcode))).toEqual([
      ["A1", "B1", "A2", "B2"],
      ["A1", "A2"],
      ["B1", "B2"],
    ]);
    expect(
      fresh()
        .map((s) => s.upload.barcode)
        .sort(),
    ).toEqual(["A1", "A2"]);
    expect(engine.rejected()).toEqual([
      expect.objectContaining({
        barcode: "B1",
        performanceId: P2,
        direction: "in",
        message: "Vous n'avez pas les droits pour contrôler les billets de cette représentation.",
      }),
      expect.objectContaining({ barcode: "B2", performanceId: P2 }),
    ]);
    // Kept across a reopen, and not sent again by themselves.
    const uploads = h.gateway.uploads.length;
    const reopened = await h.open();
    expect(reopened.rejected().map((r) => r.barcode)).toEqual(["B1", "B2"]);
    await reopened.syncNow();
    expect(h.gateway.uploads.length).toBe(uploads);

    h.gateway.forbidden.delete(P2);
    await reopened.retryRejected();
    expect(reopened.rejected()).toEqual([]);
    expect((await reopened.syncNow()).pending).toBe(0);
    expect(
      fresh()
        .map((s) => s.upload.barcode)
        .sort(),
    ).toEqual(["A1", "A2", "B1", "B2"]);
  });

  it("sets aside exactly the scan the server names (400 scans.N.field) and sends the rest", async () => {
    await engine.scan("A1", "in");
    await engine.scan("B1", "in");
    await engine.scan("A2", "in");
    h.gateway.performances.delete(P2);
    await engine.syncNow();
    expect(h.gateway.uploads.map((u) => u.map((s) => s.barcode))).toEqual([
      ["A1", "B1", "A2"],
      ["A1", "A2"],
    ]);
    expect(engine.rejected()).toMatchObject([{ barcode: "B1", message: "Représentation inconnue." }]);
    expect(engine.status().pending).toBe(0);
  });

  it("finds a scan refused for an unnamed reason by halves", async () => {
    await engine.scan("A1", "in");
    await engine.scan("B1", "in");
    await engine.scan("A2", "in");
    h.gateway.fail(
      "scans",
      { kind: "status", status: 409, body: { code: "CONFLICT", message: "Lot en conflit." } },
      3,
    );
    await engine.syncNow();
    // [A1 B1 A2] refused → by performance: [A1 A2] refused → [A1] refused, [A2] sent; [B1] sent.
    expect(h.gateway.uploads.map((u) => u.map((s) => s.barcode))).toEqual([
      ["A1", "B1", "A2"],
      ["A1", "A2"],
      ["A1"],
      ["A2"],
      ["B1"],
    ]);
    expect(engine.rejected()).toMatchObject([{ barcode: "A1", message: "Lot en conflit." }]);
    expect(engine.status().pending).toBe(0);
  });

  it("rejects nothing when the device is not registered (404): it waits and says why", async () => {
    h.gateway.devices = new Set();
    await engine.scan("A1", "in");
    const status = await engine.syncNow();
    expect(status).toMatchObject({
      pending: 1,
      lastError: "Terminal (enregistrez-le d'abord) introuvable.",
      online: true,
    });
    expect(engine.rejected()).toEqual([]);
    h.gateway.devices.add(engine.deviceKey());
    expect((await engine.syncNow()).pending).toBe(0);
  });
});

describe("conflicts", () => {
  it("records a scan the server decided otherwise (a double admission offline), kept until dismissed", async () => {
    h.gateway.addPerformance(P1, rules(), [{ barcode: "A1" }]);
    const first = await scanner([P1]);
    const second = await scanner([P1], { dbName: `${h.dbName}-other-device` });
    await first.scan("A1", "in");
    await first.syncNow();
    const offline = await second.scan("A1", "in");
    expect(offline.accepted).toBe(true);
    await second.syncNow();

    expect(second.conflicts()).toEqual([
      {
        clientScanId: offline.clientScanId,
        barcode: "A1",
        performanceId: P1,
        at: T0,
        message: "Billet déjà utilisé",
      },
    ]);
    expect(second.status().pending).toBe(0);
    second.close();
    const reopened = await h.open({ dbName: `${h.dbName}-other-device` });
    expect(reopened.conflicts()).toHaveLength(1);
    await reopened.dismissConflict(offline.clientScanId);
    expect(reopened.conflicts()).toEqual([]);
    expect((await h.open({ dbName: `${h.dbName}-other-device` })).conflicts()).toEqual([]);
  });
});

describe("server changes", () => {
  beforeEach(async () => {
    h.gateway.addPerformance(P1, rules({ mode: "inOut" }), [{ barcode: "A1" }, { barcode: "A2" }]);
    engine = await scanner([P1]);
  });

  async function local(barcode: string) {
    const db = await openScannerDb(h.dbName);
    try {
      return await db.get("tickets", [P1, barcode]);
    } finally {
      db.close();
    }
  }

  it("replays this device's pending scans on a newer server state (subscription)", async () => {
    await engine.scan("A1", "in");
    // The server has not seen the scan; the ticket changed there for another reason.
    h.gateway.putTicket(P1, { barcode: "A1", holderName: "Jean Valjean" });
    await engine.applyTicketChange(h.gateway.change(P1, "A1"));
    expect(await local("A1")).toMatchObject({
      inside: true,
      passes: 1,
      holderName: "Jean Valjean",
      revision: 3,
    });
    expect(engine.counters()).toMatchObject({ admitted: 1, inside: 1 });
  });

  it("holds a change that arrives before its own scan's upload is answered: the scan is not counted twice", async () => {
    h.gateway.addPerformance(P2, rules({ mode: "multi", maxPassesPerDay: 2 }), [{ barcode: "M1" }]);
    await engine.importPerformance(meta(P2));
    expect(await engine.setControlled([P2])).toEqual({ ok: true });
    let answer = () => {};
    h.gateway.fail("scans", { kind: "hold-after-record", answer: new Promise<void>((r) => (answer = r)) });
    engine.startSync();
    await engine.scan("M1", "in");
    while (h.gateway.scans.size === 0) await new Promise((r) => setTimeout(r, 5));
    // The subscription's echo of that very scan comes while its upload waits for the answer.
    const echo = engine.applyTicketChange(h.gateway.change(P2, "M1"));
    await new Promise((r) => setTimeout(r, 100)); // longer than changes are gathered for
    answer();
    await echo;
    const db = await openScannerDb(h.dbName);
    try {
      expect(await db.get("tickets", [P2, "M1"])).toMatchObject({ passes: 1 });
    } finally {
      db.close();
    }
    h.clock.advance(REPEAT_WINDOW_MS);
    expect((await engine.scan("M1", "in")).reason).toBe("ACCEPTED");
  });

  it("replays them on a delta too", async () => {
    await engine.scan("A1", "in");
    h.gateway.putTicket(P1, { barcode: "A1", category: "Tarif réduit" });
    await engine.importPerformance(meta(P1));
    expect(await local("A1")).toMatchObject({ inside: true, passes: 1, category: "Tarif réduit" });
    expect(engine.counters()).toMatchObject({ admitted: 1, inside: 1 });
  });

  it("applies a newer server state as is when nothing is pending, moving the counters", async () => {
    h.gateway.putTicket(P1, { barcode: "A2", passes: 1, inside: true });
    await engine.applyTicketChange(h.gateway.change(P1, "A2"));
    expect(engine.counters()).toMatchObject({ admitted: 1, inside: 1 });
    h.gateway.putTicket(P1, { barcode: "A2", inside: false, state: "cancelled" });
    await engine.applyTicketChange(h.gateway.change(P1, "A2"));
    expect(await local("A2")).toMatchObject({ state: "cancelled", inside: false });
    expect(engine.counters()).toMatchObject({ admitted: 1, inside: 0 });
    h.clock.advance(10_000);
    expect((await engine.scan("A2", "in")).reason).toBe("CANCELLED");
  });

  it("ignores a server state not newer than the local copy, and changes of performances not here", async () => {
    const old = h.gateway.change(P1, "A2");
    h.gateway.putTicket(P1, { barcode: "A2", passes: 1 });
    await engine.applyTicketChange(h.gateway.change(P1, "A2"));
    await engine.applyTicketChange({ ...old, passes: 0 });
    expect(await local("A2")).toMatchObject({ passes: 1 });
    await engine.applyTicketChange({ ...old, performanceId: P2 });
  });

  it("adds a ticket a source just brought", async () => {
    h.gateway.putTicket(P1, { barcode: "A3", category: "Invitation", holderName: "Cosette" });
    await engine.applyTicketChange(h.gateway.change(P1, "A3"));
    expect(engine.counters().ticketCount).toBe(3);
    expect(await engine.scan("A3", "in")).toMatchObject({
      accepted: true,
      holderName: "Cosette",
      category: "Invitation",
    });
  });

  it("stores changes arriving together in one go", async () => {
    for (const barcode of ["A1", "A2"]) h.gateway.putTicket(P1, { barcode, state: "cancelled" });
    await Promise.all(["A1", "A2"].map((b) => engine.applyTicketChange(h.gateway.change(P1, b))));
    expect((await local("A1"))?.state).toBe("cancelled");
    expect((await local("A2"))?.state).toBe("cancelled");
  });
});

describe("pulling changes", () => {
  beforeEach(async () => {
    h.gateway.addPerformance(P1, rules(), [{ barcode: "A1" }, { barcode: "A2" }]);
  });

  it("pulls every imported performance's delta when the network comes back", async () => {
    engine = await scanner([P1]);
    h.gateway.fail("tickets", { kind: "drop" });
    engine.startSync();
    await until(engine, () => !engine.status().online);
    h.gateway.putTicket(P1, { barcode: "A2", passes: 1 });
    h.events.dispatchEvent(new Event("online"));
    await until(engine, () => engine.counters().admitted === 1);
    expect(engine.status().online).toBe(true);
    expect(h.gateway.downloads.at(-1)).toBe(`/api/scanner/performances/${P1}/tickets?since=2`);
  });

  it("pulls on a timer while online", async () => {
    engine = await scanner([P1], { timings: { ...FAST, pullEveryMs: 50 } });
    engine.startSync();
    await until(engine, () => h.gateway.downloads.length >= 2);
    h.gateway.putTicket(P1, { barcode: "A1", passes: 1 });
    await until(engine, () => engine.counters().admitted === 1);
    engine.stopSync();
  });

  it("syncNow uploads then pulls", async () => {
    engine = await scanner([P1]);
    await engine.scan("A1", "in");
    h.gateway.putTicket(P1, { barcode: "A2", passes: 1 });
    const status = await engine.syncNow();
    expect(status).toMatchObject({ pending: 0, online: true });
    expect(engine.counters().admitted).toBe(2);
    const [performance] = await engine.listImported();
    expect(performance.revision).toBe(h.gateway.performances.get(P1)?.revision);
  });

  it("a performance the server no longer serves only warns; the others go on", async () => {
    h.gateway.addPerformance(P2, rules(), [{ barcode: "B1" }]);
    engine = await scanner([P1, P2]);
    h.gateway.forbidden.add(P1);
    h.gateway.putTicket(P2, { barcode: "B1", passes: 1 });
    const status = await engine.syncNow();
    expect(status.lastError).toBe(
      "« Spectacle 1, 06/04/2026 19:00 » : Cette représentation n'est pas soumise au contrôle d'accès (case PDA décochée).",
    );
    expect(status.online).toBe(true);
    expect(engine.counters().admitted).toBe(1);
  });
});
