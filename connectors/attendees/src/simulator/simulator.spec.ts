import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "@jest/globals";
import { parseParisLocal } from "../paris-time";
import { parseCliArgs } from "./cli-args";
import { createManualClock } from "./clock";
import { type AttendeesSimulator, type AttendeesSimulatorOptions, startAttendeesSimulator } from "./index";

/** 10:00:00.200 Paris time (summer), a fraction into its second on purpose. */
const START = "2026-06-15T08:00:00.200Z";

const started: AttendeesSimulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

async function start(options: AttendeesSimulatorOptions = {}) {
  const clock = createManualClock(START);
  const sim = await startAttendeesSimulator({ now: clock.now, ...options });
  started.push(sim);
  return { sim, clock };
}

async function token(sim: AttendeesSimulator): Promise<string> {
  const res = await fetch(`${sim.url}/v3/auth/access_token`, {
    method: "POST",
    body: new URLSearchParams({
      username: sim.credentials.username,
      password: sim.credentials.password,
      api_key: sim.credentials.apiKey,
    }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { access_token: string; expires_in: number };
  expect(body.expires_in).toBe(3600);
  return body.access_token;
}

// biome-ignore lint/suspicious/noExplicitAny: the tests read the partner's JSON freely
type Body = any;

async function get(sim: AttendeesSimulator, path: string, query: Record<string, string> = {}, auth?: string) {
  const search = new URLSearchParams(query);
  if (!search.has("api_key")) search.set("api_key", sim.credentials.apiKey);
  if (!search.has("access_token")) search.set("access_token", auth ?? (await token(sim)));
  const res = await fetch(`${sim.url}${path}?${search}`, { signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  let body: Body;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, text, body };
}

const participantsOf = (sim: AttendeesSimulator, query: Record<string, string>, auth?: string) =>
  get(sim, "/v3/participants", { full: "1", ...query }, auth);

describe("attendees simulator: auth", () => {
  it.each([
    { name: "a wrong password", field: "password", value: "nope" },
    { name: "a wrong user", field: "username", value: "someone" },
    { name: "a wrong api key", field: "api_key", value: "other" },
  ])("refuses $name with 401 and {error: {code, message}}", async ({ field, value }) => {
    const { sim } = await start();
    const form = {
      username: sim.credentials.username,
      password: sim.credentials.password,
      api_key: sim.credentials.apiKey,
      [field]: value,
    };
    const res = await fetch(`${sim.url}/v3/auth/access_token`, {
      method: "POST",
      body: new URLSearchParams(form),
    });
    expect(res.status).toBe(401);
    const body = (await res.json()) as Body;
    expect(body.error).toEqual({ code: "invalid_credentials", message: expect.any(String) });
  });

  it.each<{ name: string; query: Record<string, string>; code: string }>([
    { name: "no token", query: { access_token: "" }, code: "missing_credentials" },
    { name: "an unknown token", query: { access_token: "forged" }, code: "invalid_token" },
    { name: "a wrong api key", query: { api_key: "other" }, code: "invalid_api_key" },
  ])("answers 401 to a call with $name", async ({ query, code }) => {
    const { sim } = await start();
    const res = await get(sim, "/v3/events", query);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe(code);
  });

  it("lets a token expire after one hour of the simulator's clock", async () => {
    const { sim, clock } = await start();
    const auth = await token(sim);
    clock.advance(3_599_000);
    expect((await get(sim, "/v3/events", {}, auth)).status).toBe(200);
    clock.advance(1000);
    const expired = await get(sim, "/v3/events", {}, auth);
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe("expired_token");
  });
});

describe("attendees simulator: catalogue", () => {
  it("lists the seeded festivals and concerts with Paris local dates and venues", async () => {
    const { sim } = await start();
    const { status, body } = await get(sim, "/v3/events");
    expect(status).toBe(200);
    const names = body.events.map((e: Body) => e.name);
    expect(names).toEqual(expect.arrayContaining(["Nuits Sonores", "Woodstower"]));
    for (const event of body.events) {
      expect(event).toEqual({
        id: expect.any(Number),
        name: expect.any(String),
        date: { start: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/), end: expect.any(String) },
        venue: { id: expect.any(Number), name: expect.any(String) },
      });
    }
  });

  it("gives the dates of a multi-date event, and 404 for an unknown event", async () => {
    const { sim } = await start();
    const nuits = sim.events().find((e) => e.name === "Nuits Sonores");
    const { body } = await get(sim, `/v3/events/${nuits?.id}/dates`);
    expect(body.dates).toHaveLength(3);
    expect(body.dates[0]).toEqual({
      id: expect.any(Number),
      start: expect.any(String),
      end: expect.any(String),
    });
    // 18:00 local: the seeded hour, whatever the offset of that day.
    expect(body.dates[0].start).toMatch(/ 18:00:00$/);
    expect((await get(sim, "/v3/events/999/dates")).status).toBe(404);
  });
});

describe("attendees simulator: participants", () => {
  it("serves the participants of an event in the partner's shape", async () => {
    const { sim } = await start();
    const { status, body } = await participantsOf(sim, { "id_event[]": "3", per_page: "1000" });
    expect(status).toBe(200);
    expect(body.pagination).toEqual({ current_page: 1, last_page: 1, per_page: 1000, total: 200 });
    expect(body.server_time).toBe("2026-06-15 10:00:00");
    const seated = body.participants.find((p: Body) => p.seat !== null);
    expect(seated).toEqual({
      id_participant: expect.any(Number),
      barcode: expect.stringMatching(/^\d{12}$/),
      id_event: 3,
      id_date: expect.any(Number),
      category: { name: expect.stringMatching(/^(Cat 1 > Or|Cat 2 > Argent)$/) },
      rate: { name: expect.any(String), price: expect.any(Number) },
      seat: { zone: expect.any(String), row: expect.any(String), seat: expect.any(String) },
      owner: {
        first_name: expect.any(String),
        last_name: expect.any(String),
        email: expect.stringContaining("@"),
      },
      refunded: expect.any(Boolean),
      deleted: expect.any(Boolean),
      transfered_from: null,
      update_date: expect.any(String),
      create_date: expect.any(String),
    });
    const categories = new Set(body.participants.map((p: Body) => p.category.name));
    expect([...categories].sort()).toEqual(["Cat 1 > Or", "Cat 2 > Argent", "Fosse > Debout"]);
    expect(body.participants.some((p: Body) => p.refunded)).toBe(true);
    expect(body.participants.some((p: Body) => p.deleted)).toBe(true);
    expect(body.participants.filter((p: Body) => p.category.name === "Fosse > Debout")[0].seat).toBeNull();
  });

  it("leaves out category, rate, seat and owner without full=1", async () => {
    const { sim } = await start();
    const { body } = await get(sim, "/v3/participants", { "id_event[]": "3" });
    expect(Object.keys(body.participants[0])).not.toContain("owner");
    expect(body.participants[0].barcode).toEqual(expect.any(String));
  });

  it("pages in participant order without repeats, cutting per_page to its maximum", async () => {
    const { sim } = await start({ maxPerPage: 60 });
    const auth = await token(sim);
    const first = await participantsOf(sim, { "id_event[]": "1", per_page: "1000" }, auth);
    expect(first.body.pagination).toEqual({ current_page: 1, last_page: 10, per_page: 60, total: 600 });
    const ids: number[] = [];
    for (let page = 1; page <= 10; page++) {
      const { body } = await participantsOf(
        sim,
        { "id_event[]": "1", per_page: "60", page: String(page) },
        auth,
      );
      ids.push(...body.participants.map((p: Body) => p.id_participant));
    }
    expect(ids).toHaveLength(600);
    expect(new Set(ids).size).toBe(600);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    const beyond = await participantsOf(sim, { "id_event[]": "1", per_page: "60", page: "11" }, auth);
    expect(beyond.body.participants).toEqual([]);
  });

  it("filters one date of a multi-date event with id_date", async () => {
    const { sim } = await start();
    const [, second] = sim.events()[0].dateIds;
    const { body } = await participantsOf(sim, { "id_event[]": "1", id_date: second, per_page: "1000" });
    expect(body.pagination.total).toBe(200);
    expect(body.participants.every((p: Body) => String(p.id_date) === second)).toBe(true);
  });

  it.each<{ name: string; query: Record<string, string>; status: number }>([
    { name: "no id_event[]", query: {}, status: 400 },
    { name: "an unknown event", query: { "id_event[]": "99" }, status: 404 },
    { name: "a date of another event", query: { "id_event[]": "3", id_date: "1" }, status: 404 },
    {
      name: "a last_update in another format",
      query: { "id_event[]": "3", last_update: "2026-06-15T10:00:00Z" },
      status: 400,
    },
    { name: "page 0", query: { "id_event[]": "3", page: "0" }, status: 400 },
    { name: "a per_page that is not a number", query: { "id_event[]": "3", per_page: "lots" }, status: 400 },
  ])("refuses $name with $status", async ({ query, status }) => {
    const { sim } = await start();
    const res = await participantsOf(sim, query);
    expect(res.status).toBe(status);
    expect(res.body.error).toEqual({ code: expect.any(String), message: expect.any(String) });
  });
});

describe("attendees simulator: last_update", () => {
  it("returns those updated at or after last_update, the same second included, deleted ones too", async () => {
    const { sim, clock } = await start();
    const auth = await token(sim);
    const since = (await participantsOf(sim, { "id_event[]": "3" }, auth)).body.server_time;
    expect(since).toBe("2026-06-15 10:00:00");

    // Still 10:00:00, later in the same second as the read above.
    clock.advance(500);
    const [sold] = sim.sell("3", 1);
    const changed = async (lastUpdate: string) =>
      (await participantsOf(sim, { "id_event[]": "3", last_update: lastUpdate }, auth)).body.participants.map(
        (p: Body) => p.barcode,
      );
    expect(await changed(since)).toEqual([sold]);

    clock.advance(1000);
    const refunded = sim.participants("3")[0].barcode;
    const removed = sim.participants("3")[1].barcode;
    sim.refund(refunded);
    sim.remove(removed);
    expect(await changed("2026-06-15 10:00:01")).toEqual([refunded, removed]);
    expect(await changed("2026-06-15 10:00:02")).toEqual([]);

    const { body } = await participantsOf(sim, { "id_event[]": "3", last_update: since }, auth);
    const byBarcode = new Map(body.participants.map((p: Body) => [p.barcode, p]));
    expect(body.pagination.total).toBe(3);
    expect(byBarcode.get(refunded)).toMatchObject({ refunded: true, update_date: "2026-06-15 10:00:01" });
    expect(byBarcode.get(removed)).toMatchObject({ deleted: true });
  });

  it("transfers a ticket: a new barcode naming the old one, which is deleted", async () => {
    const { sim, clock } = await start();
    const old = sim.participants("3").find((p) => !p.refunded && !p.deleted) as Body;
    clock.advance(2000);
    const fresh = sim.transfer(old.barcode);
    expect(fresh).not.toBe(old.barcode);
    const { body } = await participantsOf(sim, { "id_event[]": "3", last_update: "2026-06-15 10:00:02" });
    expect(body.participants.map((p: Body) => [p.barcode, p.deleted, p.transfered_from])).toEqual([
      [old.barcode, true, null],
      [fresh, false, old.barcode],
    ]);
    expect(body.participants[1].category).toEqual(old.category);
  });

  it("reads a last_update in the autumn's repeated hour as the earlier one (re-reads, never skips)", async () => {
    // 2026-10-25 00:30 UTC is 02:30 summer time; 01:30 UTC is 02:30 winter time.
    const { sim, clock } = await start();
    clock.set("2026-10-25T01:30:00Z");
    const [sold] = sim.sell("3", 1);
    const { body } = await participantsOf(sim, { "id_event[]": "3", last_update: "2026-10-25 02:30:00" });
    expect(body.participants.map((p: Body) => p.barcode)).toEqual([sold]);
    expect(body.participants[0].update_date).toBe("2026-10-25 02:30:00");
    expect(parseParisLocal("2026-10-25 02:30:00")?.toISOString()).toBe("2026-10-25T00:30:00.000Z");
  });
});

describe("attendees simulator: changes and data", () => {
  it("gives the same data for the same seed and clock, other data for another seed", async () => {
    const a = (await start({ seed: 7 })).sim;
    const b = (await start({ seed: 7 })).sim;
    const c = (await start({ seed: 8 })).sim;
    expect(a.participants("1")).toEqual(b.participants("1"));
    expect(a.events()).toEqual(b.events());
    expect(a.participants("1").map((p) => p.barcode)).not.toEqual(c.participants("1").map((p) => p.barcode));
    expect(a.credentials).toEqual(b.credentials);
  });

  it("generates participantsPerDate per date of each seeded event", async () => {
    const { sim } = await start({ participantsPerDate: 30 });
    for (const event of sim.events())
      expect(sim.participants(event.id)).toHaveLength(30 * event.dateIds.length);
  });

  it("sells on a given date, or on the first one", async () => {
    const { sim } = await start();
    const [, second] = sim.events()[0].dateIds;
    const onSecond = sim.sell("1", second, 2);
    const onFirst = sim.sell("1", 1);
    const all = sim.participants("1");
    expect(onSecond.map((b) => all.find((p) => p.barcode === b)?.id_date)).toEqual([
      Number(second),
      Number(second),
    ]);
    expect(all.find((p) => p.barcode === onFirst[0])?.id_date).toBe(Number(sim.events()[0].dateIds[0]));
    expect(() => sim.sell("42", 1)).toThrow(/no event 42/);
    expect(() => sim.refund("nope")).toThrow(/no participant/);
  });

  it("tick() sells some and refunds one", async () => {
    const { sim } = await start();
    const { sold, refunded } = sim.tick();
    expect(sold.length).toBeGreaterThanOrEqual(1);
    expect(refunded).toHaveLength(1);
    const all = sim.events().flatMap((e) => sim.participants(e.id));
    expect(all.find((p) => p.barcode === refunded[0])?.refunded).toBe(true);
  });

  it("ticks on its own with tickEveryMs", async () => {
    const { sim } = await start({ tickEveryMs: 20, now: undefined });
    const count = () => sim.events().reduce((n, e) => n + sim.participants(e.id).length, 0);
    const before = count();
    const deadline = Date.now() + 5000;
    while (count() === before && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    expect(count()).toBeGreaterThan(before);
  });

  it("adds an event of 100 000 tickets quickly, served page by page", async () => {
    const { sim } = await start();
    const started = Date.now();
    const { eventId, dateIds } = sim.addEvent({ tickets: 100_000 });
    expect(dateIds).toHaveLength(1);
    const auth = await token(sim);
    const last = await participantsOf(sim, { "id_event[]": eventId, per_page: "1000", page: "100" }, auth);
    expect(last.body.pagination).toEqual({
      current_page: 100,
      last_page: 100,
      per_page: 1000,
      total: 100_000,
    });
    expect(last.body.participants).toHaveLength(1000);
    // Generous for a loaded CI machine; it takes a few hundred ms.
    expect(Date.now() - started).toBeLessThan(8000);
  });
});

describe("attendees simulator: faults", () => {
  it.each([
    { fault: "error500", status: 500 },
    { fault: "unauthorized", status: 401 },
  ] as const)("$fault answers $status everywhere, auth included", async ({ fault, status }) => {
    const { sim } = await start();
    const auth = await token(sim);
    sim.setFault(fault);
    expect((await get(sim, "/v3/events", {}, auth)).status).toBe(status);
    expect((await participantsOf(sim, { "id_event[]": "3" }, auth)).status).toBe(status);
    const res = await fetch(`${sim.url}/v3/auth/access_token`, { method: "POST", body: "" });
    expect(res.status).toBe(status);
    sim.setFault(null);
    expect((await get(sim, "/v3/events", {}, auth)).status).toBe(200);
  });

  it("malformed gives a participants page that is not JSON, or (shape) JSON of another shape", async () => {
    const { sim } = await start();
    const auth = await token(sim);
    sim.setFault("malformed");
    expect((await get(sim, "/v3/events", {}, auth)).status).toBe(200);
    const bad = await participantsOf(sim, { "id_event[]": "3" }, auth);
    expect(bad.status).toBe(200);
    expect(() => JSON.parse(bad.text)).toThrow();
    sim.setFault("malformed", { malformed: "shape" });
    const odd = await participantsOf(sim, { "id_event[]": "3" }, auth);
    expect(odd.body).toBeDefined();
    expect(odd.body.participants).toBeUndefined();
  });

  it("slow delays every answer by slowMs", async () => {
    const { sim } = await start({ slowMs: 150 });
    const auth = await token(sim);
    sim.setFault("slow");
    const t0 = Date.now();
    expect((await get(sim, "/v3/events", {}, auth)).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it("timeout never answers, and close() still ends", async () => {
    const { sim } = await start();
    sim.setFault("timeout");
    const held = fetch(`${sim.url}/v3/events`, { signal: AbortSignal.timeout(300) });
    await expect(held).rejects.toThrow();
    const pending = fetch(`${sim.url}/v3/events`).then(
      () => "answered",
      () => "failed",
    );
    while (sim.requests.length < 2) await new Promise((r) => setImmediate(r));
    await sim.close();
    expect(await pending).toBe("failed");
  });
});

describe("attendees simulator: CLI", () => {
  it.each([
    { argv: [], expected: { port: 4103, seed: 1, host: "127.0.0.1", tickEveryMs: undefined } },
    {
      argv: ["--port", "0", "--seed", "5", "--tick-ms", "250"],
      expected: { port: 0, seed: 5, tickEveryMs: 250 },
    },
  ])("reads $argv", ({ argv, expected }) => {
    expect(parseCliArgs(argv)).toMatchObject(expected);
  });

  it.each([
    [["--port", "abc"], /--port/],
    [["--seed", "-1"], /--seed/],
    [["--tick-ms", ""], /--tick-ms/],
    [["--bogus"], /bogus/],
  ])("refuses %j", (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
  });

  it("prints the URL and the credentials, then serves", async () => {
    const cli = join(__dirname, "../../dist/simulator/cli.js");
    if (!existsSync(cli))
      throw new Error(`build the package first (npx tsc -b connectors/attendees): ${cli}`);
    const child = spawn(process.execPath, [cli, "--port", "0", "--seed", "3"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
      });
      const deadline = Date.now() + 10_000;
      while (!/apiKey:\s+\S+/.test(out) && Date.now() < deadline && child.exitCode === null)
        await new Promise((r) => setTimeout(r, 20));
      expect(out).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
      expect(out).toMatch(/username: billetix/);
      expect(out).toMatch(/apiKey:\s+demo-api-key-3/);
      const url = /listening on (\S+)/.exec(out)?.[1];
      const res = await fetch(`${url}/v3/events`);
      expect(res.status).toBe(401);
    } finally {
      child.kill("SIGTERM");
    }
  });
});
