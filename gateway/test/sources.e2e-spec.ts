import { ObjectId } from "@mikro-orm/mongodb";
import type { Db } from "mongodb";
import type { Institution } from "../src/institutions/institution.entity";
import { ConnectorRegistry } from "../src/sources/connector-registry";
import { onlineFeed, runImport } from "../src/sources/source-sync";
import { FixturePartner, fixtureFileConnector } from "./support/fixture-connectors";
import { FIXTURE_PASSWORD, Fixtures } from "./support/fixtures";
import type { GraphqlClient } from "./support/graphql-client";
import { startTestGateway, type TestGateway } from "./support/test-gateway";

const partner = new FixturePartner();
let t: TestGateway;
let root: GraphqlClient;
let fixtures: Fixtures;
let institution: Institution;
let institutionId: string;

beforeAll(async () => {
  t = await startTestGateway({
    connectors: ConnectorRegistry.of(partner.connector(), fixtureFileConnector),
    env: { SOURCE_IMPORT_IDLE_SECONDS: "1", SOURCE_FILE_MAX_MB: "0.01" },
  });
  root = await t.asRoot();
  fixtures = new Fixtures(t);
  institution = await fixtures.institution("Théâtre des Sources");
  institutionId = institution.id;
});
afterAll(() => t?.stop());

const SOURCE_FIELDS =
  "id name connectorId typeLabel kind config secretsSet configProblems syncSlowEveryMinutes syncFastEveryMinutes";
const LINK_FIELDS = `id performanceId params running nextSyncAt source { id name }
  status { lastSyncAt lastRecords lastChanged lastError runningSince }`;
const CREATE_SOURCE = `mutation($input: CreateSourceInput!) { createSource(input: $input) { ${SOURCE_FIELDS} } }`;
const ADD = `mutation($p: ID!, $s: ID!, $params: JSONObject!) {
  addPerformanceSource(performanceId: $p, sourceId: $s, input: { params: $params }) { ${LINK_FIELDS} } }`;
const LINK = `query($id: ID!) { performanceSource(id: $id) { ${LINK_FIELDS} } }`;
const PERFORMANCE = `query($id: ID!) { performance(id: $id) { id revision excludedCategories categories
  counters { ticketCount validCount } sources { id } } }`;

const db = (): Db => t.gateway.orm.em.getConnection().getDb() as unknown as Db;
const tickets = (performanceId: string) =>
  db()
    .collection("ticket")
    .find({ performanceId: new ObjectId(performanceId) })
    .sort({ barcode: 1 })
    .toArray();

async function partnerSource(name = `Partenaire ${Math.random()}`) {
  return (
    await root.request(CREATE_SOURCE, {
      input: {
        institutionId,
        type: "fixture-partner",
        name,
        config: { account: "acme", password: "s3cret" },
      },
    })
  ).createSource;
}

function performance() {
  return fixtures.performance(institution, [], { controlEnabled: true, hours: 48 });
}

