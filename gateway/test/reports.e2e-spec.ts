import { ObjectId } from "@mikro-orm/mongodb";
import { type Ticket, TicketState } from "../src/access/ticket.entity";
import { ControlMode, type Performance } from "../src/catalog/performance.entity";
import type { Institution } from "../src/institutions/institution.entity";
import { FIXTURE_PASSWORD, Fixtures, scanUpload } from "./support/fixtures";
import type { GraphqlClient } from "./support/graphql-client";
import { startTestGateway, type TestGateway } from "./support/test-gateway";

let t: TestGateway;
let A: Institution;
let p: Performance;
let bureau: GraphqlClient;
let porte: GraphqlClient;
let adminB: GraphqlClient;

const DEVICE_1 = "porte-a-device-1";
const DEVICE_2 = "porte-a-device-2";

/** The tickets as the sources gave them; twelve, one filtered (Invitation), one cancelled. */
const TICKETS: Partial<Ticket>[] = [
  {
    barcode: "ABC-001",
    holderName: "Hélène Dupont",
    category: "Plein",
    seat: "A1",
    price: 25,
    extra: { canal: "Internet", rang: "3" },
  },
  {
    barcode: "ABC-002",
    holderName: "HELENE MARTIN",
    category: "Réduit",
    seat: "A2",
    price: 15.5,
    extra: { canal: "Guichet" },
  },
  {
    barcode: "ABC-003",
    holderName: "Éloïse Bernard",
    category: "Plein",
    extra: { rang: "1", zone: "Balcon" },
  },
  { barcode: "XYZ-004", holderName: "Bob Smith", category: "Invitation" },
  {
    barcode: "XYZ-005",
    holderName: "Zoé Leroy",
    category: "Plein",
    state: TicketState.cancelled,
    extra: { canal: "Internet" },
  },
  ...Array.from({ length: 7 }, (_, i) => ({
    barcode: `KLM-${String(i + 6).padStart(3, "0")}`,
    holderName: `Client ${i}`,
    category: i % 2 ? "Réduit" : "Plein",
    extra: i % 3 === 0 ? { canal: i % 2 ? "Guichet" : "Internet" } : ({} as Record<string, string>),
  })),
];

/** When each scan was made: minutes before the start of the file. */
const started = Date.now();
const at = (minutesAgo: number) => new Date(started - minutesAgo * 60_000).toISOString();

const RECORD = `mutation($d: String!, $s: [ScanUploadInput!]!) { recordScans(deviceKey: $d, scans: $s) {
  results { reason } } }`;

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
    controlMode: ControlMode.multi,
    maxPasses: 3,
    excludedCategories: ["Invitation"],
  });
  for (const [key, name] of [
    [DEVICE_1, "Porte A"],
    [DEVICE_2, "Porte B"],
  ]) {
    await porte.request(
      `mutation { registerDevice(input: { deviceKey: "${key}", name: "${name}", institutionId: "${A.id}" }) { id } }`,
    );
  }
  // Through the real scan path, so the scan state and the log are what the doors recorded.
  const first = await porte.request(RECORD, {
    d: DEVICE_1,
    s: [
      scan("ABC-001", 30),
      scan("ABC-001", 29),
      scan("ABC-002", 26),
      scan("ABC-003", 24),
      scan("XYZ-004", 23),
      scan("NOPE-999", 21),
    ],
  });
  expect(first.recordScans.results.map((r: { reason: string }) => r.reason)).toEqual([
    "ACCEPTED",
    "ACCEPTED",
    "ACCEPTED",
    "ACCEPTED",
    "FILTERED",
    "UNKNOWN_TICKET",
  ]);
  const second = await porte.request(RECORD, {
    d: DEVICE_2,
    s: [
      scan("ABC-001", 28),
      scan("ABC-001", 27),
      scan("ABC-002", 25),
      // Offline, the device let a cancelled ticket in: a conflict.
      scan("XYZ-005", 22, { deviceAccepted: true }),
    ],
  });
  expect(second.recordScans.results.map((r: { reason: string }) => r.reason)).toEqual([
    "ACCEPTED",
    "NO_PASSES_LEFT",
    "ACCEPTED",
    "CANCELLED",
  ]);
});
afterAll(() => t?.stop());

