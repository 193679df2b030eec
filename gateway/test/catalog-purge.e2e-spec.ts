import { ObjectId } from "@mikro-orm/mongodb";
import { Scan } from "../src/access/scan.entity";
import { Ticket } from "../src/access/ticket.entity";
import { Performance } from "../src/catalog/performance.entity";
import { ManualClock } from "../src/common/clock";
import {
  createPerformance,
  dated,
  PERFORMANCE,
  UPDATE_PERFORMANCE,
  undated,
  venueAndEvent,
} from "./catalog.fixtures";
import { FIXTURE_PASSWORD, Fixtures } from "./support/fixtures";
import type { GraphqlClient } from "./support/graphql-client";
import { startTestGateway, type TestGateway } from "./support/test-gateway";

// Real time between runs: sessions expire by the database's TTL monitor, which follows the wall clock.
const START = new Date();
const clock = new ManualClock(START);
let t: TestGateway;
let A: string;
let master: GraphqlClient;
let eventId: string;

beforeAll(async () => {
  t = await startTestGateway({ clock });
  const f = new Fixtures(t);
  const a = await f.institution("Théâtre A");
  A = a.id;
  await f.login("master-a", a, { masterOf: a, member: { admin: true, backoffice: true } });
  master = await t.login("master-a", FIXTURE_PASSWORD);
  eventId = (await venueAndEvent(master, A, "Ancien")).event.id;
});
afterAll(() => t?.stop());

/** Runs the daily job as if it were `at`. */
async function purgeAt(at: string) {
  clock.set(new Date(at));
  try {
    await t.runJob("catalog.purge-old-performances");
  } finally {
    clock.set(START);
  }
}

/** Two tickets and a scan of each, as imports and scanners will leave them. */
async function ticketsAndScans(performanceId: string) {
  const em = t.gateway.orm.em.fork();
  for (const n of [1, 2]) {
    const ticket = em.create(Ticket, {
      performanceId: new ObjectId(performanceId),
      barcode: `B${n}-${performanceId}`,
    });
    em.create(Scan, {
      clientScanId: `scan-${n}-${performanceId}`,
      performanceId: ticket.performanceId,
      ticketId: ticket._id,
      barcode: ticket.barcode,
      loginId: new ObjectId(),
      direction: "in",
      scannedAt: new Date(),
      accepted: true,
      reason: "ACCEPTED",
    });
  }
  await em.flush();
}

async function stored(performanceId: string) {
  const em = t.gateway.orm.em.fork();
  const id = new ObjectId(performanceId);
  return {
    performance: await em.count(Performance, { _id: id }),
    tickets: await em.count(Ticket, { performanceId: id }),
    scans: await em.count(Scan, { performanceId: id }),
  };
}

const KEPT = { performance: 1, tickets: 2, scans: 2 };
const GONE = { performance: 0, tickets: 0, scans: 0 };

describe("the purge job", () => {
  it("deletes performances two years after their end, dated or not, archived or not, with tickets and scans", async () => {
    const old = await createPerformance(master, dated(eventId, "2026-03-10T18:00:00.000Z"));
    const archived = await createPerformance(master, dated(eventId, "2026-03-09T18:00:00.000Z"));
    await master.request(`mutation { archivePerformance(id: "${archived.id}") { id } }`);
    // An exhibition counts from the end of its validity period, not its start.
    const expo = await createPerformance(
      master,
      undated(eventId, "2025-09-01T00:00:00.000Z", "2026-06-30T00:00:00.000Z"),
    );
    const recent = await createPerformance(master, dated(eventId, "2027-03-10T18:00:00.000Z"));
    for (const p of [old, archived, expo, recent]) await ticketsAndScans(p.id);

    // 23 months after: everything stays.
    await purgeAt("2028-02-10T00:00:00Z");
    for (const p of [old, archived, expo, recent]) expect(await stored(p.id)).toEqual(KEPT);

    // Two calendar years after the end (21:00), to the minute.
    await purgeAt("2028-03-10T20:59:00Z");
    expect(await stored(old.id)).toEqual(KEPT);
    await purgeAt("2028-03-10T21:01:00Z");
    for (const p of [old, archived]) expect(await stored(p.id)).toEqual(GONE);
    expect(await stored(expo.id)).toEqual(KEPT);
    expect(await stored(recent.id)).toEqual(KEPT);
    expect((await master.error(PERFORMANCE, { id: old.id })).extensions?.code).toBe("NOT_FOUND");

    await purgeAt("2028-07-01T00:00:00Z");
    expect(await stored(expo.id)).toEqual(GONE);
    expect(await stored(recent.id)).toEqual(KEPT);
    expect((await master.request(PERFORMANCE, { id: recent.id })).performance.id).toBe(recent.id);
  });

  it("moving a performance's date moves its purge", async () => {
    const p = await createPerformance(master, dated(eventId, "2026-01-10T18:00:00.000Z"));
    const { eventId: _, ...form } = dated(eventId, "2027-01-10T18:00:00.000Z");
    await master.request(UPDATE_PERFORMANCE, { id: p.id, input: form });
    await purgeAt("2028-06-01T00:00:00Z");
    expect((await stored(p.id)).performance).toBe(1);
    await purgeAt("2029-01-12T00:00:00Z");
    expect((await stored(p.id)).performance).toBe(0);
  });

  it("finishes, on the next run, a run cut short after some children were deleted", async () => {
    const p = await createPerformance(master, dated(eventId, "2026-02-10T18:00:00.000Z"));
    await ticketsAndScans(p.id);
    // What a crash between the scans' and the tickets' deletion leaves behind.
    await t.gateway.orm.em.fork().nativeDelete(Scan, { performanceId: new ObjectId(p.id) });
    expect(await stored(p.id)).toEqual({ performance: 1, tickets: 2, scans: 0 });
    await purgeAt("2028-02-12T00:00:00Z");
    expect(await stored(p.id)).toEqual(GONE);
  });

  it("purges more than one batch in a run, and a run with nothing due deletes nothing", async () => {
    const em = t.gateway.orm.em.fork();
    const owner = { institutionId: new ObjectId(A), venueId: new ObjectId(), eventId: new ObjectId() };
    for (let i = 0; i < 250; i++) {
      em.create(Performance, {
        ...owner,
        startsAt: new Date("2020-01-01"),
        endsAt: new Date("2020-01-02"),
        purgeAfter: new Date("2022-01-02"),
      });
    }
    await em.flush();
    const count = () => t.gateway.orm.em.fork().count(Performance, { eventId: owner.eventId });
    expect(await count()).toBe(250);
    const before = await t.gateway.orm.em.fork().count(Performance, {});
    await purgeAt("2023-01-01T00:00:00Z");
    expect(await count()).toBe(0);
    expect(await t.gateway.orm.em.fork().count(Performance, {})).toBe(before - 250);
    await purgeAt("2023-01-02T00:00:00Z");
    expect(await t.gateway.orm.em.fork().count(Performance, {})).toBe(before - 250);
  });
});
