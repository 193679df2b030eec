import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { TicketnetEvent, TicketnetTicket, TicketnetTicketsPage, TicketnetVenue } from "../ticketnet-api";
import { parseCliArgs } from "./cli-args";
import { startTicketnetSimulator, type TicketnetSimulator } from "./index";

interface Answer {
  status: number;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: a test reads whatever JSON came back
  body: any;
}

async function send(sim: TicketnetSimulator, path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(`${sim.url}/api/v2/${path}`, init);
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, text, body };
}

function auth(sim: TicketnetSimulator, credentials: unknown = sim.credentials): Promise<Answer> {
  return send(sim, "auth", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(credentials),
  });
}

async function tokenOf(sim: TicketnetSimulator): Promise<string> {
  const { status, body } = await auth(sim);
  expect(status).toBe(200);
  return body.token;
}

function get(sim: TicketnetSimulator, path: string, token: string | null): Promise<Answer> {
  return send(sim, path, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
}

async function readAll(
  sim: TicketnetSimulator,
  token: string,
  performanceId: string,
  pageSize: number,
  modifiedSince?: string,
): Promise<{ tickets: TicketnetTicket[]; pages: TicketnetTicketsPage[] }> {
  const tickets: TicketnetTicket[] = [];
  const pages: TicketnetTicketsPage[] = [];
  for (let page = 1; ; page++) {
    const query = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
    if (modifiedSince) query.set("modifiedSince", modifiedSince);
    const { status, body } = await get(sim, `performances/${performanceId}/tickets?${query}`, token);
    expect(status).toBe(200);
    pages.push(body);
    tickets.push(...body.tickets);
    if (page >= body.pageCount) return { tickets, pages };
  }
}

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const ISO_PARIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?\+0[12]:00$/;

describe("Ticketnet simulator", () => {
  let sim: TicketnetSimulator;
  let token: string;
  beforeAll(async () => {
    sim = await startTicketnetSimulator({ seed: 1, slowMs: 80 });
    token = await tokenOf(sim);
  });
  afterAll(() => sim.close());

  describe("authentication", () => {
    it("gives a bearer token for the simulator's credentials", async () => {
      const { status, body } = await auth(sim);
      expect(status).toBe(200);
      expect(body).toEqual({ token: expect.stringMatching(/^\S{20,}$/), expiresIn: 3600 });
      expect(body.token).not.toBe(token);
      expect(sim.credentials).toEqual({ login: "billetix", password: expect.stringMatching(/^tn-/) });
    });

    it.each([
      ["a wrong password", () => ({ ...sim.credentials, password: "nope" }), 401, "BAD_CREDENTIALS"],
      ["a wrong login", () => ({ ...sim.credentials, login: "someone" }), 401, "BAD_CREDENTIALS"],
      ["no password", () => ({ login: sim.credentials.login }), 400, "BAD_REQUEST"],
      ["a body that is not an object", () => "billetix", 400, "BAD_REQUEST"],
    ])("refuses %s", async (_name, credentials, status, error) => {
      const answer = await auth(sim, credentials());
      expect(answer.status).toBe(status);
      expect(answer.body).toEqual({ error, message: expect.any(String) });
    });

    it("refuses a body that is not JSON, and a GET on /auth", async () => {
      expect((await send(sim, "auth", { method: "POST", body: "{login" })).status).toBe(400);
      expect((await send(sim, "auth")).status).toBe(405);
    });

    it.each(["venues", "venues/11/events", "performances/100101/tickets"])(
      "answers 401 on %s without a token, with a wrong one, or one of another scheme",
      async (path) => {
        const none = await get(sim, path, null);
        expect(none).toMatchObject({ status: 401, body: { error: "MISSING_TOKEN" } });
        expect(await get(sim, path, "forged")).toMatchObject({
          status: 401,
          body: { error: "INVALID_TOKEN" },
        });
        const basic = await send(sim, path, { headers: { authorization: `Basic ${token}` } });
        expect(basic.status).toBe(401);
      },
    );

    it("answers 401 to an expired token", async () => {
      const shortLived = await startTicketnetSimulator({ seed: 1, tokenTtlSeconds: 0 });
      try {
        const { body } = await auth(shortLived);
        expect(body.expiresIn).toBe(0);
        expect(await get(shortLived, "venues", body.token)).toMatchObject({
          status: 401,
          body: { error: "TOKEN_EXPIRED" },
        });
      } finally {
        await shortLived.close();
      }
    });

    it("forgets every token on revokeTokens(), and a new one works", async () => {
      const own = await startTicketnetSimulator({ seed: 1 });
      try {
        const before = await tokenOf(own);
        expect((await get(own, "venues", before)).status).toBe(200);
        own.revokeTokens();
        expect((await get(own, "venues", before)).status).toBe(401);
        expect((await get(own, "venues", await tokenOf(own))).status).toBe(200);
      } finally {
        await own.close();
      }
    });

    it("takes credentials from the options", async () => {
      const own = await startTicketnetSimulator({ login: "salle", password: "secret" });
      try {
        expect(own.credentials).toEqual({ login: "salle", password: "secret" });
        expect((await auth(own, { login: "salle", password: "secret" })).status).toBe(200);
      } finally {
        await own.close();
      }
    });
  });

  describe("catalogue", () => {
    it("lists the three Lyon venues", async () => {
      const { status, body } = await get(sim, "venues", token);
      expect(status).toBe(200);
      expect(body as TicketnetVenue[]).toEqual([
        { id: "11", name: "Transbordeur", city: "Villeurbanne" },
        { id: "12", name: "Le Radiant", city: "Caluire" },
        { id: "13", name: "Halle Tony Garnier", city: "Lyon" },
      ]);
    });

    it("lists 2 or 3 events per venue, each with 1 to 3 performances in Paris time with an offset", async () => {
      const ids = new Set<string>();
      for (const venue of ["11", "12", "13"]) {
        const { status, body } = await get(sim, `venues/${venue}/events`, token);
        expect(status).toBe(200);
        const events = body as TicketnetEvent[];
        expect(events.length).toBeGreaterThanOrEqual(2);
        expect(events.length).toBeLessThanOrEqual(3);
        for (const event of events) {
          expect(event).toEqual({
            id: expect.any(String),
            title: expect.any(String),
            performances: expect.any(Array),
          });
          expect(event.performances.length).toBeGreaterThanOrEqual(1);
          expect(event.performances.length).toBeLessThanOrEqual(3);
          for (const p of event.performances) {
            expect(p).toEqual({
              id: expect.any(String),
              startDate: expect.stringMatching(ISO_PARIS),
              endDate: expect.stringMatching(ISO_PARIS),
            });
            expect(Date.parse(p.endDate)).toBeGreaterThan(Date.parse(p.startDate));
            expect(ids.has(p.id)).toBe(false);
            ids.add(p.id);
          }
        }
      }
      expect(ids).toEqual(new Set(sim.performances().map((p) => p.id)));
    });

    it("writes winter dates with +01:00 and summer dates with +02:00", () => {
      const offsets = sim.performances().map((p) => [p.startDate.slice(0, 10), p.startDate.slice(-6)]);
      for (const [day, offset] of offsets) expect(offset).toBe(day < "2027-03-28" ? "+01:00" : "+02:00");
      expect(new Set(offsets.map(([, offset]) => offset))).toEqual(new Set(["+01:00", "+02:00"]));
    });

    it("gives the catalogue on the handle too, with ticket counts", () => {
      const venue = sim.catalogue[1];
      expect(venue).toMatchObject({ id: "12", name: "Le Radiant", city: "Caluire" });
      expect(venue.events[0].performances[0]).toMatchObject({
        eventId: venue.events[0].id,
        venueId: "12",
        ticketCount: expect.any(Number),
      });
    });

    it.each([
      ["an unknown venue", "venues/99/events", 404, "VENUE_NOT_FOUND"],
      ["an unknown path", "spectacles", 404, "NOT_FOUND"],
      ["an unknown performance", "performances/42/tickets", 404, "PERFORMANCE_NOT_FOUND"],
    ])("answers %s with %i", async (_name, path, status, error) => {
      expect(await get(sim, path, token)).toMatchObject({ status, body: { error } });
    });

    it("answers 404 outside /api/v2", async () => {
      const res = await fetch(`${sim.url}/api/v1/venues`);
      expect(res.status).toBe(404);
    });
  });

  describe("tickets", () => {
    it("gives 200 tickets per seeded performance, in the API's shape", async () => {
      const [first] = sim.performances();
      expect(first.ticketCount).toBe(200);
      const { tickets } = await readAll(sim, token, first.id, 5000);
      expect(tickets).toHaveLength(200);
      for (const t of tickets) {
        expect(t).toEqual({
          barcode: expect.stringMatching(/^\d{14}$/),
          status: expect.stringMatching(/^(VALID|CANCELLED|REPRINTED)$/),
          priceCategory: expect.stringMatching(/^(Carré Or|Cat 1|Cat 2|Fosse)$/),
          priceCents: expect.any(Number),
          seat:
            t.seat === null
              ? null
              : { block: expect.any(String), row: expect.any(String), number: expect.any(String) },
          customer:
            t.customer === null ? null : { firstName: expect.any(String), lastName: expect.any(String) },
          orderRef: expect.stringMatching(/^TN\d{10}$/),
          modifiedAt: expect.stringMatching(ISO_PARIS),
        });
        expect(t.priceCategory === "Fosse").toBe(t.seat === null);
        expect(Number.isInteger(t.priceCents) && t.priceCents > 0).toBe(true);
      }
      expect(tickets).toEqual(sim.tickets(first.id));
    });

    it("has seats, French holders, anonymous sales, and a few cancelled and reprinted tickets", () => {
      const all = sim.performances().flatMap((p) => sim.tickets(p.id));
      const count = (status: string) => all.filter((t) => t.status === status).length;
      expect(count("CANCELLED")).toBeGreaterThan(0);
      expect(count("REPRINTED")).toBeGreaterThan(0);
      expect(count("CANCELLED") + count("REPRINTED")).toBeLessThan(all.length * 0.1);
      expect(all.some((t) => t.customer === null)).toBe(true);
      expect(all.some((t) => /[éèëï]/.test(`${t.customer?.firstName}${t.customer?.lastName}`))).toBe(true);
      expect(new Set(all.map((t) => t.priceCategory))).toEqual(
        new Set(["Carré Or", "Cat 1", "Cat 2", "Fosse"]),
      );
      expect(new Set(all.map((t) => t.barcode)).size).toBe(all.length);
      // Seated tickets of a performance never share a seat, except a reprint with its original.
      for (const p of sim.performances()) {
        const seats = sim
          .tickets(p.id)
          .filter((t) => t.seat && t.status !== "REPRINTED")
          .map((t) => JSON.stringify(t.seat));
        expect(new Set(seats).size).toBe(seats.length);
      }
    });

    it("pages in issue order: small pages give the same tickets as one big page", async () => {
      const performance = sim.performances()[1];
      const whole = await readAll(sim, token, performance.id, 5000);
      const paged = await readAll(sim, token, performance.id, 30);
      expect(paged.tickets).toEqual(whole.tickets);
      expect(paged.pages.map((p) => [p.page, p.pageCount, p.totalCount, p.tickets.length])).toEqual([
        ...[1, 2, 3, 4, 5, 6].map((n) => [n, 7, 200, 30]),
        [7, 7, 200, 20],
      ]);
      for (const page of paged.pages) expect(page.serverTime).toMatch(ISO_PARIS);
    });

    it("answers an empty page past the last one", async () => {
      const { body } = await get(
        sim,
        `performances/${sim.performances()[1].id}/tickets?page=9&pageSize=30`,
        token,
      );
      expect(body).toMatchObject({ page: 9, pageCount: 7, totalCount: 200, tickets: [] });
    });

    it("uses 100 tickets a page by default", async () => {
      const { body } = await get(sim, `performances/${sim.performances()[1].id}/tickets`, token);
      expect(body).toMatchObject({ page: 1, pageCount: 2 });
      expect(body.tickets).toHaveLength(100);
    });

    it.each([
      ["page=0", /page/],
      ["page=-1", /page/],
      ["page=deux", /page/],
      ["pageSize=0", /pageSize/],
      ["pageSize=5001", /pageSize doit être un entier de 1 à 5000/],
      ["modifiedSince=hier", /modifiedSince/],
      ["modifiedSince=2026-11-29T10:00:00", /modifiedSince/],
      // A `+` left unencoded reads as a space.
      ["modifiedSince=2026-11-29T10:00:00+01:00", /modifiedSince/],
    ])("answers 400 to %s", async (query, message) => {
      const answer = await get(sim, `performances/${sim.performances()[1].id}/tickets?${query}`, token);
      expect(answer).toMatchObject({ status: 400, body: { error: "BAD_REQUEST" } });
      expect(answer.body.message).toMatch(message);
    });

    it("gives only the tickets modified after modifiedSince, and the partner's serverTime", async () => {
      const own = await startTicketnetSimulator({ seed: 3 });
      try {
        const ownToken = await tokenOf(own);
        const [performance, other] = own.performances();
        const first = await readAll(own, ownToken, performance.id, 5000);
        const since = first.pages[0].serverTime;
        expect(Math.abs(Date.parse(since) - Date.now())).toBeLessThan(5000);
        const none = await readAll(own, ownToken, performance.id, 5000, since);
        expect(none.tickets).toEqual([]);
        expect(none.pages[0]).toMatchObject({ pageCount: 0, totalCount: 0 });

        const valid = first.tickets.filter((t) => t.status === "VALID");
        const sold = own.sell(performance.id, 3);
        own.cancel(valid[0].barcode);
        const reprinted = own.reprint(valid[1].barcode);
        own.sell(other.id, 2);
        const changes = await readAll(own, ownToken, performance.id, 2, since);
        // In issue order: the two changed old tickets, then the three sold, then the reprint.
        expect(changes.tickets.map((t) => [t.barcode, t.status])).toEqual([
          [valid[0].barcode, "CANCELLED"],
          [valid[1].barcode, "REPRINTED"],
          ...sold.map((b) => [b, "VALID"]),
          [reprinted, "VALID"],
        ]);
        expect(changes.pages[0]).toMatchObject({ pageCount: 3, totalCount: 6 });
        for (const t of changes.tickets) expect(Date.parse(t.modifiedAt)).toBeGreaterThan(Date.parse(since));
      } finally {
        await own.close();
      }
    });

    it("never misses a change made in the same millisecond as the serverTime it follows", async () => {
      const performance = sim.performances()[2];
      for (let i = 0; i < 20; i++) {
        const page = await get(sim, `performances/${performance.id}/tickets?pageSize=1`, token);
        const [barcode] = sim.sell(performance.id, 1);
        const since = encodeURIComponent(page.body.serverTime);
        const after = await get(sim, `performances/${performance.id}/tickets?modifiedSince=${since}`, token);
        expect(after.body.tickets.map((t: TicketnetTicket) => t.barcode)).toEqual([barcode]);
      }
    });
  });

  describe("changes", () => {
    it("sells tickets in orders, with the buyer's name on each", () => {
      const performance = sim.performances()[3];
      const sold = sim.sell(performance.id, 9);
      expect(sold).toHaveLength(9);
      const tickets = sim.tickets(performance.id);
      expect(tickets.slice(-9).map((t) => t.barcode)).toEqual(sold);
      expect(tickets.slice(-9).every((t) => t.status === "VALID")).toBe(true);
      expect(sim.performances()[3].ticketCount).toBe(performance.ticketCount + 9);
    });

    it("reprints a ticket: the old one REPRINTED, a new VALID one with the same seat, holder and order", () => {
      const performance = sim.performances()[4];
      const original = sim.tickets(performance.id).find((t) => t.status === "VALID") as TicketnetTicket;
      const barcode = sim.reprint(original.barcode);
      const tickets = sim.tickets(performance.id);
      const old = tickets.find((t) => t.barcode === original.barcode);
      const copy = tickets.find((t) => t.barcode === barcode);
      expect(old?.status).toBe("REPRINTED");
      expect(copy).toMatchObject({
        status: "VALID",
        seat: original.seat,
        customer: original.customer,
        orderRef: original.orderRef,
        priceCents: original.priceCents,
      });
    });

    it.each([
      ["cancel an unknown ticket", (s: TicketnetSimulator) => s.cancel("12345678901234"), /Unknown ticket/],
      ["cancel a forged barcode", (s: TicketnetSimulator) => s.cancel("10010100000000"), /Unknown ticket/],
      ["reprint an unknown ticket", (s: TicketnetSimulator) => s.reprint("abc"), /Unknown ticket/],
      ["sell on an unknown performance", (s: TicketnetSimulator) => s.sell("42", 1), /Unknown performance/],
      [
        "sell a negative number",
        (s: TicketnetSimulator) => s.sell(s.performances()[0].id, -1),
        /Cannot sell/,
      ],
      ["list an unknown performance", (s: TicketnetSimulator) => s.tickets("42"), /Unknown performance/],
      [
        "add to an unknown event",
        (s: TicketnetSimulator) => s.addPerformance({ tickets: 1, eventId: "1" }),
        /Unknown event/,
      ],
      ["add 1.5 tickets", (s: TicketnetSimulator) => s.addPerformance({ tickets: 1.5 }), /Cannot add/],
    ])("refuses to %s", (_name, act, message) => {
      expect(() => act(sim)).toThrow(message);
    });

    it("refuses to cancel or reprint a ticket that is no longer valid", () => {
      const performance = sim.performances()[5];
      const [barcode] = sim.sell(performance.id, 1);
      sim.cancel(barcode);
      expect(() => sim.cancel(barcode)).toThrow(/it is CANCELLED/);
      expect(() => sim.reprint(barcode)).toThrow(/it is CANCELLED/);
    });

    it("tick() sells on some performances and cancels one ticket", () => {
      const before = new Map(sim.performances().map((p) => [p.id, p.ticketCount]));
      const { sold, cancelled } = sim.tick();
      expect(sold.length).toBeGreaterThan(0);
      expect(cancelled).toHaveLength(1);
      const after = sim.performances();
      const grown = after.filter((p) => p.ticketCount > (before.get(p.id) ?? 0));
      expect(grown.length).toBeGreaterThan(0);
      expect(after.reduce((n, p) => n + p.ticketCount - (before.get(p.id) ?? 0), 0)).toBe(sold.length);
      const statuses = new Map(after.flatMap((p) => sim.tickets(p.id)).map((t) => [t.barcode, t.status]));
      expect(statuses.get(cancelled[0])).toBe("CANCELLED");
      for (const barcode of sold) expect(statuses.get(barcode)).toBe("VALID");
    });

    it("ticks on a timer with tickEveryMs, and not without", async () => {
      const ticking = await startTicketnetSimulator({ seed: 4, tickEveryMs: 20 });
      const still = await startTicketnetSimulator({ seed: 4 });
      try {
        const total = (s: TicketnetSimulator) => s.performances().reduce((n, p) => n + p.ticketCount, 0);
        const start = total(ticking);
        await waitFor(() => total(ticking) >= start + 5);
        expect(total(still)).toBe(start);
      } finally {
        await Promise.all([ticking.close(), still.close()]);
      }
    });

    it("adds a performance of 100 000 tickets in well under a second, served page by page", async () => {
      const started = performance.now();
      const big = sim.addPerformance({ tickets: 100_000 });
      expect(performance.now() - started).toBeLessThan(1000);
      const event = sim.catalogue[0].events[0];
      expect(big).toMatchObject({ eventId: event.id, venueId: "11", ticketCount: 100_000 });
      expect(big.startDate).toMatch(ISO_PARIS);
      expect(event.performances.at(-1)?.id).toBe(big.id);
      const pages = await Promise.all(
        [1, 20, 21].map((n) => get(sim, `performances/${big.id}/tickets?page=${n}&pageSize=5000`, token)),
      );
      expect(pages.map((p) => [p.body.pageCount, p.body.totalCount, p.body.tickets.length])).toEqual([
        [20, 100_000, 5000],
        [20, 100_000, 5000],
        [20, 100_000, 0],
      ]);
      const events = await get(sim, `venues/11/events`, token);
      expect(events.body.flatMap((e: TicketnetEvent) => e.performances.map((p) => p.id))).toContain(big.id);
    });

    it("adds a performance to the event and at the date asked", () => {
      const event = sim.catalogue[2].events[0];
      const added = sim.addPerformance({
        tickets: 3,
        eventId: event.id,
        startDate: "2027-06-01T21:00:00+02:00",
      });
      expect(added).toMatchObject({
        eventId: event.id,
        venueId: "13",
        startDate: "2027-06-01T21:00:00+02:00",
      });
      expect(sim.tickets(added.id)).toHaveLength(3);
    });
  });

  describe("faults", () => {
    afterAll(() => sim.setFault(null));
    const tickets = () => `performances/${sim.performances()[0].id}/tickets?pageSize=10`;

    it.each([
      ["error500", 500, "INTERNAL_ERROR"],
      ["unauthorized", 401, "BAD_CREDENTIALS"],
    ] as const)("%s answers %i to every call, auth included", async (fault, status, error) => {
      sim.setFault(fault);
      for (const answer of [
        await auth(sim),
        await get(sim, "venues", token),
        await get(sim, tickets(), token),
      ])
        expect(answer).toMatchObject({ status, body: { error } });
      sim.setFault(null);
      expect((await get(sim, tickets(), token)).status).toBe(200);
    });

    it("malformed answers tickets pages of the wrong shape, and leaves the rest alone", async () => {
      sim.setFault("malformed");
      expect((await auth(sim)).status).toBe(200);
      expect((await get(sim, "venues", token)).body).toHaveLength(3);
      const { status, body } = await get(sim, tickets(), token);
      expect(status).toBe(200);
      expect(body.tickets).toBeUndefined();
      expect(body.items[0]).toMatchObject({
        code: expect.any(String),
        state: expect.stringMatching(/^[a-z]+$/),
      });
      sim.setFault(null);
    });

    it("malformed can truncate the JSON, from a given page on", async () => {
      sim.setFault("malformed", { malformedAs: "json", fromPage: 2 });
      const path = `performances/${sim.performances()[0].id}/tickets?pageSize=10`;
      const first = await get(sim, `${path}&page=1`, token);
      expect(first.body.tickets).toHaveLength(10);
      const second = await get(sim, `${path}&page=2`, token);
      expect(second.status).toBe(200);
      expect(() => JSON.parse(second.text)).toThrow();
      expect(second.text.length).toBeGreaterThan(10);
      sim.setFault(null);
    });

    it("slow delays every answer by slowMs", async () => {
      sim.setFault("slow");
      const started = performance.now();
      const answer = await get(sim, tickets(), token);
      const elapsed = performance.now() - started;
      sim.setFault(null);
      expect(answer.status).toBe(200);
      expect(elapsed).toBeGreaterThanOrEqual(75);
      sim.setFault("slow", { slowMs: 150 });
      const again = performance.now();
      await auth(sim);
      expect(performance.now() - again).toBeGreaterThanOrEqual(145);
      sim.setFault(null);
    });

    it("timeout never answers, until the client gives up", async () => {
      sim.setFault("timeout");
      const started = performance.now();
      await expect(
        fetch(`${sim.url}/api/v2/venues`, {
          headers: { authorization: `Bearer ${token}` },
          signal: AbortSignal.timeout(150),
        }),
      ).rejects.toThrow();
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
      sim.setFault(null);
      expect((await get(sim, "venues", token)).status).toBe(200);
    });

    it("close() ends requests held by timeout and slow", async () => {
      const own = await startTicketnetSimulator({ seed: 1, slowMs: 60_000 });
      own.setFault("timeout");
      const held = fetch(`${own.url}/api/v2/venues`).catch((err: Error) => err);
      own.setFault("slow");
      const delayed = fetch(`${own.url}/api/v2/venues`).catch((err: Error) => err);
      await waitFor(() => own.requests().length === 2);
      await own.close();
      // undici's errors come from another realm than jest's Error.
      expect(await held).toHaveProperty("message", "fetch failed");
      expect(await delayed).toHaveProperty("message", "fetch failed");
    });
  });

  describe("seed", () => {
    it("gives the same data for the same seed, and other data for another", async () => {
      const [a, b, c] = await Promise.all([
        startTicketnetSimulator({ seed: 42 }),
        startTicketnetSimulator({ seed: 42 }),
        startTicketnetSimulator({ seed: 43 }),
      ]);
      try {
        expect(b.catalogue).toEqual(a.catalogue);
        expect(b.credentials).toEqual(a.credentials);
        const all = (s: TicketnetSimulator) => s.performances().flatMap((p) => s.tickets(p.id));
        expect(all(b)).toEqual(all(a));
        const [pa, pb] = [a, b].map((s) => s.performances()[0].id);
        expect(b.sell(pb, 5)).toEqual(a.sell(pa, 5));
        expect(b.tick().sold).toEqual(a.tick().sold);
        expect(b.addPerformance({ tickets: 50 }).id).toBe(a.addPerformance({ tickets: 50 }).id);

        expect(c.credentials.password).not.toBe(a.credentials.password);
        const barcodes = new Set(all(a).map((t) => t.barcode));
        expect(all(c).some((t) => barcodes.has(t.barcode))).toBe(false);
        expect(c.catalogue.flatMap((v) => v.events.map((e) => e.title))).not.toEqual(
          a.catalogue.flatMap((v) => v.events.map((e) => e.title)),
        );
      } finally {
        await Promise.all([a.close(), b.close(), c.close()]);
      }
    });

    it("starts the dates on firstDay", async () => {
      const own = await startTicketnetSimulator({ firstDay: "2027-12-01", ticketsPerPerformance: 5 });
      try {
        const days = own.performances().map((p) => p.startDate);
        expect(days.map((d) => d.slice(0, 10)).sort()[0]).toBe("2027-12-01");
        expect(days.every((d) => d.endsWith("+01:00"))).toBe(true);
        expect(own.performances().every((p) => p.ticketCount === 5)).toBe(true);
      } finally {
        await own.close();
      }
    });
  });

  describe("CLI arguments", () => {
    it.each([
      [[], {}],
      [["--port", "4101", "--seed", "1", "--tick-ms", "5000"], { port: 4101, seed: 1, tickEveryMs: 5000 }],
      [
        ["--port=4101", "--tickets=50", "--slow-ms", "20"],
        { port: 4101, ticketsPerPerformance: 50, slowMs: 20 },
      ],
      [
        [
          "--host",
          "0.0.0.0",
          "--first-day",
          "2027-01-04",
          "--login",
          "a",
          "--password",
          "p=q",
          "--token-ttl",
          "60",
        ],
        { host: "0.0.0.0", firstDay: "2027-01-04", login: "a", password: "p=q", tokenTtlSeconds: 60 },
      ],
      [["--password=a=b"], { password: "a=b" }],
    ])("reads %j", (argv, options) => {
      expect(parseCliArgs(argv)).toEqual(options);
    });

    it.each([
      [["--bogus"], /Unknown option --bogus/],
      [["--port"], /--port needs a value/],
      [["--port", "abc"], /--port needs a whole number/],
      [["--seed", "-1"], /--seed needs a whole number/],
      [["--first-day", "demain"], /YYYY-MM-DD/],
    ])("refuses %j with the usage", (argv, message) => {
      expect(() => parseCliArgs(argv)).toThrow(message);
      expect(() => parseCliArgs(argv)).toThrow(/Usage: node dist\/simulator\/cli.js/);
    });
  });
});