const REPORT = `query($id: ID!, $q: String, $sortBy: String, $dir: SortDirection, $offset: Int, $limit: Int) {
  ticketReport(performanceId: $id, q: $q, sortBy: $sortBy, sortDirection: $dir, offset: $offset, limit: $limit) {
    totalCount columns
    rows { id barcode state category holderName seat price extra { name value }
           passes inside firstEntryAt lastScanAt } } }`;

const LOG = `query($id: ID!, $deviceId: String, $reason: String, $outcome: ScanOutcome, $offset: Int, $limit: Int) {
  scanLog(performanceId: $id, deviceId: $deviceId, reason: $reason, outcome: $outcome, offset: $offset, limit: $limit) {
    totalCount
    rows { id barcode accepted reason message conflict direction deviceId deviceName scannedAt recordedAt } } }`;

interface Row {
  barcode: string;
  passes: number;
  extra: { name: string; value: string }[];
  [field: string]: unknown;
}

async function report(variables: Record<string, unknown> = {}, client = bureau) {
  const data = await client.request(REPORT, { id: p.id, limit: 500, ...variables });
  return data.ticketReport as { totalCount: number; columns: string[]; rows: Row[] };
}

/** MongoDB's order for the values a report holds: missing below anything, then by value. */
function compareValues(a: unknown, b: unknown): number {
  const missing = (v: unknown) => v === null || v === undefined;
  if (missing(a) || missing(b)) return missing(a) && missing(b) ? 0 : missing(a) ? -1 : 1;
  return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
}

const barcodes = (rows: { barcode: string }[]) => rows.map((r) => r.barcode);
const allBarcodes = () => TICKETS.map((ticket) => ticket.barcode as string);

