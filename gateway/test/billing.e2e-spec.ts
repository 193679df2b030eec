import { BillingUsage } from "../src/billing";
import { type BillingWorld, seedBillingWorld } from "./billing.fixtures";
import { FIXTURE_PASSWORD } from "./support/fixtures";
import type { GraphqlClient } from "./support/graphql-client";
import { startTestGateway, type TestGateway } from "./support/test-gateway";

let t: TestGateway;
let w: BillingWorld;

beforeAll(async () => {
  t = await startTestGateway();
  // Its usage is in 2024; the recording tests below use 2023, so they do not disturb the queries.
  w = await seedBillingWorld(t);
});
afterAll(() => t?.stop());

const billing = () => w.billing();
const usagesWhere = (where: Record<string, unknown>) =>
  t.gateway.orm.em.fork().find(BillingUsage, where as never);
const as = (username: string) => t.login(username, FIXTURE_PASSWORD);

describe("recordImport", () => {
  it("creates the record on the first import of the month, not on the next, again in a new month", async () => {
    const first = await billing().recordImport(w.mainB._id, w.scanB1._id, new Date("2023-05-03T10:00:00Z"));
    const second = await billing().recordImport(
      w.mainB._id.toHexString(),
      w.scanB1._id.toHexString(),
      new Date("2023-05-20T10:00:00Z"),
    );
    const nextMonth = await billing().recordImport(
      w.mainB._id,
      w.scanB1._id,
      new Date("2023-06-01T10:00:00Z"),
    );

    expect(first).toEqual({ created: true, month: "2023-05" });
    expect(second).toEqual({ created: false, month: "2023-05" });
    expect(nextMonth).toEqual({ created: true, month: "2023-06" });
    const may = await usagesWhere({ institutionId: w.mainB._id, loginId: w.scanB1._id, month: "2023-05" });
    expect(may).toHaveLength(1);
    expect(may[0]).toMatchObject({
      firstImportAt: new Date("2023-05-03T10:00:00Z"),
      branchId: w.mainB._id,
      institutionName: "Piscine Sud",
      username: "scan-b1",
    });
  });

  it("counts the month in Paris time: 00:30 on 1 July in Paris is July", async () => {
    const result = await billing().recordImport(w.mainB._id, w.scanB1._id, new Date("2023-06-30T22:30:00Z"));
    expect(result).toEqual({ created: true, month: "2023-07" });
  });

  it("keeps the earliest import when calls arrive out of order", async () => {
    await billing().recordImport(w.mainB._id, w.scanB1._id, new Date("2023-08-20T10:00:00Z"));
    await billing().recordImport(w.mainB._id, w.scanB1._id, new Date("2023-08-02T10:00:00Z"));
    await billing().recordImport(w.mainB._id, w.scanB1._id, new Date("2023-08-25T10:00:00Z"));
    const [usage] = await usagesWhere({ loginId: w.scanB1._id, month: "2023-08" });
    expect(usage.firstImportAt).toEqual(new Date("2023-08-02T10:00:00Z"));
  });

  it("a sub-institution's usage belongs to its main institution's branch", async () => {
    await billing().recordImport(w.subA._id, w.scanA2._id, new Date("2023-09-10T10:00:00Z"));
    const [usage] = await usagesWhere({ loginId: w.scanA2._id, month: "2023-09" });
    expect(usage.branchId).toEqual(w.mainA._id);
    expect(usage.institutionId).toEqual(w.subA._id);
  });

  it("20 concurrent imports create exactly one record", async () => {
    const at = new Date("2023-10-15T10:00:00Z");
    const results = await Promise.all(
      Array.from({ length: 20 }, () => billing().recordImport(w.mainA._id, w.scanA2._id, at)),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(
      await usagesWhere({ institutionId: w.mainA._id, loginId: w.scanA2._id, month: "2023-10" }),
    ).toHaveLength(1);
  });

  const UNKNOWN_ID = "0123456789abcdef01234567";
  const AT = new Date("2023-11-01T10:00:00Z");
  type Args = [institutionId: string, loginId: string, at: Date];
  it.each([
    ["a malformed institution id", (): Args => ["nope", w.scanA1.id, AT], "BAD_USER_INPUT", "institutionId"],
    ["a malformed login id", (): Args => [w.mainA.id, "x".repeat(24), AT], "BAD_USER_INPUT", "loginId"],
    ["an invalid date", (): Args => [w.mainA.id, w.scanA1.id, new Date("nope")], "BAD_USER_INPUT", "at"],
    ["an unknown institution", (): Args => [UNKNOWN_ID, w.scanA1.id, AT], "NOT_FOUND", undefined],
    ["an unknown login", (): Args => [w.mainA.id, UNKNOWN_ID, AT], "NOT_FOUND", undefined],
  ] as const)("refuses %s and writes nothing", async (_case, args, code, field) => {
    const [institutionId, loginId, at] = args();
    await expect(billing().recordImport(institutionId, loginId, at)).rejects.toMatchObject({
      code,
      ...(field ? { field } : {}),
    });
    expect(await usagesWhere({ month: "2023-11" })).toHaveLength(0);
  });
});

const USAGE = `query($month: String, $branchId: ID) {
  billingUsage(month: $month, branchId: $branchId) {
    month firstImportAt institution { name } login { username } branch { name }
  }
}`;
const SUMMARY = `query($month: String, $branchId: ID) {
  billingSummary(month: $month, branchId: $branchId) { month institutionName institution { name } loginCount }
}`;

interface UsageRow {
  month: string;
  firstImportAt: string;
  institution: { name: string };
  login: { username: string };
  branch: { name: string };
}
const usageOf = async (client: GraphqlClient, variables: Record<string, unknown>) =>
  (await client.request<{ billingUsage: UsageRow[] }>(USAGE, variables)).billingUsage;
const short = (rows: UsageRow[]) => rows.map((r) => `${r.month} ${r.institution.name} ${r.login.username}`);

describe("billingUsage and billingSummary", () => {
  let masterA: GraphqlClient;
  let root: GraphqlClient;
  beforeAll(async () => {
    masterA = await as("master-a");
    root = await t.asRoot();
  });

  it("a master sees its branch only, sub-institutions included, newest month first", async () => {
    const rows = await usageOf(masterA, { month: "2024-03" });
    expect(short(rows)).toEqual([
      "2024-03 Salle annexe; côté jardin scan-a1",
      "2024-03 Théâtre du Nord scan-a1",
      "2024-03 Théâtre du Nord scan-a2",
    ]);
    expect(rows.every((r) => r.branch.name === "Théâtre du Nord")).toBe(true);
    expect(rows[2].firstImportAt).toBe("2024-03-31T21:15:00.000Z");

    const all = short(await usageOf(masterA, {})).filter((r) => r.startsWith("2024"));
    expect(all[0]).toBe("2024-04 Théâtre du Nord scan-a1");
    expect(all).toHaveLength(4);
    expect(short(await usageOf(masterA, {})).some((r) => r.includes("Piscine"))).toBe(false);
  });

  it("a master may name its own branch, not another", async () => {
    expect(await usageOf(masterA, { month: "2024-03", branchId: w.mainA.id })).toHaveLength(3);
    const err = await masterA.error(USAGE, { month: "2024-03", branchId: w.mainB.id });
    expect(err.extensions?.code).toBe("FORBIDDEN");
    expect(err.message).toMatch(/Vous n'avez pas les droits pour voir la facturation/);
  });

  it("the branch must be a main institution", async () => {
    const err = await masterA.error(USAGE, { branchId: w.subA.id });
    expect(err.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "branchId" });
  });

  it("root sees every branch, or the one it names", async () => {
    expect(short(await usageOf(root, { month: "2024-03" }))).toEqual([
      "2024-03 Piscine Sud scan-b1",
      "2024-03 Salle annexe; côté jardin scan-a1",
      "2024-03 Théâtre du Nord scan-a1",
      "2024-03 Théâtre du Nord scan-a2",
    ]);
    expect(short(await usageOf(root, { month: "2024-03", branchId: w.mainB.id }))).toEqual([
      "2024-03 Piscine Sud scan-b1",
    ]);
  });

  it("summarises billed logins per institution and month", async () => {
    const { billingSummary } = await masterA.request(SUMMARY, { month: "2024-03" });
    expect(billingSummary).toEqual([
      {
        month: "2024-03",
        institutionName: "Salle annexe; côté jardin",
        institution: { name: "Salle annexe; côté jardin" },
        loginCount: 1,
      },
      {
        month: "2024-03",
        institutionName: "Théâtre du Nord",
        institution: { name: "Théâtre du Nord" },
        loginCount: 2,
      },
    ]);
    const forRoot = (await root.request(SUMMARY, { month: "2024-03" })).billingSummary;
    expect(forRoot.map((l: { institutionName: string }) => l.institutionName)).toContain("Piscine Sud");
  });

  it.each(["admin-a", "backoffice-a", "scan-a1"])("refuses %s with a French message", async (username) => {
    const client = await as(username);
    for (const query of [USAGE, SUMMARY]) {
      for (const variables of [{}, { branchId: w.mainA.id }]) {
        const err = await client.error(query, variables);
        expect(err.extensions?.code).toBe("FORBIDDEN");
        expect(err.message).toMatch(/^Vous n'avez pas les droits pour voir la facturation/);
      }
    }
  });

  it("refuses anonymous callers", async () => {
    const err = await t.anonymous().error(USAGE);
    expect(err).toMatchObject({
      message: "Vous devez être connecté.",
      extensions: { code: "UNAUTHENTICATED" },
    });
  });

  it.each(["2024-3", "2024-13", "03-2024", "2024-03-01", ""])(
    "refuses the month %p naming the field",
    async (month) => {
      const err = await masterA.error(USAGE, { month });
      expect(err.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "month" });
      expect(err.message).toMatch(/« month ».*AAAA-MM/);
    },
  );
});
