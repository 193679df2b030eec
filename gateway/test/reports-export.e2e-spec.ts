import { ObjectId } from "@mikro-orm/mongodb";
import ExcelJS from "exceljs";
import { type Ticket, TicketState } from "../src/access/ticket.entity";
import { parisWallClockAsUtc } from "../src/billing/billing-month";
import { ControlMode, type Performance } from "../src/catalog/performance.entity";
import type { Institution } from "../src/institutions/institution.entity";
import { EXPORT_BATCH_SIZE } from "../src/reports/export-cursor";
import { FIXTURE_PASSWORD, Fixtures, scanUpload } from "./support/fixtures";
import type { GraphqlClient } from "./support/graphql-client";
import { startTestGateway, type TestGateway } from "./support/test-gateway";

let t: TestGateway;
let A: Institution;
let p: Performance;
let big: Performance;
let bureau: GraphqlClient;
let porte: GraphqlClient;
let adminB: GraphqlClient;

const DEVICE = "porte-a-export-1";
const BIG_COUNT = 10_000;
/** The large exports: the insert above also feeds the gateway's ticket change stream meanwhile. */
const LARGE_TIMEOUT_MS = 60_000;

const TICKETS: Partial<Ticket>[] = [
  {
    barcode: "ABC-001",
    holderName: "Hélène Dupont",
    category: "Plein",
    seat: "A1",
    price: 25,
    extra: { canal: "Internet", "N° commande": "C-77" },
  },
  {
    barcode: "ABC-002",
    holderName: "HELENE MARTIN",
    category: "Réduit",
    price: 15.5,
    extra: { canal: "Guichet" },
  },
  { barcode: "ABC-003", holderName: "Éloïse Bernard", category: "Invitation" },
  { barcode: "XYZ-004", holderName: "Zoé Leroy", state: TicketState.cancelled, extra: { canal: "Internet" } },
  { barcode: "XYZ-005", holderName: '=HYPERLINK("http://x")', state: TicketState.duplicated },
];

const started = Date.now();
const at = (minutesAgo: number) => new Date(started - minutesAgo * 60_000).toISOString();

const scan = (barcode: string, minutesAgo: number, patch: Record<string, unknown> = {}) =>
  scanUpload(p, barcode, { scannedAt: at(minutesAgo), ...patch });

beforeAll(async () => {
  t = await startTestGateway();
  const f = new Fixtures(t);
  A = await f.institution("Théâtre A");
  const B = await f.institution("Piscine B");
  await f.login("bureau-a", A, { member: { backoffice: true } });
  await f.login("porte-a", A, { member: { scanner: true } });
  await f.login("admin-b", B, { member: { admin: true, backoffice: true } });
  bureau = await t.login("bureau-a", FIXTURE_PASSWORD);
  porte = await t.login("porte-a", FIXTURE_PASSWORD);
  adminB = await t.login("admin-b", FIXTURE_PASSWORD);
  p = await f.performance(A, TICKETS, {
    label: "Nuit d'été : « Gala »",
    controlMode: ControlMode.multi,
    maxPasses: 5,
    excludedCategories: ["Invitation"],
  });
  await porte.request(
    `mutation { registerDevice(input: { deviceKey: "${DEVICE}", name: "Porte A", institutionId: "${A.id}" }) { id } }`,
  );
  await porte.request(
    `mutation($s: [ScanUploadInput!]!) { recordScans(deviceKey: "${DEVICE}", scans: $s) { results { reason } } }`,
    {
      s: [
        scan("ABC-001", 30),
        scan("ABC-001", 20),
        scan("ABC-002", 25),
        scan("ABC-003", 15),
        scan("XYZ-004", 10, { deviceAccepted: true }),
      ],
    },
  );
  // Online checks, without a device.
  await porte.request(`mutation { checkTicket(performanceId: "${p.id}", barcode: "NOPE-1") { reason } }`);

  big = await f.performance(A, [], { label: "Grande salle" });
  const now = new Date();
  await t.gateway.orm.em
    .fork()
    .getConnection()
    .getCollection("ticket")
    .insertMany(
      Array.from({ length: BIG_COUNT }, (_, i) => ({
        _id: new ObjectId(),
        performanceId: big._id,
        barcode: `BIG-${String(i).padStart(6, "0")}`,
        state: "valid",
        holderName: `Client ${i}`,
        category: i % 2 ? "Plein" : "Réduit",
        seat: `R${i % 40}-${i % 25}`,
        price: 10 + (i % 5),
        extra: { canal: i % 3 ? "Internet" : "Guichet", commande: `C-${i}` },
        passes: 0,
        inside: false,
        passesByDay: {},
        appliedScans: [],
        revision: i + 1,
        createdAt: now,
        updatedAt: now,
      })),
    );
});
afterAll(() => t?.stop());

