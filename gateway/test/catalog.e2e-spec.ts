import { ObjectId } from "@mikro-orm/mongodb";
import { Scan } from "../src/access/scan.entity";
import { Ticket } from "../src/access/ticket.entity";
import { ManualClock } from "../src/common/clock";
import { FIXTURE_PASSWORD, Fixtures } from "./support/fixtures";
import type { GraphqlClient } from "./support/graphql-client";
import { startTestGateway, type TestGateway } from "./support/test-gateway";

// Real time to start with: sessions expire by the database's TTL monitor, which follows the wall clock.
const START = new Date();
const clock = new ManualClock(START);
let t: TestGateway;
let A: string;
let A1: string;
let master: GraphqlClient;
let guichet: GraphqlClient;
let scanner: GraphqlClient;
let other: GraphqlClient;

beforeAll(async () => {
  t = await startTestGateway({ clock });
  const f = new Fixtures(t);
  const a = await f.institution("Théâtre A");
  const a1 = await f.institution("Salle A1", a);
  const b = await f.institution("Théâtre B");
  A = a.id;
  A1 = a1.id;
  await f.login("master-a", a, { masterOf: a, member: { admin: true, backoffice: true, scanner: true } });
  await f.login("guichet-a", a, { member: { backoffice: true } });
  await f.login("scan-a", a, { member: { scanner: true } });
  await f.login("master-b", b, { masterOf: b, member: { admin: true, backoffice: true, scanner: true } });
  master = await t.login("master-a", FIXTURE_PASSWORD);
  guichet = await t.login("guichet-a", FIXTURE_PASSWORD);
  scanner = await t.login("scan-a", FIXTURE_PASSWORD);
  other = await t.login("master-b", FIXTURE_PASSWORD);
});
afterAll(() => t?.stop());

const CREATE_VENUE = `mutation($i: ID!, $input: VenueInput!) { createVenue(institutionId: $i, input: $input) { id name city archived } }`;
const CREATE_EVENT = `mutation($input: EventInput!) { createEvent(input: $input) { id name venue { id } } }`;
const CREATE_PERFORMANCE = `mutation($input: CreatePerformanceInput!) { createPerformance(input: $input) {
  id dated startsAt endsAt label importEndsAt controlEnabled controlMode maxPasses maxPassesPerDay revision
  event { name } venue { name } institution { name } } }`;

async function venueAndEvent(client: GraphqlClient, institutionId: string, name: string) {
  const venue = (
    await client.request(CREATE_VENUE, { i: institutionId, input: { name: `Lieu ${name}`, city: "Lyon" } })
  ).createVenue;
  const event = (await client.request(CREATE_EVENT, { input: { venueId: venue.id, name } })).createEvent;
  return { venue, event };
}

const dated = (eventId: string, start: string, extra: Record<string, unknown> = {}) => ({
  eventId,
  dated: true,
  startsAt: start,
  endsAt: new Date(new Date(start).getTime() + 3 * 3600_000).toISOString(),
  ...extra,
});

