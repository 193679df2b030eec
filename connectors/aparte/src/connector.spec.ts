import { createServer, type Server } from "node:http";
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
import type { AparteConfig } from "./aparte-config";
import connector, { fetchAparteTickets, parisToIso, parsePrixTTC } from "./index";
import { type AparteSimulator, type PartnerFault, startAparteSimulator } from "./simulator";

const never = new AbortController().signal;

async function collect(
  config: ConfigValues,
  idSeance: string,
  options: { since?: string; signal?: AbortSignal; pageSize?: number } = {},
): Promise<{ records: TicketRecord[]; checkpoints: string[] }> {
  const checkpoints: string[] = [];
  const records: TicketRecord[] = [];
  const args = {
    config: config as AparteConfig,
    params: { idSeance },
    since: options.since,
    checkpoint: (cursor: string) => checkpoints.push(cursor),
    signal: options.signal ?? never,
  };
  const stream = options.pageSize
    ? fetchAparteTickets(args, options.pageSize)
    : connector.fetchTickets?.(args);
  for await (const record of stream ?? []) records.push(record);
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

/** A server that is not Aparté: answers every request with `status` and `body`. */
async function startOther(status: number, body: () => string): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) =>
    res.writeHead(status, { "content-type": "text/html" }).end(body()),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe("prices", () => {
  it.each([
    ["32,00", 32],
    ["28,50", 28.5],
    ["0,00", 0],
    ["1 234,50", 1234.5],
    ["1\u202f234,50", 1234.5],
    ["19,90 €", 19.9],
    ["32.5", 32.5],
    [32, 32],
  ] as const)("%p is %p", (text, value) => {
    expect(parsePrixTTC(text)).toBe(value);
  });

  it.each(["", "gratuit", "32,00,00", null, true])("%p has no price", (text) => {
    expect(parsePrixTTC(text)).toBeUndefined();
  });
});

describe("the connector's definition", () => {
  it("is a tagged online connector with French schemas", () => {
    expect(isConnector(connector)).toBe(true);
    expect(connector).toMatchObject({
      id: "aparte",
      label: "WS Aparté",
      kind: "online",
      compatibility: "^1.0.0",
      cancellations: true,
      incremental: false,
    });
    expect(schemaProblems(connector.sourceConfig, "sourceConfig")).toEqual([]);
    expect(schemaProblems(connector.performanceParams, "performanceParams")).toEqual([]);
    expect(connector.performanceParams).toEqual([
      expect.objectContaining({
        key: "idSeance",
        label: "Identifiant de la séance chez Aparté",
        required: true,
      }),
    ]);
  });

  it("fills the defaults and refuses out-of-range values in French", () => {
    const ok = checkConfigValues(connector.sourceConfig, {
      baseUrl: "https://aparte.example",
      organismeId: "1042",
      apiKey: "k",
    });
    expect(ok).toEqual({
      values: {
        baseUrl: "https://aparte.example",
        organismeId: "1042",
        apiKey: "k",
        timeoutSeconds: 15,
        retries: 3,
      },
      errors: [],
    });
    const bad = checkConfigValues(connector.sourceConfig, {
      baseUrl: "ftp://x",
      timeoutSeconds: 500,
      retries: -1,
    });
    // One error per field, naming its label (the SDK words the rest).
    expect(bad.errors).toEqual(
      [
        "« Adresse du service Aparté »",
        "« Identifiant de l'organisme »",
        "« Clé d'API »",
        "« Délai d'attente d'une réponse (secondes) »",
        "« Nouvelles tentatives après un échec »",
      ].map((label) => expect.stringContaining(label)),
    );
  });
});

