import { DEMO_PASSWORD, seedDemo } from "../src/demo/seed-demo";
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