function download(path: string, client?: GraphqlClient, init: RequestInit = {}) {
  return fetch(`${t.baseUrl}${path}`, {
    ...init,
    headers: client ? { authorization: `Bearer ${client.token}` } : {},
  });
}

/** The first sheet of an .xlsx response, as rows of cell values (empty cells null). */
async function sheetRows(res: Response) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
  const sheet = workbook.worksheets[0];
  const width = sheet.columnCount;
  const rows = sheet
    .getSheetValues()
    .slice(1)
    .map((row) => Array.from({ length: width }, (_, i) => (row as unknown[])[i + 1] ?? null));
  return { sheet, header: rows[0], rows: rows.slice(1) };
}

async function reportBarcodes(performance: Performance, variables: Record<string, unknown>) {
  const data = await bureau.request(
    `query($id: ID!, $q: String, $sortBy: String, $dir: SortDirection) {
      ticketReport(performanceId: $id, q: $q, sortBy: $sortBy, sortDirection: $dir, limit: 500) { rows { barcode } } }`,
    { id: performance.id, ...variables },
  );
  return data.ticketReport.rows.map((r: { barcode: string }) => r.barcode);
}

const TICKET_HEADERS = [
  "Code-barres",
  "État",
  "Catégorie",
  "Nom",
  "Place",
  "Prix",
  "Passages",
  "Dedans",
  "Première entrée",
  "Dernier scan",
];

