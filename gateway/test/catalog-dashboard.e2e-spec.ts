import { createPerformance, DASHBOARD, dated, setCounters, undated, venueAndEvent } from "./catalog.fixtures";
import { FIXTURE_PASSWORD, Fixtures } from "./support/fixtures";
import type { GraphqlClient } from "./support/graphql-client";
import { startTestGateway, type TestGateway } from "./support/test-gateway";

let t: TestGateway;
let A: string;
let A1: string;
let master: GraphqlClient;
let guichet: GraphqlClient;
let root: GraphqlClient;
let other: GraphqlClient;
let scanner: GraphqlClient;
let operaEventId: string;
let operaVenueId: string;
let archivedId: string;
let emptyId: string;

interface Row {
  performance: {
    id: string;
    startsAt: string;
    endsAt: string;
    importEndsAt: string;
    controlEnabled: boolean;
    archived: boolean;
    createdAt: string;
  };
  institution: { name: string };
  event: { name: string };
  venue: { name: string };
  admitted: number;
  valid: number;
  gaugePercent: number;
}

const DAY = 24 * 3600_000;
const OPERA_COUNT = 60;

/**
 * The branch: A (3 performances of "Le Misanthrope" + 1 undated), its sub-institutions A1 (60 of
 * "Opéra bouffe", the PDA box ticked every other day) and A2 (1 live + 1 archived of "Cirque");
 * B, another branch, has one that must never show.
 */
beforeAll(async () => {
  t = await startTestGateway();
  const f = new Fixtures(t);
  const a = await f.institution("Théâtre A");
  const a1 = await f.institution("Salle A1", a);
  const a2 = await f.institution("Salle A2", a);
  const b = await f.institution("Théâtre B");
  A = a.id;
  A1 = a1.id;
  await f.login("master-a", a, { masterOf: a, member: { admin: true, backoffice: true } });
  await f.login("guichet-a", a, { member: { backoffice: true } });
  await f.login("scan-a", a, { member: { scanner: true } });
  await f.login("master-b", b, { masterOf: b, member: { admin: true, backoffice: true } });
  master = await t.login("master-a", FIXTURE_PASSWORD);
  guichet = await t.login("guichet-a", FIXTURE_PASSWORD);
  scanner = await t.login("scan-a", FIXTURE_PASSWORD);
  other = await t.login("master-b", FIXTURE_PASSWORD);
  root = await t.asRoot();

  const misanthrope = await venueAndEvent(master, A, "Le Misanthrope");
  for (const day of [1, 2, 3]) {
    const p = await createPerformance(master, dated(misanthrope.event.id, `2026-04-0${day}T17:00:00.000Z`));
    await setCounters(t, p.id, 548, 500 + day);
  }
  emptyId = (
    await createPerformance(
      master,
      undated(misanthrope.event.id, "2026-03-01T00:00:00.000Z", "2026-09-30T00:00:00.000Z"),
    )
  ).id;

  const opera = await venueAndEvent(master, A1, "Opéra bouffe");
  operaEventId = opera.event.id;
  operaVenueId = opera.venue.id;
  for (let day = 1; day <= OPERA_COUNT; day++) {
    const start = new Date(Date.UTC(2026, 6, 1, 18) + day * DAY);
    // Import ends from 24 h before the end to 12 h after it, so that sorting on them differs from
    // sorting on the start (the 3rd's import ends after the 4th's).
    const importEndsAt = new Date(start.getTime() + 3 * 3600_000 + ((day % 4) * 12 - 24) * 3600_000);
    const p = await createPerformance(
      master,
      dated(operaEventId, start.toISOString(), {
        controlEnabled: day % 2 === 0,
        importEndsAt: importEndsAt.toISOString(),
      }),
    );
    await setCounters(t, p.id, 548, 516);
  }

  const cirque = await venueAndEvent(master, a2.id, "Cirque");
  await createPerformance(master, dated(cirque.event.id, "2026-05-01T18:00:00.000Z"));
  archivedId = (await createPerformance(master, dated(cirque.event.id, "2026-05-02T18:00:00.000Z"))).id;
  await master.request(`mutation { archivePerformance(id: "${archivedId}") { id } }`);

  const elsewhere = await venueAndEvent(other, b.id, "Opéra de B");
  await createPerformance(other, dated(elsewhere.event.id, "2026-07-10T18:00:00.000Z"));
});
afterAll(() => t?.stop());

