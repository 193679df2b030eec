import { seedDemoSources, startDemoPartners } from "../src/demo/demo-partners";
import { DEMO_CUSTOMER, DEMO_PASSWORD, seedDemo } from "../src/demo/seed-demo";
import { startTestGateway, type TestGateway } from "./support/test-gateway";

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t?.stop());

describe("npm run demo", () => {
  it("fills a demo customer once, through the services, with logins that work", async () => {
    const first = await seedDemo(t.gateway.orm.em.fork(), t.gateway.deps);
    expect(first.created).toBe(true);
    expect((await seedDemo(t.gateway.orm.em.fork(), t.gateway.deps)).created).toBe(false);

    const master = await t.login("demo-master", DEMO_PASSWORD);
    const { institutions } = await master.request("{ institutions { name depth } }");
    expect(institutions).toEqual([
      { name: "Théâtre des Lumières (démo)", depth: 1 },
      { name: "Salle Jean Vilar", depth: 2 },
    ]);
    const theatre = (await master.request("{ institutions { id depth } }")).institutions.find(
      (i: { depth: number }) => i.depth === 1,
    );
    const { performanceDashboard } = await master.request(
      `{ performanceDashboard(institutionId: "${theatre.id}", includeBranch: true, page: { offset: 0, limit: 200 }) {
        total rows { performance { dated label controlMode controlEnabled excludedCategories } event { name } venue { name } admitted valid gaugePercent } } }`,
    );
    expect(performanceDashboard.total).toBe(11);
    const names = new Set(performanceDashboard.rows.map((r: { event: { name: string } }) => r.event.name));
    expect(names).toEqual(
      new Set(["Le Misanthrope", "Nuit du jazz", "Cyrano de Bergerac", "Lumières d'Orient (exposition)"]),
    );
    const modes = new Set(
      performanceDashboard.rows.map(
        (r: { performance: { controlMode: string } }) => r.performance.controlMode,
      ),
    );
    expect(modes).toEqual(new Set(["single", "inOut", "multi"]));
    const undated = performanceDashboard.rows.find(
      (r: { performance: { dated: boolean } }) => !r.performance.dated,
    );
    expect(undated.performance).toMatchObject({
      controlMode: "multi",
      excludedCategories: ["Invitation"],
      controlEnabled: true,
    });
    const past = performanceDashboard.rows.filter((r: { gaugePercent: number }) => r.gaugePercent > 0);
    expect(past.length).toBeGreaterThan(0);
    for (const row of performanceDashboard.rows) expect(row.admitted).toBeLessThanOrEqual(row.valid);

    const controle = await t.login("demo-controle", DEMO_PASSWORD);
    const { me } = await controle.request(
      "{ me { memberships { scanner backoffice institution { name } } } }",
    );
    expect(me.memberships).toHaveLength(2);
    expect(
      me.memberships.every((m: { scanner: boolean; backoffice: boolean }) => m.scanner && !m.backoffice),
    ).toBe(true);
  });
});

describe("the demo's partners", () => {
  it("gives the demo theatre a source per simulated partner and performances from their catalogues, once", async () => {
    await seedDemo(t.gateway.orm.em.fork(), t.gateway.deps);
    const first = await startDemoPartners();
    try {
      await seedDemoSources(t.gateway.orm.em.fork(), t.gateway.deps, DEMO_CUSTOMER, first);
    } finally {
      await first.close();
    }
    const second = await startDemoPartners();
    try {
      // A new run: the simulators listen on other ports; the sources follow, nothing is duplicated.
      await seedDemoSources(t.gateway.orm.em.fork(), t.gateway.deps, DEMO_CUSTOMER, second);
      const master = await t.login("demo-master", DEMO_PASSWORD);
      const theatre = (await master.request("{ institutions { id depth } }")).institutions.find(
        (i: { depth: number }) => i.depth === 1,
      );
      const { sources } = await master.request(
        `query($i: ID!) { sources(institutionId: $i) { name connectorId config configProblems } }`,
        { i: theatre.id },
      );
      expect(sources.map((s: { connectorId: string }) => s.connectorId).sort()).toEqual([
        "aparte",
        "attendees",
        "file",
        "ticketnet",
      ]);
      for (const source of sources.filter((s: { connectorId: string }) => s.connectorId !== "file")) {
        expect(source.configProblems).toEqual([]);
        expect(second.sources.map((p) => p.config.baseUrl)).toContain(source.config.baseUrl);
      }
      const linked = (await t.gateway.orm.em
        .getConnection()
        .getCollection("performance_source")
        .find({ online: true })
        .toArray()) as unknown as { status: { lastError?: string | null; lastRecords?: number } }[];
      expect(linked).toHaveLength(6);
      for (const link of linked) {
        expect(link.status.lastError ?? null).toBeNull();
        expect(link.status.lastRecords).toBeGreaterThan(0);
      }
    } finally {
      await second.close();
    }
  });
});
