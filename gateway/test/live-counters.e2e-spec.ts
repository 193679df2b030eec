import { createClient } from "graphql-ws";
import pino from "pino";
import WebSocket from "ws";
import { Performance } from "../src/catalog/performance.entity";
import { Institution } from "../src/institutions/institution.entity";
import { type Gateway, startGateway } from "../src/server";
import { FIXTURE_PASSWORD, Fixtures } from "./support/fixtures";
import { GraphqlClient } from "./support/graphql-client";
import { startTestGateway, type TestGateway } from "./support/test-gateway";

/**
 * Two gateways on one database: a scan recorded through one reaches a subscriber of the other; a
 * session ended through one is refused by the other, though it remembered it.
 */
let t: TestGateway;
let second: Gateway;
let performance: Performance;

beforeAll(async () => {
  t = await startTestGateway();
  const config = t.gateway.deps.config;
  second = await startGateway({
    config: { ...config, port: 0 },
    log: pino({ level: "silent" }),
    jobs: "inline",
  });
  const f = new Fixtures(t);
  const A = await f.institution("A");
  await f.login("porte", A, { member: { scanner: true } });
  await f.login("direction", A, { member: { backoffice: true } });
  performance = await f.performance(A, [{ barcode: "L1" }, { barcode: "L2" }, { barcode: "L3" }], {
    hours: 1,
  });
  // Counters as an import leaves them: three valid tickets.
  await t.gateway.orm.em
    .fork()
    .nativeUpdate(
      Performance,
      { _id: performance._id },
      { counters: { ...performance.counters, validCount: 3, ticketCount: 3 } },
    );
});
afterAll(async () => {
  await second?.stop();
  await t?.stop();
});

it("a dashboard on gateway 2 sees the counters move when a door scans through gateway 1", async () => {
  const watcher = new GraphqlClient(second.url);
  await watcher.login("direction", FIXTURE_PASSWORD);
  const door = await t.login("porte", FIXTURE_PASSWORD);

  const ws = createClient({
    url: second.url.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${watcher.token}` },
    retryAttempts: 0,
  });
  const updates = ws.iterate<{
    performanceCounters: { admittedCount: number; refusedCount: number; gaugePercent: number };
  }>({
    query: `subscription { performanceCounters(performanceId: "${performance.id}") { admittedCount refusedCount gaugePercent revision } }`,
  });
  const first = await updates.next();
  expect(first.value.data?.performanceCounters).toMatchObject({ admittedCount: 0, gaugePercent: 0 });

  await door.request(
    `mutation { checkTicket(performanceId: "${performance.id}", barcode: "L1") { accepted } }`,
  );
  let seen = (await updates.next()).value.data?.performanceCounters;
  while (seen && seen.admittedCount < 1) seen = (await updates.next()).value.data?.performanceCounters;
  expect(seen).toMatchObject({ admittedCount: 1, gaugePercent: 33 });

  await door.request(
    `mutation { checkTicket(performanceId: "${performance.id}", barcode: "L1") { accepted } }`,
  );
  seen = (await updates.next()).value.data?.performanceCounters;
  while (seen && seen.refusedCount < 1) seen = (await updates.next()).value.data?.performanceCounters;
  expect(seen).toMatchObject({ admittedCount: 1, refusedCount: 1 });
  await updates.return?.();
  await ws.dispose();
});

it("a door on gateway 2 learns of the scans made through gateway 1", async () => {
  const f = new Fixtures(t);
  const A = await t.gateway.orm.em.fork().findOneOrFail(Institution, { _id: performance.institutionId });
  await f.login("porte-2", A, { member: { scanner: true } });
  const spares = Array.from({ length: 40 }, (_, i) => ({ barcode: `S${i}` }));
  const live = await f.performance(A, spares);
  const door1 = await t.login("porte", FIXTURE_PASSWORD);
  const door2 = new GraphqlClient(second.url);
  await door2.login("porte-2", FIXTURE_PASSWORD);
  const ws = createClient({
    url: second.url.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${door2.token}` },
    retryAttempts: 0,
  });
  const changes = ws.iterate<{ ticketChanges: { barcode: string; passes: number; revision: number } }>({
    query: `subscription { ticketChanges(performanceIds: ["${live.id}"]) { barcode passes revision } }`,
  });
  const first = changes.next();
  let arrived = false;
  void first.then(() => {
    arrived = true;
  });
  // The subscription goes live asynchronously: admit one ticket after another until a change arrives.
  const admitted: string[] = [];
  for (const { barcode } of spares) {
    if (arrived) break;
    const { checkTicket } = await door1.request(
      `mutation { checkTicket(performanceId: "${live.id}", barcode: "${barcode}") { accepted } }`,
    );
    expect(checkTicket.accepted).toBe(true);
    admitted.push(barcode);
  }
  const result = await first;
  const change = result.value?.data?.ticketChanges;
  expect(admitted).toContain(change?.barcode);
  expect(change).toMatchObject({ passes: 1 });
  await changes.return?.();
  await ws.dispose();
});

