import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { isConnectorError, type TicketRecord } from "@billetix/connector-sdk";
import { afterEach, describe, expect, it } from "@jest/globals";
import connector, { checkConfig, fetchTickets, listCatalog } from "./index";
import { ParticipantMapper, toTicketRecord } from "./map-participant";
import { type RawParticipant, readParticipantsPage } from "./partner/shapes";
import { type AttendeesSimulatorOptions, createManualClock, startAttendeesSimulator } from "./simulator";

/** 10:00:00.200 Paris time (summer), a fraction into its second on purpose. */
const START = "2026-06-15T08:00:00.200Z";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function start(options: AttendeesSimulatorOptions = {}) {
  const clock = createManualClock(START);
  const sim = await startAttendeesSimulator({ now: clock.now, ...options });
  cleanups.push(() => sim.close());
  const config = { baseUrl: sim.url, ...sim.credentials, timeoutSeconds: 2, retries: 0 };
  return { sim, clock, config };
}

interface Run {
  records: TicketRecord[];
  cursors: string[];
}

async function sync(
  config: Record<string, unknown>,
  params: { eventId: string; dateId?: string },
  since?: string,
  onRecord?: (record: TicketRecord, index: number) => void,
): Promise<Run> {
  const cursors: string[] = [];
  const records: TicketRecord[] = [];
  for await (const record of fetchTickets({
    config: config as never,
    params,
    since,
    checkpoint: (c) => cursors.push(c),
    signal: new AbortController().signal,
  })) {
    onRecord?.(record, records.length);
    records.push(record);
  }
  return { records, cursors };
}

async function failure(run: Promise<unknown>) {
  const error = await run.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isConnectorError(error)) throw new Error(`expected a ConnectorError, got ${String(error)}`);
  return error;
}

const participant = (over: Partial<RawParticipant> = {}): RawParticipant => ({
  id_participant: 17,
  barcode: "100000000017",
  id_event: 3,
  id_date: 6,
  category: { name: "Cat 1 > Or" },
  rate: { name: "Plein tarif", price: 59 },
  seat: { zone: "A", row: "3", seat: "12" },
  owner: { first_name: "Élodie", last_name: "Martin", email: "elodie@example.fr" },
  refunded: false,
  deleted: false,
  transfered_from: null,
  update_date: "2026-06-15 10:00:00",
  create_date: "2026-06-01 09:00:00",
  ...over,
});

describe("attendees connector: mapping", () => {
  it("maps a participant to a ticket record", () => {
    expect(toTicketRecord(participant())).toEqual({
      barcode: "100000000017",
      state: "valid",
      category: "Cat 1 > Or",
      holderName: "Élodie Martin",
      seat: "Zone A, rang 3, place 12",
      price: 59,
      extra: { "N° participant": "17", Tarif: "Plein tarif", "E-mail": "elodie@example.fr" },
    });
  });

  it.each([
    { name: "refunded", over: { refunded: true }, state: "cancelled" },
    { name: "deleted", over: { deleted: true }, state: "cancelled" },
    { name: "both", over: { refunded: true, deleted: true }, state: "cancelled" },
    { name: "neither", over: {}, state: "valid" },
  ])("gives state $state to a $name participant", ({ over, state }) => {
    expect(toTicketRecord(participant(over)).state).toBe(state);
  });

  it.each([
    { seat: null, expected: undefined },
    { seat: { zone: "B", row: 7, seat: 1 }, expected: "Zone B, rang 7, place 1" },
    { seat: { zone: "", row: "2", seat: "5" }, expected: "rang 2, place 5" },
    { seat: {}, expected: undefined },
  ])("writes the seat $seat as $expected", ({ seat, expected }) => {
    expect(toTicketRecord(participant({ seat })).seat).toBe(expected);
  });

  it("leaves out what the partner does not give", () => {
    const record = toTicketRecord(
      participant({ owner: { first_name: " Jade ", last_name: "" }, rate: null, category: null, seat: null }),
    );
    expect(record).toEqual({
      barcode: "100000000017",
      state: "valid",
      holderName: "Jade",
      extra: { "N° participant": "17" },
    });
  });

  it.each([
    ["the new ticket first", ["new", "old"]],
    ["the old ticket first", ["old", "new"]],
  ])("makes a transferred barcode duplicated, each barcode once (%s)", (_, order) => {
    const rows = {
      old: participant({ barcode: "OLD", deleted: true }),
      new: participant({ id_participant: 18, barcode: "NEW", transfered_from: "OLD" }),
    };
    const mapper = new ParticipantMapper();
    const out = [...order.flatMap((k) => mapper.map(rows[k as "old" | "new"])), ...mapper.finish()];
    expect(out.map((r) => [r.barcode, r.state])).toEqual([
      ["NEW", "valid"],
      ["OLD", "duplicated"],
    ]);
    expect(out.find((r) => r.barcode === "OLD")?.holderName).toBe("Élodie Martin");
  });
});

