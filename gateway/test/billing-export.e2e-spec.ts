import ExcelJS from "exceljs";
import { type BillingWorld, seedBillingWorld } from "./billing.fixtures";
import { FIXTURE_PASSWORD } from "./support/fixtures";
import { startTestGateway, type TestGateway } from "./support/test-gateway";

let t: TestGateway;
let w: BillingWorld;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestGateway();
  w = await seedBillingWorld(t);
  // One session per login: log each in once for the whole file.
  for (const username of ["master-a", "admin-a", "scan-a1"]) {
    tokens[username] = (await t.login(username, FIXTURE_PASSWORD)).token ?? "";
  }
  tokens.root = (await t.asRoot()).token ?? "";
});
afterAll(() => t?.stop());

const download = (query: string, headers: Record<string, string> = {}) =>
  fetch(`${t.baseUrl}/exports/billing?${query}`, { headers });
const bearer = (username: string) => ({ authorization: `Bearer ${tokens[username]}` });

describe("GET /exports/billing", () => {
  it("downloads the month as an Excel workbook that parses back with its rows", async () => {
    const res = await download("month=2024-03&format=xlsx", bearer("master-a"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/spreadsheetml\.sheet/);
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="?facturation-2024-03\.xlsx"?$/,
    );
    expect(res.headers.get("cache-control")).toBe("no-store");

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const sheet = workbook.getWorksheet("Facturation");
    if (!sheet) throw new Error("no Facturation sheet");
    const values = sheet
      .getSheetValues()
      .slice(1)
      .map((row) => (row as unknown[]).slice(1));
    expect(values[0]).toEqual(["Mois", "Institution", "Login", "Première importation"]);
    expect(values.slice(1).map((r) => r.slice(0, 3))).toEqual([
      ["2024-03", "Salle annexe; côté jardin", "scan-a1"],
      ["2024-03", "Théâtre du Nord", "scan-a1"],
      ["2024-03", "Théâtre du Nord", "scan-a2"],
    ]);
    // 21:15 UTC on 31 March is 23:15 in Paris: the cell shows the venue's time.
    expect((values[3][3] as Date).toISOString()).toBe("2024-03-31T23:15:00.000Z");

    const summary = workbook.getWorksheet("Synthèse");
    const lines = summary
      ?.getSheetValues()
      .slice(2)
      .map((row) => (row as unknown[]).slice(1));
    expect(lines).toEqual([
      ["2024-03", "Salle annexe; côté jardin", 1],
      ["2024-03", "Théâtre du Nord", 2],
    ]);
  });

  it("downloads CSV with a UTF-8 BOM and ';' separators, session from the cookie", async () => {
    const res = await download("month=2024-03&format=csv", {
      cookie: `billetix_session=${tokens["master-a"]}`,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString("utf8").trimEnd().split("\r\n");
    expect(lines).toEqual([
      "Mois;Institution;Login;Première importation",
      '2024-03;"Salle annexe; côté jardin";scan-a1;05/03/2024 09:00',
      "2024-03;Théâtre du Nord;scan-a1;10/03/2024 19:30",
      "2024-03;Théâtre du Nord;scan-a2;31/03/2024 23:15",
    ]);
  });

  it("gives root every branch, or the one it names", async () => {
    const all = await (await download("month=2024-03&format=csv", bearer("root"))).text();
    expect(all).toContain("Piscine Sud;scan-b1");
    expect(all).toContain("Théâtre du Nord;scan-a2");
    const onlyB = await (
      await download(`month=2024-03&format=csv&branchId=${w.mainB.id}`, bearer("root"))
    ).text();
    expect(onlyB.trimEnd().split("\r\n")).toHaveLength(2);
    expect(onlyB).toContain("Piscine Sud;scan-b1");
  });

  it("a master never gets another branch", async () => {
    const res = await download(`month=2024-03&format=csv&branchId=${w.mainB.id}`, bearer("master-a"));
    expect(res.status).toBe(403);
  });

  it.each([
    [
      "without a session",
      "month=2024-03&format=xlsx",
      {},
      401,
      "UNAUTHENTICATED",
      /Vous devez être connecté/,
    ],
    [
      "with a forged token",
      "month=2024-03&format=xlsx",
      { authorization: "Bearer forged" },
      401,
      "UNAUTHENTICATED",
      /connecté/,
    ],
    [
      "for an admin",
      "month=2024-03&format=xlsx",
      "admin-a",
      403,
      "FORBIDDEN",
      /droits pour voir la facturation/,
    ],
    ["for a scanner user", "month=2024-03&format=csv", "scan-a1", 403, "FORBIDDEN", /droits/],
    ["without a month", "format=csv", "master-a", 400, "BAD_USER_INPUT", /« month ».*AAAA-MM/],
    ["with a bad month", "month=2024-13&format=csv", "master-a", 400, "BAD_USER_INPUT", /« month »/],
    ["with a repeated month", "month=2024-03&month=2024-04", "master-a", 400, "BAD_USER_INPUT", /« month »/],
    ["with a bad format", "month=2024-03&format=pdf", "master-a", 400, "BAD_USER_INPUT", /« format »/],
  ] as const)("answers %s with a French JSON error", async (_case, query, who, status, code, message) => {
    const res = await download(query, typeof who === "string" ? bearer(who) : who);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    const body = (await res.json()) as { code: string; message: string };
    expect(body.code).toBe(code);
    expect(body.message).toMatch(message);
  });
});
