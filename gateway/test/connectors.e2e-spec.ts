import { type AparteSimulator, startAparteSimulator } from "@billetix/connector-aparte/simulator";
import { startTicketnetSimulator, type TicketnetSimulator } from "@billetix/connector-ticketnet/simulator";
import { ObjectId } from "@mikro-orm/mongodb";
import type { Db } from "mongodb";
import { ManualClock } from "../src/common/clock";
import type { Institution } from "../src/institutions/institution.entity";
import { Fixtures } from "./support/fixtures";
import type { GraphqlClient } from "./support/graphql-client";
import { startTestGateway, type TestGateway } from "./support/test-gateway";

// The connector packages shipped with Billetix, discovered from node_modules as in production,
// against their partners' simulators.
const clock = new ManualClock(new Date());
let t: TestGateway;
let root: GraphqlClient;
let fixtures: Fixtures;
let ticketnet: TicketnetSimulator;
let aparte: AparteSimulator;

beforeAll(async () => {
  [t, ticketnet, aparte] = await Promise.all([
    startTestGateway({ clock }),
    startTicketnetSimulator({ seed: 7 }),
    startAparteSimulator({ seed: 7 }),
  ]);
  root = await t.asRoot();
  fixtures = new Fixtures(t);
});
afterAll(async () => {
  await t?.stop();
  await ticketnet?.close();
  await aparte?.close();
});

const CREATE_SOURCE = `mutation($input: CreateSourceInput!) { createSource(input: $input) { id configProblems } }`;
const ADD = `mutation($p: ID!, $s: ID!, $params: JSONObject!) {
  addPerformanceSource(performanceId: $p, sourceId: $s, input: { params: $params }) {
    id nextSyncAt status { lastRecords lastError } } }`;
const COUNTERS = `query($id: ID!) { performance(id: $id) { counters { ticketCount validCount } } }`;

const db = (): Db => t.gateway.orm.em.getConnection().getDb() as unknown as Db;
const ticketsOf = async (performanceId: string) =>
  new Map(
    (
      await db()
        .collection("ticket")
        .find({ performanceId: new ObjectId(performanceId) })
        .toArray()
    ).map((d) => [d.barcode as string, d]),
  );

async function source(institution: Institution, type: string, config: Record<string, unknown>, extra = {}) {
  const { createSource } = await root.request(CREATE_SOURCE, {
    input: { institutionId: institution.id, type, name: `${type} ${institution.name}`, config, ...extra },
  });
  expect(createSource.configProblems).toEqual([]);
  return createSource.id as string;
}

it("lists the four connectors shipped with Billetix as source types", async () => {
  const { sourceTypes } = await root.request("{ sourceTypes { id kind catalog } }");
  expect(sourceTypes).toEqual(
    expect.arrayContaining([
      { id: "file", kind: "file", catalog: false },
      { id: "ticketnet", kind: "online", catalog: true },
      { id: "aparte", kind: "online", catalog: true },
      { id: "attendees", kind: "online", catalog: true },
    ]),
  );
});

it("fills a performance from a Windows-1252 CSV file, applies its cancellations, and refuses a bad file whole", async () => {
  const institution = await fixtures.institution("Théâtre du fichier");
  const sourceId = await source(institution, "file", {});
  const p = await fixtures.performance(institution, []);
  const { addPerformanceSource: link } = await root.request(ADD, { p: p.id, s: sourceId, params: {} });
  const upload = (content: Buffer) =>
    fetch(`${t.baseUrl}/api/performance-sources/${link.id}/file?name=billets.csv`, {
      method: "POST",
      headers: { authorization: `Bearer ${root.token}` },
      body: content,
    });
  const csv = [
    "Numéro de billet;Catégorie;Nom;Prix;Annulé;Commande",
    "A-001;Orchestre;Hélène Dupré;32,50;;C1",
    "A-002;Balcon;Théo Lefèvre;18,00;oui;C2",
    '"A-003";"Fosse; debout";"Zoé Martin";"12,00";;C3',
  ].join("\r\n");
  const res = await upload(Buffer.from(csv, "latin1"));
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ records: 3, created: 3 });
  const tickets = await ticketsOf(p.id);
  expect(tickets.get("A-001")).toMatchObject({
    holderName: "Hélène Dupré",
    category: "Orchestre",
    price: 32.5,
    state: "valid",
  });
  expect(tickets.get("A-002")).toMatchObject({ state: "cancelled", holderName: "Théo Lefèvre" });
  expect(tickets.get("A-003")).toMatchObject({ category: "Fosse; debout", extra: { Commande: "C3" } });
  expect((await root.request(COUNTERS, { id: p.id })).performance.counters).toEqual({
    ticketCount: 3,
    validCount: 2,
  });

  const bad = await upload(Buffer.from("Numéro de billet;Catégorie\nB-001;Orchestre\n;Balcon\n", "utf8"));
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as { message: string }).message).toMatch(/Ligne 3/);
  expect([...(await ticketsOf(p.id)).keys()].sort()).toEqual(["A-001", "A-002", "A-003"]);
});

