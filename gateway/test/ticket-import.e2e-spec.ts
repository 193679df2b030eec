import { ObjectId } from "@mikro-orm/mongodb";
import type { Document } from "mongodb";
import { TicketState } from "../src/access/ticket.entity";
import { BillingUsage } from "../src/billing/billing-usage.entity";
import { PerformanceCounters } from "../src/catalog/performance.entity";
import type { Institution } from "../src/institutions/institution.entity";
import { FIXTURE_PASSWORD, Fixtures } from "./support/fixtures";
import type { GraphqlClient } from "./support/graphql-client";
import { startTestGateway, type TestGateway } from "./support/test-gateway";

let t: TestGateway;
let A: Institution;
let door: GraphqlClient;
let guichet: GraphqlClient;

beforeAll(async () => {
  t = await startTestGateway();
  const f = new Fixtures(t);
  A = await f.institution("A");
  await f.login("porte", A, { member: { scanner: true } });
  await f.login("guichet", A, { member: { backoffice: true } });
  door = await t.login("porte", FIXTURE_PASSWORD);
  guichet = await t.login("guichet", FIXTURE_PASSWORD);
});
afterAll(() => t?.stop());

function performance(barcodes: string[], controlEnabled = true) {
  const tickets = barcodes.map((barcode, i) => ({
    barcode,
    category: i % 2 ? "Réduit" : "Plein",
    holderName: `Client ${i}`,
    state: i === 0 ? TicketState.cancelled : TicketState.valid,
  }));
  return new Fixtures(t).performance(A, tickets, {
    controlEnabled,
    counters: Object.assign(new PerformanceCounters(), { ticketCount: tickets.length }),
  });
}

async function download(client: GraphqlClient, path: string, gzip = true) {
  const res = await fetch(`${t.baseUrl}${path}`, {
    headers: {
      authorization: `Bearer ${client.token}`,
      ...(gzip ? { "accept-encoding": "gzip" } : { "accept-encoding": "identity" }),
    },
  });
  // fetch decodes the gzip itself.
  const text = await res.text();
  return {
    status: res.status,
    res,
    text,
    lines:
      res.status === 200
        ? text
            .trim()
            .split("\n")
            .map((l) => JSON.parse(l))
        : [],
    json: res.status !== 200 ? JSON.parse(text) : undefined,
  };
}

