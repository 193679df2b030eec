import { decide, type TicketSnapshot } from "@billetix/access-rules";
import { ObjectId } from "@mikro-orm/mongodb";
import type { Document } from "mongodb";
import { TicketState } from "../src/access/ticket.entity";
import { ControlMode, Performance } from "../src/catalog/performance.entity";
import type { Institution } from "../src/institutions/institution.entity";
import { FIXTURE_PASSWORD, Fixtures, scanUpload } from "./support/fixtures";
import type { GraphqlClient } from "./support/graphql-client";
import { startTestGateway, type TestGateway } from "./support/test-gateway";

let t: TestGateway;
let A: Institution;
let door1: GraphqlClient;
let door2: GraphqlClient;
let outsider: GraphqlClient;

beforeAll(async () => {
  t = await startTestGateway();
  const f = new Fixtures(t);
  A = await f.institution("A");
  const B = await f.institution("B");
  await f.login("porte-1", A, { member: { scanner: true } });
  await f.login("porte-2", A, { member: { scanner: true } });
  await f.login("porte-b", B, { member: { scanner: true } });
  door1 = await t.login("porte-1", FIXTURE_PASSWORD);
  door2 = await t.login("porte-2", FIXTURE_PASSWORD);
  outsider = await t.login("porte-b", FIXTURE_PASSWORD);
  for (const [client, key] of [
    [door1, "device-porte-1"],
    [door2, "device-porte-2"],
  ] as const) {
    await client.request(
      `mutation { registerDevice(input: { deviceKey: "${key}", name: "${key}", institutionId: "${A.id}" }) { id } }`,
    );
  }
});
afterAll(() => t?.stop());

/** A performance on now, with tickets T0..Tn (T0 cancelled). */
function performanceWithTickets(mode: ControlMode, count: number) {
  const tickets = Array.from({ length: count + 1 }, (_, n) => ({
    state: n === 0 ? TicketState.cancelled : TicketState.valid,
  }));
  return new Fixtures(t).performance(A, tickets, { controlMode: mode, revision: count + 1 });
}

const RECORD = `mutation($d: String!, $s: [ScanUploadInput!]!) { recordScans(deviceKey: $d, scans: $s) {
  results { clientScanId accepted reason message conflict replayed } revisions { performanceId revision } } }`;

const scan = scanUpload;

async function counters(performance: Performance) {
  const fresh = await t.gateway.orm.em.fork().findOneOrFail(Performance, { _id: performance._id });
  return { ...fresh.counters, revision: fresh.revision };
}