describe("ticketReport", () => {
  it("has every ticket with what the sources gave and its scan state", async () => {
    const { totalCount, columns, rows } = await report();
    expect(totalCount).toBe(12);
    expect(barcodes(rows)).toEqual([...allBarcodes()].sort());
    // In the sources' order: canal and rang come first in a ticket, zone second.
    expect(columns).toEqual(["canal", "rang", "zone"]);
    expect(rows.find((r) => r.barcode === "ABC-001")).toEqual({
      id: expect.any(String),
      barcode: "ABC-001",
      state: "valid",
      category: "Plein",
      holderName: "Hélène Dupont",
      seat: "A1",
      price: 25,
      extra: [
        { name: "canal", value: "Internet" },
        { name: "rang", value: "3" },
      ],
      passes: 3,
      inside: false,
      firstEntryAt: at(30),
      // The refused fourth scan changed nothing.
      lastScanAt: at(28),
    });
    expect(rows.find((r) => r.barcode === "KLM-007")).toMatchObject({
      seat: null,
      price: null,
      extra: [],
      passes: 0,
      firstEntryAt: null,
      lastScanAt: null,
    });
  });

  it("shows filtered and cancelled tickets like the others", async () => {
    const { rows } = await report();
    expect(rows.find((r) => r.barcode === "XYZ-004")).toMatchObject({
      category: "Invitation",
      state: "valid",
      passes: 0,
    });
    expect(rows.find((r) => r.barcode === "XYZ-005")).toMatchObject({ state: "cancelled", passes: 0 });
  });

  it.each([
    ["helene", ["ABC-001", "ABC-002"]],
    ["HÉLÈNE dup", ["ABC-001"]],
    ["eloise", ["ABC-003"]],
    ["  zoe  ", ["XYZ-005"]],
    ["abc-00", ["ABC-001", "ABC-002", "ABC-003"]],
    ["xyz", ["XYZ-004", "XYZ-005"]],
    ["nobody", []],
    ["(.*)", []],
  ])("searches %p by part of a name or barcode, case and accents ignored", async (q, expected) => {
    const { totalCount, rows } = await report({ q });
    expect(barcodes(rows)).toEqual(expected);
    expect(totalCount).toBe(expected.length);
  });

  it("treats an empty search as none", async () => {
    expect((await report({ q: "   " })).totalCount).toBe(12);
  });

  it.each(["asc", "desc"] as const)("sorts on an extra column (%s), ties by barcode", async (dir) => {
    const { rows } = await report({ sortBy: "extra.canal", dir });
    const canal = (ticket: Partial<Ticket>) => ticket.extra?.canal;
    const expected = [...TICKETS]
      .sort((x, y) => {
        const a = canal(x);
        const b = canal(y);
        // Missing values sort below any value, as MongoDB sorts them.
        const byCanal = a === b ? 0 : a === undefined ? -1 : b === undefined ? 1 : a < b ? -1 : 1;
        return (
          (dir === "asc" ? byCanal : -byCanal) || ((x.barcode as string) < (y.barcode as string) ? -1 : 1)
        );
      })
      .map((ticket) => ticket.barcode);
    expect(barcodes(rows)).toEqual(expected);
    expect(rows[dir === "asc" ? rows.length - 1 : 0].extra).toContainEqual({
      name: "canal",
      value: "Internet",
    });
  });

  it("sorts on the scan state: passes, most first", async () => {
    const { rows } = await report({ sortBy: "passes", dir: "desc" });
    expect(rows.map((r) => [r.barcode, r.passes]).slice(0, 4)).toEqual([
      ["ABC-001", 3],
      ["ABC-002", 2],
      ["ABC-003", 1],
      ["KLM-006", 0],
    ]);
    expect(barcodes(rows.slice(3))).toEqual(barcodes(rows.slice(3)).sort());
  });

  it.each([
    "barcode",
    "state",
    "category",
    "holderName",
    "seat",
    "price",
    "inside",
    "firstEntryAt",
    "lastScanAt",
  ])("sorts on %s both ways, ties by barcode", async (sortBy) => {
    for (const dir of ["asc", "desc"] as const) {
      const { rows } = await report({ sortBy, dir });
      expect(rows).toHaveLength(12);
      for (let i = 1; i < rows.length; i++) {
        const order = compareValues(rows[i - 1][sortBy], rows[i][sortBy]);
        const byColumn = dir === "asc" ? order : -order;
        if (sortBy !== "barcode" && byColumn === 0) expect(rows[i - 1].barcode < rows[i].barcode).toBe(true);
        else expect(byColumn).toBe(-1);
      }
    }
  });

  it.each([
    ["state", "asc"],
    ["passes", "asc"],
    ["extra.zone", "desc"],
    ["holderName", "desc"],
  ])("pages through every ticket exactly once when sorting on %s %s", async (sortBy, dir) => {
    const whole = barcodes((await report({ sortBy, dir })).rows);
    const paged: string[] = [];
    for (let offset = 0; offset < 12; offset += 5) {
      const page = await report({ sortBy, dir, offset, limit: 5 });
      expect(page.totalCount).toBe(12);
      paged.push(...barcodes(page.rows));
    }
    expect(paged).toEqual(whole);
    expect(new Set(paged).size).toBe(12);
  });

  it("is open to root, and to the institution's back office", async () => {
    const root = await t.asRoot();
    expect((await report({}, root)).totalCount).toBe(12);
  });
});