it("syncs a partner on its schedule: a cancellation at the partner reaches the ticket's state", async () => {
  const institution = await fixtures.institution("Salle Ticketnet");
  const sourceId = await source(
    institution,
    "ticketnet",
    { baseUrl: ticketnet.url, ...ticketnet.credentials },
    { syncFastEveryMinutes: 5, syncSlowEveryMinutes: 120 },
  );
  // On now: in the fast window.
  const p = await fixtures.performance(institution, [], {
    hours: 3,
    startsAt: new Date(clock.now().getTime() - 3600_000),
  });
  const partnerPerformance = ticketnet.performances()[0];
  const { addPerformanceSource: link } = await root.request(ADD, {
    p: p.id,
    s: sourceId,
    params: { performanceId: partnerPerformance.id },
  });
  const atPartner = ticketnet.tickets(partnerPerformance.id);
  const { performanceSource } = await root.request(
    `query($id: ID!) { performanceSource(id: $id) { status { lastRecords lastError } } }`,
    { id: link.id },
  );
  expect(performanceSource.status).toEqual({ lastRecords: atPartner.length, lastError: null });
  expect((await ticketsOf(p.id)).size).toBe(atPartner.length);

  const victim = atPartner.find((x) => x.status === "VALID")?.barcode as string;
  ticketnet.cancel(victim);
  const [sold] = ticketnet.sell(partnerPerformance.id, 1);

  // Not due yet: the schedule's job leaves it alone.
  await t.runJob("source-syncs-due");
  expect((await ticketsOf(p.id)).get(victim)?.state).toBe("valid");

  clock.advance(5 * 60_000 + 1000);
  await t.runJob("source-syncs-due");
  const after = await ticketsOf(p.id);
  expect(after.get(victim)?.state).toBe("cancelled");
  expect(after.get(sold)?.state).toBe("valid");
  // Incremental: the second sync asked the partner only for what changed since the first.
  expect(ticketnet.requests().some((r) => r.includes("modifiedSince="))).toBe(true);
  const { counters } = (await root.request(COUNTERS, { id: p.id })).performance;
  expect(counters.ticketCount).toBe(atPartner.length + 1);
});

it("builds performances from a partner's catalogue and imports their tickets", async () => {
  const institution = await fixtures.institution("Théâtre Aparté");
  const sourceId = await source(institution, "aparte", {
    baseUrl: aparte.url,
    organismeId: aparte.organismeId,
    apiKey: aparte.apiKey,
  });
  const CATALOGS = `query($i: ID!) { partnerCatalogs(institutionId: $i) { error source { id }
    venues { name events { name dates { id startsAt } } } } }`;
  const [catalog] = (await root.request(CATALOGS, { i: institution.id })).partnerCatalogs;
  expect(catalog.error).toBeNull();
  const venue = catalog.venues[0];
  const event = venue.events[0];
  const dateIds = event.dates.slice(0, 2).map((d: { id: string }) => d.id);
  const { createPerformancesFromCatalog: created } = await root.request(
    `mutation($input: CatalogSelectionInput!) { createPerformancesFromCatalog(input: $input) {
      id startsAt venue { name } event { name } } }`,
    { input: { sourceId, dateIds } },
  );
  expect(created).toHaveLength(2);
  for (const [i, performance] of created.entries()) {
    expect(performance).toMatchObject({
      venue: { name: venue.name },
      event: { name: event.name },
      startsAt: event.dates[i].startsAt,
    });
    expect((await ticketsOf(performance.id)).size).toBe(aparte.billets(dateIds[i]).length);
  }
  const [again] = (await root.request(CATALOGS, { i: institution.id })).partnerCatalogs;
  const stillOffered = again.venues.flatMap((v: { events: { dates: { id: string }[] }[] }) =>
    v.events.flatMap((e) => e.dates.map((d) => d.id)),
  );
  expect(stillOffered).not.toContain(dateIds[0]);
  expect(stillOffered).not.toContain(dateIds[1]);
});
