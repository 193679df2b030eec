import { TicketState } from "../src/access/ticket.entity";
import { ControlMode, Performance } from "../src/catalog/performance.entity";
import type { Institution } from "../src/institutions/institution.entity";
import { FIXTURE_PASSWORD, Fixtures, scanUpload } from "./support/fixtures";
import type { GraphqlClient } from "./support/graphql-client";
import { startTestGateway, type TestGateway } from "./support/test-gateway";

/** `POST /api/scanner/scans`: the scanner's upload path, the same service as `recordScans`. */
let t: TestGateway;
let A: Institution;
let door: GraphqlClient;
let outsider: GraphqlClient;
const DEVICE = "device-route-1";

beforeAll(async () => {
  t = await startTestGateway();
  const f = new Fixtures(t);
  A = await f.institution("A");
  const B = await f.institution("B");
  await f.login("porte", A, { member: { scanner: true } });
  await f.login("porte-b", B, { member: { scanner: true } });
  door = await t.login("porte", FIXTURE_PASSWORD);
  outsider = await t.login("porte-b", FIXTURE_PASSWORD);
  await door.request(
    `mutation { registerDevice(input: { deviceKey: "${DEVICE}", name: "Porte A", institutionId: "${A.id}" }) { id } }`,
  );
});
afterAll(() => t?.stop());

function performance(count: number) {
  const tickets = Array.from({ length: count }, () => ({ state: TicketState.valid }));
  return new Fixtures(t).performance(A, tickets, { controlMode: ControlMode.single, revision: count });
}

async function post(client: GraphqlClient | undefined, body: string, contentType = "application/json") {
  const res = await fetch(`${t.baseUrl}/api/scanner/scans`, {
    method: "POST",
    headers: {
      "content-type": contentType,
      ...(client?.token ? { authorization: `Bearer ${client.token}` } : {}),
    },
    body,
  });
  // biome-ignore lint/suspicious/noExplicitAny: a JSON reply, checked field by field below
  return { status: res.status, body: (await res.json()) as any };
}

const upload = (client: GraphqlClient | undefined, scans: unknown, deviceKey: unknown = DEVICE) =>
  post(client, JSON.stringify({ deviceKey, scans }));

async function stored(p: Performance) {
  const db = t.gateway.orm.em.fork().getConnection();
  const fresh = await t.gateway.orm.em.fork().findOneOrFail(Performance, { _id: p._id });
  return {
    scans: await db.getCollection("scan").countDocuments({ performanceId: p._id }),
    ...fresh.counters,
  };
}

it("records a batch, epoch or ISO times alike, and replays it without counting twice", async () => {
  const p = await performance(3);
  const scans = [
    scanUpload(p, "T0", { deviceAccepted: true }),
    scanUpload(p, "T1", { scannedAt: Date.now(), deviceAccepted: true }),
    scanUpload(p, "T0", { deviceAccepted: true }),
    scanUpload(p, "inconnu", { deviceAccepted: false }),
  ];
  const first = await upload(door, scans);
  expect(first.status).toBe(200);
  expect(
    first.body.results.map((r: { reason: string; conflict: boolean }) => [r.reason, r.conflict]),
  ).toEqual([
    ["ACCEPTED", false],
    ["ACCEPTED", false],
    ["ALREADY_USED", true],
    ["UNKNOWN_TICKET", false],
  ]);
  expect(first.body.results[2].message).toMatch(/déjà/i);
  expect(first.body.revisions).toEqual([{ performanceId: p.id, revision: 5 }]);

  const again = await upload(door, scans);
  expect(again.body.results.every((r: { replayed: boolean }) => r.replayed)).toBe(true);
  expect(await stored(p)).toMatchObject({ scans: 4, admittedCount: 2, refusedCount: 1, anomalyCount: 1 });
});

