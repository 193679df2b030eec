import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type ConfigValues,
  ConnectorError,
  checkConfigValues,
  isConnector,
  schemaProblems,
  type TicketRecord,
} from "@billetix/connector-sdk";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import connector, { fetchTicketnetTickets, mapTicket, type TicketnetConfig } from "./index";
import { type PartnerFault, startTicketnetSimulator, type TicketnetSimulator } from "./simulator";

const never = new AbortController().signal;

async function collect(
  config: ConfigValues,
  performanceId: string,
  options: { since?: string; signal?: AbortSignal; pageSize?: number; onRecord?: (n: number) => void } = {},
): Promise<{ records: TicketRecord[]; checkpoints: string[] }> {
  const checkpoints: string[] = [];
  const records: TicketRecord[] = [];
  const args = {
    config: config as TicketnetConfig,
    params: { performanceId },
    since: options.since,
    checkpoint: (cursor: string) => checkpoints.push(cursor),
    signal: options.signal ?? never,
  };
  const stream = options.pageSize
    ? fetchTicketnetTickets(args, options.pageSize)
    : connector.fetchTickets?.(args);
  for await (const record of stream ?? []) {
    records.push(record);
    options.onRecord?.(records.length);
  }
  return { records, checkpoints };
}

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ConnectorError) return err;
    throw err;
  }
  throw new Error("expected a ConnectorError");
}