describe("scanLog", () => {
  async function log(variables: Record<string, unknown> = {}, client = bureau) {
    const data = await client.request(LOG, { id: p.id, ...variables });
    return data.scanLog as { totalCount: number; rows: Record<string, unknown>[] };
  }

  it("has every scan, accepted or refused, newest first, with the device's name and the French message", async () => {
    const { totalCount, rows } = await log();
    expect(totalCount).toBe(10);
    expect(rows.map((r) => r.scannedAt)).toEqual([21, 22, 23, 24, 25, 26, 27, 28, 29, 30].map(at));
    expect(rows[0]).toEqual({
      id: expect.any(String),
      barcode: "NOPE-999",
      accepted: false,
      reason: "UNKNOWN_TICKET",
      message: "Billet inconnu",
      conflict: false,
      direction: "in",
      deviceId: DEVICE_1,
      deviceName: "Porte A",
      scannedAt: at(21),
      recordedAt: expect.any(String),
    });
    expect(rows[1]).toMatchObject({
      barcode: "XYZ-005",
      reason: "CANCELLED",
      message: "Billet annulé",
      conflict: true,
      deviceName: "Porte B",
    });
    expect(rows[2]).toMatchObject({ barcode: "XYZ-004", reason: "FILTERED", message: "Billet filtré" });
  });

  it.each([
    [{ deviceId: DEVICE_2 }, [22, 25, 27, 28]],
    [{ reason: "ACCEPTED" }, [24, 25, 26, 28, 29, 30]],
    [{ outcome: "accepted" }, [24, 25, 26, 28, 29, 30]],
    [{ outcome: "refused" }, [21, 22, 23, 27]],
    [{ outcome: "conflict" }, [22]],
    [{ deviceId: DEVICE_1, outcome: "refused" }, [21, 23]],
    [{ deviceId: "unknown-device" }, []],
  ])("filters on %p", async (filter, minutesAgo) => {
    const { totalCount, rows } = await log(filter);
    expect(rows.map((r) => r.scannedAt)).toEqual(minutesAgo.map(at));
    expect(totalCount).toBe(minutesAgo.length);
  });

  it("pages newest first, every scan exactly once", async () => {
    const seen: unknown[] = [];
    for (let offset = 0; offset < 10; offset += 3) {
      const page = await log({ offset, limit: 3 });
      seen.push(...page.rows.map((r) => r.id));
    }
    expect(seen).toEqual((await log()).rows.map((r) => r.id));
  });

  it("looks the devices' names up in one query, whatever the page size", async () => {
    const small = await t.countCommands(() => log({ limit: 2 }));
    const large = await t.countCommands(() => log({ limit: 10 }));
    expect(large.count).toBe(small.count);
  });
});

describe("refusals", () => {
  const unknownId = new ObjectId().toHexString();

  it.each([
    [
      "an unknown performance",
      REPORT,
      { id: unknownId },
      "NOT_FOUND",
      undefined,
      /Représentation introuvable/,
    ],
    [
      "a malformed performance id",
      REPORT,
      { id: "nope" },
      "BAD_USER_INPUT",
      "performanceId",
      /performanceId/,
    ],
    ["an unknown sort column", REPORT, { sortBy: "couleur" }, "BAD_USER_INPUT", "sortBy", /couleur/],
    [
      "an extra column the tickets do not have",
      REPORT,
      { sortBy: "extra.couleur" },
      "BAD_USER_INPUT",
      "sortBy",
      /colonne « couleur » n'existe pas/,
    ],
    ["a search over 100 characters", REPORT, { q: "x".repeat(101) }, "BAD_USER_INPUT", "q", /trop longue/],
    ["an empty page", REPORT, { limit: 0 }, "BAD_USER_INPUT", "limit", /entre 1 et 500/],
    ["a page over 500 rows", REPORT, { limit: 501 }, "BAD_USER_INPUT", "limit", /entre 1 et 500/],
    ["a negative offset", REPORT, { offset: -1 }, "BAD_USER_INPUT", "offset", /offset/],
    ["a log of an unknown performance", LOG, { id: unknownId }, "NOT_FOUND", undefined, /introuvable/],
    ["an unknown reason", LOG, { reason: "PERHAPS" }, "BAD_USER_INPUT", "reason", /Motif inconnu/],
    ["a malformed device id", LOG, { deviceId: "x".repeat(65) }, "BAD_USER_INPUT", "deviceId", /terminal/],
    ["a log page over 500 rows", LOG, { limit: 501 }, "BAD_USER_INPUT", "limit", /entre 1 et 500/],
  ])("refuses %s, in French", async (_case, query, variables, code, field, message) => {
    const error = await bureau.error(query, { id: p.id, ...variables });
    expect(error.extensions?.code).toBe(code);
    if (field) expect(error.extensions?.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it.each([
    ["a scanner-only login", () => porte],
    ["another customer's admin", () => adminB],
  ])("refuses %s both reports", async (_case, client) => {
    for (const query of [REPORT, LOG]) {
      const error = await client().error(query, { id: p.id });
      expect(error.extensions?.code).toBe("FORBIDDEN");
      expect(error.message).toMatch(/droits pour voir les spectacles/);
    }
  });

  it("refuses anonymous callers before looking the performance up", async () => {
    for (const query of [REPORT, LOG]) {
      for (const id of [p.id, unknownId]) {
        const error = await t.anonymous().error(query, { id });
        expect(error.extensions?.code).toBe("UNAUTHENTICATED");
      }
    }
  });
});