describe("attendees connector: page shape", () => {
  const page = (over: Record<string, unknown>) => ({
    participants: [participant()],
    pagination: { current_page: 2, last_page: 3, per_page: 1000, total: 2001 },
    server_time: "2026-06-15 10:00:00",
    ...over,
  });

  it.each([
    {
      name: "not an object",
      body: [1, 2],
      message: /page 2 des participants inattendue : la réponse n'est pas un objet/,
    },
    {
      name: "no participants list",
      body: page({ participants: undefined }),
      message: /« participants » manque/,
    },
    { name: "no pagination", body: page({ pagination: null }), message: /pagination\.last_page/ },
    { name: "no server_time", body: page({ server_time: "10h" }), message: /server_time/ },
    {
      name: "a participant without barcode",
      body: page({ participants: [participant(), participant({ barcode: "" })] }),
      message: /participant n° 2 de la page est illisible \(« barcode » manque ou est vide\)/,
    },
    {
      name: "a refunded flag that is not a boolean",
      body: page({ participants: [{ ...participant(), refunded: "yes" }] }),
      message: /« refunded »/,
    },
    {
      name: "a negative price",
      body: page({ participants: [participant({ rate: { name: "x", price: -2 } })] }),
      message: /« rate\.price »/,
    },
  ])("refuses a page with $name, naming the page", ({ body, message }) => {
    let error: unknown;
    try {
      readParticipantsPage(body, 2, "billetterie.test");
    } catch (err) {
      error = err;
    }
    expect(isConnectorError(error) && error.code).toBe("bad-response");
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/^Le service billetterie\.test a renvoyé une page 2/);
  });
});