const BRANCH_TOTAL = 4 + OPERA_COUNT + 1;

async function dashboard(
  client: GraphqlClient,
  variables: { i?: string; b?: boolean; f?: object; s?: object; p?: object },
): Promise<{ total: number; rows: Row[] }> {
  return (await client.request(DASHBOARD, { i: A, b: true, ...variables })).performanceDashboard;
}

describe("contents", () => {
  it("a row carries institution, event, venue, dates, import end, PDA box, counter and gauge", async () => {
    const page = await dashboard(master, { f: { eventId: operaEventId }, p: { offset: 0, limit: 1 } });
    expect(page.total).toBe(OPERA_COUNT);
    expect(page.rows[0]).toMatchObject({
      performance: {
        startsAt: "2026-07-02T18:00:00.000Z",
        endsAt: "2026-07-02T21:00:00.000Z",
        importEndsAt: "2026-07-02T09:00:00.000Z",
        controlEnabled: false,
      },
      institution: { name: "Salle A1" },
      event: { name: "Opéra bouffe" },
      venue: { name: "Lieu Opéra bouffe" },
      admitted: 516,
      valid: 548,
      gaugePercent: 94,
    });
  });

  it("the gauge is 0 without valid tickets", async () => {
    const { rows } = await dashboard(master, {
      b: false,
      f: { from: "2026-01-01T00:00:00Z" },
      p: { limit: 200 },
    });
    const empty = rows.find((r) => r.performance.id === emptyId);
    expect(empty).toMatchObject({ admitted: 0, valid: 0, gaugePercent: 0 });
  });

  it("the branch for a master: the institution and every descendant, never another branch", async () => {
    const page = await dashboard(master, { p: { limit: 200 } });
    expect(page.total).toBe(BRANCH_TOTAL);
    expect(new Set(page.rows.map((r) => r.institution.name))).toEqual(
      new Set(["Théâtre A", "Salle A1", "Salle A2"]),
    );
    expect((await dashboard(root, { p: { limit: 200 } })).total).toBe(BRANCH_TOTAL);
    expect((await dashboard(master, { i: A1 })).total).toBe(OPERA_COUNT);
  });

  it("without includeBranch, only the institution's own performances", async () => {
    expect((await dashboard(master, { b: false })).total).toBe(4);
  });

  it("a back-office user's branch holds only the institutions where it has back-office rights", async () => {
    expect((await dashboard(guichet, { b: true })).total).toBe(4);
    expect((await guichet.error(DASHBOARD, { i: A1, b: true })).extensions?.code).toBe("FORBIDDEN");
  });

  it.each([
    ["a scanner-only login", () => scanner],
    ["another branch's master", () => other],
  ])("refuses %s", async (_case, client) => {
    const err = await client().error(DASHBOARD, { i: A, b: true });
    expect(err).toMatchObject({
      message: "Vous n'avez pas les droits pour voir les spectacles de cette institution.",
      extensions: { code: "FORBIDDEN" },
    });
  });
});

