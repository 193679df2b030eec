import { once } from "node:events";
import { MongoBackend } from "@agendajs/mongo-backend";
import { Agenda, type AgendaOptions, constant, type JobWithId } from "agenda";
import { type Db, type Document, ObjectId } from "mongodb";
import { startTestServer, TEST_CLIENT_OPTIONS, type TestServer } from "./support";
import { waitFor, withTimeout } from "./support-process";

/** Agenda 6 + @agendajs/mongo-backend 4 (polling, findOneAndUpdate locking) on the embedded server. */

const EVENT_TIMEOUT_MS = 10_000;

let env: TestServer;
let db: Db;
const started: Agenda[] = [];
/** Agenda's `error` events (an expired lock, a failed lock query): none is expected. */
const errors: Error[] = [];
/** Instances being drained: their own client closing under an in-flight poll is Agenda's teardown, not ours. */
const draining = new Set<Agenda>();

function makeAgenda(collection: string, options: Partial<AgendaOptions> = {}, viaAddress = false): Agenda {
  const backend = viaAddress
    ? new MongoBackend({
        address: `${env.uri}/agenda`,
        options: TEST_CLIENT_OPTIONS,
        collection,
        ensureIndex: true,
      })
    : new MongoBackend({ mongo: db, collection, ensureIndex: true });
  // Agenda starts a lockLifetime/2 timer for every job it runs and never clears it (10 min by
  // default, which keeps a process alive for 5 min): a short lock lifetime lets Jest exit.
  const agenda = new Agenda({ backend, processEvery: 50, defaultLockLifetime: 2_000, ...options });
  agenda.on("error", (err: Error) => {
    if (!(draining.has(agenda) && /client was closed/.test(err.message))) errors.push(err);
  });
  return agenda;
}

async function start(agenda: Agenda): Promise<Agenda> {
  started.push(agenda);
  await agenda.start();
  return agenda;
}

/** The next `event` from `agenda` (bounded). */
async function nextEvent(agenda: Agenda, event: string): Promise<JobWithId> {
  const [job] = (await once(agenda, event, { signal: AbortSignal.timeout(EVENT_TIMEOUT_MS) })) as [JobWithId];
  return job;
}

/** A promise with its resolver exposed (a gate a job handler waits on). */
function gate(): { open: () => void; opened: Promise<void> } {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open: () => open(), opened };
}

function jobDoc(collection: string, id: unknown): Promise<Document | null> {
  return db.collection(collection).findOne({ _id: new ObjectId(String(id)) });
}

beforeAll(async () => {
  env = await startTestServer();
  db = env.client.db("agenda");
});

afterEach(() => {
  expect(errors.splice(0).map((err) => err.message)).toEqual([]);
});

afterAll(async () => {
  await Promise.allSettled(started.map((agenda) => agenda.stop()));
  await env?.stop();
});