describe("attendees connector: fetchTickets", () => {
  it("imports an event: every participant once, cancelled ones cancelled, checkpoint at the partner's time", async () => {
    const { sim, config } = await start();
    const { records, cursors } = await sync(config, { eventId: "3" });
    const expected = sim.participants("3");
    expect(records).toHaveLength(200);
    expect(new Set(records.map((r) => r.barcode)).size).toBe(200);
    const byBarcode = new Map(records.map((r) => [r.barcode, r]));
    for (const p of expected)
      expect(byBarcode.get(p.barcode)?.state).toBe(p.refunded || p.deleted ? "cancelled" : "valid");
    expect(records.filter((r) => r.state === "cancelled").length).toBeGreaterThan(0);
    const sample = expected.find((p) => p.seat && !p.refunded && !p.deleted);
    expect(byBarcode.get(sample?.barcode ?? "")).toEqual({
      barcode: sample?.barcode,
      state: "valid",
      category: sample?.category?.name,
      holderName: `${sample?.owner?.first_name} ${sample?.owner?.last_name}`,
      seat: `Zone ${sample?.seat?.zone}, rang ${sample?.seat?.row}, place ${sample?.seat?.seat}`,
      price: sample?.rate?.price,
      extra: {
        "N° participant": String(sample?.id_participant),
        Tarif: sample?.rate?.name,
        "E-mail": sample?.owner?.email,
      },
    });
    expect(cursors).toEqual(["2026-06-15 10:00:00"]);
  });

  it("pages through the results, and checkpoints the first page's server_time", async () => {
    const { sim, clock, config } = await start({ maxPerPage: 50 });
    const { records, cursors } = await sync(config, { eventId: "1" }, undefined, () => clock.advance(20));
    expect(records).toHaveLength(600);
    const pages = sim.requests.filter((r) => r.path === "/v3/participants");
    expect(pages.map((r) => r.query.page)).toEqual(Array.from({ length: 12 }, (_, i) => String(i + 1)));
    expect(pages[0].query).toMatchObject({ "id_event[]": "1", per_page: "1000", full: "1" });
    expect(pages[0].query.last_update).toBeUndefined();
    // The clock moved 12 s during the sync: the cursor is where it started.
    expect(cursors).toEqual(["2026-06-15 10:00:00"]);
  });

  it("imports one date of a multi-date event with dateId", async () => {
    const { sim, config } = await start();
    const dateId = sim.events()[0].dateIds[1];
    const { records } = await sync(config, { eventId: "1", dateId });
    expect(records.map((r) => r.barcode).sort()).toEqual(
      sim
        .participants("1", dateId)
        .map((p) => p.barcode)
        .sort(),
    );
    expect(sim.requests.at(-1)?.query.id_date).toBe(dateId);
  });

  it("syncs incrementally after sells, a refund and a removal", async () => {
    const { sim, clock, config } = await start();
    const first = await sync(config, { eventId: "3" });
    const since = first.cursors[0];
    clock.advance(1000);
    const sold = sim.sell("3", 2);
    const [refunded, removed] = sim
      .participants("3")
      .filter((p) => !p.refunded && !p.deleted)
      .map((p) => p.barcode);
    sim.refund(refunded);
    sim.remove(removed);
    clock.advance(1000);
    const next = await sync(config, { eventId: "3" }, since);
    expect(sim.requests.at(-1)?.query.last_update).toBe("2026-06-15 10:00:00");
    expect(Object.fromEntries(next.records.map((r) => [r.barcode, r.state]))).toEqual({
      [sold[0]]: "valid",
      [sold[1]]: "valid",
      [refunded]: "cancelled",
      [removed]: "cancelled",
    });
    expect(next.cursors).toEqual(["2026-06-15 10:00:02"]);

    // Nothing changed since: only what was changed in the cursor's own second comes again.
    const quiet = await sync(config, { eventId: "3" }, next.cursors[0]);
    expect(quiet.records).toEqual([]);
  });

  it("does not miss an update made in the same second as the previous sync", async () => {
    const { sim, clock, config } = await start();
    const first = await sync(config, { eventId: "3" });
    expect(first.cursors).toEqual(["2026-06-15 10:00:00"]);
    clock.advance(600); // 10:00:00.800: the same second as the sync
    const [sold] = sim.sell("3", 1);
    const victim = sim.participants("3").find((p) => !p.refunded && !p.deleted)?.barcode ?? "";
    sim.refund(victim);
    const next = await sync(config, { eventId: "3" }, first.cursors[0]);
    expect(next.records.map((r) => [r.barcode, r.state])).toEqual([
      [sold, "valid"],
      [victim, "cancelled"],
    ]);
  });

  it("gives a transferred ticket's old barcode as duplicated and the new one as valid", async () => {
    const { sim, clock, config } = await start();
    const first = await sync(config, { eventId: "3" });
    clock.advance(1000);
    const old = sim.participants("3").find((p) => !p.refunded && !p.deleted)?.barcode ?? "";
    const fresh = sim.transfer(old);
    const next = await sync(config, { eventId: "3" }, first.cursors[0]);
    expect(next.records.map((r) => [r.barcode, r.state])).toEqual([
      [fresh, "valid"],
      [old, "duplicated"],
    ]);
    const full = await sync(config, { eventId: "3" });
    expect(full.records).toHaveLength(201);
    expect(full.records.find((r) => r.barcode === old)?.state).toBe("duplicated");
  });

  it("asks for a new token when the partner's clock expires the first one mid-sync", async () => {
    const { sim, clock, config } = await start({ maxPerPage: 50 });
    const { records } = await sync(config, { eventId: "3" }, undefined, (_, i) => {
      if (i === 0) clock.advance(3_600_000);
    });
    expect(records).toHaveLength(200);
    expect(sim.requests.filter((r) => r.path === "/v3/auth/access_token")).toHaveLength(2);
  });

  it("reads everything again when the cursor is unreadable", async () => {
    const { config } = await start();
    const { records } = await sync(config, { eventId: "3" }, "not a date");
    expect(records).toHaveLength(200);
  });

  it.each([
    { kind: "json", message: /page 2 des participants/ },
    { kind: "shape", message: /page 2 des participants inattendue : la liste « participants » manque/ },
  ] as const)(
    "fails with bad-response naming the page when page 2 is malformed ($kind)",
    async ({ kind, message }) => {
      const { sim, config } = await start({ maxPerPage: 50 });
      const error = await failure(
        sync(config, { eventId: "3" }, undefined, (_, i) => {
          if (i === 0) sim.setFault("malformed", { malformed: kind });
        }),
      );
      expect(error.code).toBe("bad-response");
      expect(error.message).toMatch(message);
    },
  );

  it.each([
    {
      name: "an unknown event",
      params: { eventId: "77" },
      code: "not-found",
      message: /ne connaît pas l'événement 77/,
    },
    {
      name: "an unknown date",
      params: { eventId: "3", dateId: "1" },
      code: "not-found",
      message: /ne connaît pas la date 1 de l'événement 3/,
    },
  ])("fails on $name with $code", async ({ params, code, message }) => {
    const { config } = await start();
    const error = await failure(sync(config, params));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it.each([
    {
      fault: "unauthorized",
      code: "unauthorized",
      message: /refuse le nom d'utilisateur, le mot de passe ou la clé d'API \(HTTP 401\)/,
    },
    { fault: "error500", code: "unavailable", message: /HTTP 500/ },
  ] as const)("fails with $code when the partner answers $fault", async ({ fault, code, message }) => {
    const { sim, config } = await start();
    sim.setFault(fault);
    const error = await failure(sync(config, { eventId: "3" }));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it("stops requesting and returns when the signal is aborted", async () => {
    const { sim, config } = await start({ maxPerPage: 20 });
    const controller = new AbortController();
    let seen = 0;
    for await (const _ of fetchTickets({
      config: config as never,
      params: { eventId: "3" },
      checkpoint: () => {
        throw new Error("no checkpoint after an abort");
      },
      signal: controller.signal,
    })) {
      if (++seen === 25) controller.abort();
    }
    expect(seen).toBe(25);
    expect(sim.requests.filter((r) => r.path === "/v3/participants")).toHaveLength(2);
  });
});

describe("attendees connector: checkConfig", () => {
  it("finds nothing wrong with working credentials", async () => {
    const { config } = await start();
    expect(await checkConfig(config, { signal: new AbortController().signal })).toEqual([]);
  });

  async function notThisApi(): Promise<string> {
    const server: Server = createServer((_, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>Bienvenue</html>");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async function closedPort(): Promise<string> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await new Promise((resolve) => server.close(resolve));
    return url;
  }

  it.each([
    {
      name: "a wrong password",
      change: async () => ({ password: "faux" }),
      message: /refuse le nom d'utilisateur, le mot de passe ou la clé d'API \(HTTP 401\)/,
    },
    {
      name: "a wrong api key",
      change: async () => ({ apiKey: "autre" }),
      message: /refuse le nom d'utilisateur, le mot de passe ou la clé d'API/,
    },
    {
      name: "an unreachable service",
      change: async () => ({ baseUrl: await closedPort() }),
      message: /^« Adresse du service » : Le service 127\.0\.0\.1:\d+ est injoignable/,
    },
    {
      name: "a server that is not this API (HTML)",
      change: async () => ({ baseUrl: await notThisApi() }),
      message: /ne répond pas comme un service de participants/,
    },
    {
      name: "a server that is not this API (404)",
      change: async () => ({ baseUrl: `${(await start()).sim.url}/autre` }),
      message: /ne répond pas comme un service de participants \(HTTP 404\)/,
    },
    {
      name: "an address that is not a URL",
      change: async () => ({ baseUrl: "pas une adresse" }),
      message: /« Adresse du service »/,
    },
  ])("explains $name in French, without throwing", async ({ change, message }) => {
    const { config } = await start();
    const errors = await checkConfig(
      { ...config, ...(await change()) },
      { signal: new AbortController().signal },
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  it("says the service does not answer when it times out", async () => {
    const { sim, config } = await start();
    sim.setFault("timeout");
    const errors = await checkConfig(
      { ...config, timeoutSeconds: 1 },
      { signal: new AbortController().signal },
    );
    expect(errors).toEqual([expect.stringMatching(/n'a pas répondu en 1 s/)]);
  });
});

describe("attendees connector: listCatalog", () => {
  it("lists venues → events → dates in ISO with the Paris offset of each date", async () => {
    // From 1 October 2026: some dates fall before the 25 October change, some after.
    const clock = createManualClock("2026-10-01T08:00:00Z");
    const sim = await startAttendeesSimulator({ now: clock.now });
    cleanups.push(() => sim.close());
    const venues = await listCatalog({
      config: { baseUrl: sim.url, ...sim.credentials },
      signal: new AbortController().signal,
    });
    const byName = new Map(venues.flatMap((v) => v.events.map((e) => [e.name, { venue: v.name, event: e }])));
    expect(byName.get("Nuits Sonores")?.venue).toBe("Les Subsistances");
    expect(byName.get("Nuits Sonores")?.event.dates.map((d) => [d.startsAt, d.endsAt, d.params])).toEqual([
      ["2026-11-10T18:00:00+01:00", "2026-11-11T02:00:00+01:00", { eventId: "1", dateId: "1" }],
      ["2026-11-11T18:00:00+01:00", "2026-11-12T02:00:00+01:00", { eventId: "1", dateId: "2" }],
      ["2026-11-12T18:00:00+01:00", "2026-11-13T02:00:00+01:00", { eventId: "1", dateId: "3" }],
    ]);
    expect(byName.get("Synapson (live)")?.event.dates).toEqual([
      {
        id: "3/6",
        startsAt: "2026-10-13T20:00:00+02:00",
        endsAt: "2026-10-13T23:00:00+02:00",
        params: { eventId: "3", dateId: "6" },
      },
    ]);
    // 25 days later at 23:00 is the night after the change: winter time, and six hours on.
    expect(byName.get("Kettama, Fenrick, Bella")?.event.dates[0]).toMatchObject({
      startsAt: "2026-10-26T23:00:00+01:00",
      endsAt: "2026-10-27T05:00:00+01:00",
    });
    const ids = venues.flatMap((v) => v.events.flatMap((e) => e.dates.map((d) => d.id)));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("fails with a French error when the partner refuses the credentials", async () => {
    const { sim, config } = await start();
    sim.setFault("unauthorized");
    const error = await failure(listCatalog({ config, signal: new AbortController().signal }));
    expect(error.code).toBe("unauthorized");
  });
});

describe("attendees connector: definition", () => {
  it("declares itself as an online connector with cancellations and French labels", () => {
    expect(connector).toMatchObject({
      id: "attendees",
      label: "WS Participants (mise à jour incrémentale)",
      kind: "online",
      compatibility: "^1.0.0",
      cancellations: true,
    });
    expect(connector.sourceConfig.map((f) => [f.key, f.type, f.required ?? false, f.default])).toEqual([
      ["baseUrl", "url", true, undefined],
      ["username", "text", true, undefined],
      ["password", "secret", true, undefined],
      ["apiKey", "secret", true, undefined],
      ["timeoutSeconds", "integer", false, 15],
      ["retries", "integer", false, 3],
    ]);
    expect(connector.performanceParams.map((f) => [f.key, f.required ?? false])).toEqual([
      ["eventId", true],
      ["dateId", false],
    ]);
  });
});