describe("two devices, one offline", () => {
  it("records every scan exactly once, flags the double admission, and counts right", async () => {
    const p = await performanceWithTickets(ControlMode.single, 10);
    // Door 2 imported the tickets, then lost the network: it decides alone from its copy.
    const offlineCopy = new Map<string, TicketSnapshot>(
      ["T1", "T2", "T3"].map((b) => [
        b,
        { performanceId: p.id, barcode: b, state: "valid", passes: 0, passesByDay: {}, inside: false },
      ]),
    );
    const rules = {
      performanceId: p.id,
      mode: "single" as const,
      excludedCategories: [],
      validFrom: Date.now() - 5 * 3600_000,
      validUntil: Date.now() + 3 * 3600_000,
    };
    const offlineQueue = ["T1", "T2", "T3"].map((barcode) => {
      const decision = decide(offlineCopy.get(barcode), rules, {
        direction: "in",
        at: Date.now(),
        timeZone: "Europe/Paris",
      });
      return scan(p, barcode, { deviceAccepted: decision.accepted });
    });
    expect(offlineQueue.every((s) => (s as { deviceAccepted?: boolean }).deviceAccepted)).toBe(true);

    // Meanwhile door 1, online, admits T1 and T2.
    const online = (
      await door1.request(RECORD, {
        d: "device-porte-1",
        s: [scan(p, "T1", { deviceAccepted: true }), scan(p, "T2", { deviceAccepted: true })],
      })
    ).recordScans;
    expect(online.results.map((r: { reason: string }) => r.reason)).toEqual(["ACCEPTED", "ACCEPTED"]);

    // Door 2 reconnects and uploads its queue.
    const upload = (await door2.request(RECORD, { d: "device-porte-2", s: offlineQueue })).recordScans;
    expect(upload.results).toEqual([
      expect.objectContaining({
        reason: "ALREADY_USED",
        accepted: false,
        conflict: true,
        replayed: false,
        message: "Billet déjà utilisé",
      }),
      expect.objectContaining({ reason: "ALREADY_USED", accepted: false, conflict: true }),
      expect.objectContaining({ reason: "ACCEPTED", accepted: true, conflict: false }),
    ]);
    const afterUpload = await counters(p);
    expect(afterUpload).toMatchObject({ admittedCount: 3, refusedCount: 0, anomalyCount: 2 });

    // The network drops the reply; door 2 sends the same batch again: nothing changes.
    const retry = (await door2.request(RECORD, { d: "device-porte-2", s: offlineQueue })).recordScans;
    expect(retry.results.map((r: { replayed: boolean; reason: string }) => [r.replayed, r.reason])).toEqual([
      [true, "ALREADY_USED"],
      [true, "ALREADY_USED"],
      [true, "ACCEPTED"],
    ]);
    expect(await counters(p)).toEqual(afterUpload);

    const stored = await t.gateway.orm.em
      .fork()
      .getConnection()
      .getCollection("scan")
      .countDocuments({ performanceId: p._id });
    expect(stored).toBe(5);
    // Each ticket change took a new revision: the basis of incremental sync.
    expect(upload.revisions).toEqual([{ performanceId: p.id, revision: 11 + 3 }]);
  });
});

describe("the guarded update", () => {
  it("200 concurrent online checks of one single-pass ticket admit it exactly once", async () => {
    const p = await performanceWithTickets(ControlMode.single, 1);
    const CHECK = `mutation { checkTicket(performanceId: "${p.id}", barcode: "T1") { accepted reason } }`;
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => (i % 2 ? door1 : door2).request(CHECK)),
    );
    expect(results.filter((r) => r.checkTicket.accepted)).toHaveLength(1);
    expect(new Set(results.filter((r) => !r.checkTicket.accepted).map((r) => r.checkTicket.reason))).toEqual(
      new Set(["ALREADY_USED"]),
    );
    expect(await counters(p)).toMatchObject({ admittedCount: 1, refusedCount: 199 });
  });

  it("in/out: entries and exits move the inside counter; an exit while outside is an anomaly", async () => {
    const p = await performanceWithTickets(ControlMode.inOut, 2);
    const { recordScans } = await door1.request(RECORD, {
      d: "device-porte-1",
      s: [
        scan(p, "T1"),
        scan(p, "T2"),
        scan(p, "T1", { direction: "out" }),
        scan(p, "T1", { direction: "out" }),
      ],
    });
    expect(recordScans.results.map((r: { reason: string }) => r.reason)).toEqual([
      "ACCEPTED",
      "ACCEPTED",
      "EXIT",
      "EXIT_WHILE_OUTSIDE",
    ]);
    expect(await counters(p)).toMatchObject({
      admittedCount: 2,
      insideCount: 1,
      anomalyCount: 1,
      refusedCount: 0,
    });
  });
});