describe("scheduling", () => {
  it("now(): the handler runs once with its data, the job is unlocked and finished", async () => {
    const agenda = await start(makeAgenda("jobs_now"));
    const seen: unknown[] = [];
    agenda.define<{ order: string }>("send-receipt", async (job) => {
      seen.push(job.attrs.data);
    });
    const done = nextEvent(agenda, "complete:send-receipt");
    const job = await agenda.now("send-receipt", { order: "A-1" });
    const completed = await done;
    expect(String(completed.attrs._id)).toBe(String(job.attrs._id));
    expect(seen).toEqual([{ order: "A-1" }]);
    const doc = await jobDoc("jobs_now", job.attrs._id);
    expect(doc).toMatchObject({
      name: "send-receipt",
      type: "normal",
      data: { order: "A-1" },
      lockedAt: null,
      nextRunAt: null,
      failCount: null,
      failReason: null,
      lastRunAt: expect.any(Date),
      lastFinishedAt: expect.any(Date),
    });
    expect(+(doc?.lastFinishedAt as Date)).toBeGreaterThanOrEqual(+(doc?.lastRunAt as Date));
    expect(await db.collection("jobs_now").countDocuments()).toBe(1);
  });

  it("schedule('in 1 second') runs no earlier than its nextRunAt", async () => {
    const agenda = await start(makeAgenda("jobs_later"));
    const ranAt: number[] = [];
    agenda.define("reminder", async () => {
      ranAt.push(Date.now());
    });
    const before = Date.now();
    const done = nextEvent(agenda, "complete:reminder");
    const job = await agenda.schedule("in 1 second", "reminder", { ticket: "T-9" });
    const after = Date.now();
    const nextRunAt = (job.attrs.nextRunAt as Date).getTime();
    expect(nextRunAt).toBeGreaterThanOrEqual(before + 1_000);
    expect(nextRunAt).toBeLessThanOrEqual(after + 1_000);
    expect(await jobDoc("jobs_later", job.attrs._id)).toMatchObject({
      nextRunAt: new Date(nextRunAt),
      lockedAt: null,
    });
    await done;
    expect(ranAt).toHaveLength(1);
    expect(ranAt[0]).toBeGreaterThanOrEqual(nextRunAt);
    expect(await jobDoc("jobs_later", job.attrs._id)).toMatchObject({ nextRunAt: null, lockedAt: null });
  });

  it("every(): one 'single' job that runs repeatedly and is rescheduled", async () => {
    const agenda = await start(makeAgenda("jobs_every"));
    let runs = 0;
    agenda.define("sync-scanners", async () => {
      runs++;
    });
    const twice = new Promise<void>((resolve) => {
      agenda.on("complete:sync-scanners", () => {
        if (runs === 2) resolve();
      });
    });
    await agenda.every("1 second", "sync-scanners");
    await agenda.every("1 second", "sync-scanners"); // idempotent: still one job
    await withTimeout(twice, EVENT_TIMEOUT_MS, "two runs of the repeating job");
    const docs = await db.collection("jobs_every").find({ name: "sync-scanners" }).toArray();
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({
      type: "single",
      repeatInterval: "1 second",
      lastRunAt: expect.any(Date),
    });
    // Rescheduled into the future after its last run.
    const doc = await waitFor(async () => {
      const d = await db.collection("jobs_every").findOne({ name: "sync-scanners" });
      return d && d.lockedAt === null ? d : undefined;
    }, "the repeating job to be unlocked");
    expect(+(doc.nextRunAt as Date)).toBeGreaterThan(+(doc.lastRunAt as Date));
  });

  it("unique(): one job per unique key, insertOnly keeps the first", async () => {
    const agenda = makeAgenda("jobs_unique");
    await agenda.ready;
    for (const holder of ["first", "second"]) {
      await agenda
        .create("export-venue", { venue: "V1", holder })
        .unique({ "data.venue": "V1" })
        .schedule("in 10 minutes")
        .save();
    }
    await agenda
      .create("export-venue", { venue: "V2", holder: "first" })
      .unique({ "data.venue": "V2" }, { insertOnly: true })
      .schedule("in 10 minutes")
      .save();
    await agenda
      .create("export-venue", { venue: "V2", holder: "second" })
      .unique({ "data.venue": "V2" }, { insertOnly: true })
      .schedule("in 10 minutes")
      .save();
    const docs = await db
      .collection("jobs_unique")
      .find({}, { projection: { _id: 0, name: 1, data: 1 }, sort: { "data.venue": 1 } })
      .toArray();
    expect(docs).toEqual([
      { name: "export-venue", data: { venue: "V1", holder: "second" } },
      { name: "export-venue", data: { venue: "V2", holder: "first" } },
    ]);
  });

  it("a failing job records failReason, failCount and failedAt, across its retries", async () => {
    const agenda = await start(makeAgenda("jobs_fail"));
    let attempts = 0;
    agenda.define(
      "flaky-export",
      async () => {
        attempts++;
        throw new Error(`printer offline (attempt ${attempts})`);
      },
      { backoff: constant({ delay: 10, maxRetries: 2 }) },
    );
    const failed = once(agenda, "fail:flaky-export", { signal: AbortSignal.timeout(EVENT_TIMEOUT_MS) });
    const exhausted = once(agenda, "retry exhausted:flaky-export", {
      signal: AbortSignal.timeout(EVENT_TIMEOUT_MS),
    });
    let completions = 0;
    const thirdCompletion = new Promise<void>((resolve) => {
      agenda.on("complete:flaky-export", () => {
        if (++completions === 3) resolve();
      });
    });
    const job = await agenda.now("flaky-export");
    const [firstError] = (await failed) as [Error];
    expect(firstError.message).toBe("printer offline (attempt 1)");
    await exhausted;
    await withTimeout(thirdCompletion, EVENT_TIMEOUT_MS, "the third completion");
    expect(attempts).toBe(3);
    expect(await jobDoc("jobs_fail", job.attrs._id)).toMatchObject({
      failReason: "printer offline (attempt 3)",
      failCount: 3,
      failedAt: expect.any(Date),
      lockedAt: null,
    });
    expect(await db.collection("jobs_fail").countDocuments()).toBe(1);
  });
});

