import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ConnectorError } from "../connector-error";
import {
  type ConnectorDefinition,
  defineConnector,
  type FetchTicketsArgs,
  type TicketRecord,
} from "../contract";
import { fetchJson } from "../partner-http";
import {
  type ConformanceFixture,
  checkBadFiles,
  checkCatalogDates,
  checkCatalogParams,
  checkCatalogTree,
  checkChunkedParsing,
  checkCompatibility,
  checkCredentialsChecked,
  checkDefinition,
  checkEntryPoints,
  checkFault,
  checkFileAbort,
  checkFixtureConfig,
  checkIdentity,
  checkIncrementalFetch,
  checkOnlineAbort,
  checkOnlineFetch,
  checkRepeatableFetch,
  checkRequiredFieldErrors,
  checkSampleFiles,
  checkSchemas,
  checkTagged,
  collect,
  defineConnectorConformanceSuite,
  looksFrench,
  type PartnerFault,
  recordProblems,
} from "./index";

// ---------------------------------------------------------------------------------------------
// A tiny partner: a node:http server on port 0 with the fault switches of every simulator.

interface PartnerTicket {
  code: string;
  status: "sold" | "cancelled";
  price: number;
  version: number;
}

async function startDemoPartner(): Promise<ConformanceFixture & { url: string }> {
  const tickets = new Map<string, PartnerTicket>();
  let version = 1;
  for (let i = 1; i <= 12; i++) {
    const code = `T${String(i).padStart(4, "0")}`;
    tickets.set(code, { code, status: "sold", price: 10 + i, version });
  }
  let fault: PartnerFault | null = null;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://partner");
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    const reply = () => {
      if (fault === "error500") return answer(500, { error: "boom" });
      if (fault === "unauthorized" || req.headers.authorization !== "Bearer good-token")
        return answer(401, { error: "who are you" });
      if (fault === "malformed") return res.writeHead(200).end("<html>not json");
      if (url.pathname === "/api/me") return answer(200, { ok: true });
      if (url.pathname === "/api/catalog")
        return answer(200, [
          {
            id: "V1",
            name: "Salle Pleyel",
            events: [
              {
                id: "E1",
                name: "Concert",
                dates: [{ id: "D1", startsAt: "2030-05-01T20:00:00+02:00", params: { eventId: "E1" } }],
              },
            ],
          },
        ]);
      const match = /^\/api\/events\/([^/]+)\/tickets$/.exec(url.pathname);
      if (!match) return answer(404, { error: "no route" });
      if (match[1] !== "E1") return answer(404, { error: "no event" });
      const since = Number(url.searchParams.get("since") ?? 0);
      const page = Number(url.searchParams.get("page") ?? 0);
      const changed = [...tickets.values()].filter((t) => t.version > since);
      const slice = changed.slice(page * 5, page * 5 + 5);
      answer(200, { tickets: slice, next: page * 5 + 5 < changed.length ? page + 1 : null, version });
    };
    if (fault === "timeout") return; // never answered; closeAllConnections ends it
    if (fault === "slow") setTimeout(reply, 50);
    else reply();
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = { baseUrl: url, token: "good-token" };
  return {
    url,
    config,
    faultConfig: { ...config, timeoutMs: 150, retries: 1 },
    params: { eventId: "E1" },
    expectedTickets: 12,
    setFault: (next) => {
      fault = next;
    },
    async changeAtPartner() {
      version++;
      const added = ["N0001", "N0002"];
      for (const code of added) tickets.set(code, { code, status: "sold", price: 30, version });
      const cancelled = ["T0003"];
      for (const code of cancelled)
        tickets.set(code, { ...(tickets.get(code) as PartnerTicket), status: "cancelled", version });
      return { added, cancelled };
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

type DemoConfig = { baseUrl: string; token: string; timeoutMs: number; retries: number };
type DemoParams = { eventId: string };

function demoRequest<T>(config: DemoConfig, path: string, signal: AbortSignal) {
  return fetchJson<T>(`${config.baseUrl}${path}`, {
    headers: { authorization: `Bearer ${config.token}` },
    timeoutMs: config.timeoutMs,
    retries: config.retries,
    backoffMs: 10,
    signal,
  });
}

const demoPartnerDefinition: ConnectorDefinition<DemoConfig, DemoParams> = {
  id: "demo-partner",
  label: "WS Partenaire de démonstration",
  kind: "online",
  compatibility: "^1.0.0",
  cancellations: true,
  sourceConfig: [
    { key: "baseUrl", label: "Adresse du service", type: "url", required: true },
    { key: "token", label: "Jeton d'accès", type: "secret", required: true },
    { key: "timeoutMs", label: "Délai d'attente (ms)", type: "integer", default: 5000, min: 50 },
    { key: "retries", label: "Nouvelles tentatives", type: "integer", default: 2, min: 0 },
  ],
  performanceParams: [{ key: "eventId", label: "Identifiant de la séance", type: "text", required: true }],
  async checkConfig(config, { signal }) {
    try {
      await demoRequest(config, "/api/me", signal);
      return [];
    } catch (err) {
      if (err instanceof ConnectorError) return [err.message];
      throw err;
    }
  },
  fetchTickets: demoFetch,
  listCatalog: ({ config, signal }) => demoRequest(config, "/api/catalog", signal),
};

async function* demoFetch({
  config,
  params,
  since,
  checkpoint,
  signal,
}: FetchTicketsArgs<DemoConfig, DemoParams>): AsyncGenerator<TicketRecord> {
  for (let page: number | null = 0; page !== null; ) {
    const query: string = `page=${page}${since === undefined ? "" : `&since=${encodeURIComponent(since)}`}`;
    const body = await demoRequest<{ tickets?: unknown; next?: number | null; version?: number }>(
      config,
      `/api/events/${encodeURIComponent(params.eventId)}/tickets?${query}`,
      signal,
    );
    if (!Array.isArray(body.tickets) || typeof body.version !== "number")
      throw new ConnectorError("bad-response", "Le service a renvoyé une liste de billets illisible.");
    for (const t of body.tickets as PartnerTicket[])
      yield { barcode: t.code, state: t.status === "cancelled" ? "cancelled" : "valid", price: t.price };
    page = body.next ?? null;
    if (page === null) checkpoint(String(body.version));
  }
}

const demoPartner = defineConnector(demoPartnerDefinition);

// ---------------------------------------------------------------------------------------------
// A tiny file connector: "barcode;state" lines, streamed.

const STATES: Record<string, TicketRecord["state"]> = {
  "": "valid",
  valide: "valid",
  annulé: "cancelled",
  dupliqué: "duplicated",
};

function parseLine(text: string, line: number): TicketRecord | undefined {
  if (!text.trim()) return undefined;
  const [barcode = "", state = ""] = text.split(";").map((s) => s.trim());
  if (!barcode)
    throw new ConnectorError("bad-file", `Ligne ${line} : le numéro de ticket est vide.`, { line });
  const known = STATES[state.toLowerCase()];
  if (!(state.toLowerCase() in STATES))
    throw new ConnectorError(
      "bad-file",
      `Ligne ${line} : l'état « ${state} » est inconnu (valide, annulé ou dupliqué).`,
      { line },
    );
  return { barcode, state: known };
}

interface LinesOptions {
  /** Broken on purpose: decode each chunk alone, as if lines never spanned two chunks. */
  noCarry?: boolean;
  /** Broken on purpose: never look at the signal. */
  ignoreSignal?: boolean;
}

function linesParser({
  noCarry = false,
  ignoreSignal = false,
}: LinesOptions = {}): ConnectorDefinition["parseFile"] {
  return async function* ({ content, signal }) {
    const decoder = new TextDecoder("utf-8", { fatal: true });
    let rest = "";
    let line = 0;
    const decode = (chunk?: Uint8Array) => {
      try {
        return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
      } catch {
        throw new ConnectorError("bad-file", `Ligne ${line + 1} : le fichier n'est pas en UTF-8.`, {
          line: line + 1,
        });
      }
    };
    for await (const chunk of content) {
      if (!ignoreSignal) signal.throwIfAborted();
      rest += decode(chunk);
      const lines = rest.split("\n");
      rest = noCarry ? "" : (lines.pop() ?? "");
      for (const text of lines) {
        const record = parseLine(text.replace(/\r$/, ""), ++line);
        if (record) yield record;
      }
    }
    rest += decode();
    const record = parseLine(rest, ++line);
    if (record) yield record;
  };
}

const demoLinesDefinition: ConnectorDefinition = {
  id: "demo-lines",
  label: "Fichier numéro;état",
  kind: "file",
  compatibility: "^1.0.0",
  cancellations: true,
  sourceConfig: [],
  performanceParams: [],
  parseFile: linesParser(),
};

const demoLines = defineConnector(demoLinesDefinition);

const sample = ["A0001;valide", "A0002;annulé", "Bébé-3;", "A0004;dupliqué", "A0005;VALIDE"].join("\r\n");

async function demoFiles(): Promise<ConformanceFixture> {
  return {
    config: {},
    files: [
      { name: "petit.txt", content: Buffer.from(sample), tickets: 5, cancelled: ["A0002", "A0004"] },
      {
        name: "grand.txt",
        content: Buffer.from(
          Array.from({ length: 400 }, (_, i) => `G${i};${i % 10 === 0 ? "annulé" : "valide"}\n`).join(""),
        ),
        tickets: 400,
        cancelled: ["G0", "G10"],
      },
    ],
    badFiles: [
      { name: "vide.txt", content: Buffer.from("A1;valide\n;valide\n"), message: /Ligne 2/ },
      { name: "etat.txt", content: Buffer.from("A1;valide\nA2;perdu\n"), message: /Ligne 2.*perdu/ },
      { name: "latin1.txt", content: Buffer.from([0x41, 0x31, 0x3b, 0xe9, 0x0a]), message: /UTF-8/ },
    ],
    close: async () => {},
  };
}

// ---------------------------------------------------------------------------------------------
// The kit passes good connectors...

defineConnectorConformanceSuite({ connector: demoPartner, setup: startDemoPartner, timeoutMs: 5000 });
defineConnectorConformanceSuite({ connector: demoLines, setup: demoFiles, timeoutMs: 5000 });

// ---------------------------------------------------------------------------------------------
// ...and its checks catch broken ones. Each case breaks one rule of a good connector.

const brokenPartner = (overrides: Partial<ConnectorDefinition<DemoConfig, DemoParams>>) =>
  defineConnector({ ...demoPartnerDefinition, ...overrides });

/** The demo fetch, with each record passed through `change`. */
function mapRecords(change: (record: TicketRecord, index: number) => TicketRecord) {
  return async function* (args: FetchTicketsArgs<DemoConfig, DemoParams>) {
    let i = 0;
    for await (const record of demoFetch(args)) yield change(record, i++);
  };
}

/** The demo fetch, with each ConnectorError replaced by what `replace` makes of it. */
function mapErrors(replace: (err: ConnectorError) => unknown) {
  return async function* (args: FetchTicketsArgs<DemoConfig, DemoParams>) {
    try {
      yield* demoFetch(args);
    } catch (err) {
      throw err instanceof ConnectorError ? replace(err) : err;
    }
  };
}

const ticketsUrl = (config: DemoConfig) => `${config.baseUrl}/api/events/E1/tickets`;

describe("the conformance checks", () => {
  let partner: Awaited<ReturnType<typeof startDemoPartner>>;
  beforeAll(async () => {
    partner = await startDemoPartner();
  });
  afterAll(() => partner.close());

  it.each([
    {
      broken: "a connector yielding an empty barcode",
      check: () =>
        checkOnlineFetch(
          brokenPartner({ fetchTickets: mapRecords((r, i) => (i === 3 ? { ...r, barcode: " " } : r)) }),
          partner,
        ),
      message: /record #4 \(" "\): barcode is empty/,
    },
    {
      broken: "a connector yielding untrimmed barcodes",
      check: () =>
        checkOnlineFetch(
          brokenPartner({ fetchTickets: mapRecords((r) => ({ ...r, barcode: `${r.barcode} ` })) }),
          partner,
        ),
      message: /is not trimmed/,
    },
    {
      broken: "a connector yielding a barcode twice",
      check: () =>
        checkOnlineFetch(
          brokenPartner({ fetchTickets: mapRecords((r, i) => (i === 1 ? { ...r, barcode: "T0001" } : r)) }),
          partner,
        ),
      message: /more than once: T0001/,
    },
    {
      broken: "a connector yielding a negative price, an unknown state and a numeric extra",
      check: () =>
        checkOnlineFetch(
          brokenPartner({
            fetchTickets: mapRecords((r) => ({
              ...r,
              price: -1,
              state: "annulé" as never,
              extra: { row: 3 as never },
            })),
          }),
          partner,
        ),
      message: /price -1 is not a finite number >= 0[\s\S]*state "annulé"[\s\S]*extra.row must be a string/,
    },
    {
      broken: "a connector yielding fewer tickets than the partner sold",
      check: () =>
        checkOnlineFetch(brokenPartner({ fetchTickets: mapRecords((r) => r) }), {
          ...partner,
          expectedTickets: 50,
        }),
      message: /12 records, expected at least 50/,
    },
    {
      broken: "a connector whose records change from one fetch to the next",
      check: () => {
        let fetches = 0;
        return checkRepeatableFetch(
          brokenPartner({
            fetchTickets: (args) => {
              fetches++;
              return mapRecords((r, i) => (i === 2 ? { ...r, seat: `S${fetches}` } : r))(args);
            },
          }),
          partner,
        );
      },
      message: /a second full fetch gave other records, record #3: expected .*"seat":"S1".*got .*"seat":"S2"/,
    },
    {
      broken: "a checkConfig that finds fault with a working configuration",
      check: () => checkFixtureConfig(brokenPartner({ checkConfig: () => ["Le jeton a expiré."] }), partner),
      message: /checkConfig must return \[\] for fixture.config, got \["Le jeton a expiré."\]/,
    },
    {
      broken: "a fixture whose configuration misses a required field",
      check: () => checkFixtureConfig(demoPartner, { ...partner, config: { baseUrl: partner.url } }),
      message:
        /fixture.config does not pass the connector's schema:\n {2}- « Jeton d'accès » : ce champ est obligatoire/,
    },
    {
      broken: "a connector that never ends",
      check: () =>
        checkOnlineFetch(
          brokenPartner({
            async *fetchTickets() {
              await new Promise(() => {});
            },
          }),
          partner,
          { timeoutMs: 200 },
        ),
      message: /did not finish within 200 ms/,
    },
    {
      broken: "a connector whose compatibility is ^2.0.0",
      check: async () => checkCompatibility(brokenPartner({ compatibility: "^2.0.0" })),
      message: /compatibility "\^2.0.0" excludes the contract version 1.0.0/,
    },
    {
      broken: "a connector whose compatibility is not a range",
      check: async () => checkDefinition(brokenPartner({ compatibility: "latest" })),
      message: /not a valid semver range/,
    },
    {
      broken: "a connector whose id is not kebab-case and label is empty",
      check: async () => checkIdentity(brokenPartner({ id: "Demo_Partner", label: " " })),
      message: /"Demo_Partner" is not kebab-case[\s\S]*label is empty/,
    },
    {
      broken: "a connector whose schema has a bad key and a select without options",
      check: async () =>
        checkSchemas(
          brokenPartner({
            sourceConfig: [
              { key: "base-url", label: "Adresse", type: "url" },
              { key: "mode", label: "Mode", type: "select" },
            ],
          }),
        ),
      message: /sourceConfig\[0\]\.key must be camelCase[\s\S]*sourceConfig\[1\]\.options/,
    },
    {
      broken: "an online connector without fetchTickets",
      check: async () => checkEntryPoints(brokenPartner({ fetchTickets: undefined })),
      message: /"online" must define fetchTickets/,
    },
    {
      broken: "a connector not made by defineConnector",
      check: async () => checkTagged({ ...demoPartnerDefinition }),
      message: /defineConnector/,
    },
    {
      broken: "a connector whose 500 escapes as a raw Error",
      check: () =>
        checkFault(
          brokenPartner({
            async *fetchTickets({ config, signal }) {
              const response = await fetch(ticketsUrl(config), {
                headers: { authorization: `Bearer ${config.token}` },
                signal,
              });
              if (!response.ok) throw new Error(`HTTP ${response.status}`);
              for (const t of ((await response.json()) as { tickets: PartnerTicket[] }).tickets)
                yield { barcode: t.code };
            },
          }),
          partner,
          "error500",
          "unavailable",
        ),
      message: /threw Error\("HTTP 500"\) instead of a ConnectorError of code unavailable/,
    },
    {
      broken: "a connector with English error messages",
      check: () =>
        checkFault(
          brokenPartner({
            fetchTickets: mapErrors(
              (e) => new ConnectorError(e.code, "Service unavailable, try again later"),
            ),
          }),
          partner,
          "error500",
          "unavailable",
        ),
      message: /its message is not French/,
    },
    {
      broken: "a connector taking refused credentials for an outage",
      check: () =>
        checkFault(
          brokenPartner({ fetchTickets: mapErrors((e) => new ConnectorError("unavailable", e.message)) }),
          partner,
          "unauthorized",
          "unauthorized",
        ),
      message: /its code is unavailable, expected unauthorized/,
    },
    {
      broken: "a connector that cannot wait for a slow partner",
      check: () =>
        checkFault(
          brokenPartner({
            fetchTickets: (args) =>
              demoFetch({ ...args, config: { ...args.config, timeoutMs: 10, retries: 0 } }),
          }),
          partner,
          "slow",
          null,
        ),
      message: /with the slow fault, the fetch threw ConnectorError\(unavailable/,
    },
    {
      broken: "a connector that never calls checkpoint",
      check: () =>
        checkIncrementalFetch(
          brokenPartner({ fetchTickets: (args) => demoFetch({ ...args, checkpoint: () => {} }) }),
          partner,
        ),
      message: /a full fetch never called checkpoint/,
    },
    {
      broken: "an incremental connector that ignores since",
      check: () =>
        checkIncrementalFetch(
          brokenPartner({ fetchTickets: (args) => demoFetch({ ...args, since: undefined }) }),
          partner,
        ),
      message: /not fewer than the full fetch's/,
    },
    {
      broken: "an online connector without checkConfig",
      check: () => checkCredentialsChecked(brokenPartner({ checkConfig: undefined }), partner),
      message: /must define checkConfig/,
    },
    {
      broken: "a checkConfig that throws on refused credentials",
      check: () =>
        checkCredentialsChecked(
          brokenPartner({
            checkConfig: async (config, { signal }) => {
              await demoRequest(config, "/api/me", signal);
              return [];
            },
          }),
          partner,
        ),
      message: /checkConfig threw ConnectorError\(unauthorized/,
    },
    {
      broken: "a connector that makes a request after the abort without the signal",
      check: () =>
        checkOnlineAbort(
          brokenPartner({
            async *fetchTickets({ config }) {
              yield { barcode: "T0001" };
              await fetch(ticketsUrl(config), { headers: { authorization: `Bearer ${config.token}` } });
              yield { barcode: "T0002" };
            },
          }),
          partner,
        ),
      message: /started after the abort without the aborted signal/,
    },
  ])("fail $broken", async ({ check, message }) => {
    await expect(check()).rejects.toThrow(message);
  });

  it("fail a connector that ignores the abort, after 2 s", async () => {
    const started = Date.now();
    const connector = brokenPartner({
      async *fetchTickets() {
        yield { barcode: "T0001" };
        await new Promise(() => {});
      },
    });
    await expect(checkOnlineAbort(connector, partner)).rejects.toThrow(
      /went on for 2000 ms after its signal was aborted/,
    );
    expect(Date.now() - started).toBeLessThan(3000);
  });

  describe("on file connectors", () => {
    let files: ConformanceFixture;
    beforeAll(async () => {
      files = await demoFiles();
    });
    const brokenLines = (overrides: Partial<ConnectorDefinition>) =>
      defineConnector({ ...demoLinesDefinition, ...overrides });

    it.each([
      {
        broken: "a parser that loses the lines split between two chunks",
        check: () => checkChunkedParsing(brokenLines({ parseFile: linesParser({ noCarry: true }) }), files),
        message: /petit.txt in 7-byte chunks/,
      },
      {
        broken: "a parser that drops cancellations",
        check: () =>
          checkSampleFiles(
            brokenLines({
              async *parseFile(args) {
                for await (const r of linesParser()?.(args) ?? []) yield { ...r, state: "valid" };
              },
            }),
            files,
          ),
        message: /"A0002" should be cancelled or duplicated, got "valid"/,
      },
      {
        broken: "a parser that throws a plain Error on a bad line",
        check: () =>
          checkBadFiles(
            brokenLines({
              async *parseFile(args) {
                try {
                  yield* linesParser()?.(args) ?? [];
                } catch (err) {
                  throw new Error((err as Error).message);
                }
              },
            }),
            files,
          ),
        message: /vide.txt in 65536-byte chunks: threw Error\("Ligne 2/,
      },
      {
        broken: "a parser that accepts junk",
        check: () => checkBadFiles(brokenLines({ parseFile: async function* () {} }), files),
        message: /vide.txt in 65536-byte chunks: accepted with 0 records/,
      },
    ])("fail $broken", async ({ check, message }) => {
      await expect(check()).rejects.toThrow(message);
    });

    it("fail a parser that ignores the abort", async () => {
      await expect(
        checkFileAbort(brokenLines({ parseFile: linesParser({ ignoreSignal: true }) }), files),
      ).rejects.toThrow(/read the file to its end after its signal was aborted \(399 more records\)/);
    });
  });

  it("pass a parser that must read the whole file before its first record (like a spreadsheet's)", async () => {
    const wholeFirst = defineConnector({
      ...demoLinesDefinition,
      async *parseFile(args) {
        const chunks: Uint8Array[] = [];
        for await (const chunk of args.content) chunks.push(chunk);
        yield* linesParser()?.({
          ...args,
          content: (async function* () {
            yield* chunks;
          })(),
        }) ?? [];
      },
    });
    await expect(checkFileAbort(wholeFirst, await demoFiles())).resolves.toBeUndefined();
  });

  it("fail a parser that hangs after the abort, after 2 s", async () => {
    const hangs = defineConnector({
      ...demoLinesDefinition,
      async *parseFile() {
        yield { barcode: "A1" };
        await new Promise(() => {});
      },
    });
    await expect(checkFileAbort(hangs, await demoFiles())).rejects.toThrow(
      /went on for 2000 ms after its signal was aborted/,
    );
  });

  it("require one French error per required field", () => {
    expect(() =>
      checkRequiredFieldErrors(
        [{ key: "token", label: "Jeton", type: "secret", required: true }],
        "sourceConfig",
      ),
    ).not.toThrow();
  });
});

describe("looksFrench", () => {
  it.each([
    "Le service 127.0.0.1:80 est en erreur (HTTP 500).",
    "« Adresse du service » : ce champ est obligatoire.",
    "Ligne 3 : numéro vide.",
    "L'identifiant n'existe pas.",
    "Le service a renvoyé une réponse illisible (JSON invalide).",
  ])("accepts %j", (text) => {
    expect(looksFrench(text)).toBe(true);
  });

  it.each([
    "Request failed with status code 500",
    "fetch failed",
    "Internal Server Error",
    "HTTP 500",
    "Unexpected token < in JSON at position 0",
    "Line 3: empty barcode",
    "",
  ])("refuses %j", (text) => {
    expect(looksFrench(text)).toBe(false);
  });
});

describe("collect", () => {
  it("rejects once the time is up, and lets the caller abort the iteration", async () => {
    const controller = new AbortController();
    async function* stuck() {
      yield 1;
      await new Promise(() => {});
    }
    await expect(
      collect(stuck, { what: "stuck", timeoutMs: 50, onTimeout: () => controller.abort() }),
    ).rejects.toThrow("stuck did not finish within 50 ms (1 records so far)");
    expect(controller.signal.aborted).toBe(true);
  });

  it.each([
    { returns: "a plain array", make: () => [1, 2] as unknown as AsyncIterable<number> },
    {
      returns: "a synchronous throw",
      make: (): AsyncIterable<number> => {
        throw new Error("sync");
      },
    },
  ])("rejects when the connector gives $returns", async ({ make }) => {
    await expect(collect(make, { what: "x", timeoutMs: 50 })).rejects.toThrow();
  });
});

describe("the catalogue checks", () => {
  const date = (
    id: string,
    startsAt = "2030-05-01T20:00:00+02:00",
    params: Record<string, string> = { eventId: "E1" },
  ) => ({
    id,
    startsAt,
    params,
  });
  const venue = (id: string, events: { id: string; name: string; dates: ReturnType<typeof date>[] }[]) => ({
    id,
    name: `Salle ${id}`,
    events,
  });

  it("pass a good catalogue", () => {
    const venues = [
      venue("V1", [{ id: "E1", name: "Concert", dates: [date("D1"), date("D2")] }]),
      venue("V2", [{ id: "E1", name: "Concert", dates: [date("D3")] }]),
    ];
    expect(() => checkCatalogTree(venues)).not.toThrow();
    expect(() => checkCatalogDates(venues)).not.toThrow();
    expect(() => checkCatalogParams(demoPartner, venues)).not.toThrow();
  });

  it.each([
    { broken: "an empty catalogue", venues: [], message: /has no date/ },
    {
      broken: "a repeated venue id",
      venues: [venue("V1", [{ id: "E1", name: "A", dates: [date("D1")] }]), venue("V1", [])],
      message: /venue #2: id "V1" is repeated/,
    },
    {
      broken: "a repeated event id in a venue",
      venues: [
        venue("V1", [
          { id: "E1", name: "A", dates: [date("D1")] },
          { id: "E1", name: "B", dates: [] },
        ]),
      ],
      message: /event #2: id "E1" is repeated/,
    },
    {
      broken: "a date proposed twice",
      venues: [
        venue("V1", [{ id: "E1", name: "A", dates: [date("D1")] }]),
        venue("V2", [{ id: "E2", name: "B", dates: [date("D1")] }]),
      ],
      message: /date #1: id "D1" is repeated/,
    },
    {
      broken: "an event without a name",
      venues: [venue("V1", [{ id: "E1", name: " ", dates: [date("D1")] }])],
      message: /event #1: name is empty/,
    },
  ])("fail $broken", ({ venues, message }) => {
    expect(() => checkCatalogTree(venues)).toThrow(message);
  });

  it("fail a startsAt that is not a date", () => {
    expect(() =>
      checkCatalogDates([venue("V1", [{ id: "E1", name: "A", dates: [date("D1", "demain soir")] }])]),
    ).toThrow(/date "D1": startsAt "demain soir" is not a date/);
  });

  it("fail a date whose params miss a required field", () => {
    expect(() =>
      checkCatalogParams(demoPartner, [
        venue("V1", [{ id: "E1", name: "A", dates: [date("D1", undefined, {})] }]),
      ]),
    ).toThrow(/date "D1": .*« Identifiant de la séance » : ce champ est obligatoire/);
  });
});

describe("recordProblems", () => {
  it("finds nothing in a full record", () => {
    expect(
      recordProblems({
        barcode: "A1",
        state: "cancelled",
        category: "Balcon",
        holderName: "Zoé",
        seat: "R1-2",
        price: 0,
        extra: { commande: "C1" },
      }),
    ).toEqual([]);
  });

  it.each([
    { record: null, problem: "is not an object: null" },
    { record: "A1", problem: 'is not an object: "A1"' },
    { record: { barcode: 12 }, problem: "barcode must be a string, got 12" },
    {
      record: { barcode: "A1", holderName: null },
      problem: "holderName must be a string when present, got null",
    },
    { record: { barcode: "A1", price: Number.NaN }, problem: "price NaN is not a finite number >= 0" },
    { record: { barcode: "A1", price: "12" }, problem: 'price "12" is not a finite number >= 0' },
    { record: { barcode: "A1", extra: ["x"] }, problem: 'extra must be an object of strings, got ["x"]' },
  ])("reports $problem", ({ record, problem }) => {
    expect(recordProblems(record)).toEqual([problem]);
  });
});