describe("GET /api/reports/performances/:id/tickets.xlsx", () => {
  it("streams the header and every ticket in the asked order, with real dates", async () => {
    const res = await download(
      `/api/reports/performances/${p.id}/tickets.xlsx?sortBy=passes&sortDirection=desc`,
      bureau,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/spreadsheetml\.sheet/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="?billets-nuit-d-ete-gala-\d{4}-\d{2}-\d{2}-\d{2}h\d{2}\.xlsx"?$/,
    );
    const { sheet, header, rows } = await sheetRows(res);
    expect(header).toEqual([...TICKET_HEADERS, "canal", "N° commande"]);
    expect(rows.map((r) => r[0])).toEqual(await reportBarcodes(p, { sortBy: "passes", dir: "desc" }));
    expect(rows[0]).toEqual([
      "ABC-001",
      "Valide",
      "Plein",
      "Hélène Dupont",
      "A1",
      25,
      2,
      "Non",
      parisWallClockAsUtc(new Date(at(30))),
      parisWallClockAsUtc(new Date(at(20))),
      "Internet",
      "C-77",
    ]);
    expect(rows.find((r) => r[0] === "ABC-003")?.slice(1, 4)).toEqual([
      "Valide",
      "Invitation",
      "Éloïse Bernard",
    ]);
    expect(rows.find((r) => r[0] === "XYZ-004")?.slice(1, 2)).toEqual(["Annulé"]);
    // A name that looks like a formula stays text.
    expect(rows.find((r) => r[0] === "XYZ-005")?.slice(1, 4)).toEqual([
      "Dupliqué",
      null,
      '=HYPERLINK("http://x")',
    ]);
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(sheet.getColumn(4).width).toBe(28);
    expect(sheet.getCell("I2").numFmt).toBe("dd/mm/yyyy hh:mm:ss");
  });

  it.each([
    ["q=helene", { q: "helene" }],
    ["sortBy=extra.canal&sortDirection=desc", { sortBy: "extra.canal", dir: "desc" }],
    [`sortBy=${encodeURIComponent("extra.N° commande")}`, { sortBy: "extra.N° commande" }],
    ["q=%20ELO%20&sortBy=holderName", { q: " ELO ", sortBy: "holderName" }],
  ])("searches and sorts as ticketReport does: %s", async (query, variables) => {
    const res = await download(`/api/reports/performances/${p.id}/tickets.xlsx?${query}`, bureau);
    expect(res.status).toBe(200);
    const { rows } = await sheetRows(res);
    const expected = await reportBarcodes(p, variables);
    expect(expected.length).toBeGreaterThan(0);
    expect(rows.map((r) => r[0])).toEqual(expected);
  });

  it(
    `streams ${BIG_COUNT} tickets, every one in order`,
    async () => {
      const res = await download(
        `/api/reports/performances/${big.id}/tickets.xlsx?sortBy=barcode&sortDirection=desc`,
        bureau,
      );
      expect(res.status).toBe(200);
      expect(res.headers.get("content-disposition")).toMatch(/filename="?billets-grande-salle-/);
      const { header, rows } = await sheetRows(res);
      expect(header.slice(-2)).toEqual(["canal", "commande"]);
      expect(rows).toHaveLength(BIG_COUNT);
      const expected = Array.from(
        { length: BIG_COUNT },
        (_, i) => `BIG-${String(BIG_COUNT - 1 - i).padStart(6, "0")}`,
      );
      expect(rows.map((r) => r[0])).toEqual(expected);
      expect(rows[0].slice(-2)).toEqual([(BIG_COUNT - 1) % 3 ? "Internet" : "Guichet", `C-${BIG_COUNT - 1}`]);
    },
    LARGE_TIMEOUT_MS,
  );

  it(
    "stops reading the tickets when the client goes away",
    async () => {
      const client = t.gateway.orm.em.getDriver().getConnection().getClient();
      const ticketGetMores: number[] = [];
      let listener: (event: { commandName: string; command: Record<string, unknown> }) => void = () => {};
      const killed = new Promise<void>((resolve) => {
        listener = (event) => {
          if (event.commandName === "getMore" && event.command.collection === "ticket")
            ticketGetMores.push(1);
          if (event.commandName === "killCursors" && event.command.killCursors === "ticket") resolve();
        };
      });
      client.on("commandStarted", listener);
      try {
        const controller = new AbortController();
        const res = await download(`/api/reports/performances/${big.id}/tickets.xlsx`, bureau, {
          signal: controller.signal,
        });
        expect(res.status).toBe(200);
        await res.body?.getReader().read();
        controller.abort();
        // The cursor is closed before its end: the rest of the tickets are never read.
        await killed;
        expect(ticketGetMores.length).toBeLessThan(BIG_COUNT / EXPORT_BATCH_SIZE / 2);
      } finally {
        client.off("commandStarted", listener);
      }
      // The gateway is none the worse.
      expect((await reportBarcodes(p, {})).length).toBe(TICKETS.length);
    },
    LARGE_TIMEOUT_MS,
  );
});

describe("GET /api/reports/performances/:id/scans.xlsx", () => {
  const SCAN_HEADERS = [
    "Date du scan",
    "Code-barres",
    "Sens",
    "Résultat",
    "Motif",
    "Anomalie",
    "Terminal",
    "Enregistré le",
  ];

  it("streams every scan, newest first, in French", async () => {
    const res = await download(`/api/reports/performances/${p.id}/scans.xlsx`, bureau);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="?scans-nuit-d-ete-gala-.*\.xlsx"?$/,
    );
    const { header, rows } = await sheetRows(res);
    expect(header).toEqual(SCAN_HEADERS);
    expect(rows.map((r) => r.slice(1, 7))).toEqual([
      ["NOPE-1", "Entrée", "Refusé", "Billet inconnu", "Non", null],
      ["XYZ-004", "Entrée", "Refusé", "Billet annulé", "Oui", "Porte A"],
      ["ABC-003", "Entrée", "Refusé", "Billet filtré", "Non", "Porte A"],
      ["ABC-001", "Entrée", "Accepté", "Entrée autorisée", "Non", "Porte A"],
      ["ABC-002", "Entrée", "Accepté", "Entrée autorisée", "Non", "Porte A"],
      ["ABC-001", "Entrée", "Accepté", "Entrée autorisée", "Non", "Porte A"],
    ]);
    expect(rows[1][0]).toEqual(parisWallClockAsUtc(new Date(at(10))));
    expect(rows[1][7]).toBeInstanceOf(Date);
  });

  it.each([
    ["outcome=refused", ["NOPE-1", "XYZ-004", "ABC-003"]],
    ["outcome=conflict", ["XYZ-004"]],
    [`deviceId=${DEVICE}&reason=ACCEPTED`, ["ABC-001", "ABC-002", "ABC-001"]],
    ["reason=FILTERED", ["ABC-003"]],
  ])("filters as scanLog does: %s", async (query, expected) => {
    const res = await download(`/api/reports/performances/${p.id}/scans.xlsx?${query}`, bureau);
    expect(res.status).toBe(200);
    const { rows } = await sheetRows(res);
    expect(rows.map((r) => r[1])).toEqual(expected);
  });
});

