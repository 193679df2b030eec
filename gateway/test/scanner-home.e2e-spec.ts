import { PerformanceCounters } from "../src/catalog/performance.entity";
import { FIXTURE_PASSWORD, Fixtures } from "./support/fixtures";
import type { GraphqlClient } from "./support/graphql-client";
import { startTestGateway, type TestGateway } from "./support/test-gateway";

const HOUR = 3600_000;
let t: TestGateway;
let A: string;
let B: string;
let onNow: string;
let archived: string;
let notTicked: string;
let longOver: string;
let undated: string;
let scanner: GraphqlClient;
let guichet: GraphqlClient;
let master: GraphqlClient;

const PERFORMANCES = `query($i: ID!) { scannerPerformances(institutionId: $i) {
  id institutionId eventName venueName dated startsAt endsAt label controlMode ticketCount } }`;

beforeAll(async () => {
  t = await startTestGateway();
  const f = new Fixtures(t);
  const a = await f.institution("Théâtre A");
  const b = await f.institution("Théâtre B");
  const child = await f.institution("Annexe A", a);
  A = a.id;
  B = b.id;
  const now = Date.now();
  onNow = (
    await f.performance(a, [], { counters: Object.assign(new PerformanceCounters(), { ticketCount: 3 }) })
  ).id;
  archived = (await f.performance(a, [], { archived: true })).id;
  notTicked = (await f.performance(a, [], { controlEnabled: false })).id;
  longOver = (
    await f.performance(a, [], { startsAt: new Date(now - 50 * HOUR), endsAt: new Date(now - 48 * HOUR) })
  ).id;
  undated = (
    await f.performance(a, [], {
      dated: false,
      label: "Exposition permanente",
      startsAt: undefined,
      endsAt: undefined,
    })
  ).id;
  await f.performance(b, []);
  const porte = await f.login("porte-a", a, { member: { scanner: true } });
  await f.member(porte, child, { scanner: true });
  await f.login("guichet-a", a, { member: { backoffice: true } });
  await f.login("master-a", a, { masterOf: a });
  scanner = await t.login("porte-a", FIXTURE_PASSWORD);
  guichet = await t.login("guichet-a", FIXTURE_PASSWORD);
  master = await t.login("master-a", FIXTURE_PASSWORD);
});
afterAll(() => t?.stop());

describe("what a scanner may import", () => {
  it("lists the institutions where the login scans: its memberships with the flag, a master's branch", async () => {
    const names = async (c: GraphqlClient) =>
      (await c.request(`{ scannerInstitutions { name } }`)).scannerInstitutions.map(
        (i: { name: string }) => i.name,
      );
    expect((await names(scanner)).sort()).toEqual(["Annexe A", "Théâtre A"]);
    expect(await names(guichet)).toEqual([]);
    expect((await names(master)).sort()).toEqual(["Annexe A", "Théâtre A"]);
  });

  it("offers the ticked performances not archived nor long over, with their names and ticket count", async () => {
    const { scannerPerformances } = await scanner.request(PERFORMANCES, { i: A });
    const ids = scannerPerformances.map((p: { id: string }) => p.id);
    expect(ids).toEqual(expect.arrayContaining([onNow, undated]));
    for (const hidden of [archived, notTicked, longOver]) expect(ids).not.toContain(hidden);
    expect(scannerPerformances.find((p: { id: string }) => p.id === onNow)).toMatchObject({
      institutionId: A,
      eventName: "Spectacle",
      venueName: "Lieu",
      dated: true,
      controlMode: "single",
      ticketCount: 3,
    });
    expect(scannerPerformances.find((p: { id: string }) => p.id === undated)).toMatchObject({
      dated: false,
      label: "Exposition permanente",
    });
  });

  it("refuses an institution where the login does not scan, and a malformed id", async () => {
    expect((await scanner.error(PERFORMANCES, { i: B })).extensions?.code).toBe("FORBIDDEN");
    expect((await guichet.error(PERFORMANCES, { i: A })).extensions?.code).toBe("FORBIDDEN");
    expect((await scanner.error(PERFORMANCES, { i: "pas-un-id" })).extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "institutionId",
    });
  });
});
