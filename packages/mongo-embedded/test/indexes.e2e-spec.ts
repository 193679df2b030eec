import type { Db, Document } from "mongodb";
import { caught, startTestServer, type TestDoc, type TestServer } from "./support";

let env: TestServer;
let db: Db;

beforeAll(async () => {
  env = await startTestServer();
  db = env.client.db("indexes");
});

afterAll(async () => {
  await env?.stop();
});

const dupMessage = (coll: string, index: string, key: string) =>
  `E11000 duplicate key error collection: indexes.${coll} index: ${index} dup key: { ${key} }`;

describe("creating, listing and dropping", () => {
  it("listIndexes shows _id_ and every created index with its options", async () => {
    const coll = db.collection<TestDoc>("listed");
    expect(await coll.createIndex({ email: 1 }, { unique: true })).toBe("email_1");
    expect(await coll.createIndex({ a: 1, b: -1 }, { name: "a_b", sparse: true })).toBe("a_b");
    expect(await coll.createIndex({ at: 1 }, { expireAfterSeconds: 60 })).toBe("at_1");
    expect(await coll.createIndex({ p: 1 }, { partialFilterExpression: { active: true } })).toBe("p_1");
    expect(await coll.listIndexes().toArray()).toEqual([
      { v: 2, key: { _id: 1 }, name: "_id_" },
      { v: 2, key: { email: 1 }, name: "email_1", unique: true },
      { v: 2, key: { a: 1, b: -1 }, name: "a_b", sparse: true },
      { v: 2, key: { at: 1 }, name: "at_1", expireAfterSeconds: 60 },
      { v: 2, key: { p: 1 }, name: "p_1", partialFilterExpression: { active: true } },
    ]);
  });

  it("creating an identical index again is fine; the same name with another key is an error", async () => {
    const coll = db.collection<TestDoc>("again");
    expect(await coll.createIndex({ code: 1 }, { unique: true })).toBe("code_1");
    expect(await coll.createIndex({ code: 1 }, { unique: true })).toBe("code_1");
    const reply = await db.command({
      createIndexes: "again",
      indexes: [{ key: { code: 1 }, name: "code_1", unique: true }],
    });
    expect(reply).toMatchObject({ numIndexesBefore: 2, numIndexesAfter: 2, ok: 1 });
    const err = await caught(coll.createIndex({ other: 1 }, { name: "code_1" }));
    expect(err.code).toBe(86);
    expect((await coll.listIndexes().toArray()).map((i) => i.name)).toEqual(["_id_", "code_1"]);
  });

  it("dropIndex removes it; dropping a missing index or _id_ fails", async () => {
    const coll = db.collection<TestDoc>("dropping");
    await coll.createIndex({ x: 1 });
    await coll.createIndex({ y: 1 });
    await coll.dropIndex("x_1");
    expect((await coll.listIndexes().toArray()).map((i) => i.name)).toEqual(["_id_", "y_1"]);
    expect((await caught(coll.dropIndex("x_1"))).code).toBe(27);
    expect((await caught(coll.dropIndex("_id_"))).code).toBe(72);
    await coll.dropIndexes();
    expect((await coll.listIndexes().toArray()).map((i) => i.name)).toEqual(["_id_"]);
  });

  it("listIndexes of a missing collection is NamespaceNotFound (26)", async () => {
    expect((await caught(db.collection<TestDoc>("nope").listIndexes().toArray())).code).toBe(26);
  });
});