describe("batches", () => {
  const tickets = () => t.gateway.orm.em.fork().getConnection().getCollection<Document>("ticket");

  it("a ticket scanned several times in one batch is written once, with one new revision", async () => {
    const p = await performanceWithTickets(ControlMode.inOut, 2);
    const at = (s: number) => new Date(Date.now() + s * 1000).toISOString();
    const { recordScans } = await door1.request(RECORD, {
      d: "device-porte-1",
      s: [
        scan(p, "T1", { scannedAt: at(0) }),
        scan(p, "T1", { scannedAt: at(2), direction: "out" }),
        scan(p, "T1", { scannedAt: at(4) }),
      ],
    });
    expect(recordScans.results.map((r: { reason: string }) => r.reason)).toEqual([
      "ACCEPTED",
      "EXIT",
      "ACCEPTED",
    ]);
    const t1 = await tickets().findOne({ performanceId: p._id, barcode: "T1" });
    expect(t1).toMatchObject({ passes: 2, inside: true, revision: 4 });
    expect(t1?.appliedScans.map((a: { id: string }) => a.id)).toHaveLength(3);
    expect(await counters(p)).toMatchObject({ admittedCount: 1, insideCount: 1, revision: 4 });
  });

  it("two devices uploading the same tickets at once: each admitted exactly once, the rest flagged", async () => {
    const p = await performanceWithTickets(ControlMode.single, 50);
    const batch = () => Array.from({ length: 50 }, (_, i) => scan(p, `T${i + 1}`, { deviceAccepted: true }));
    const [one, two] = await Promise.all([
      door1.request(RECORD, { d: "device-porte-1", s: batch() }),
      door2.request(RECORD, { d: "device-porte-2", s: batch() }),
    ]);
    const all = [...one.recordScans.results, ...two.recordScans.results];
    expect(all.filter((r) => r.accepted)).toHaveLength(50);
    expect(all.filter((r) => r.conflict && r.reason === "ALREADY_USED")).toHaveLength(50);
    expect(await counters(p)).toMatchObject({ admittedCount: 50, anomalyCount: 50, refusedCount: 0 });
    const docs = await tickets().find({ performanceId: p._id, state: "valid" }).toArray();
    expect(docs.every((d) => d.passes === 1)).toBe(true);
    // Every change carries its own revision: incremental sync misses none.
    expect(new Set(docs.map((d) => d.revision)).size).toBe(50);
  });

  it("multi-pass: two devices uploading the same tickets at once both pass; every pass is counted", async () => {
    const p = await performanceWithTickets(ControlMode.multi, 30);
    const batch = () => Array.from({ length: 30 }, (_, i) => scan(p, `T${i + 1}`, { deviceAccepted: true }));
    const [one, two] = await Promise.all([
      door1.request(RECORD, { d: "device-porte-1", s: batch() }),
      door2.request(RECORD, { d: "device-porte-2", s: batch() }),
    ]);
    const all = [...one.recordScans.results, ...two.recordScans.results];
    expect(all.every((r) => r.accepted && !r.conflict)).toBe(true);
    const docs = await tickets().find({ performanceId: p._id, state: "valid" }).toArray();
    expect(docs.map((d) => d.passes)).toEqual(Array(30).fill(2));
    expect(await counters(p)).toMatchObject({ admittedCount: 30, anomalyCount: 0, refusedCount: 0 });
  });

  it("a crash after the tickets were written but before the scans were stored: the retry stores them, counting once", async () => {
    const p = await performanceWithTickets(ControlMode.single, 3);
    const queue = [scan(p, "T1"), scan(p, "T2"), scan(p, "T1")];
    const first = (await door1.request(RECORD, { d: "device-porte-1", s: queue })).recordScans;
    // Undo what happened after the ticket updates: the scans and the counters never got written.
    const connection = t.gateway.orm.em.fork().getConnection();
    await connection.getCollection("scan").deleteMany({ performanceId: p._id });
    await connection.getCollection("performance").updateOne({ _id: p._id }, { $set: { counters: {} } });

    const retry = (await door1.request(RECORD, { d: "device-porte-1", s: queue })).recordScans;
    expect(retry.results.map((r: { reason: string }) => r.reason)).toEqual(
      first.results.map((r: { reason: string }) => r.reason),
    );
    expect(await connection.getCollection("scan").countDocuments({ performanceId: p._id })).toBe(3);
    expect(await counters(p)).toMatchObject({ admittedCount: 2, refusedCount: 1 });
    expect(await tickets().findOne({ performanceId: p._id, barcode: "T1" })).toMatchObject({ passes: 1 });
  });
});