describe("refusals, as JSON in French", () => {
  const unknownId = new ObjectId().toHexString();
  const tickets = (id: string, query = "") => `/api/reports/performances/${id}/tickets.xlsx${query}`;
  const scans = (id: string, query = "") => `/api/reports/performances/${id}/scans.xlsx${query}`;

  it.each([
    ["an anonymous download", () => tickets(p.id), undefined, 401, "UNAUTHENTICATED", /connecté/],
    ["an anonymous scan log", () => scans(p.id), undefined, 401, "UNAUTHENTICATED", /connecté/],
    ["a scanner-only login", () => tickets(p.id), () => porte, 403, "FORBIDDEN", /voir les spectacles/],
    ["a scanner-only login's scan log", () => scans(p.id), () => porte, 403, "FORBIDDEN", /droits/],
    ["another customer's admin", () => tickets(p.id), () => adminB, 403, "FORBIDDEN", /droits/],
    ["another customer's admin's scan log", () => scans(p.id), () => adminB, 403, "FORBIDDEN", /droits/],
    ["an unknown performance", () => tickets(unknownId), () => bureau, 404, "NOT_FOUND", /Représentation/],
    ["an unknown performance's log", () => scans(unknownId), () => bureau, 404, "NOT_FOUND", /introuvable/],
    ["a malformed id", () => tickets("nope"), () => bureau, 400, "BAD_USER_INPUT", /« performanceId »/],
    [
      "an unknown column",
      () => tickets(p.id, "?sortBy=couleur"),
      () => bureau,
      400,
      "BAD_USER_INPUT",
      /couleur/,
    ],
    [
      "an unknown extra column",
      () => tickets(p.id, "?sortBy=extra.couleur"),
      () => bureau,
      400,
      "BAD_USER_INPUT",
      /n'existe pas/,
    ],
    ["a bad direction", () => tickets(p.id, "?sortDirection=up"), () => bureau, 400, "BAD_USER_INPUT", /asc/],
    [
      "a too-long search",
      () => tickets(p.id, `?q=${"x".repeat(101)}`),
      () => bureau,
      400,
      "BAD_USER_INPUT",
      /longue/,
    ],
    ["a repeated search", () => tickets(p.id, "?q=a&q=b"), () => bureau, 400, "BAD_USER_INPUT", /« q »/],
    ["an unknown reason", () => scans(p.id, "?reason=MAYBE"), () => bureau, 400, "BAD_USER_INPUT", /Motif/],
    [
      "an unknown outcome",
      () => scans(p.id, "?outcome=maybe"),
      () => bureau,
      400,
      "BAD_USER_INPUT",
      /outcome/,
    ],
  ] as const)("refuses %s", async (_case, path, who, status, code, message) => {
    const res = await download(path(), who?.());
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    const body = (await res.json()) as { code: string; message: string };
    expect(body.code).toBe(code);
    expect(body.message).toMatch(message);
  });
});