it.each([
  ["no scans", [], "scans", /vide/],
  ["a scan that is not an object", ["T0"], "scans.0", /objet/],
  ["a short scan id", [{ clientScanId: "x" }], "scans.0.clientScanId", /identifiant du scan/],
  ["a date that is not one", [{ scannedAt: "hier soir" }], "scans.0.scannedAt", /heure du scan/],
  ["a direction other than in/out", [{ direction: "sideways" }], "scans.0.direction", /sens/],
  ["an empty barcode", [{ barcode: "" }], "scans.0.barcode", /numéro de billet/],
  ["a verdict that is not a boolean", [{ deviceAccepted: "oui" }], "scans.0.deviceAccepted", /verdict/],
  ["a time zone too long", [{ timeZone: "x".repeat(65) }], "scans.0.timeZone", /fuseau/i],
] as [string, unknown[], string, RegExp][])(
  "refuses %s with 400, naming the field, storing nothing",
  async (_c, patches, field, message) => {
    const p = await performance(1);
    const scans = patches.map((patch) =>
      typeof patch === "object" && patch !== null
        ? scanUpload(p, "T0", patch as Record<string, unknown>)
        : patch,
    );
    const res = await upload(door, scans);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: "BAD_USER_INPUT", field });
    expect(res.body.message).toMatch(message);
    expect(await stored(p)).toMatchObject({ scans: 0, admittedCount: 0, refusedCount: 0 });
  },
);

it("refuses a body that is not JSON, not declared as JSON, or too large — in French, as JSON", async () => {
  const notJson = await post(door, "{ scans: [");
  expect(notJson).toMatchObject({ status: 400, body: { code: "BAD_USER_INPUT", field: "body" } });
  expect(notJson.body.message).toMatch(/JSON valide/);

  const p = await performance(1);
  const asText = await post(
    door,
    JSON.stringify({ deviceKey: DEVICE, scans: [scanUpload(p, "T0")] }),
    "text/plain",
  );
  expect(asText).toMatchObject({ status: 400, body: { code: "BAD_USER_INPUT", field: "body" } });

  const huge = await post(door, JSON.stringify({ deviceKey: DEVICE, scans: [], pad: "x".repeat(1_100_000) }));
  expect(huge).toMatchObject({ status: 413, body: { code: "BAD_USER_INPUT" } });
  expect(huge.body.message).toMatch(/plusieurs fois/);
  expect(await stored(p)).toMatchObject({ scans: 0 });
});

it("refuses anonymous callers, unknown devices and another customer's scanner", async () => {
  const p = await performance(1);
  const scans = [scanUpload(p, "T0")];
  expect(await upload(undefined, scans)).toMatchObject({ status: 401, body: { code: "UNAUTHENTICATED" } });
  expect(await upload(door, scans, "device-never-registered")).toMatchObject({ status: 404 });
  expect(await upload(door, scans, 42)).toMatchObject({ status: 400, body: { field: "deviceKey" } });
  expect(await upload(outsider, scans, undefined)).toMatchObject({
    status: 403,
    body: { code: "FORBIDDEN" },
  });
  expect(await stored(p)).toMatchObject({ scans: 0, admittedCount: 0 });
});

it("a device removed from the database is refused within moments, though the gateway remembered it", async () => {
  const key = "device-route-gone";
  await door.request(
    `mutation { registerDevice(input: { deviceKey: "${key}", name: "Porte B", institutionId: "${A.id}" }) { id } }`,
  );
  const p = await performance(5);
  for (let i = 0; i < 2; i++) expect((await upload(door, [scanUpload(p, `T${i}`)], key)).status).toBe(200);

  await t.gateway.orm.em.fork().getConnection().getCollection("device").deleteOne({ deviceKey: key });
  const deadline = Date.now() + 2_000;
  let status = 200;
  while (status === 200 && Date.now() < deadline) {
    status = (await upload(door, [scanUpload(p, "T4")], key)).status;
    if (status === 200) await new Promise((r) => setTimeout(r, 20));
  }
  expect(status).toBe(404);
});