describe("against the simulator", () => {
  let sim: AparteSimulator;
  let config: AparteConfig;
  let quick: AparteConfig;
  beforeAll(async () => {
    sim = await startAparteSimulator({ seed: 5 });
    config = {
      baseUrl: sim.url,
      organismeId: sim.organismeId,
      apiKey: sim.apiKey,
      timeoutSeconds: 5,
      retries: 0,
    };
    quick = { ...config, timeoutSeconds: 1, retries: 0 };
  });
  afterAll(() => sim.close());
  const withFault = (fault: PartnerFault): Partial<AparteConfig> => {
    sim.setFault(fault);
    return {};
  };

  describe("fetchTickets", () => {
    it("maps every billet: state, price with a comma, seat, holder, category, tarif and order", async () => {
      const { idSeance } = sim.seances()[0];
      const billets = sim.billets(idSeance);
      const { records, checkpoints } = await collect(config, idSeance);
      expect(records).toHaveLength(billets.length);
      const states = { VALIDE: "valid", ANNULE: "cancelled", REEDITE: "duplicated" } as const;
      records.forEach((record, i) => {
        const b = billets[i];
        expect(record).toEqual({
          barcode: b.numeroBillet,
          state: states[b.etat],
          category: b.categorie,
          holderName: `${b.prenom} ${b.nom}`,
          price: Number(b.prixTTC.replace(",", ".")),
          ...(b.placement ? { seat: b.placement } : {}),
          extra: { tarif: b.tarif, numeroCommande: b.numeroCommande },
        });
      });
      expect(new Set(records.map((r) => r.state))).toEqual(new Set(["valid", "cancelled", "duplicated"]));
      expect(checkpoints).toEqual([
        expect.stringMatching(new RegExp(`^complet:${billets.length}:[0-9a-f]{16}$`)),
      ]);
    });

    it("maps one billet exactly", async () => {
      const { idSeance } = sim.seances()[1];
      const billet = sim.billets(idSeance).find((b) => b.placement && b.etat === "VALIDE");
      const { records } = await collect(config, idSeance);
      const record = records.find((r) => r.barcode === billet?.numeroBillet);
      expect(billet && record).toBeTruthy();
      expect(record?.seat).toMatch(/^(Orchestre|Corbeille|Balcon) - Rang [A-Z] - Place \d+$/);
      expect(record?.price).toBe(Number(billet?.prixTTC.replace(",", ".")));
      expect(Number.isInteger((record?.price ?? 0) * 2)).toBe(true);
    });

    it("reads everything again whatever `since` says (no incremental API), with a new checkpoint after a change", async () => {
      const { idSeance } = sim.seances()[2];
      const first = await collect(config, idSeance);
      const sold = sim.sell(idSeance, 2);
      sim.cancel(first.records.find((r) => r.state === "valid")?.barcode ?? "");
      const again = await collect(config, idSeance, { since: first.checkpoints[0] });
      expect(again.records).toHaveLength(first.records.length + 2);
      expect(again.records.slice(-2).map((r) => r.barcode)).toEqual(sold);
      expect(again.checkpoints[0]).not.toBe(first.checkpoints[0]);
    });

    it("walks the pages by offset with the largest limit", async () => {
      const big = sim.addSeance({ tickets: 4500 });
      const before = sim.requests().length;
      const { records } = await collect(config, big.idSeance);
      expect(records).toHaveLength(4500);
      expect(new Set(records.map((r) => r.barcode)).size).toBe(4500);
      expect(sim.requests().slice(before)).toEqual(
        [0, 2000, 4000].map(
          (o) =>
            `GET /v1/organismes/${sim.organismeId}/seances/${big.idSeance}/billets?offset=${o}&limit=2000`,
        ),
      );
    });

    it("reads small pages the same", async () => {
      const { idSeance } = sim.seances()[0];
      const paged = await collect(config, idSeance, { pageSize: 40 });
      expect(paged.records).toEqual((await collect(config, idSeance)).records);
    });

    describe("malformed pages stop the sync and name the offset", () => {
      afterAll(() => sim.setFault(null));
      it.each([
        [
          "the wrong shape",
          { malformedAs: "shape", fromOffset: 80 },
          /offset 80 : la réponse ne suit pas l'API Aparté/,
        ],
        [
          "cut JSON",
          { malformedAs: "json", fromOffset: 40 },
          /offset 40 : le service .* réponse illisible \(JSON invalide\)/,
        ],
      ] as const)("%s", async (_name, options, message) => {
        const { idSeance } = sim.seances()[0];
        sim.setFault("malformed", options);
        const seen: string[] = [];
        const stream = fetchAparteTickets(
          {
            config: config as AparteConfig,
            params: { idSeance },
            checkpoint: () => seen.push("checkpoint"),
            signal: never,
          },
          40,
        );
        const err = await failure(
          (async () => {
            for await (const record of stream) seen.push(record.barcode);
          })(),
        );
        expect(err.code).toBe("bad-response");
        expect(err.message).toMatch(message);
        expect(err.message).toContain(`séance « ${idSeance} »`);
        expect(seen).toHaveLength(options.fromOffset);
      });
    });

    describe("bad pages a partner could send", () => {
      let other: { url: string; server: Server };
      let body = "";
      beforeAll(async () => {
        other = await startOther(200, () => body);
      });
      afterAll(() => new Promise<void>((resolve) => other.server.close(() => resolve())));

      const billet = { numeroBillet: "123", etat: "VALIDE", prixTTC: "10,00" };
      it.each([
        ["a page without total", { billets: [billet] }, /« total » n'est pas un nombre entier/],
        ["billets that are not a list", { total: 1, billets: "123" }, /« billets » n'est pas une liste/],
        [
          "a billet without number",
          { total: 1, billets: [{ etat: "VALIDE" }] },
          /billet n° 1 : « numeroBillet » manque/,
        ],
        [
          "an unknown state",
          { total: 1, billets: [{ ...billet, etat: "REMBOURSE" }] },
          /billet « 123 » : état « REMBOURSE » inconnu/,
        ],
        [
          "an unreadable price",
          { total: 1, billets: [{ ...billet, prixTTC: "dix euros" }] },
          /billet « 123 » : prix « dix euros » illisible/,
        ],
        [
          "a page at another offset",
          { total: 1, offset: 5, billets: [billet] },
          /commence à l'offset 5 au lieu de 0/,
        ],
        [
          "an empty page before the total",
          { total: 3, billets: [] },
          /page vide alors que « total » annonce 3 billets/,
        ],
      ])("refuses %s", async (_name, page, message) => {
        body = JSON.stringify(page);
        const err = await failure(collect({ ...config, baseUrl: other.url }, "77"));
        expect(err.code).toBe("bad-response");
        expect(err.message).toMatch(/^Billets de la séance « 77 », page à l'offset 0 : /);
        expect(err.message).toMatch(message);
      });

      it("takes a page with empty seat, names and price, and numeric order numbers", async () => {
        body = JSON.stringify({
          total: 1,
          billets: [
            {
              numeroBillet: " 123 ",
              etat: "ANNULE",
              prixTTC: "",
              placement: "",
              nom: "",
              prenom: null,
              numeroCommande: 42,
            },
          ],
        });
        const { records } = await collect({ ...config, baseUrl: `${other.url}/v1/` }, "77");
        expect(records).toEqual([{ barcode: "123", state: "cancelled", extra: { numeroCommande: "42" } }]);
      });
    });

    describe("errors", () => {
      afterAll(() => sim.setFault(null));
      it.each([
        [
          "an unknown séance",
          () => ({}),
          "99999",
          "not-found",
          /séance « 99999 ».*HTTP 404.*Identifiant de la séance chez Aparté/,
        ],
        [
          "a refused key",
          () => ({ apiKey: "nope" }),
          undefined,
          "unauthorized",
          /refuse la clé d'API \(HTTP 401\)/,
        ],
        ["an unknown organisme", () => ({ organismeId: "0" }), undefined, "not-found", /organisme « 0 »/],
        [
          "HTTP 500",
          () => withFault("error500"),
          undefined,
          "unavailable",
          /offset 0 : le service .* en erreur \(HTTP 500\)/,
        ],
        [
          "no answer",
          () => withFault("timeout"),
          undefined,
          "unavailable",
          /offset 0 : le service .*\b1 s\b/,
        ],
        [
          "a bad address",
          () => ({ baseUrl: "ftp://aparte" }),
          undefined,
          "bad-config",
          /« Adresse du service Aparté »/,
        ],
      ] as const)("%s", async (_name, change, seance, code, message) => {
        const err = await failure(collect({ ...quick, ...change() }, seance ?? sim.seances()[0].idSeance));
        sim.setFault(null);
        expect(err.code).toBe(code);
        expect(err.message).toMatch(message);
      });
    });

    describe("abort", () => {
      it("stops after the page in hand and gives no checkpoint", async () => {
        const big = sim.addSeance({ tickets: 5000 });
        const controller = new AbortController();
        const checkpoints: string[] = [];
        let count = 0;
        const before = sim.requests().length;
        for await (const _ of connector.fetchTickets?.({
          config,
          params: { idSeance: big.idSeance },
          checkpoint: (c) => checkpoints.push(c),
          signal: controller.signal,
        }) ?? []) {
          count++;
          controller.abort();
        }
        expect(count).toBe(2000);
        expect(checkpoints).toEqual([]);
        expect(sim.requests().length - before).toBe(1);
      });

      it("returns at once when aborted while waiting for an answer", async () => {
        sim.setFault("timeout");
        try {
          const controller = new AbortController();
          const started = performance.now();
          const before = sim.requests().length;
          const run = collect({ ...config, timeoutSeconds: 60 }, sim.seances()[0].idSeance, {
            signal: controller.signal,
          });
          while (sim.requests().length === before) await new Promise((resolve) => setTimeout(resolve, 5));
          controller.abort();
          expect(await run).toEqual({ records: [], checkpoints: [] });
          expect(performance.now() - started).toBeLessThan(2000);
        } finally {
          sim.setFault(null);
        }
      });
    });
  });

  describe("listCatalog", () => {
    it("lists venues → shows → séances, with ISO dates at the Paris offset of their day", async () => {
      const venues = (await connector.listCatalog?.({ config, signal: never })) ?? [];
      const lieux = (await (
        await fetch(`${sim.url}/v1/organismes/${sim.organismeId}/lieux`, {
          headers: { "X-Api-Key": sim.apiKey },
        })
      ).json()) as { lieux: { idLieu: string; nom: string }[] };
      expect(venues.map((v) => [v.id, v.name])).toEqual(lieux.lieux.map((l) => [l.idLieu, l.nom]));
      const dates = venues.flatMap((v) => v.events.flatMap((e) => e.dates));
      const seances = sim.seances();
      expect(dates.map((d) => d.id).sort()).toEqual(seances.map((s) => s.idSeance).sort());
      for (const seance of seances) {
        const date = dates.find((d) => d.id === seance.idSeance);
        expect(date).toEqual({
          id: seance.idSeance,
          startsAt: parisToIso(seance.dateDebut),
          endsAt: parisToIso(seance.dateFin),
          params: { idSeance: seance.idSeance },
        });
        expect(Date.parse(date?.startsAt ?? "")).toBeLessThan(Date.parse(date?.endsAt ?? ""));
      }
      // The seeded séances run from 20 October to early November 2025: both offsets show.
      expect(new Set(dates.map((d) => d.startsAt.slice(-6)))).toEqual(new Set(["+02:00", "+01:00"]));
      for (const venue of venues)
        for (const event of venue.events)
          expect(seances.find((s) => s.idSpectacle === event.id)?.idLieu).toBe(venue.id);
    });

    it("fails with the partner's error in French", async () => {
      const err = await failure(
        connector.listCatalog?.({ config: { ...quick, apiKey: "nope" }, signal: never }) ?? Promise.resolve(),
      );
      expect(err.code).toBe("unauthorized");
      expect(err.message).toMatch(/^Liste des lieux : le service Aparté refuse la clé d'API \(HTTP 401\)/);
    });
  });

  describe("checkConfig", () => {
    let closedPort: string;
    let html: { url: string; server: Server };
    let empty: { url: string; server: Server };
    beforeAll(async () => {
      const gone = await startOther(200, () => "");
      closedPort = gone.url;
      await new Promise<void>((resolve) => gone.server.close(() => resolve()));
      html = await startOther(200, () => "<html><body>Bienvenue</body></html>");
      empty = await startOther(200, () => "{}");
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => html.server.close(() => resolve()));
      await new Promise<void>((resolve) => empty.server.close(() => resolve()));
    });

    it("accepts a working source", async () => {
      expect(await connector.checkConfig?.(config, { signal: never })).toEqual([]);
    });

    it.each([
      [
        "a refused key",
        () => ({ apiKey: "nope" }),
        /^Aparté refuse la clé d'API \(HTTP 401\) : vérifiez « Clé d'API »/,
      ],
      [
        "an unknown organisme",
        () => ({ organismeId: "0" }),
        /^Aparté ne connaît pas l'organisme « 0 » \(HTTP 404\)/,
      ],
      [
        "a service out of reach",
        () => ({ baseUrl: closedPort }),
        /^Le service Aparté à l'adresse « .* » n'est pas disponible : le service .* est injoignable/,
      ],
      [
        "a service in trouble",
        () => withFault("error500"),
        /n'est pas disponible : le service .* est en erreur \(HTTP 500\)/,
      ],
      [
        "a web page",
        () => ({ baseUrl: html.url }),
        /ne répond pas comme le service Aparté : le service .*JSON invalide.*Vérifiez « Adresse du service Aparté »/,
      ],
      [
        "another JSON API",
        () => ({ baseUrl: empty.url }),
        /ne répond pas comme le service Aparté : .*« lieux » n'est pas une liste/,
      ],
      [
        "an address that is not one",
        () => ({ baseUrl: "pas une adresse" }),
        /« Adresse du service Aparté » : une adresse http/,
      ],
    ])("explains %s in French, without throwing", async (_name, change, message) => {
      try {
        const problems = await connector.checkConfig?.({ ...quick, ...change() }, { signal: never });
        expect(problems).toEqual([expect.stringMatching(message)]);
      } finally {
        sim.setFault(null);
      }
    });
  });
});
