import { request } from "node:http";
import { afterEach, describe, expect, it } from "@jest/globals";
import {
  FaultSwitch,
  integerParam,
  mixSeed,
  RequestLog,
  SeededRandom,
  type SimulatorServer,
  sendJson,
  sendJsonText,
  startSimulatorServer,
} from "./index";

describe("SeededRandom", () => {
  it("draws the same stream as the simulators always did for a seed", () => {
    expect(mixSeed(7, 3)).toBe(1079468462);
    const random = new SeededRandom(mixSeed(7, 3));
    expect([random.next(), random.int(1, 6), random.hex(8)]).toEqual([0.37117360113188624, 2, "b4abf18b"]);
    const other = new SeededRandom(42);
    expect(other.text(10)).toBe("vq5xfsiv5r");
    expect(other.shuffle([1, 2, 3, 4, 5])).toEqual([5, 1, 3, 4, 2]);
  });

  it("stays in its ranges", () => {
    const random = new SeededRandom(1);
    for (let i = 0; i < 200; i++) {
      const n = random.next();
      expect(n >= 0 && n < 1).toBe(true);
      expect([1, 2, 3]).toContain(random.int(1, 3));
      expect(["a", "b"]).toContain(random.pick(["a", "b"]));
    }
    expect(random.text(5, "x")).toBe("xxxxx");
    expect(random.chance(0)).toBe(false);
    expect(random.chance(1)).toBe(true);
  });
});

describe("integerParam", () => {
  it.each([
    ["?page=2", 2],
    ["", 1],
    ["?page=", 1],
    ["?page=-1", undefined],
    ["?page=1.5", undefined],
    ["?page=abc", undefined],
    ["?page=1234567890", undefined],
  ])("reads %j as %p", (search, expected) => {
    expect(integerParam(new URL(`http://x/${search}`), "page", 1)).toBe(expected);
  });
});

describe("RequestLog", () => {
  it("keeps the last requests, oldest first, in a live list", () => {
    const log = new RequestLog<number>(3);
    const { entries } = log;
    for (let i = 1; i <= 5; i++) log.add(i);
    expect(entries).toEqual([3, 4, 5]);
    expect(new RequestLog().size).toBe(1000);
  });
});

describe("a simulator's server and faults", () => {
  let sim: SimulatorServer | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  /** Status and body of a GET, or the error that ended it. */
  const get = (url: string) =>
    new Promise<{ status?: number; type?: string; length?: string; body: string }>((resolve, reject) => {
      request(url, (res) => {
        let body = "";
        res.on("data", (chunk) => {
          body += chunk;
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode,
            type: res.headers["content-type"],
            length: res.headers["content-length"],
            body,
          }),
        );
        res.on("error", reject);
      })
        .on("error", reject)
        .end();
    });

  it("answers JSON with its type and length, on a free port of 127.0.0.1", async () => {
    sim = await startSimulatorServer((req, res) =>
      req.url === "/text" ? sendJsonText(res, 200, '{"é":') : sendJson(res, 201, { é: 1 }),
    );
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await expect(get(`${sim.url}/`)).resolves.toEqual({
      status: 201,
      type: "application/json; charset=utf-8",
      length: "8",
      body: '{"é":1}',
    });
    await expect(get(`${sim.url}/text`)).resolves.toMatchObject({ status: 200, length: "6", body: '{"é":' });
  });

  it("refuses to start on a port already taken", async () => {
    sim = await startSimulatorServer((_req, res) => sendJson(res, 200, {}));
    const port = Number(new URL(sim.url).port);
    await expect(startSimulatorServer(() => {}, { port })).rejects.toMatchObject({ code: "EADDRINUSE" });
  });

  it("holds requests under timeout and delays them under slow, until close() drops them", async () => {
    const faults = new FaultSwitch<{ slowMs?: number }>();
    let received = 0;
    let onClose = 0;
    sim = await startSimulatorServer(
      async (_req, res) => {
        received++;
        if (await faults.admit(60_000)) sendJson(res, 200, { fault: faults.fault });
      },
      {
        onClose: () => {
          onClose++;
          faults.clear();
        },
      },
    );
    const url = sim.url;
    await expect(get(url)).resolves.toMatchObject({ status: 200, body: '{"fault":null}' });
    faults.set("slow", { slowMs: 50 });
    const started = performance.now();
    await expect(get(url)).resolves.toMatchObject({ body: '{"fault":"slow"}' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    faults.set("slow");
    const outcome = (pending: Promise<unknown>) =>
      pending.then(
        () => "answered",
        () => "dropped",
      );
    const slow = outcome(get(url));
    faults.set("timeout");
    const held = outcome(get(url));
    while (received < 4) await new Promise((resolve) => setImmediate(resolve));
    const closing = sim.close();
    expect(sim.close()).toBe(closing);
    await closing;
    await expect(held).resolves.toBe("dropped");
    await expect(slow).resolves.toBe("dropped");
    expect(onClose).toBe(1);
    sim = undefined;
  });
});
