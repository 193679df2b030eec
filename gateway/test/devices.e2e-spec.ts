import { ManualClock } from "../src/common/clock";
import { FIXTURE_PASSWORD, Fixtures } from "./support/fixtures";
import type { GraphqlClient } from "./support/graphql-client";
import { startTestGateway, type TestGateway } from "./support/test-gateway";

const clock = new ManualClock(new Date());
let t: TestGateway;
let A: string;
let scanner: GraphqlClient;
let guichet: GraphqlClient;
let other: GraphqlClient;

beforeAll(async () => {
  t = await startTestGateway({ clock });
  const f = new Fixtures(t);
  const a = await f.institution("A");
  const b = await f.institution("B");
  A = a.id;
  await f.login("porte-a", a, { member: { scanner: true } });
  await f.login("guichet-a", a, { member: { backoffice: true } });
  await f.login("porte-b", b, { member: { scanner: true } });
  scanner = await t.login("porte-a", FIXTURE_PASSWORD);
  guichet = await t.login("guichet-a", FIXTURE_PASSWORD);
  other = await t.login("porte-b", FIXTURE_PASSWORD);
});
afterAll(() => t?.stop());

const REGISTER = `mutation($i: RegisterDeviceInput!) { registerDevice(input: $i) { id deviceKey name lastSkewMs } }`;
const CLOCK = `mutation($k: String!, $t: DateTimeISO!) { checkDeviceClock(deviceKey: $k, deviceTime: $t) { serverTime skewMs skewed message } }`;

describe("devices and their clocks", () => {
  it("a scanner registers its device; registering again renames it, never duplicates it", async () => {
    const first = (
      await scanner.request(REGISTER, {
        i: { deviceKey: "tablette-0001", name: "Porte A", institutionId: A },
      })
    ).registerDevice;
    const again = (
      await scanner.request(REGISTER, {
        i: { deviceKey: "tablette-0001", name: "Porte A bis", institutionId: A },
      })
    ).registerDevice;
    expect(again).toMatchObject({ id: first.id, name: "Porte A bis" });
    const { devices } = await guichet.request(`{ devices(institutionId: "${A}") { deviceKey name } }`);
    expect(devices).toEqual([{ deviceKey: "tablette-0001", name: "Porte A bis" }]);
  });

  it.each([
    ["a short key", { deviceKey: "abc", name: "X" }, "deviceKey"],
    ["a key with spaces", { deviceKey: "tablette 0001", name: "X" }, "deviceKey"],
    ["an empty name", { deviceKey: "tablette-0002", name: "  " }, "name"],
  ])("refuses %s, naming the field", async (_case, input, field) => {
    const err = await scanner.error(REGISTER, { i: { ...input, institutionId: A } });
    expect(err.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
  });

  it("only logins that scan in the institution register devices there", async () => {
    for (const client of [guichet, other]) {
      const err = await client.error(REGISTER, {
        i: { deviceKey: "tablette-0003", name: "X", institutionId: A },
      });
      expect(err.extensions?.code).toBe("FORBIDDEN");
    }
  });

  it("each sync records the skew; over two minutes the scanner is told to warn", async () => {
    await scanner.request(REGISTER, {
      i: { deviceKey: "telephone-0001", name: "Téléphone", institutionId: A },
    });
    const now = clock.now().getTime();
    const ok = (
      await scanner.request(CLOCK, { k: "telephone-0001", t: new Date(now + 90_000).toISOString() })
    ).checkDeviceClock;
    expect(ok).toEqual({
      serverTime: new Date(now).toISOString(),
      skewMs: 90_000,
      skewed: false,
      message: null,
    });
    const late = (
      await scanner.request(CLOCK, { k: "telephone-0001", t: new Date(now - 121_000).toISOString() })
    ).checkDeviceClock;
    expect(late).toMatchObject({
      skewMs: -121_000,
      skewed: true,
      message: "Votre terminal doit être à l'heure.",
    });
    const yearsOff = (await scanner.request(CLOCK, { k: "telephone-0001", t: "2019-01-01T00:00:00.000Z" }))
      .checkDeviceClock;
    expect(yearsOff.skewed).toBe(true);
    const { devices } = await guichet.request(`{ devices(institutionId: "${A}") { deviceKey lastSkewMs } }`);
    expect(devices.find((d: { deviceKey: string }) => d.deviceKey === "telephone-0001").lastSkewMs).toBe(
      yearsOff.skewMs,
    );
  });

  it("an unknown device, or another branch's, cannot sync", async () => {
    expect(
      (await scanner.error(CLOCK, { k: "inconnu-0000", t: new Date().toISOString() })).extensions?.code,
    ).toBe("NOT_FOUND");
    expect(
      (await other.error(CLOCK, { k: "telephone-0001", t: new Date().toISOString() })).extensions?.code,
    ).toBe("FORBIDDEN");
    expect((await scanner.error(CLOCK, { k: "telephone-0001", t: "pas une date" })).extensions?.code).toBe(
      "BAD_USER_INPUT",
    );
  });
});