describe("filters", () => {
  it.each<[string, object, number]>([
    ["an upper-case search without accents", { search: "OPERA" }, OPERA_COUNT],
    ["a partial search with accents", { search: "péra bou" }, OPERA_COUNT],
    ["a search with RegExp characters", { search: "(.*" }, 0],
    ["the PDA box ticked", { controlEnabled: true }, OPERA_COUNT / 2],
    ["the PDA box not ticked", { controlEnabled: false }, BRANCH_TOTAL - OPERA_COUNT / 2],
    ["a venue", { venueId: "VENUE" }, OPERA_COUNT],
    ["an event", { eventId: "EVENT" }, OPERA_COUNT],
    ["an event and a search that does not match it", { eventId: "EVENT", search: "cirque" }, 0],
    // July 2026: performances of the 2nd to the 31st, plus the exhibition running until September.
    ["a period", { from: "2026-07-01T00:00:00Z", to: "2026-08-01T00:00:00Z" }, 30 + 1],
    ["a start only", { from: "2026-08-30T00:00:00Z" }, 1 + 1],
    ["an end only", { to: "2026-04-02T00:00:00Z" }, 1 + 1],
    ["the archived ones", { archived: true }, 1],
  ])("by %s", async (_case, filter, total) => {
    const f = JSON.parse(
      JSON.stringify(filter).replace('"VENUE"', `"${operaVenueId}"`).replace('"EVENT"', `"${operaEventId}"`),
    );
    expect((await dashboard(master, { f })).total).toBe(total);
  });

  it("an archived performance leaves the default list and comes back when unarchived", async () => {
    expect((await dashboard(master, { f: { archived: true } })).rows.map((r) => r.performance.id)).toEqual([
      archivedId,
    ]);
    await master.request(`mutation { unarchivePerformance(id: "${archivedId}") { id } }`);
    expect((await dashboard(master, {})).total).toBe(BRANCH_TOTAL + 1);
    await master.request(`mutation { archivePerformance(id: "${archivedId}") { id } }`);
    expect((await dashboard(master, {})).total).toBe(BRANCH_TOTAL);
  });

  it("a malformed venue id is bad input naming the field", async () => {
    const err = await master.error(DASHBOARD, { i: A, b: true, f: { venueId: "nope" } });
    expect(err.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.venueId" });
  });
});

describe("sort and pages", () => {
  const fields = ["startsAt", "endsAt", "importEndsAt", "createdAt"] as const;

  it.each(
    fields.flatMap((field) => (["asc", "desc"] as const).map((direction) => [field, direction] as const)),
  )("sorts on %s %s", async (field, direction) => {
    const { rows } = await dashboard(master, {
      f: { eventId: operaEventId },
      s: { field, direction },
      p: { limit: 200 },
    });
    const values = rows.map((r) => r.performance[field]);
    const sorted = [...values].sort();
    expect(values).toEqual(direction === "asc" ? sorted : sorted.reverse());
  });

  it("the import end's order is not the start's (so the sort tests above tell them apart)", async () => {
    const ids = async (field: string) =>
      (await dashboard(master, { f: { eventId: operaEventId }, s: { field }, p: { limit: 200 } })).rows.map(
        (r) => r.performance.id,
      );
    expect(await ids("importEndsAt")).not.toEqual(await ids("startsAt"));
  });

  it("sorts on the start by default", async () => {
    const { rows } = await dashboard(master, { f: { eventId: operaEventId }, p: { limit: 200 } });
    const starts = rows.map((r) => r.performance.startsAt);
    expect(starts).toEqual([...starts].sort());
  });

  it("pages cover the list once, in order, whatever the page size", async () => {
    const all = (
      await dashboard(master, { s: { field: "importEndsAt", direction: "desc" }, p: { limit: 200 } })
    ).rows;
    expect(all).toHaveLength(BRANCH_TOTAL);
    const paged: Row[] = [];
    for (let offset = 0; offset < BRANCH_TOTAL; offset += 7) {
      const page = await dashboard(master, {
        s: { field: "importEndsAt", direction: "desc" },
        p: { offset, limit: 7 },
      });
      expect(page.total).toBe(BRANCH_TOTAL);
      paged.push(...page.rows);
    }
    expect(paged.map((r) => r.performance.id)).toEqual(all.map((r) => r.performance.id));
    expect((await dashboard(master, { p: { offset: 500, limit: 10 } })).rows).toEqual([]);
  });

  it.each<[string, object, string, string]>([
    ["over 200 rows", { offset: 0, limit: 201 }, "limit", "Une page contient au plus 200 lignes."],
    ["of no row", { offset: 0, limit: 0 }, "limit", "Une page contient au moins 1 ligne."],
    [
      "at a negative offset",
      { offset: -1, limit: 10 },
      "offset",
      "Le décalage de page ne peut pas être négatif.",
    ],
  ])("refuses a page %s", async (_case, p, field, message) => {
    const err = await master.error(DASHBOARD, { i: A, b: true, p });
    expect(err).toMatchObject({ message, extensions: { code: "BAD_USER_INPUT", field } });
  });
});

describe("database round-trips", () => {
  it.each([
    ["the branch with a search", { search: "e" }],
    ["the branch without filter", {}],
  ])("are the same for 5 rows as for 50: %s", async (_case, f) => {
    const run = (limit: number) =>
      t.countCommands(() => master.request(DASHBOARD, { i: A, b: true, f, p: { offset: 0, limit } }));
    const five = await run(5);
    const fifty = await run(50);
    // Non-zero first: a silent counter would make the comparison meaningless.
    expect(five.count).toBeGreaterThan(0);
    expect(fifty.commands).toEqual(five.commands);
    // Session, memberships, institution, branch, (search), page, count, events, venues, and the
    // cursors closed after them.
    expect(fifty.count).toBeLessThanOrEqual(14);
  });
});