describe("bad input", () => {
  it("an unknown ticket or a cancelled one is a recorded refusal", async () => {
    const p = await performanceWithTickets(ControlMode.single, 1);
    const { recordScans } = await door1.request(RECORD, {
      d: "device-porte-1",
      s: [scan(p, "NOPE"), scan(p, "T0")],
    });
    expect(
      recordScans.results.map((r: { reason: string; message: string }) => [r.reason, r.message]),
    ).toEqual([
      ["UNKNOWN_TICKET", "Billet inconnu"],
      ["CANCELLED", "Billet annulé"],
    ]);
    expect(await counters(p)).toMatchObject({ refusedCount: 2 });
  });

  it.each([
    ["an empty batch", () => [], "scans"],
    [
      "an unknown performance",
      () => [scan({ id: new ObjectId().toHexString() } as Performance, "T1")],
      "scans.0.performanceId",
    ],
    [
      "a malformed performance id",
      () => [scan({ id: "nope" } as Performance, "T1")],
      "scans.0.performanceId",
    ],
    [
      "a scan twice in one batch",
      () => {
        const s = scan({ id: new ObjectId().toHexString() } as Performance, "T1");
        return [s, s];
      },
      "scans.1.clientScanId",
    ],
    [
      "a batch over 500 scans",
      () =>
        Array.from({ length: 501 }, () => scan({ id: new ObjectId().toHexString() } as Performance, "T1")),
      "scans",
    ],
  ])("refuses %s, naming the field, storing nothing", async (_case, make, field) => {
    const before = await t.gateway.orm.em.fork().getConnection().getCollection("scan").countDocuments();
    const err = await door1.error(RECORD, { d: "device-porte-1", s: make() });
    expect(err.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    expect(await t.gateway.orm.em.fork().getConnection().getCollection("scan").countDocuments()).toBe(before);
  });

  it("a device clock years off: a recorded refusal that leaves the ticket as it was", async () => {
    const p = await performanceWithTickets(ControlMode.single, 2);
    const { recordScans } = await door1.request(RECORD, {
      d: "device-porte-1",
      s: [
        scan(p, "T1", { scannedAt: "2019-03-01T20:00:00Z", deviceAccepted: false }),
        scan(p, "T2", { scannedAt: "2036-03-01T20:00:00Z", deviceAccepted: false }),
      ],
    });
    expect(
      recordScans.results.map((r: { reason: string; conflict: boolean }) => [r.reason, r.conflict]),
    ).toEqual([
      ["TOO_EARLY", false],
      ["TOO_LATE", false],
    ]);
    const stored = await t.gateway.orm.em
      .fork()
      .getConnection()
      .getCollection("ticket")
      .find({ performanceId: p._id, passes: { $gt: 0 } })
      .toArray();
    expect(stored).toHaveLength(0);
    expect(await counters(p)).toMatchObject({ admittedCount: 0, refusedCount: 2 });
  });

  it.each([
    ["a date that is not one", { scannedAt: "hier soir" }],
    ["a direction other than in/out", { direction: "sideways" }],
    ["a short scan id", { clientScanId: "x" }],
  ] as [string, Record<string, unknown>][])("refuses %s", async (_case, patch) => {
    const p = await performanceWithTickets(ControlMode.single, 1);
    const err = await door1.error(RECORD, { d: "device-porte-1", s: [scan(p, "T1", patch)] });
    expect(err.extensions?.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
    expect(await counters(p)).toMatchObject({ admittedCount: 0, refusedCount: 0 });
  });

  it("checkTicket refuses a direction other than in/out rather than guessing", async () => {
    const p = await performanceWithTickets(ControlMode.single, 1);
    const err = await door1.error(
      `mutation { checkTicket(performanceId: "${p.id}", barcode: "T1", direction: "sortie") { accepted } }`,
    );
    expect(err.extensions).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(err.message).toMatch(/sens/);
    expect(await counters(p)).toMatchObject({ admittedCount: 0, refusedCount: 0 });
  });

  it("another branch's scanner cannot record scans of this performance", async () => {
    const p = await performanceWithTickets(ControlMode.single, 1);
    const err = await outsider.error(
      `mutation { checkTicket(performanceId: "${p.id}", barcode: "T1") { accepted } }`,
    );
    expect(err.extensions?.code).toBe("FORBIDDEN");
    expect(await counters(p)).toMatchObject({ admittedCount: 0, refusedCount: 0 });
  });
});
