import { TicketState } from "../src/access/ticket.entity";
import { Performance } from "../src/catalog/performance.entity";
import { ManualClock } from "../src/common/clock";
import type { Institution } from "../src/institutions/institution.entity";
import { FIXTURE_PASSWORD, Fixtures, scanUpload } from "./support/fixtures";
import type { GraphqlClient } from "./support/graphql-client";
import { startTestGateway, type TestGateway } from "./support/test-gateway";

// Real time at the start: sessions expire by the database's TTL monitor, which follows the wall clock.
const START = Date.now();
const clock = new ManualClock(new Date(START));
let t: TestGateway;
let A: Institution;
let door: GraphqlClient;

beforeAll(async () => {
  t = await startTestGateway({ clock });
  const f = new Fixtures(t);
  A = await f.institution("A");
  await f.login("porte", A, { member: { scanner: true } });
  door = await t.login("porte", FIXTURE_PASSWORD);
});
afterAll(() => t?.stop());

const RECORD = `mutation($s: [ScanUploadInput!]!) { recordScans(deviceKey: "", scans: $s) { results { reason } } }`;
const scan = (p: Performance, barcode: string) => scanUpload(p, barcode);

/** Three tickets, T0 cancelled; T1 and T2 admitted, T1 again refused. */
async function scannedPerformance(): Promise<Performance> {
  const p = await new Fixtures(t).performance(A, [
    { state: TicketState.cancelled },
    { state: TicketState.valid },
    { state: TicketState.valid },
  ]);
  await door.request(RECORD, { s: [scan(p, "T1"), scan(p, "T2"), scan(p, "T1")] });
  return p;
}

const counters = async (p: Performance) =>
  (await t.gateway.orm.em.fork().findOneOrFail(Performance, { _id: p._id })).counters;

/** What a gateway dying between storing the scans and moving the counters leaves behind. */
const loseCounterMoves = (p: Performance) =>
  t.gateway.orm.em
    .fork()
    .getConnection()
    .getCollection("performance")
    .updateOne({ _id: p._id }, { $set: { "counters.admittedCount": 0, "counters.refusedCount": 0 } });

async function recountAt(offsetMs: number) {
  clock.set(new Date(START + offsetMs));
  await t.runJob("access.recount-counters");
}

describe("the counter recount job", () => {
  it("repairs the counters of a quiet performance from its tickets and scans; leaves right ones alone", async () => {
    const broken = await scannedPerformance();
    const right = await scannedPerformance();
    const rightBefore = await counters(right);
    expect(rightBefore).toMatchObject({ admittedCount: 2, refusedCount: 1 });
    await loseCounterMoves(broken);

    // Scans a minute old: requests may still be counting them, so nothing is touched yet.
    await recountAt(60_000);
    expect(await counters(broken)).toMatchObject({ admittedCount: 0, refusedCount: 0 });

    await recountAt(3 * 60_000);
    expect(await counters(broken)).toEqual({
      ticketCount: 3,
      validCount: 2,
      admittedCount: 2,
      insideCount: 0,
      refusedCount: 1,
      anomalyCount: 0,
    });
    expect(await counters(right)).toEqual({ ...rightBefore, ticketCount: 3, validCount: 2 });
  });

  it("leaves a performance that is still being scanned until it goes quiet", async () => {
    clock.set(new Date(START));
    const p = await scannedPerformance();
    await loseCounterMoves(p);
    clock.set(new Date(START + 2.5 * 60_000));
    await door.request(RECORD, { s: [scan(p, "T2")] });

    await recountAt(3 * 60_000);
    expect(await counters(p)).toMatchObject({ admittedCount: 0, refusedCount: 1 });
    await recountAt(5 * 60_000);
    expect(await counters(p)).toMatchObject({ admittedCount: 2, refusedCount: 2 });
  });
});