it("a dashboard keeps its counters while others come and go (the stream follows the subscribed performances)", async () => {
  const f = new Fixtures(t);
  const A = await t.gateway.orm.em.fork().findOneOrFail(Institution, { _id: performance.institutionId });
  const [p1, p2] = [
    await f.performance(A, [{ barcode: "M1" }, { barcode: "M2" }]),
    await f.performance(A, [{ barcode: "N1" }]),
  ];
  const watcher = new GraphqlClient(second.url);
  await watcher.login("direction", FIXTURE_PASSWORD);
  const door = await t.login("porte", FIXTURE_PASSWORD);
  const ws = createClient({
    url: second.url.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${watcher.token}` },
    retryAttempts: 0,
  });
  type Counters = { performanceCounters: { performanceId: string; admittedCount: number } };
  const subscribe = (p: Performance) =>
    ws.iterate<Counters>({
      query: `subscription { performanceCounters(performanceId: "${p.id}") { performanceId admittedCount } }`,
    });
  const untilAdmitted = async (updates: AsyncIterableIterator<{ data?: Counters | null }>, n: number) => {
    for (;;) {
      const seen = (await updates.next()).value?.data?.performanceCounters;
      if (!seen || seen.admittedCount >= n) return seen;
    }
  };
  const check = (p: Performance, barcode: string) =>
    door.request(`mutation { checkTicket(performanceId: "${p.id}", barcode: "${barcode}") { accepted } }`);

  const first = subscribe(p1);
  expect((await first.next()).value.data?.performanceCounters.admittedCount).toBe(0);
  // A second dashboard arrives (the stream reopens to cover p2) while p1 is being scanned.
  const scanning = check(p1, "M1");
  const second2 = subscribe(p2);
  expect((await second2.next()).value.data?.performanceCounters.performanceId).toBe(p2.id);
  await scanning;
  expect(await untilAdmitted(first, 1)).toMatchObject({ performanceId: p1.id, admittedCount: 1 });
  await check(p2, "N1");
  expect(await untilAdmitted(second2, 1)).toMatchObject({ performanceId: p2.id, admittedCount: 1 });
  // The first leaves; the other still hears its performance.
  await first.return?.();
  await check(p1, "M2");
  await check(p2, "N1");
  const refusals = (await second2.next()).value.data?.performanceCounters;
  expect(refusals).toMatchObject({ performanceId: p2.id, admittedCount: 1 });
  await second2.return?.();
  await ws.dispose();
});

it("another branch cannot subscribe", async () => {
  const f = new Fixtures(t);
  const B = await f.institution("B");
  await f.login("autre", B, { member: { scanner: true, backoffice: true } });
  const other = await t.login("autre", FIXTURE_PASSWORD);
  const ws = createClient({
    url: t.url.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${other.token}` },
    retryAttempts: 0,
  });
  const updates = ws.iterate({
    query: `subscription { performanceCounters(performanceId: "${performance.id}") { admittedCount } }`,
  });
  const first = await updates.next();
  expect((first.value as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe(
    "FORBIDDEN",
  );
  await ws.dispose();
});

it("a login disabled through gateway 1 is refused by gateway 2 within moments, though gateway 2 remembered its session", async () => {
  const f = new Fixtures(t);
  const A = await t.gateway.orm.em.fork().findOneOrFail(Institution, { _id: performance.institutionId });
  const door = await f.login("porte-remembered", A, { member: { scanner: true } });
  const onSecond = new GraphqlClient(second.url);
  await onSecond.login("porte-remembered", FIXTURE_PASSWORD);
  const me = "{ me { login { username } } }";
  for (let i = 0; i < 3; i++) expect((await onSecond.request(me)).me.login.username).toBe("porte-remembered");

  const root = await t.asRoot();
  await root.request(`mutation { setLoginDisabled(loginId: "${door.id}", disabled: true) { id } }`);
  const deadline = Date.now() + 2_000;
  let seen: unknown = "not asked";
  while (Date.now() < deadline) {
    seen = (await onSecond.raw<{ me: unknown }>(me)).data?.me;
    if (seen === null) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  // Anonymous again: `me` is null.
  expect(seen).toBeNull();
});