describe("importing a performance onto a scanner", () => {
  it("streams a header then one compact line per ticket, and records the billing usage", async () => {
    const p = await performance(["A0", "A1", "A2", "A3"]);
    const { status, res, lines } = await download(door, `/api/scanner/performances/${p.id}/tickets`);
    expect(status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/x-ndjson/);
    const [header, ...tickets] = lines;
    expect(header).toMatchObject({
      performanceId: p.id,
      revision: 4,
      since: 0,
      total: 4,
      rules: { mode: "single", performanceId: p.id },
    });
    expect(header.categories.sort()).toEqual(["Plein", "Réduit"]);
    expect(tickets).toHaveLength(4);
    const a0 = tickets.find((row: unknown[]) => row[0] === "A0");
    expect(a0[1]).toBe("c");
    expect(header.categories[a0[2]]).toBe("Plein");
    expect(a0.slice(3)).toEqual([0, 0, 0, "Client 0", 1]);
    expect(await t.gateway.orm.em.fork().count(BillingUsage, { institutionId: A._id })).toBe(1);
  });

  it("then only what changed since a revision", async () => {
    const p = await performance(["B0", "B1", "B2"]);
    await door.request(`mutation { checkTicket(performanceId: "${p.id}", barcode: "B2") { accepted } }`);
    const { lines } = await download(door, `/api/scanner/performances/${p.id}/tickets?since=3`);
    const [header, ...tickets] = lines;
    expect(header).toMatchObject({ revision: 4, since: 3, total: null });
    expect(tickets.map((row: unknown[]) => [row[0], row[3], row[7]])).toEqual([["B2", 1, 4]]);
  });

  it("never says it is past a ticket change still being written; the next delta brings it", async () => {
    const p = await performance(["R0", "R1", "R2"]);
    const performances = t.gateway.orm.em.fork().getConnection().getCollection<Document>("performance");
    // Scans leave no reservation behind.
    await door.request(`mutation { checkTicket(performanceId: "${p.id}", barcode: "R1") { accepted } }`);
    expect(await performances.findOne({ _id: p._id })).toMatchObject({ revision: 4, pendingRevisions: [] });

    // A request has reserved revisions 5..6 and not yet written its tickets.
    const inFlight = new ObjectId();
    await performances.updateOne(
      { _id: p._id },
      { $set: { revision: 6, pendingRevisions: [{ id: inFlight, from: 5, at: new Date() }] } },
    );
    const during = await download(door, `/api/scanner/performances/${p.id}/tickets`);
    expect(during.lines[0].revision).toBe(4);
    // It writes R2 at revision 5 (after the download read it) and ends its reservation.
    const tickets = t.gateway.orm.em.fork().getConnection().getCollection<Document>("ticket");
    await tickets.updateOne({ performanceId: p._id, barcode: "R2" }, { $set: { passes: 1, revision: 5 } });
    await performances.updateOne({ _id: p._id }, {
      $pull: { pendingRevisions: { id: inFlight } },
    } as Document);
    const next = await download(
      door,
      `/api/scanner/performances/${p.id}/tickets?since=${during.lines[0].revision}`,
    );
    expect(next.lines[0].revision).toBe(6);
    expect(next.lines.slice(1).map((row: unknown[]) => [row[0], row[3]])).toEqual([["R2", 1]]);
  });

  it("a reservation left by a request that died is ignored after a minute, then dropped", async () => {
    const p = await performance(["S0", "S1"]);
    const performances = t.gateway.orm.em.fork().getConnection().getCollection<Document>("performance");
    await performances.updateOne(
      { _id: p._id },
      {
        $set: {
          revision: 5,
          pendingRevisions: [{ id: new ObjectId(), from: 3, at: new Date(Date.now() - 2 * 60_000) }],
        },
      },
    );
    expect((await download(door, `/api/scanner/performances/${p.id}/tickets`)).lines[0].revision).toBe(5);
    await t.runJob("access.recount-counters");
    expect(await performances.findOne({ _id: p._id })).toMatchObject({ pendingRevisions: [] });
  });

  it("gzip on the wire when asked", async () => {
    const p = await performance(Array.from({ length: 2000 }, (_, i) => `C${String(i).padStart(6, "0")}`));
    const res = await fetch(`${t.baseUrl}/api/scanner/performances/${p.id}/tickets`, {
      headers: { authorization: `Bearer ${door.token}`, "accept-encoding": "gzip" },
    });
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect((await res.text()).trim().split("\n")).toHaveLength(2001);
  });

  it.each([
    [
      "a performance without the PDA box",
      async () => (await performance(["D0"], false)).id,
      "",
      403,
      "FORBIDDEN",
    ],
    ["an unknown performance", async () => "5f0000000000000000000000", "", 404, "NOT_FOUND"],
    ["a malformed id", async () => "nope", "", 400, "BAD_USER_INPUT"],
    ["a bad revision", async () => (await performance(["E0"])).id, "?since=-1", 400, "BAD_USER_INPUT"],
  ])("refuses %s", async (_case, id, query, status, code) => {
    const res = await download(door, `/api/scanner/performances/${await id()}/tickets${query}`);
    expect(res.status).toBe(status);
    expect(res.json).toMatchObject({ code });
    expect(res.json.message).toMatch(/[a-zé]/);
  });

  it("refuses a back-office-only login and an anonymous one", async () => {
    const p = await performance(["F0"]);
    expect((await download(guichet, `/api/scanner/performances/${p.id}/tickets`)).status).toBe(403);
    const anonymous = await fetch(`${t.baseUrl}/api/scanner/performances/${p.id}/tickets`);
    expect(anonymous.status).toBe(401);
  });

  it("tells which barcodes two performances share (they may not be controlled together)", async () => {
    const p1 = await performance(["S1", "S2", "X1"]);
    const p2 = await performance(["S1", "S2", "Y1"]);
    const { sharedBarcodes } = await door.request(
      `{ sharedBarcodes(performanceIds: ["${p1.id}", "${p2.id}"]) { barcode performanceIds } }`,
    );
    expect(sharedBarcodes).toEqual([
      { barcode: "S1", performanceIds: [p1.id, p2.id].sort() },
      { barcode: "S2", performanceIds: [p1.id, p2.id].sort() },
    ]);
  });
});