describe("venues, events, performances", () => {
  it("a back-office user creates a venue, an event, dated and undated performances", async () => {
    const { venue, event } = await venueAndEvent(guichet, A, "Le Misanthrope");
    expect(venue).toMatchObject({ name: "Lieu Le Misanthrope", city: "Lyon", archived: false });
    expect(event.venue.id).toBe(venue.id);

    const show = (
      await guichet.request(CREATE_PERFORMANCE, { input: dated(event.id, "2026-04-06T17:00:00.000Z") })
    ).createPerformance;
    expect(show).toMatchObject({
      dated: true,
      startsAt: "2026-04-06T17:00:00.000Z",
      importEndsAt: "2026-04-06T20:00:00.000Z",
      controlEnabled: false,
      controlMode: "single",
      revision: 0,
      event: { name: "Le Misanthrope" },
      institution: { name: "Théâtre A" },
    });

    const expo = (
      await guichet.request(CREATE_PERFORMANCE, {
        input: {
          eventId: event.id,
          dated: false,
          label: "Exposition permanente",
          startsAt: "2026-03-01T00:00:00.000Z",
          endsAt: "2026-09-30T22:00:00.000Z",
          controlMode: "multi",
          maxPasses: 10,
          maxPassesPerDay: 2,
          controlEnabled: true,
        },
      })
    ).createPerformance;
    expect(expo).toMatchObject({
      dated: false,
      label: "Exposition permanente",
      controlMode: "multi",
      maxPasses: 10,
      maxPassesPerDay: 2,
    });

    const pda = await guichet.request(
      `mutation { setPerformanceControl(id: "${show.id}", controlEnabled: true) { controlEnabled } }`,
    );
    expect(pda.setPerformanceControl.controlEnabled).toBe(true);
    const filters = await guichet.request(
      `mutation { setExcludedCategories(id: "${show.id}", categories: [" Invitation ", "Exonéré", "Invitation"]) { excludedCategories } }`,
    );
    expect(filters.setExcludedCategories.excludedCategories).toEqual(["Exonéré", "Invitation"]);
  });

  it.each([
    ["an end before the start", { endsAt: "2026-04-06T16:00:00.000Z" }, "endsAt"],
    ["an undated performance without label", { dated: false }, "label"],
    ["multi without total passes", { controlMode: "multi" }, "maxPasses"],
    [
      "more passes a day than in total",
      { controlMode: "multi", maxPasses: 2, maxPassesPerDay: 3 },
      "maxPassesPerDay",
    ],
    ["zero passes", { controlMode: "multi", maxPasses: 0 }, "maxPasses"],
    ["an import end after the end", { importEndsAt: "2026-04-07T00:00:00.000Z" }, "importEndsAt"],
  ])("refuses %s, naming the field, writing nothing", async (_case, patch, field) => {
    const { event } = await venueAndEvent(master, A, `Refus ${field}`);
    const err = await master.error(CREATE_PERFORMANCE, {
      input: { ...dated(event.id, "2026-04-06T17:00:00.000Z"), ...patch },
    });
    expect(err.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    expect(err.message).toMatch(/[a-zé]/);
    const { performances } = await master.request(`{ performances(eventId: "${event.id}") { id } }`);
    expect(performances).toEqual([]);
  });

  it.each([
    ["an empty venue name", CREATE_VENUE, { i: "", input: { name: " " } }, "name"],
    ["a malformed institution id", CREATE_VENUE, { i: "x", input: { name: "Lieu" } }, "institutionId"],
    ["a malformed venue id", CREATE_EVENT, { input: { venueId: "nope", name: "E" } }, "venueId"],
  ])("refuses %s", async (_case, query, variables, field) => {
    const vars: Record<string, unknown> = { ...variables };
    if (vars.i === "") vars.i = A;
    const err = await master.error(query, vars);
    expect(err.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
  });

  it("refuses back-office work to a scanner-only login and to another branch", async () => {
    const { venue, event } = await venueAndEvent(master, A, "Privé");
    for (const client of [scanner, other]) {
      expect((await client.error(CREATE_VENUE, { i: A, input: { name: "X" } })).extensions?.code).toBe(
        "FORBIDDEN",
      );
      expect(
        (await client.error(CREATE_EVENT, { input: { venueId: venue.id, name: "X" } })).extensions?.code,
      ).toBe("FORBIDDEN");
      expect(
        (await client.error(CREATE_PERFORMANCE, { input: dated(event.id, "2026-05-01T18:00:00.000Z") }))
          .extensions?.code,
      ).toBe("FORBIDDEN");
      expect((await client.error(`{ venues(institutionId: "${A}") { id } }`)).extensions?.code).toBe(
        "FORBIDDEN",
      );
      expect(
        (await client.error(`{ performanceDashboard(institutionId: "${A}") { total } }`)).extensions?.code,
      ).toBe("FORBIDDEN");
    }
  });

  it("archives and unarchives; archived performances leave the default dashboard", async () => {
    const { event } = await venueAndEvent(master, A1, "Archivable");
    const p = (
      await master.request(CREATE_PERFORMANCE, { input: dated(event.id, "2026-06-01T18:00:00.000Z") })
    ).createPerformance;
    const count = async (archived: boolean) =>
      (
        await master.request(
          `{ performanceDashboard(institutionId: "${A1}", filter: { archived: ${archived} }) { total } }`,
        )
      ).performanceDashboard.total;
    const before = await count(false);
    await master.request(`mutation { setPerformanceArchived(id: "${p.id}", archived: true) { archived } }`);
    expect(await count(false)).toBe(before - 1);
    expect(await count(true)).toBe(1);
    await master.request(`mutation { setPerformanceArchived(id: "${p.id}", archived: false) { archived } }`);
    expect(await count(false)).toBe(before);
  });
});

describe("the dashboard", () => {
  let dashboardEventId: string;
  beforeAll(async () => {
    const { event } = await venueAndEvent(master, A1, "Opéra bouffe");
    dashboardEventId = event.id;
    for (let day = 1; day <= 60; day++) {
      const start = new Date(Date.UTC(2026, 6, 1, 18) + day * 24 * 3600_000).toISOString();
      await master.request(CREATE_PERFORMANCE, {
        input: dated(event.id, start, { controlEnabled: day % 2 === 0 }),
      });
    }
    // Counters as the scan path will move them.
    const em = t.gateway.orm.em.fork();
    await em
      .getConnection()
      .getCollection("performance")
      .updateMany(
        { eventId: new ObjectId(event.id) },
        { $set: { "counters.validCount": 548, "counters.admittedCount": 516 } },
      );
  });

  const DASHBOARD = `query($i: ID!, $b: Boolean!, $f: DashboardFilter, $s: DashboardSort, $p: PageInput) {
    performanceDashboard(institutionId: $i, includeBranch: $b, filter: $f, sort: $s, page: $p) {
      total rows { performance { startsAt importEndsAt controlEnabled } institution { name } event { name } venue { name } admitted valid gaugePercent } } }`;

  it("shows institution, event, venue, dates, counter and gauge; sorted and paged", async () => {
    const page = (
      await master.request(DASHBOARD, {
        i: A,
        b: true,
        f: { eventId: dashboardEventId },
        s: { field: "startsAt", direction: "desc" },
        p: { offset: 5, limit: 10 },
      })
    ).performanceDashboard;
    expect(page.total).toBe(60);
    expect(page.rows).toHaveLength(10);
    expect(page.rows[0]).toMatchObject({
      institution: { name: "Salle A1" },
      event: { name: "Opéra bouffe" },
      venue: { name: "Lieu Opéra bouffe" },
      admitted: 516,
      valid: 548,
      gaugePercent: 94,
    });
    const starts = page.rows.map((r: { performance: { startsAt: string } }) => r.performance.startsAt);
    expect([...starts].sort().reverse()).toEqual(starts);
  });

  it("filters by search (accent- and case-insensitive), PDA and dates", async () => {
    const search = (await master.request(DASHBOARD, { i: A, b: true, f: { search: "OPERA" } }))
      .performanceDashboard;
    expect(search.total).toBe(60);
    const pda = (
      await master.request(DASHBOARD, { i: A, b: true, f: { search: "opéra", controlEnabled: true } })
    ).performanceDashboard;
    expect(pda.total).toBe(30);
    const july = (
      await master.request(DASHBOARD, {
        i: A,
        b: true,
        f: { search: "opera", from: "2026-07-01T00:00:00Z", to: "2026-08-01T00:00:00Z" },
      })
    ).performanceDashboard;
    expect(july.total).toBe(30);
  });

  it("without includeBranch, only the institution's own performances", async () => {
    const own = (await master.request(DASHBOARD, { i: A, b: false, f: { search: "opera" } }))
      .performanceDashboard;
    expect(own.total).toBe(0);
  });

  it("takes the same number of database round-trips for 5 rows as for 50", async () => {
    const run = (limit: number) =>
      t.countCommands(() =>
        master.request(DASHBOARD, { i: A, b: true, f: { search: "opera" }, p: { offset: 0, limit } }),
      );
    const five = await run(5);
    const fifty = await run(50);
    // Non-zero first: a silent counter would make the comparison meaningless.
    expect(five.count).toBeGreaterThan(0);
    expect(fifty.commands).toEqual(five.commands);
    expect(fifty.count).toBeLessThanOrEqual(14);
  });

  it("refuses a page over 200 rows", async () => {
    const err = await master.error(DASHBOARD, { i: A, b: false, p: { offset: 0, limit: 500 } });
    expect(err.extensions?.code).toBe("BAD_USER_INPUT");
    expect(err.message).toBe("Une page contient au plus 200 lignes.");
  });
});

describe("the purge job", () => {
  it("deletes performances two years after their date, with their tickets and scans", async () => {
    const { event } = await venueAndEvent(master, A, "Ancien");
    const old = (
      await master.request(CREATE_PERFORMANCE, { input: dated(event.id, "2026-03-10T18:00:00.000Z") })
    ).createPerformance;
    const recent = (
      await master.request(CREATE_PERFORMANCE, { input: dated(event.id, "2027-03-10T18:00:00.000Z") })
    ).createPerformance;
    const em = t.gateway.orm.em.fork();
    for (const p of [old, recent]) {
      const ticket = em.create(Ticket, { performanceId: new ObjectId(p.id), barcode: `B-${p.id}` });
      em.create(Scan, {
        clientScanId: `scan-${p.id}`,
        performanceId: new ObjectId(p.id),
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

    clock.set(new Date("2028-03-11T12:00:00Z"));
    await t.runJob("catalog.purge-old-performances");
    clock.set(START);
    const check = t.gateway.orm.em.fork();
    expect(await check.count(Ticket, { performanceId: new ObjectId(old.id) })).toBe(0);
    expect(await check.count(Scan, { performanceId: new ObjectId(old.id) })).toBe(0);
    expect((await master.error(`{ performance(id: "${old.id}") { id } }`)).extensions?.code).toBe(
      "NOT_FOUND",
    );
    expect(await check.count(Ticket, { performanceId: new ObjectId(recent.id) })).toBe(1);
    expect((await master.request(`{ performance(id: "${recent.id}") { id } }`)).performance.id).toBe(
      recent.id,
    );
  });
});