describe("unique constraints", () => {
  it("refuse duplicates on insert, update and upsert, naming the index", async () => {
    const coll = db.collection<TestDoc>("users");
    await coll.createIndex({ email: 1 }, { unique: true });
    await coll.insertMany([
      { _id: 1, email: "a@x" },
      { _id: 2, email: "b@x" },
    ]);
    const onInsert = await caught(coll.insertOne({ _id: 3, email: "a@x" }));
    expect(onInsert).toMatchObject({
      code: 11000,
      keyPattern: { email: 1 },
      keyValue: { email: "a@x" },
      errmsg: dupMessage("users", "email_1", 'email: "a@x"'),
    });
    const onUpdate = await caught(coll.updateOne({ _id: 2 }, { $set: { email: "a@x" } }));
    expect(onUpdate).toMatchObject({ code: 11000, keyValue: { email: "a@x" } });
    expect(onUpdate.errmsg).toContain("index: email_1");
    const onUpsert = await caught(coll.updateOne({ _id: 9 }, { $set: { email: "b@x" } }, { upsert: true }));
    expect(onUpsert).toMatchObject({ code: 11000, keyValue: { email: "b@x" } });
    const onReplace = await caught(coll.replaceOne({ _id: 1 }, { email: "b@x" }));
    expect(onReplace.code).toBe(11000);
    expect(await coll.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      { _id: 1, email: "a@x" },
      { _id: 2, email: "b@x" },
    ]);
    // Freed keys can be reused.
    await coll.updateOne({ _id: 1 }, { $set: { email: "c@x" } });
    await coll.insertOne({ _id: 3, email: "a@x" });
    expect(await coll.countDocuments()).toBe(3);
  });

  it("a compound unique index constrains the combination", async () => {
    const coll = db.collection<TestDoc>("seats");
    await coll.createIndex({ row: 1, seat: 1 }, { unique: true });
    await coll.insertMany([
      { row: "A", seat: 1 },
      { row: "A", seat: 2 },
      { row: "B", seat: 1 },
    ]);
    const err = await caught(coll.insertOne({ row: "A", seat: 2 }));
    expect(err).toMatchObject({
      code: 11000,
      keyPattern: { row: 1, seat: 1 },
      keyValue: { row: "A", seat: 2 },
    });
    expect(err.errmsg).toBe(dupMessage("seats", "row_1_seat_1", 'row: "A", seat: 2'));
    expect(await coll.countDocuments()).toBe(3);
  });

  it("a sparse unique index allows many documents without the field", async () => {
    const coll = db.collection<TestDoc>("sparse");
    await coll.createIndex({ nick: 1 }, { unique: true, sparse: true });
    await coll.insertMany([{ a: 1 }, { a: 2 }, { a: 3 }, { nick: "n1" }]);
    expect((await caught(coll.insertOne({ nick: "n1" }))).code).toBe(11000);
    expect(await coll.countDocuments()).toBe(4);
    expect(await coll.countDocuments({ nick: null })).toBe(3);
  });

  it("without sparse, a second document missing the field is a duplicate of null", async () => {
    const coll = db.collection<TestDoc>("not_sparse");
    await coll.createIndex({ nick: 1 }, { unique: true });
    await coll.insertOne({ a: 1 });
    const err = await caught(coll.insertOne({ a: 2 }));
    expect(err).toMatchObject({ code: 11000, keyValue: { nick: null } });
  });

  it("a partial unique index only constrains the documents it covers", async () => {
    const coll = db.collection<TestDoc>("partial");
    await coll.createIndex({ email: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await coll.insertMany([
      { email: "a@x", active: false },
      { email: "a@x", active: false },
      { email: "a@x", active: true },
    ]);
    expect((await caught(coll.insertOne({ email: "a@x", active: true }))).code).toBe(11000);
    await coll.insertOne({ email: "a@x" });
    // Becoming active makes a document subject to the constraint.
    const err = await caught(coll.updateOne({ active: false }, { $set: { active: true } }));
    expect(err.code).toBe(11000);
    expect(await coll.countDocuments({ email: "a@x" })).toBe(4);
    expect(await coll.countDocuments({ active: true })).toBe(1);
  });

  it("index creation fails on existing duplicates and leaves no index behind", async () => {
    const coll = db.collection<TestDoc>("existing_dups");
    await coll.insertMany([{ k: 1 }, { k: 2 }, { k: 1 }]);
    const err = await caught(coll.createIndex({ k: 1 }, { unique: true }));
    expect(err.code).toBe(11000);
    expect((await coll.listIndexes().toArray()).map((i) => i.name)).toEqual(["_id_"]);
    await coll.insertOne({ k: 2 });
    expect(await coll.countDocuments({ k: 2 })).toBe(2);
  });
});

describe("TTL", () => {
  it("sweepExpired removes documents whose date has passed, and only those", async () => {
    const coll = db.collection<TestDoc>("sessions");
    await coll.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
    await coll.createIndex({ seenAt: 1 }, { expireAfterSeconds: 3600 });
    const now = Date.now();
    await coll.insertMany([
      { _id: "past", expiresAt: new Date(now - 60_000) },
      { _id: "future", expiresAt: new Date(now + 3_600_000) },
      { _id: "no-date" },
      { _id: "not-a-date", expiresAt: "yesterday" },
      { _id: "array", expiresAt: [new Date(now + 3_600_000), new Date(now - 1000)] },
      { _id: "seen-recently", seenAt: new Date(now - 1_800_000) },
      { _id: "seen-long-ago", seenAt: new Date(now - 7_200_000) },
    ]);
    await env.server.sweepExpired();
    const left = async () => (await coll.find({}, { sort: { _id: 1 } }).toArray()).map((d) => d._id);
    expect(await left()).toEqual(["future", "no-date", "not-a-date", "seen-recently"]);
    await env.server.sweepExpired(new Date(now + 2 * 3_600_000));
    expect(await left()).toEqual(["no-date", "not-a-date"]);
  });
});

describe("query planner", () => {
  const PERFORMANCES = 20;
  const PER_PERFORMANCE = 1000;
  const barcode = (n: number) => `B${String(n).padStart(6, "0")}`;

  beforeAll(async () => {
    const tickets = db.collection<TestDoc>("tickets");
    await tickets.createIndex({ performanceId: 1, barcode: 1 }, { unique: true });
    const docs: Document[] = [];
    for (let p = 0; p < PERFORMANCES; p++) {
      for (let n = 0; n < PER_PERFORMANCE; n++)
        docs.push({ performanceId: `perf-${p}`, barcode: barcode(n), used: false, n });
    }
    await tickets.insertMany(docs);
  });

  it("an equality on the whole unique index is an IXSCAN reading at most one document", async () => {
    const explained = await db
      .collection<TestDoc>("tickets")
      .find({ performanceId: "perf-7", barcode: barcode(123) })
      .explain("executionStats");
    const winning = JSON.stringify(explained.queryPlanner.winningPlan);
    expect(winning).toContain('"IXSCAN"');
    expect(winning).toContain('"performanceId_1_barcode_1"');
    expect(explained.executionStats.nReturned).toBe(1);
    expect(explained.executionStats.totalDocsExamined).toBeLessThanOrEqual(1);
    const found = await db
      .collection<TestDoc>("tickets")
      .findOne({ performanceId: "perf-7", barcode: barcode(123) });
    expect(found).toMatchObject({ performanceId: "perf-7", barcode: barcode(123), n: 123 });
  });

  it("a range on the next field examines only the documents in range", async () => {
    const filter = { performanceId: "perf-3", barcode: { $gte: barcode(100), $lt: barcode(150) } };
    const explained = await db.collection<TestDoc>("tickets").find(filter).explain("executionStats");
    expect(JSON.stringify(explained.queryPlanner.winningPlan)).toContain('"IXSCAN"');
    expect(explained.executionStats.nReturned).toBe(50);
    expect(explained.executionStats.totalDocsExamined).toBe(50);
    expect(await db.collection<TestDoc>("tickets").countDocuments(filter)).toBe(50);
  });

  it("an $or whose clauses each use an index reads only their documents, each once", async () => {
    const filter = {
      $or: [
        { performanceId: "perf-2", barcode: { $in: [barcode(1), barcode(2)] } },
        { performanceId: "perf-5", barcode: barcode(3) },
        { performanceId: "perf-2", barcode: barcode(2) },
      ],
    };
    const explained = await db.collection<TestDoc>("tickets").find(filter).explain("executionStats");
    const winning = JSON.stringify(explained.queryPlanner.winningPlan);
    expect(winning).toContain('"OR"');
    expect(winning).not.toContain('"COLLSCAN"');
    expect(explained.executionStats.totalDocsExamined).toBe(3);
    const found = await db.collection<TestDoc>("tickets").find(filter).toArray();
    expect(found.map((d) => `${d.performanceId}/${d.barcode}`).sort()).toEqual(
      [`perf-2/${barcode(1)}`, `perf-2/${barcode(2)}`, `perf-5/${barcode(3)}`].sort(),
    );
  });

  it("an $or with one unindexed clause scans the collection, and still answers right", async () => {
    const filter = { $or: [{ performanceId: "perf-2", barcode: barcode(1) }, { n: 7 }] };
    const explained = await db.collection<TestDoc>("tickets").find(filter).explain("executionStats");
    expect(JSON.stringify(explained.queryPlanner.winningPlan)).toContain('"COLLSCAN"');
    expect(await db.collection<TestDoc>("tickets").countDocuments(filter)).toBe(1 + PERFORMANCES);
  });

  it("an unindexed query is a COLLSCAN over every document", async () => {
    const explained = await db.collection<TestDoc>("tickets").find({ n: 5 }).explain("executionStats");
    expect(JSON.stringify(explained.queryPlanner.winningPlan)).toContain('"COLLSCAN"');
    expect(JSON.stringify(explained.queryPlanner.winningPlan)).not.toContain('"IXSCAN"');
    expect(explained.executionStats.nReturned).toBe(PERFORMANCES);
    expect(explained.executionStats.totalDocsExamined).toBe(PERFORMANCES * PER_PERFORMANCE);
  });

  it("the index answers the same as a scan after updates and deletes", async () => {
    const tickets = db.collection<TestDoc>("tickets");
    await tickets.updateOne({ performanceId: "perf-1", barcode: barcode(5) }, { $set: { barcode: "MOVED" } });
    await tickets.deleteOne({ performanceId: "perf-1", barcode: barcode(6) });
    expect(await tickets.findOne({ performanceId: "perf-1", barcode: barcode(5) })).toBeNull();
    expect(await tickets.findOne({ performanceId: "perf-1", barcode: "MOVED" })).toMatchObject({ n: 5 });
    expect(await tickets.findOne({ performanceId: "perf-1", barcode: barcode(6) })).toBeNull();
    expect(
      await tickets.countDocuments({
        performanceId: "perf-1",
        barcode: { $gte: barcode(0), $lt: barcode(10) },
      }),
    ).toBe(8);
  });
});