describe("several workers", () => {
  it("two Agenda instances on one collection run each of 50 jobs exactly once", async () => {
    const runs = new Map<string, string[]>();
    const running = { a: 0, b: 0 };
    // Handlers hold their job until both instances have one running: both must take part.
    const both = gate();
    const define = (agenda: Agenda, worker: "a" | "b") =>
      agenda.define<{ n: number }>("scan-batch", async (job) => {
        const id = String(job.attrs._id);
        runs.set(id, [...(runs.get(id) ?? []), worker]);
        running[worker]++;
        if (running.a > 0 && running.b > 0) both.open();
        await withTimeout(both.opened, EVENT_TIMEOUT_MS, "the other instance to start a job");
      });
    const options = { defaultConcurrency: 5, lockLimit: 10, defaultLockLimit: 10 };
    const a = makeAgenda("jobs_shared", options);
    const b = makeAgenda("jobs_shared", options, true);
    define(a, "a");
    define(b, "b");
    await a.ready;
    const ids: string[] = [];
    for (let n = 0; n < 50; n++) ids.push(String((await a.create("scan-batch", { n }).save()).attrs._id));
    let completed = 0;
    const all = new Promise<void>((resolve) => {
      const onComplete = () => {
        if (++completed === 50) resolve();
      };
      a.on("complete:scan-batch", onComplete);
      b.on("complete:scan-batch", onComplete);
    });
    await Promise.all([start(a), start(b)]);
    await withTimeout(all, 30_000, "50 completions");
    draining.add(a).add(b);
    await Promise.all([a.drain(5_000), b.drain(5_000)]);

    expect([...runs.keys()].sort()).toEqual([...ids].sort());
    expect([...runs.values()].filter((workers) => workers.length !== 1)).toEqual([]);
    expect(running.a).toBeGreaterThan(0);
    expect(running.b).toBeGreaterThan(0);
    expect(running.a + running.b).toBe(50);
    expect(completed).toBe(50);
    expect(
      await db
        .collection("jobs_shared")
        .countDocuments({ lockedAt: null, lastFinishedAt: { $type: "date" } }),
    ).toBe(50);
  });

  it("stop() releases the locks of jobs it holds but has not started", async () => {
    const release = gate();
    const runs: string[] = [];
    const define = (agenda: Agenda) =>
      agenda.define(
        "long-report",
        async (job) => {
          runs.push(String(job.attrs._id));
          await release.opened;
        },
        { concurrency: 1 },
      );
    const first = makeAgenda("jobs_stop");
    define(first);
    await first.ready;
    const ids: string[] = [];
    for (let n = 0; n < 3; n++) ids.push(String((await first.create("long-report", { n }).save()).attrs._id));
    try {
      const startedJob = nextEvent(first, "start:long-report");
      await start(first);
      const running = String((await startedJob).attrs._id);
      // The other two are locked by `first` too, waiting for its single slot.
      await waitFor(async () => {
        const locked = await db.collection("jobs_stop").countDocuments({ lockedAt: { $type: "date" } });
        return locked === 3 ? locked : undefined;
      }, "all three jobs to be locked");
      await first.stop();
      const docs = await db
        .collection("jobs_stop")
        .find({}, { projection: { lockedAt: 1 } })
        .toArray();
      expect(
        Object.fromEntries(
          docs.map((doc) => [String(doc._id), doc.lockedAt instanceof Date ? "locked" : doc.lockedAt]),
        ),
      ).toEqual(Object.fromEntries(ids.map((id) => [id, id === running ? "locked" : undefined])));
      // Another instance can take the released jobs at once.
      const second = makeAgenda("jobs_stop");
      define(second);
      let done = 0;
      const bothDone = new Promise<void>((resolve) => {
        second.on("complete:long-report", () => {
          if (++done === 2) resolve();
        });
      });
      const secondStarted = nextEvent(second, "start:long-report");
      await start(second);
      await secondStarted;
      release.open();
      await withTimeout(bothDone, EVENT_TIMEOUT_MS, "the released jobs to run elsewhere");
      expect([...runs].sort()).toEqual([...ids].sort());
    } finally {
      release.open();
    }
  });
});
