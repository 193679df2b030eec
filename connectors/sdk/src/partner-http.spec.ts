import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { requestTuningFields } from "./config-schema";
import { ConnectorError } from "./connector-error";
import { fetchJson, requestTuning } from "./partner-http";

interface Received {
  method?: string;
  url?: string;
  headers: IncomingMessage["headers"];
  body: string;
  at: number;
}

/** A partner whose answer each test scripts: `answer(res, n)` for the n-th request (0-based). */
let answer: (res: ServerResponse, n: number) => void;
let received: Received[] = [];
let server: Server;
let base: string;

// A server per test: a new port is a new connection pool, so a socket a test left dead (aborted,
// then destroyed by closeAllConnections) is never handed to the next test's first attempt.
beforeEach(async () => {
  received = [];
  server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    received.push({ method: req.method, url: req.url, headers: req.headers, body, at: performance.now() });
    answer(res, received.length - 1);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  // Ends the requests a test left unanswered on purpose.
  server.closeAllConnections();
  server.close();
  await once(server, "close");
});

const json = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
const never = () => {};
const fast = { backoffMs: 5, timeoutMs: 2000 };

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

async function rejection(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

describe("fetchJson", () => {
  it("returns the parsed JSON, asking for JSON with the caller's headers", async () => {
    answer = (res) => json(res, 200, { tickets: [{ code: "A1" }] });
    await expect(fetchJson(`${base}/tickets`, { headers: { authorization: "Bearer t" } })).resolves.toEqual({
      tickets: [{ code: "A1" }],
    });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      method: "GET",
      url: "/tickets",
      headers: { accept: "application/json", authorization: "Bearer t" },
    });
  });

  it("POSTs a JSON body", async () => {
    answer = (res) => json(res, 200, { ok: true });
    await fetchJson(`${base}/login`, { method: "POST", body: { user: "u", password: "p" } });
    expect(received[0]).toMatchObject({ method: "POST", headers: { "content-type": "application/json" } });
    expect(JSON.parse(received[0]?.body ?? "")).toEqual({ user: "u", password: "p" });
  });

  it("POSTs a form body, url-encoded, and reads the JSON answer", async () => {
    answer = (res) => json(res, 200, { access_token: "t" });
    await expect(
      fetchJson(`${base}/auth`, {
        method: "POST",
        form: { username: "jean dupont", password: "p&ss=1é" },
        headers: { "x-trace": "1" },
      }),
    ).resolves.toEqual({ access_token: "t" });
    expect(received[0]).toMatchObject({
      method: "POST",
      url: "/auth",
      headers: {
        accept: "application/json",
        "content-type": "application/x-www-form-urlencoded",
        "x-trace": "1",
      },
    });
    expect(received[0]?.body).toBe("username=jean+dupont&password=p%26ss%3D1%C3%A9");
    expect(Object.fromEntries(new URLSearchParams(received[0]?.body))).toEqual({
      username: "jean dupont",
      password: "p&ss=1é",
    });
  });

  it("sends the same form again on each retry", async () => {
    answer = (res, n) => (n === 0 ? json(res, 503, {}) : json(res, 200, { ok: true }));
    await expect(fetchJson(`${base}/auth`, { ...fast, method: "POST", form: { a: "1" } })).resolves.toEqual({
      ok: true,
    });
    expect(received.map((r) => r.body)).toEqual(["a=1", "a=1"]);
  });

  it.each([
    { status: 401, code: "unauthorized" },
    { status: 404, code: "not-found" },
    { status: 400, code: "bad-response" },
  ])("maps HTTP $status to $code for a form POST as for any call", async ({ status, code }) => {
    answer = (res) => json(res, status, {});
    const error = await rejection(fetchJson(`${base}/auth`, { ...fast, method: "POST", form: { a: "1" } }));
    expect(error).toMatchObject({ code, details: { status } });
    expect(received).toHaveLength(1);
  });

  it("sends no content type without a body", async () => {
    answer = (res) => json(res, 200, {});
    await fetchJson(`${base}/x`);
    expect(received[0]?.headers["content-type"]).toBeUndefined();
    expect(received[0]?.body).toBe("");
  });

  it.each([500, 502, 503, 429])("retries after HTTP %i, then succeeds", async (status) => {
    answer = (res, n) => (n === 0 ? json(res, status, { error: "later" }) : json(res, 200, { ok: n }));
    await expect(fetchJson(`${base}/x`, fast)).resolves.toEqual({ ok: 1 });
    expect(received).toHaveLength(2);
  });

  it("gives up with unavailable once the retries are spent, saying the status", async () => {
    answer = (res) => json(res, 503, {});
    const error = await rejection(fetchJson(`${base}/x`, { ...fast, retries: 2 }));
    expect(error).toMatchObject({ code: "unavailable", details: { status: 503 } });
    expect(error.message).toBe(`Le service ${new URL(base).host} est en erreur (HTTP 503).`);
    expect(error.retryable).toBe(true);
    expect(received).toHaveLength(3);
  });

  it.each([
    { status: 401, code: "unauthorized", message: /refuse les identifiants de la source \(HTTP 401\)/ },
    { status: 403, code: "unauthorized", message: /refuse les identifiants de la source \(HTTP 403\)/ },
    { status: 404, code: "not-found", message: /ne connaît pas l'élément demandé \(HTTP 404\)/ },
    { status: 400, code: "bad-response", message: /a refusé la demande \(HTTP 400\)/ },
    { status: 422, code: "bad-response", message: /a refusé la demande \(HTTP 422\)/ },
  ])("takes HTTP $status for $code, without retrying", async ({ status, code, message }) => {
    answer = (res) => json(res, status, { error: "no" });
    const error = await rejection(fetchJson(`${base}/x`, fast));
    expect(error).toMatchObject({ code, details: { status } });
    expect(error.message).toMatch(message);
    expect(error.retryable).toBe(false);
    expect(received).toHaveLength(1);
  });

  it.each([
    { body: "<html>maintenance</html>", what: "HTML" },
    { body: '{"tickets": [', what: "truncated JSON" },
    { body: "", what: "an empty body" },
  ])("takes $what for bad-response, without retrying", async ({ body }) => {
    answer = (res) => res.writeHead(200, { "content-type": "application/json" }).end(body);
    const error = await rejection(fetchJson(`${base}/x`, fast));
    expect(error.code).toBe("bad-response");
    expect(error.message).toMatch(/réponse illisible \(JSON invalide\)/);
    expect(received).toHaveLength(1);
  });

  it("gives up with unavailable after a timeout on every attempt", async () => {
    answer = never;
    const started = performance.now();
    const error = await rejection(fetchJson(`${base}/x`, { timeoutMs: 100, retries: 2, backoffMs: 5 }));
    expect(error.code).toBe("unavailable");
    expect(error.message).toBe(`Le service ${new URL(base).host} n'a pas répondu en 100 ms.`);
    expect(received).toHaveLength(3);
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
  });

  it("retries a response cut in the middle of its body", async () => {
    answer = (res, n) => {
      if (n > 0) return json(res, 200, { ok: true });
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      res.write('{"tickets": [');
      setImmediate(() => res.socket?.destroy());
    };
    await expect(fetchJson(`${base}/x`, fast)).resolves.toEqual({ ok: true });
    expect(received).toHaveLength(2);
  });

  it("says when the body is too slow to come", async () => {
    answer = (res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"tickets": [');
    };
    const error = await rejection(fetchJson(`${base}/x`, { timeoutMs: 100, retries: 0 }));
    expect(error).toMatchObject({ code: "unavailable" });
    expect(error.message).toMatch(/est trop lent \(réponse incomplète après 100 ms\)/);
  });

  it("says which system error made the partner unreachable", async () => {
    const closed = createServer();
    closed.listen(0, "127.0.0.1");
    await once(closed, "listening");
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, "close");
    const error = await rejection(fetchJson(`http://127.0.0.1:${port}/x`, { ...fast, retries: 1 }));
    expect(error.code).toBe("unavailable");
    expect(error.message).toBe(`Le service 127.0.0.1:${port} est injoignable (ECONNREFUSED).`);
  });

  it("refuses an address that is not a URL with bad-config, without echoing it", async () => {
    const error = await rejection(fetchJson("partner.example/tickets?key=s3cr3t"));
    expect(error.code).toBe("bad-config");
    expect(error.message).not.toContain("s3cr3t");
  });

  it("waits its back-off, doubled at each attempt", async () => {
    answer = (res, n) => (n < 2 ? json(res, 500, {}) : json(res, 200, { ok: true }));
    await fetchJson(`${base}/x`, { backoffMs: 100, retries: 2 });
    const [first, second, third] = received.map((r) => r.at) as [number, number, number];
    // The jitter is ±25 %: 75–125 ms, then 150–250 ms, plus the request's own time.
    expect(second - first).toBeGreaterThanOrEqual(74);
    expect(third - second).toBeGreaterThanOrEqual(149);
    expect(second - first).toBeLessThan(1000);
  });

  describe("aborted by its signal", () => {
    const reason = new Error("sync stopped");

    it("rethrows the reason promptly while waiting for the answer", async () => {
      answer = never;
      const controller = new AbortController();
      const pending = fetchJson(`${base}/x`, { signal: controller.signal, timeoutMs: 10_000 });
      await waitFor(() => received.length === 1);
      const aborted = performance.now();
      controller.abort(reason);
      await expect(pending).rejects.toBe(reason);
      expect(performance.now() - aborted).toBeLessThan(500);
    });

    it("rethrows the reason promptly while reading the body", async () => {
      answer = (res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.write("[");
      };
      const controller = new AbortController();
      const pending = fetchJson(`${base}/x`, { signal: controller.signal, timeoutMs: 10_000 });
      await waitFor(() => received.length === 1);
      controller.abort(reason);
      await expect(pending).rejects.toBe(reason);
    });

    it("rethrows the reason promptly during a back-off", async () => {
      answer = (res) => json(res, 500, {});
      const controller = new AbortController();
      const pending = fetchJson(`${base}/x`, { signal: controller.signal, backoffMs: 10_000 });
      await waitFor(() => received.length === 1);
      const aborted = performance.now();
      controller.abort(reason);
      await expect(pending).rejects.toBe(reason);
      expect(performance.now() - aborted).toBeLessThan(500);
      expect(received).toHaveLength(1);
    });

    it("makes no request when already aborted", async () => {
      answer = (res) => json(res, 200, {});
      await expect(fetchJson(`${base}/x`, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
      expect(received).toHaveLength(0);
    });
  });
});

describe("requestTuning", () => {
  it("turns the tuning fields into fetchJson options, with their defaults", () => {
    expect(requestTuning({ timeoutSeconds: 2, retries: 0 })).toEqual({ timeoutMs: 2000, retries: 0 });
    expect(requestTuning({})).toEqual({ timeoutMs: 15_000, retries: 3 });
  });

  it("matches the defaults of the fields themselves", () => {
    const defaults = Object.fromEntries(requestTuningFields.map((f) => [f.key, f.default]));
    expect(defaults).toEqual({ timeoutSeconds: 15, retries: 3 });
    expect(requestTuning(defaults)).toEqual(requestTuning({}));
  });
});