describe("source types and sources", () => {
  it("lists the installed types with the forms their schemas describe", async () => {
    const { sourceTypes } = await root.request(`{ sourceTypes { id label kind catalog cancellations
      sourceConfig { key label type required } performanceParams { key label required } } }`);
    expect(sourceTypes.map((s: { id: string }) => s.id).sort()).toEqual(["fixture-file", "fixture-partner"]);
    const online = sourceTypes.find((s: { id: string }) => s.id === "fixture-partner");
    expect(online).toMatchObject({ kind: "online", catalog: true, cancellations: true });
    expect(online.sourceConfig[1]).toEqual({
      key: "password",
      label: "Mot de passe",
      type: "secret",
      required: true,
    });
  });

  it("never returns a secret, keeps it when the form leaves it empty, and shows the connector's verdict", async () => {
    const source = await partnerSource("Partenaire secret");
    expect(source).toMatchObject({
      config: { account: "acme" },
      secretsSet: ["password"],
      configProblems: [],
      kind: "online",
      syncSlowEveryMinutes: 360,
      syncFastEveryMinutes: 5,
    });
    const { updateSource } = await root.request(
      `mutation($id: ID!, $input: SourceFieldsInput!) { updateSource(id: $id, input: $input) { ${SOURCE_FIELDS} } }`,
      { id: source.id, input: { name: "Partenaire renommé", config: { account: "acme2", password: "" } } },
    );
    expect(updateSource).toMatchObject({
      name: "Partenaire renommé",
      config: { account: "acme2" },
      secretsSet: ["password"],
    });
    const stored = await db()
      .collection("source")
      .findOne({ _id: new ObjectId(source.id) });
    expect(stored?.config).toEqual({ account: "acme2", password: "s3cret" });

    const refused = await root.request(CREATE_SOURCE, {
      input: {
        institutionId,
        type: "fixture-partner",
        name: "Mauvais",
        config: { account: "x", password: "wrong" },
      },
    });
    expect(refused.createSource.configProblems).toEqual(["Le partenaire refuse ces identifiants."]);
  });

  it.each([
    ["an unknown type", { type: "nope", config: {} }, "BAD_USER_INPUT", /Type de source inconnu : « nope »/],
    [
      "a missing required field",
      { type: "fixture-partner", config: { account: "a" } },
      "BAD_USER_INPUT",
      /« Mot de passe » : ce champ est obligatoire/,
    ],
    [
      "a fast interval above the slow one",
      {
        type: "fixture-partner",
        config: { account: "a", password: "p" },
        syncSlowEveryMinutes: 5,
        syncFastEveryMinutes: 10,
      },
      "BAD_USER_INPUT",
      /temps court ne peut pas dépasser le temps long/,
    ],
    [
      "an empty name",
      { type: "fixture-partner", name: " ", config: { account: "a", password: "p" } },
      "BAD_USER_INPUT",
      /nom de la source/,
    ],
  ])("refuses %s, naming the problem", async (_, input, code, message) => {
    const before = await db().collection("source").countDocuments();
    const error = await root.error(CREATE_SOURCE, { input: { institutionId, name: "S", ...input } });
    expect(error.extensions?.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(await db().collection("source").countDocuments()).toBe(before);
  });

  it("allows one file source per type per institution, and web-service sources without limit", async () => {
    const input = { institutionId, type: "fixture-file", name: "Fichiers", config: {} };
    await root.request(CREATE_SOURCE, { input });
    const error = await root.error(CREATE_SOURCE, { input: { ...input, name: "Fichiers bis" } });
    expect(error.extensions?.code).toBe("CONFLICT");
    expect(error.message).toMatch(/déjà une source « Fichier de test »/);
    await partnerSource();
    await partnerSource();
  });

  it("leaves sources to admins: a back-office user may see them, not create them", async () => {
    await fixtures.login("guichet-sources", institution, { member: { backoffice: true } });
    const user = await t.login("guichet-sources", FIXTURE_PASSWORD);
    const error = await user.error(CREATE_SOURCE, {
      input: { institutionId, type: "fixture-partner", name: "X", config: { account: "a", password: "p" } },
    });
    expect(error.extensions?.code).toBe("FORBIDDEN");
    const { sources } = await user.request(
      `query($i: ID!) { sources(institutionId: $i) { name config secretsSet } }`,
      { i: institutionId },
    );
    expect(sources.length).toBeGreaterThan(0);
    expect((await user.error("{ refusedConnectors { packageName } }")).extensions?.code).toBe("FORBIDDEN");
    expect(await root.request("{ refusedConnectors { packageName reason } }")).toEqual({
      refusedConnectors: [],
    });
    expect(
      sources.every(
        (s: { config: unknown; secretsSet: string[] }) => s.config === null && s.secretsSet.length === 0,
      ),
    ).toBe(true);
  });
});

describe("importing from an online source", () => {
  it("imports at once when attached, counts, stamps revisions, and a re-sync of the same data changes nothing", async () => {
    const source = await partnerSource();
    const p = await performance();
    partner.sell("evt-a", 5);
    const { addPerformanceSource: link } = await root.request(ADD, {
      p: p.id,
      s: source.id,
      params: { eventId: "evt-a" },
    });
    const { performanceSource } = await root.request(LINK, { id: link.id });
    expect(performanceSource.status).toMatchObject({
      lastRecords: 5,
      lastChanged: 5,
      lastError: null,
      runningSince: null,
    });
    expect(performanceSource.running).toBe(false);
    expect(new Date(performanceSource.nextSyncAt).getTime()).toBeGreaterThan(Date.now());
    const imported = await tickets(p.id);
    expect(imported).toHaveLength(5);
    expect(imported.map((x) => x.revision).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
    expect(imported[0]).toMatchObject({
      state: "valid",
      category: "Orchestre",
      holderName: "Client 0",
      price: 20,
      passes: 0,
    });
    const after = (await root.request(PERFORMANCE, { id: p.id })).performance;
    expect(after).toMatchObject({
      revision: 5,
      counters: { ticketCount: 5, validCount: 5 },
      categories: ["Balcon", "Orchestre"],
    });

    // The partner's cursor: the next sync asks only for what changed, and nothing did.
    await root.request(`mutation($id: ID!) { refreshPerformanceSource(id: $id) { id } }`, { id: link.id });
    expect(partner.sinces.at(-1)).toBe(String(partner.cursor));
    expect((await root.request(PERFORMANCE, { id: p.id })).performance.revision).toBe(5);
  });

  it("applies a cancellation at the partner to the ticket's state, its revision and the valid count", async () => {
    const source = await partnerSource();
    const p = await performance();
    const [first, second] = partner.sell("evt-b", 3);
    const { addPerformanceSource: link } = await root.request(ADD, {
      p: p.id,
      s: source.id,
      params: { eventId: "evt-b" },
    });
    partner.cancel(second);
    partner.sell("evt-b", 1);
    await root.request(`mutation($id: ID!) { refreshPerformanceSource(id: $id) { id } }`, { id: link.id });
    const byBarcode = new Map((await tickets(p.id)).map((x) => [x.barcode, x]));
    // The batch stamps new tickets first, then changes.
    expect(byBarcode.get(second)).toMatchObject({ state: "cancelled", revision: 5 });
    expect(byBarcode.get(first)).toMatchObject({ state: "valid", revision: 1 });
    expect(byBarcode.size).toBe(4);
    const { performance: after } = await root.request(PERFORMANCE, { id: p.id });
    expect(after.counters).toEqual({ ticketCount: 4, validCount: 3 });
    expect((await root.request(LINK, { id: link.id })).performanceSource.status.lastChanged).toBe(2);
  });

  it("keeps the first source's ticket when a second source brings the same barcode", async () => {
    const [a, b] = [await partnerSource(), await partnerSource()];
    const p = await performance();
    partner.put("evt-c1", {
      barcode: "SAME-1",
      category: "Première",
      extra: { "Réf. commande": "R1", $canal: "web" },
    });
    partner.put("evt-c2", { barcode: "SAME-1", category: "Seconde", state: "cancelled" });
    await root.request(ADD, { p: p.id, s: a.id, params: { eventId: "evt-c1" } });
    const { addPerformanceSource: second } = await root.request(ADD, {
      p: p.id,
      s: b.id,
      params: { eventId: "evt-c2" },
    });
    expect((await tickets(p.id)).map((x) => [x.barcode, x.category, x.state])).toEqual([
      ["SAME-1", "Première", "valid"],
    ]);
    // Column names keep their dots and dollars, as full-width look-alikes (MongoDB paths reserve them).
    expect((await tickets(p.id))[0].extra).toEqual({ "Réf\uFF0E commande": "R1", "\uFF04canal": "web" });
    expect((await root.request(LINK, { id: second.id })).performanceSource.status).toMatchObject({
      lastRecords: 1,
      lastChanged: 0,
    });
  });

  it.each([
    ["throws", "throw", /Erreur inattendue du connecteur : the partner's library crashed/],
    ["is down", "unavailable", /Le service du partenaire est en erreur \(HTTP 503\)/],
    ["hangs", "hang", /Import arrêté : la source n'a rien envoyé pendant 1 s/],
  ] as const)(
    "keeps the tickets and shows the error when the partner %s; the gateway goes on",
    async (_, mode, message) => {
      const source = await partnerSource();
      const p = await performance();
      partner.sell(`evt-${mode}`, 2);
      const { addPerformanceSource: link } = await root.request(ADD, {
        p: p.id,
        s: source.id,
        params: { eventId: `evt-${mode}` },
      });
      const before = await tickets(p.id);
      partner.sell(`evt-${mode}`, 6);
      partner.mode = mode;
      try {
        await root.request(`mutation($id: ID!) { refreshPerformanceSource(id: $id) { id } }`, {
          id: link.id,
        });
      } finally {
        partner.mode = "ok";
      }
      const { performanceSource } = await root.request(LINK, { id: link.id });
      expect(performanceSource.status.lastError).toMatch(message);
      expect(performanceSource.running).toBe(false);
      // A retry comes after a minute, not after the slow interval.
      expect(new Date(performanceSource.nextSyncAt).getTime() - Date.now()).toBeLessThan(61_000);
      const stored = await db()
        .collection("performance_source")
        .findOne({ _id: new ObjectId(link.id) });
      expect(stored?.cursor).toBe(String(partner.cursor - 6));
      const now = await tickets(p.id);
      expect(now.slice(0, before.length)).toEqual(before);
      // The next good sync starts from the last complete one and gets everything.
      await root.request(`mutation($id: ID!) { refreshPerformanceSource(id: $id) { id } }`, { id: link.id });
      expect(await tickets(p.id)).toHaveLength(8);
      expect((await root.request(LINK, { id: link.id })).performanceSource.status.lastError).toBeNull();
    },
  );

  it("never runs two imports of one performance source at once", async () => {
    const source = await partnerSource();
    const p = await performance();
    partner.sell("evt-lease", 2);
    const { addPerformanceSource: link } = await root.request(ADD, {
      p: p.id,
      s: source.id,
      params: { eventId: "evt-lease" },
    });
    partner.sell("evt-lease", 3000);
    const deps = {
      db: db(),
      connectors: t.gateway.deps.connectors,
      clock: t.gateway.deps.clock,
      log: t.gateway.deps.log,
      limits: t.gateway.deps.config.sourceImports,
    };
    const results = await Promise.all(
      [1, 2, 3].map(() => runImport(deps, new ObjectId(link.id), onlineFeed)),
    );
    expect(results.map((r) => r.outcome).sort()).toEqual(["busy", "busy", "done"]);
    expect(await tickets(p.id)).toHaveLength(3002);
    const error = await root.error(`mutation($id: ID!) { removePerformanceSource(id: $id) }`, {
      id: "000000000000000000000000",
    });
    expect(error.extensions?.code).toBe("NOT_FOUND");
  });

  it("syncs what is due when the schedule's job runs", async () => {
    const source = await partnerSource();
    const p = await performance();
    const { addPerformanceSource: link } = await root.request(ADD, {
      p: p.id,
      s: source.id,
      params: { eventId: "evt-due" },
    });
    partner.sell("evt-due", 4);
    await db()
      .collection("performance_source")
      .updateOne({ _id: new ObjectId(link.id) }, { $set: { nextSyncAt: new Date(Date.now() - 1000) } });
    await t.runJob("source-syncs-due");
    expect(await tickets(p.id)).toHaveLength(4);
  });

  it("refuses performance parameters that do not fit the source, and a source of another institution", async () => {
    const source = await partnerSource();
    const p = await performance();
    const error = await root.error(ADD, { p: p.id, s: source.id, params: {} });
    expect(error.message).toMatch(/« Identifiant de la séance » : ce champ est obligatoire/);
    const other = await fixtures.institution("Autre maison");
    const foreign = (
      await root.request(CREATE_SOURCE, {
        input: {
          institutionId: other.id,
          type: "fixture-partner",
          name: "Ailleurs",
          config: { account: "a", password: "p" },
        },
      })
    ).createSource;
    expect((await root.error(ADD, { p: p.id, s: foreign.id, params: { eventId: "x" } })).message).toMatch(
      /autre institution/,
    );
  });
});

describe("removing a source from a performance", () => {
  it("removes its tickets and the performance's category filters, and sends scanners a full list", async () => {
    const source = await partnerSource();
    const p = await performance();
    partner.sell("evt-rm", 3);
    const { addPerformanceSource: link } = await root.request(ADD, {
      p: p.id,
      s: source.id,
      params: { eventId: "evt-rm" },
    });
    await root.request(
      `mutation($id: ID!) { setExcludedCategories(id: $id, categories: ["Balcon"]) { id } }`,
      { id: p.id },
    );
    expect(
      await root.request(`mutation($id: ID!) { removePerformanceSource(id: $id) }`, { id: link.id }),
    ).toEqual({
      removePerformanceSource: true,
    });
    expect(await tickets(p.id)).toHaveLength(0);
    const { performance: after } = await root.request(PERFORMANCE, { id: p.id });
    expect(after).toMatchObject({
      excludedCategories: [],
      sources: [],
      counters: { ticketCount: 0, validCount: 0 },
    });
    const res = await fetch(`${t.baseUrl}/api/scanner/performances/${p.id}/tickets?since=3`, {
      headers: { authorization: `Bearer ${root.token}` },
    });
    const header = JSON.parse((await res.text()).split("\n")[0]);
    expect(header).toMatchObject({ since: 0, revision: after.revision });
  });
});

describe("deleting a source", () => {
  it("is refused while one of its imports runs, then removes its links and tickets", async () => {
    const source = await partnerSource();
    const p = await performance();
    partner.sell("evt-del", 2);
    const { addPerformanceSource: link } = await root.request(ADD, {
      p: p.id,
      s: source.id,
      params: { eventId: "evt-del" },
    });
    const links = db().collection("performance_source");
    await links.updateOne(
      { _id: new ObjectId(link.id) },
      { $set: { lease: { by: "another-gateway", until: new Date(Date.now() + 60_000) } } },
    );
    const DELETE = `mutation($id: ID!) { deleteSource(id: $id) }`;
    const error = await root.error(DELETE, { id: source.id });
    expect(error.extensions?.code).toBe("CONFLICT");
    expect(await tickets(p.id)).toHaveLength(2);
    await links.updateOne({ _id: new ObjectId(link.id) }, { $unset: { lease: "" } });
    expect(await root.request(DELETE, { id: source.id })).toEqual({ deleteSource: true });
    expect(await tickets(p.id)).toHaveLength(0);
    expect(await links.countDocuments({ _id: new ObjectId(link.id) })).toBe(0);
  });

  it("makes its performances sync again soon when its configuration is fixed", async () => {
    const source = await partnerSource();
    const p = await performance();
    const { addPerformanceSource: link } = await root.request(ADD, {
      p: p.id,
      s: source.id,
      params: { eventId: "evt-fix" },
    });
    const links = db().collection("performance_source");
    const later = new Date(Date.now() + 3600_000);
    await links.updateOne(
      { _id: new ObjectId(link.id) },
      { $set: { nextSyncAt: later, "status.failures": 4 } },
    );
    await root.request(
      `mutation($id: ID!, $input: SourceFieldsInput!) { updateSource(id: $id, input: $input) { id } }`,
      {
        id: source.id,
        input: { name: "Réparée", config: { account: "acme", password: "nouveau" } },
      },
    );
    const after = await links.findOne({ _id: new ObjectId(link.id) });
    expect(after?.nextSyncAt.getTime()).toBeLessThan(later.getTime());
    expect(after?.status.failures).toBe(0);
  });
});

describe("importing a file", () => {
  const upload = (linkId: string, body: string | Buffer, name = "billets.csv") =>
    fetch(`${t.baseUrl}/api/performance-sources/${linkId}/file?name=${encodeURIComponent(name)}`, {
      method: "POST",
      headers: { authorization: `Bearer ${root.token}`, "content-type": "text/csv" },
      body,
    });

  it("adds the file's tickets cumulatively, applies its cancellations, and is all or nothing", async () => {
    const institution = await fixtures.institution("Maison des fichiers");
    const source = (
      await root.request(CREATE_SOURCE, {
        input: { institutionId: institution.id, type: "fixture-file", name: "Fichiers", config: {} },
      })
    ).createSource;
    const p = await fixtures.performance(institution, [], { hours: 24 });
    const { addPerformanceSource: link } = await root.request(ADD, { p: p.id, s: source.id, params: {} });
    expect(link.nextSyncAt).toBeNull();

    const first = await upload(link.id, "F1;;Orchestre\nF2;;Balcon\n");
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ records: 2, created: 2, updated: 0 });

    // A bad line anywhere: nothing of this file is written, and the reply names the line.
    const bad = await upload(link.id, "F3;;Orchestre\nF1;cancelled;Orchestre\nBAD\n");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: "BAD_USER_INPUT", message: "Ligne 3 : ligne illisible." });
    expect((await tickets(p.id)).map((x) => [x.barcode, x.state])).toEqual([
      ["F1", "valid"],
      ["F2", "valid"],
    ]);

    const second = await upload(link.id, "F3;;Orchestre\nF1;cancelled;Orchestre\n");
    expect(await second.json()).toMatchObject({ records: 2, created: 1, updated: 1 });
    expect((await tickets(p.id)).map((x) => [x.barcode, x.state])).toEqual([
      ["F1", "cancelled"],
      ["F2", "valid"],
      ["F3", "valid"],
    ]);
    const { performanceSource } = await root.request(LINK, { id: link.id });
    expect(performanceSource.status).toMatchObject({ lastRecords: 2, lastChanged: 2 });
  });

  it.each([
    ["an empty file", "", 400, /Le fichier est vide/],
    ["no file name", "A;;", 400, /nom du fichier/, ""],
    ["a file over the size limit", "A;;\n".repeat(4000), 413, /Le fichier dépasse 11 Ko/],
  ])("refuses %s", async (_, body, status, message, name = "f.csv") => {
    const institution = await fixtures.institution(`Maison ${Math.random()}`);
    const source = (
      await root.request(CREATE_SOURCE, {
        input: { institutionId: institution.id, type: "fixture-file", name: "F", config: {} },
      })
    ).createSource;
    const p = await fixtures.performance(institution, [], { hours: 24 });
    const { addPerformanceSource: link } = await root.request(ADD, { p: p.id, s: source.id, params: {} });
    const res = await upload(link.id, body, name);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { message: string }).message).toMatch(message);
  });

  it("refuses a file sent to an online source", async () => {
    const source = await partnerSource();
    const p = await performance();
    const { addPerformanceSource: link } = await root.request(ADD, {
      p: p.id,
      s: source.id,
      params: { eventId: "evt-f" },
    });
    const res = await upload(link.id, "A;;\n");
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/n'importe pas de fichiers/);
  });
});