/** Another HTTP server than Ticketnet, answering with `handle`. */
async function startOther(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

const states = { VALID: "valid", CANCELLED: "cancelled", REPRINTED: "duplicated" } as const;

describe("the connector's definition", () => {
  it("is a tagged, incremental online connector with French schemas", () => {
    expect(isConnector(connector)).toBe(true);
    expect(connector).toMatchObject({
      id: "ticketnet",
      label: "WS Ticketnet",
      kind: "online",
      compatibility: "^1.0.0",
      cancellations: true,
    });
    expect(connector.incremental).not.toBe(false);
    expect(schemaProblems(connector.sourceConfig, "sourceConfig")).toEqual([]);
    expect(schemaProblems(connector.performanceParams, "performanceParams")).toEqual([]);
    expect(connector.sourceConfig.map((f) => [f.key, f.type, f.required ?? false])).toEqual([
      ["baseUrl", "url", true],
      ["login", "text", true],
      ["password", "secret", true],
      ["timeoutSeconds", "integer", false],
      ["retries", "integer", false],
    ]);
    expect(connector.performanceParams).toEqual([
      expect.objectContaining({
        key: "performanceId",
        type: "text",
        label: "Identifiant de la représentation chez Ticketnet",
        required: true,
      }),
    ]);
  });

  it("fills the defaults", () => {
    expect(
      checkConfigValues(connector.sourceConfig, {
        baseUrl: "https://ws.example",
        login: "l",
        password: " p ",
      }),
    ).toEqual({
      values: { baseUrl: "https://ws.example", login: "l", password: " p ", timeoutSeconds: 15, retries: 3 },
      errors: [],
    });
  });

  it.each([
    [{}, /« Adresse du service Ticketnet » : ce champ est obligatoire/],
    [{ baseUrl: "ftp://x" }, /« Adresse du service Ticketnet » : une adresse http/],
    [{ login: "" }, /« Identifiant de connexion » : ce champ est obligatoire/],
    [{ password: "" }, /« Mot de passe » : ce champ est obligatoire/],
    [{ timeoutSeconds: 0 }, /« Délai d'attente d'une réponse \(secondes\) » : au moins 1/],
    [{ timeoutSeconds: 121 }, /« Délai d'attente d'une réponse \(secondes\) » : au plus 120/],
    [{ retries: 11 }, /« Nouvelles tentatives après un échec » : au plus 10/],
    [{ retries: "deux" }, /« Nouvelles tentatives après un échec » : un nombre entier est attendu/],
  ])("refuses %j in French", (values, message) => {
    const { errors } = checkConfigValues(connector.sourceConfig, values);
    expect(errors.join("\n")).toMatch(message);
  });
});

describe("mapping a ticket", () => {
  const ticket = {
    barcode: "10010100000006",
    status: "VALID",
    priceCategory: "Carré Or",
    priceCents: 8400,
    seat: { block: "A", row: "3", number: "12" },
    customer: { firstName: "Hélène", lastName: "Lefèvre" },
    orderRef: "TN0001000001",
    modifiedAt: "2026-09-08T09:00:32.217+02:00",
  };

  it.each([
    [
      "a seated ticket",
      ticket,
      {
        barcode: "10010100000006",
        state: "valid",
        category: "Carré Or",
        price: 84,
        seat: "Bloc A, rang 3, place 12",
        holderName: "Hélène Lefèvre",
        extra: { orderRef: "TN0001000001", modifiedAt: "2026-09-08T09:00:32.217+02:00" },
      },
    ],
    [
      "a cancelled, anonymous standing ticket",
      {
        ...ticket,
        status: "CANCELLED",
        priceCategory: "Fosse",
        priceCents: 3450,
        seat: null,
        customer: null,
      },
      {
        barcode: "10010100000006",
        state: "cancelled",
        category: "Fosse",
        price: 34.5,
        extra: { orderRef: "TN0001000001", modifiedAt: "2026-09-08T09:00:32.217+02:00" },
      },
    ],
    [
      "a reprinted ticket with numbers, a half seat and a half name",
      {
        barcode: 123,
        status: "REPRINTED",
        priceCents: 0,
        seat: { block: null, row: 7, number: 4 },
        customer: { firstName: "", lastName: "Faure" },
      },
      { barcode: "123", state: "duplicated", price: 0, seat: "Rang 7, place 4", holderName: "Faure" },
    ],
    [
      "fields of a newer API version, as text in extra",
      {
        ...ticket,
        barcode: " 42 ",
        priceCents: null,
        tariff: "Réduit",
        gate: 3,
        vip: false,
        tags: ["a"],
        note: null,
      },
      {
        barcode: "42",
        state: "valid",
        category: "Carré Or",
        seat: "Bloc A, rang 3, place 12",
        holderName: "Hélène Lefèvre",
        extra: {
          orderRef: "TN0001000001",
          modifiedAt: "2026-09-08T09:00:32.217+02:00",
          tariff: "Réduit",
          gate: "3",
          vip: "false",
          tags: '["a"]',
        },
      },
    ],
  ])("maps %s", (_name, raw, record) => {
    expect(mapTicket(raw, "Billets", "billet n° 1")).toEqual(record);
  });

  it.each([
    ["not an object", "123", /billet n° 1 : ce n'est pas un objet/],
    ["no barcode", { ...ticket, barcode: "  " }, /billet n° 1 : « barcode » manque ou est vide/],
    [
      "an unknown status",
      { ...ticket, status: "USED" },
      /statut « USED » inconnu \(VALID, CANCELLED ou REPRINTED/,
    ],
    ["no status", { ...ticket, status: undefined }, /statut absent inconnu/],
    [
      "a price in euros",
      { ...ticket, priceCents: 84.5 },
      /« priceCents » 84.5 n'est pas un nombre entier de centimes/,
    ],
    ["a price as text", { ...ticket, priceCents: "8400" }, /« priceCents » « 8400 »/],
    ["a negative price", { ...ticket, priceCents: -1 }, /« priceCents » -1/],
    ["a seat as text", { ...ticket, seat: "A3-12" }, /« seat » n'est pas un objet/],
    ["a customer as text", { ...ticket, customer: "Léa" }, /« customer » n'est pas un objet/],
    [
      "a category that is an object",
      { ...ticket, priceCategory: {} },
      /« priceCategory » n'est pas un texte/,
    ],
  ])("refuses %s with bad-response", (_name, raw, message) => {
    let error: unknown;
    try {
      mapTicket(raw, "Billets de la représentation « 1 », page 3", "billet n° 1");
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).code).toBe("bad-response");
    expect((error as ConnectorError).message).toMatch(
      /^Billets de la représentation « 1 », page 3 : la réponse ne suit pas l'API Ticketnet \(/,
    );
    expect((error as ConnectorError).message).toMatch(message);
  });
});

describe("against the simulator", () => {
  let sim: TicketnetSimulator;
  let config: TicketnetConfig;
  let quick: TicketnetConfig;
  beforeAll(async () => {
    sim = await startTicketnetSimulator({ seed: 5 });
    config = { baseUrl: sim.url, ...sim.credentials, timeoutSeconds: 5, retries: 0 };
    quick = { ...config, timeoutSeconds: 1, retries: 0 };
  });
  afterAll(() => sim.close());
  const performanceId = (i: number) => sim.performances()[i].id;

  describe("fetchTickets", () => {
    it("maps every ticket: state, price in euros, seat, holder, category, order and date", async () => {
      const id = performanceId(0);
      const tickets = sim.tickets(id);
      const before = sim.requests().length;
      const { records, checkpoints } = await collect(config, id);
      expect(records).toHaveLength(tickets.length);
      records.forEach((record, i) => {
        const t = tickets[i];
        expect(record).toEqual({
          barcode: t.barcode,
          state: states[t.status],
          category: t.priceCategory,
          price: t.priceCents / 100,
          ...(t.seat ? { seat: `Bloc ${t.seat.block}, rang ${t.seat.row}, place ${t.seat.number}` } : {}),
          ...(t.customer ? { holderName: `${t.customer.firstName} ${t.customer.lastName}` } : {}),
          extra: { orderRef: t.orderRef, modifiedAt: t.modifiedAt },
        });
      });
      expect(new Set(records.map((r) => r.state))).toEqual(new Set(["valid", "cancelled", "duplicated"]));
      expect(records.some((r) => r.seat === undefined) && records.some((r) => r.seat)).toBe(true);
      expect(checkpoints).toHaveLength(1);
      expect(checkpoints[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0[12]:00$/);
      expect(sim.requests().slice(before)).toEqual([
        "POST /api/v2/auth",
        `GET /api/v2/performances/${id}/tickets?page=1&pageSize=5000`,
      ]);
    });

    it("walks every page at 5000 tickets a page, with one token", async () => {
      const big = sim.addPerformance({ tickets: 12_000 });
      const before = sim.requests().length;
      const { records, checkpoints } = await collect(config, big.id);
      expect(records).toHaveLength(12_000);
      expect(new Set(records.map((r) => r.barcode)).size).toBe(12_000);
      expect(records.map((r) => r.barcode)).toEqual(sim.tickets(big.id).map((t) => t.barcode));
      expect(checkpoints).toHaveLength(1);
      expect(sim.requests().slice(before)).toEqual([
        "POST /api/v2/auth",
        ...[1, 2, 3].map((page) => `GET /api/v2/performances/${big.id}/tickets?page=${page}&pageSize=5000`),
      ]);
    });

    it("reads only the changes since the checkpoint, and passes it as modifiedSince", async () => {
      const id = performanceId(1);
      const first = await collect(config, id);
      const since = first.checkpoints[0];
      const nothing = await collect(config, id, { since });
      expect(nothing.records).toEqual([]);
      expect(nothing.checkpoints).toEqual([expect.any(String)]);
      expect(Date.parse(nothing.checkpoints[0])).toBeGreaterThanOrEqual(Date.parse(since));

      const sold = sim.sell(id, 3);
      const cancelled = first.records.find((r) => r.state === "valid")?.barcode ?? "";
      sim.cancel(cancelled);
      const before = sim.requests().length;
      const changes = await collect(config, id, { since: nothing.checkpoints[0] });
      expect(changes.records.map((r) => [r.barcode, r.state])).toEqual([
        [cancelled, "cancelled"],
        ...sold.map((barcode) => [barcode, "valid"]),
      ]);
      expect(sim.requests().slice(before)).toEqual([
        "POST /api/v2/auth",
        `GET /api/v2/performances/${id}/tickets?page=1&pageSize=5000&modifiedSince=${encodeURIComponent(nothing.checkpoints[0])}`,
      ]);
    });

    it("checkpoints the first page's serverTime, so that changes made during the import are read next time", async () => {
      const id = performanceId(2);
      const tickets = sim.tickets(id);
      const late = tickets.filter((t) => t.status === "VALID").at(-1)?.barcode ?? "";
      const changed: string[] = [];
      const full = await collect(config, id, {
        pageSize: 50,
        onRecord: (n) => {
          // While page 1 is in hand: a sale, and a cancellation on the last page, not read yet.
          if (n !== 1) return;
          changed.push(...sim.sell(id, 1));
          sim.cancel(late);
        },
      });
      // The import read them on later pages…
      expect(full.records.find((r) => r.barcode === late)?.state).toBe("cancelled");
      expect(full.records.at(-1)?.barcode).toBe(changed[0]);
      // …and the next sync reads them again, as it must for a change made between two pages.
      const next = await collect(config, id, { since: full.checkpoints[0] });
      expect(next.records.map((r) => r.barcode).sort()).toEqual([late, changed[0]].sort());
    });

    it("reads everything when since is not a date", async () => {
      const id = performanceId(3);
      const { records } = await collect(config, id, { since: "complet:200:abc" });
      expect(records).toHaveLength(sim.tickets(id).length);
    });

    it("renews a token that expires mid-import, once", async () => {
      const id = performanceId(4);
      const before = sim.requests().length;
      const { records, checkpoints } = await collect(config, id, {
        pageSize: 60,
        onRecord: (n) => {
          if (n === 60) sim.revokeTokens();
        },
      });
      expect(records.map((r) => r.barcode)).toEqual(sim.tickets(id).map((t) => t.barcode));
      expect(checkpoints).toHaveLength(1);
      const path = `GET /api/v2/performances/${id}/tickets`;
      expect(sim.requests().slice(before)).toEqual([
        "POST /api/v2/auth",
        `${path}?page=1&pageSize=60`,
        `${path}?page=2&pageSize=60`,
        "POST /api/v2/auth",
        `${path}?page=2&pageSize=60`,
        `${path}?page=3&pageSize=60`,
        `${path}?page=4&pageSize=60`,
      ]);
    });

    it("accepts the address with /api/v2 and a trailing slash", async () => {
      const { records } = await collect({ ...config, baseUrl: `${sim.url}/api/v2/` }, performanceId(5));
      expect(records.length).toBeGreaterThan(0);
    });

    describe("a malformed page stops the import and names the page", () => {
      afterAll(() => sim.setFault(null));
      it.each([
        [
          "the wrong shape",
          "shape",
          /page 3 : la réponse ne suit pas l'API Ticketnet \(« page » vaut absent au lieu de 3\)/,
        ],
        [
          "truncated JSON",
          "json",
          /page 3 : le service .* a renvoyé une réponse illisible \(JSON invalide\)/,
        ],
      ] as const)("%s", async (_name, malformedAs, message) => {
        const id = performanceId(0);
        sim.setFault("malformed", { malformedAs, fromPage: 3 });
        let seen = 0;
        const checkpoints: string[] = [];
        const err = await failure(
          (async () => {
            for await (const _ of fetchTicketnetTickets(
              {
                config,
                params: { performanceId: id },
                checkpoint: (c) => checkpoints.push(c),
                signal: never,
              },
              40,
            ))
              seen++;
          })(),
        );
        expect(err.code).toBe("bad-response");
        expect(err.message).toMatch(message);
        expect(err.message).toMatch(new RegExp(`^Billets de la représentation « ${id} », page 3 : `));
        expect(seen).toBe(80);
        expect(checkpoints).toEqual([]);
      });
    });

    describe("errors", () => {
      afterAll(() => sim.setFault(null));
      const withFault = (fault: PartnerFault) => () => {
        sim.setFault(fault);
        return {};
      };
      it.each([
        [
          "an unknown performance",
          () => ({}),
          "99",
          "not-found",
          /^Ticketnet ne connaît pas la représentation « 99 » \(HTTP 404\) : vérifiez « Identifiant de la représentation chez Ticketnet »\.$/,
        ],
        [
          "a wrong password",
          () => ({ password: "nope" }),
          undefined,
          "unauthorized",
          /^Ticketnet refuse l'identifiant « billetix » ou son mot de passe \(HTTP 401\) : vérifiez « Identifiant de connexion » et « Mot de passe »\.$/,
        ],
        ["credentials refused", withFault("unauthorized"), undefined, "unauthorized", /refuse l'identifiant/],
        [
          "HTTP 500",
          withFault("error500"),
          undefined,
          "unavailable",
          /^Connexion au service Ticketnet : le service .* est en erreur \(HTTP 500\)\.$/,
        ],
        ["no answer", withFault("timeout"), undefined, "unavailable", /répon.* en 1 s/],
        [
          "a bad address",
          () => ({ baseUrl: "ftp://ticketnet" }),
          undefined,
          "bad-config",
          /« Adresse du service Ticketnet » : une adresse http/,
        ],
      ] as const)("%s", async (_name, change, performance, code, message) => {
        const err = await failure(collect({ ...quick, ...change() }, performance ?? performanceId(0)));
        sim.setFault(null);
        expect(err.code).toBe(code);
        expect(err.message).toMatch(message);
      });
    });

    describe("abort", () => {
      it("stops within the page in hand and gives no checkpoint", async () => {
        const big = sim.addPerformance({ tickets: 6000 });
        const controller = new AbortController();
        const before = sim.requests().length;
        const { records, checkpoints } = await collect(config, big.id, {
          signal: controller.signal,
          onRecord: (n) => {
            if (n === 10) controller.abort();
          },
        });
        expect(records).toHaveLength(10);
        expect(checkpoints).toEqual([]);
        expect(sim.requests().slice(before)).toHaveLength(2);
      });

      it("returns quietly when aborted while a request hangs", async () => {
        sim.setFault("timeout");
        const controller = new AbortController();
        const started = Date.now();
        const before = sim.requests().length;
        const run = collect(config, performanceId(0), { signal: controller.signal });
        await waitFor(() => sim.requests().length > before);
        controller.abort();
        const { records, checkpoints } = await run.finally(() => sim.setFault(null));
        expect(records).toEqual([]);
        expect(checkpoints).toEqual([]);
        expect(Date.now() - started).toBeLessThan(2000);
      });
    });
  });

  describe("partners that answer otherwise", () => {
    let other: { url: string; close(): Promise<void> };
    let auths = 0;
    let page: unknown = {};
    let ticketsStatus = 200;
    beforeAll(async () => {
      other = await startOther((req, res) => {
        if (req.url === "/api/v2/auth") {
          auths++;
          return json(res, 200, { token: `t${auths}`, expiresIn: 60 });
        }
        json(res, ticketsStatus, page);
      });
    });
    afterAll(() => other.close());
    const otherConfig = () => ({ ...config, baseUrl: other.url });

    it("fails with unauthorized when a token is refused right after it was renewed", async () => {
      ticketsStatus = 401;
      page = { error: "INVALID_TOKEN", message: "Jeton inconnu." };
      auths = 0;
      const err = await failure(collect(otherConfig(), "7"));
      ticketsStatus = 200;
      expect(auths).toBe(2);
      expect(err.code).toBe("unauthorized");
      expect(err.message).toBe(
        "Billets de la représentation « 7 », page 1 : Ticketnet refuse l'accès au compte « billetix » (HTTP 401) : vérifiez ses droits chez Ticketnet.",
      );
    });

    const ticket = { barcode: "1", status: "VALID", priceCents: 100 };
    const good = { page: 1, pageCount: 1, totalCount: 1, serverTime: "2026-11-29T10:00:00.000+01:00" };
    it.each([
      ["a list instead of a page", [ticket], /la réponse n'est pas un objet/],
      ["another page", { ...good, page: 2, tickets: [ticket] }, /« page » vaut 2 au lieu de 1/],
      [
        "no pageCount",
        { ...good, pageCount: undefined, tickets: [ticket] },
        /« pageCount » n'est pas un nombre entier/,
      ],
      ["a negative totalCount", { ...good, totalCount: -1, tickets: [ticket] }, /« totalCount » n'est pas/],
      ["no serverTime", { ...good, serverTime: undefined, tickets: [ticket] }, /« serverTime » manque/],
      [
        "a serverTime without offset",
        { ...good, serverTime: "2026-11-29T10:00:00", tickets: [ticket] },
        /« serverTime » \(« 2026-11-29T10:00:00 »\) n'est pas une date ISO 8601 avec décalage horaire/,
      ],
      ["tickets that are not a list", { ...good, tickets: { ticket } }, /« tickets » n'est pas une liste/],
      [
        "an empty page before the last",
        { ...good, pageCount: 2, tickets: [] },
        /page vide alors que « pageCount » en annonce 2/,
      ],
      [
        "a bad ticket",
        { ...good, tickets: [ticket, { ...ticket, status: "OK" }] },
        /billet « 1 » : statut « OK » inconnu/,
      ],
      [
        "a ticket without barcode",
        { ...good, tickets: [{ status: "VALID" }] },
        /billet n° 1 : « barcode » manque/,
      ],
    ])("refuses %s", async (_name, body, message) => {
      page = body;
      const err = await failure(collect(otherConfig(), "7"));
      expect(err.code).toBe("bad-response");
      expect(err.message).toMatch(
        /^Billets de la représentation « 7 », page 1 : la réponse ne suit pas l'API Ticketnet/,
      );
      expect(err.message).toMatch(message);
    });

    it("refuses a page larger than asked", async () => {
      page = { ...good, tickets: [ticket, ticket, ticket] };
      const err = await failure(collect(otherConfig(), "7", { pageSize: 2 }));
      expect(err.message).toMatch(/3 billets pour une page de 2 au plus/);
    });

    it("takes a serverTime in UTC and an empty performance", async () => {
      page = { page: 1, pageCount: 0, totalCount: 0, serverTime: "2026-11-29T09:00:00Z", tickets: [] };
      expect(await collect(otherConfig(), "7")).toEqual({
        records: [],
        checkpoints: ["2026-11-29T09:00:00Z"],
      });
    });
  });

  describe("checkConfig", () => {
    afterAll(() => sim.setFault(null));
    const check = (values: Partial<TicketnetConfig>) =>
      connector.checkConfig?.({ ...quick, ...values }, { signal: never }) as Promise<string[]>;

    it("finds nothing wrong with working settings", async () => {
      expect(await check({})).toEqual([]);
    });

    let other: { url: string; close(): Promise<void> };
    let answer: (res: ServerResponse) => void = () => {};
    beforeAll(async () => {
      other = await startOther((_req, res) => answer(res));
    });
    afterAll(() => other.close());
    const otherAnswers = (next: (res: ServerResponse) => void) => () => {
      answer = next;
      return { baseUrl: other.url };
    };
    const fault = (next: PartnerFault) => () => {
      sim.setFault(next);
      return {};
    };

    it.each([
      [
        "a wrong password",
        () => ({ password: "nope" }),
        /^Ticketnet refuse l'identifiant « billetix » ou son mot de passe \(HTTP 401\) : vérifiez « Identifiant de connexion » et « Mot de passe »\.$/,
      ],
      ["refused credentials", fault("unauthorized"), /^Ticketnet refuse l'identifiant/],
      [
        "a service in error",
        fault("error500"),
        /^Le service Ticketnet à l'adresse « http:\/\/127\.0\.0\.1:\d+ » n'est pas disponible : le service .* est en erreur \(HTTP 500\)\.$/,
      ],
      ["a service that does not answer", fault("timeout"), /n'est pas disponible : .*répon.* en 1 s/],
      [
        "a closed port",
        () => ({ baseUrl: "http://127.0.0.1:1" }),
        /^Le service Ticketnet à l'adresse « http:\/\/127\.0\.0\.1:1 » n'est pas disponible : le service 127\.0\.0\.1:1 est injoignable/,
      ],
      [
        "a web page",
        otherAnswers((res) =>
          res.writeHead(200, { "content-type": "text/html" }).end("<html>Bienvenue</html>"),
        ),
        /^L'adresse « http:\/\/127\.0\.0\.1:\d+ » ne répond pas comme le service Ticketnet \(sa réponse n'est pas du JSON\) : vérifiez « Adresse du service Ticketnet »\.$/,
      ],
      [
        "a server without /api/v2/auth",
        otherAnswers((res) => json(res, 404, { error: "not found" })),
        /ne répond pas comme le service Ticketnet \(HTTP 404 à la demande de connexion\)/,
      ],
      [
        "a server that refuses the method",
        otherAnswers((res) => json(res, 405, {})),
        /ne répond pas comme le service Ticketnet \(HTTP 405 à la demande de connexion\)/,
      ],
      [
        "an answer without token",
        otherAnswers((res) => json(res, 200, { access_token: "x" })),
        /ne répond pas comme le service Ticketnet \(réponse de connexion : « token » manque ou est vide\)/,
      ],
      [
        "a bad address",
        () => ({ baseUrl: "ftp://x" }),
        /^« Adresse du service Ticketnet » : une adresse http/,
      ],
    ])("explains %s in French, without throwing", async (_name, change, message) => {
      const errors = await check(change());
      sim.setFault(null);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(message);
    });
  });

  it("checkConfig says so when it is aborted, without throwing", async () => {
    sim.setFault("timeout");
    const controller = new AbortController();
    const before = sim.requests().length;
    const result = connector.checkConfig?.(config, { signal: controller.signal });
    await waitFor(() => sim.requests().length > before);
    controller.abort();
    const errors = await result;
    sim.setFault(null);
    expect(errors).toEqual(["La vérification du service Ticketnet a été interrompue avant sa réponse."]);
  });

  describe("listCatalog", () => {
    it("lists venues → events → dates, with the event's title and the performance's id as params", async () => {
      const venues = await connector.listCatalog?.({ config, signal: never });
      expect(venues).toEqual(
        sim.catalogue.map((v) => ({
          id: v.id,
          name: v.name,
          events: v.events.map((e) => ({
            id: e.id,
            name: e.title,
            dates: e.performances.map((p) => ({
              id: p.id,
              startsAt: p.startDate,
              endsAt: p.endDate,
              params: { performanceId: p.id },
            })),
          })),
        })),
      );
      expect(venues?.map((v) => v.name)).toEqual(["Transbordeur", "Le Radiant", "Halle Tony Garnier"]);
    });

    it("fails with a ConnectorError when the credentials are refused", async () => {
      const err = await failure(
        connector.listCatalog?.({ config: { ...config, password: "nope" }, signal: never }) ??
          Promise.resolve(),
      );
      expect(err.code).toBe("unauthorized");
    });

    it("leaves out events without dates and says which list is malformed", async () => {
      let events: unknown = [];
      const other = await startOther((req, res) => {
        if (req.url === "/api/v2/auth") return json(res, 200, { token: "t", expiresIn: 60 });
        if (req.url === "/api/v2/venues")
          return json(res, 200, [{ id: 1, name: "Salle 3000", city: "Lyon" }]);
        json(res, 200, events);
      });
      try {
        const list = () =>
          connector.listCatalog?.({ config: { ...config, baseUrl: other.url }, signal: never });
        events = [
          { id: "e1", title: "Sans date", performances: [] },
          {
            id: "e2",
            title: "Avec date",
            performances: [{ id: "p1", startDate: "2027-01-10T20:00:00+01:00" }],
          },
        ];
        expect(await list()).toEqual([
          {
            id: "1",
            name: "Salle 3000",
            events: [
              {
                id: "e2",
                name: "Avec date",
                dates: [{ id: "p1", startsAt: "2027-01-10T20:00:00+01:00", params: { performanceId: "p1" } }],
              },
            ],
          },
        ]);
        events = [
          { id: "e2", title: "Avec date", performances: [{ id: "p1", startDate: "10/01/2027 20:00" }] },
        ];
        const err = await failure(list() ?? Promise.resolve());
        expect(err.code).toBe("bad-response");
        expect(err.message).toMatch(
          /^Événements du lieu « Salle 3000 » : la réponse ne suit pas l'API Ticketnet \(représentation « p1 » : « startDate » \(« 10\/01\/2027 20:00 »\) n'est pas une date ISO 8601/,
        );
      } finally {
        await other.close();
      }
    });
  });
});