describe("adding performances from a partner's catalogue", () => {
  it("lists the dates not created yet and creates venues, events, performances and their tickets", async () => {
    const institution = await fixtures.institution("Maison du catalogue");
    const source = (
      await root.request(CREATE_SOURCE, {
        input: {
          institutionId: institution.id,
          type: "fixture-partner",
          name: "Catalogue",
          config: { account: "a", password: "p" },
        },
      })
    ).createSource;
    partner.sell("d1", 7);
    const CATALOGS = `query($i: ID!) { partnerCatalogs(institutionId: $i) { source { id } error
      venues { name events { name dates { id startsAt endsAt } } } } }`;
    const listed = (await root.request(CATALOGS, { i: institution.id })).partnerCatalogs;
    expect(listed).toEqual([
      {
        source: { id: source.id },
        error: null,
        venues: [
          {
            name: "Transbordeur",
            events: [
              {
                name: "SYNAPSON (LIVE)",
                dates: [
                  { id: "d1", startsAt: "2027-10-25T16:00:00.000Z", endsAt: "2027-10-25T19:00:00.000Z" },
                  { id: "d2", startsAt: "2027-10-26T16:00:00.000Z", endsAt: null },
                ],
              },
            ],
          },
        ],
      },
    ]);
    const { createPerformancesFromCatalog: created } = await root.request(
      `mutation($input: CatalogSelectionInput!) { createPerformancesFromCatalog(input: $input) {
        id startsAt endsAt venue { name } event { name } counters { ticketCount } } }`,
      { input: { sourceId: source.id, dateIds: ["d1"] } },
    );
    expect(created).toEqual([
      expect.objectContaining({
        startsAt: "2027-10-25T16:00:00.000Z",
        endsAt: "2027-10-25T19:00:00.000Z",
        venue: { name: "Transbordeur" },
        event: { name: "SYNAPSON (LIVE)" },
      }),
    ]);
    expect(await tickets(created[0].id)).toHaveLength(7);
    const again = (await root.request(CATALOGS, { i: institution.id })).partnerCatalogs;
    expect(again[0].venues[0].events[0].dates.map((d: { id: string }) => d.id)).toEqual(["d2"]);
    const error = await root.error(
      `mutation($input: CatalogSelectionInput!) { createPerformancesFromCatalog(input: $input) { id } }`,
      { input: { sourceId: source.id, dateIds: ["zz"] } },
    );
    expect(error.message).toMatch(/Dates inconnues du catalogue : zz/);
  });
});
