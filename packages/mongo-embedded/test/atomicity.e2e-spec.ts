import { type Db, MongoClient } from "mongodb";
import { startTestServer, TEST_CLIENT_OPTIONS, type TestDoc, type TestServer } from "./support";

let env: TestServer;
let db: Db;

beforeAll(async () => {
  env = await startTestServer();
  // Enough connections that the commands really reach the server concurrently.
  const wide = await env.connect((uri) => new MongoClient(uri, { ...TEST_CLIENT_OPTIONS, maxPoolSize: 64 }));
  db = wide.db("atomicity");
});

afterAll(async () => {
  await env?.stop();
});

describe("findOneAndUpdate under contention", () => {
  it("200 concurrent guarded updates of one document: exactly one wins", async () => {
    const tickets = db.collection<TestDoc>("tickets");
    await tickets.insertOne({ _id: "T1", used: false });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        tickets.findOneAndUpdate(
          { _id: "T1", used: false },
          { $set: { used: true, by: i } },
          { returnDocument: "after" },
        ),
      ),
    );
    const winners = results.flatMap((doc, i) => (doc ? [{ doc, i }] : []));
    expect(winners).toHaveLength(1);
    const [{ doc, i }] = winners;
    expect(doc).toEqual({ _id: "T1", used: true, by: i });
    expect(await tickets.findOne({ _id: "T1" })).toEqual({ _id: "T1", used: true, by: i });
  });

  it("200 concurrent $inc lose no update", async () => {
    const counters = db.collection<TestDoc>("counters");
    await counters.insertOne({ _id: "c", n: 0 });
    await Promise.all(
      Array.from({ length: 200 }, () => counters.updateOne({ _id: "c" }, { $inc: { n: 1 } })),
    );
    expect(await counters.findOne({ _id: "c" })).toEqual({ _id: "c", n: 200 });
  });

  it("100 concurrent findOneAndDelete on a queue of 50 hand out each document once", async () => {
    const queue = db.collection<TestDoc>("queue");
    await queue.insertMany(Array.from({ length: 50 }, (_, n) => ({ _id: n, priority: n % 5 })));
    const popped = await Promise.all(
      Array.from({ length: 100 }, () => queue.findOneAndDelete({}, { sort: { priority: -1, _id: 1 } })),
    );
    const ids = popped.flatMap((doc) => (doc ? [doc._id as number] : []));
    expect(ids).toHaveLength(50);
    expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, n) => n));
    expect(await queue.countDocuments()).toBe(0);
  });
});

describe("findAndModify options", () => {
  it("returnDocument before/after and projection", async () => {
    const coll = db.collection<TestDoc>("options");
    await coll.insertOne({ _id: 1, name: "a", v: 1, secret: "s" });
    expect(await coll.findOneAndUpdate({ _id: 1 }, { $inc: { v: 1 } }, { returnDocument: "before" })).toEqual(
      {
        _id: 1,
        name: "a",
        v: 1,
        secret: "s",
      },
    );
    expect(
      await coll.findOneAndUpdate(
        { _id: 1 },
        { $inc: { v: 1 } },
        { returnDocument: "after", projection: { _id: 0, name: 1, v: 1 } },
      ),
    ).toEqual({ name: "a", v: 3 });
    expect(
      await coll.findOneAndUpdate({ _id: 1 }, { $set: { v: 3 } }, { projection: { secret: 0 } }),
    ).toEqual({
      _id: 1,
      name: "a",
      v: 3,
    });
  });

  it("sort picks which document is modified", async () => {
    const jobs = db.collection<TestDoc>("jobs");
    const t = (m: number) => new Date(Date.UTC(2024, 0, 1, 0, m));
    await jobs.insertMany([
      { _id: "j1", nextRunAt: t(5), priority: 0 },
      { _id: "j2", nextRunAt: t(1), priority: 0 },
      { _id: "j3", nextRunAt: t(1), priority: 10 },
      { _id: "j4", nextRunAt: t(0), priority: -5, lockedAt: t(0) },
    ]);
    const lock = () =>
      jobs.findOneAndUpdate(
        { lockedAt: { $eq: null }, nextRunAt: { $lte: t(10) } },
        { $set: { lockedAt: new Date() } },
        { sort: { nextRunAt: 1, priority: -1 }, returnDocument: "after" },
      );
    expect((await lock())?._id).toBe("j3");
    expect((await lock())?._id).toBe("j2");
    expect((await lock())?._id).toBe("j1");
    expect(await lock()).toBeNull();
  });

  it("upsert creates the document (with $setOnInsert) and reports it in lastErrorObject", async () => {
    const coll = db.collection<TestDoc>("upsert");
    const created = await coll.findOneAndUpdate(
      { name: "job", "data.k": 1 },
      { $set: { v: 1 }, $setOnInsert: { createdAt: new Date(0) } },
      { upsert: true, returnDocument: "after", includeResultMetadata: true },
    );
    expect(created.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false });
    const id = created.lastErrorObject?.upserted;
    expect(created.value).toEqual({ _id: id, name: "job", data: { k: 1 }, v: 1, createdAt: new Date(0) });
    const updated = await coll.findOneAndUpdate(
      { name: "job", "data.k": 1 },
      { $set: { v: 2 }, $setOnInsert: { createdAt: new Date(1) } },
      { upsert: true, returnDocument: "after", includeResultMetadata: true },
    );
    expect(updated.lastErrorObject).toEqual({ n: 1, updatedExisting: true });
    expect(updated.value).toEqual({ _id: id, name: "job", data: { k: 1 }, v: 2, createdAt: new Date(0) });
    // returnDocument 'before' on an upsert answers null: there was nothing before.
    expect(await coll.findOneAndUpdate({ name: "other" }, { $set: { v: 1 } }, { upsert: true })).toBeNull();
    expect(await coll.countDocuments()).toBe(2);
  });

  it("findOneAndDelete with sort and projection; findOneAndReplace", async () => {
    const coll = db.collection<TestDoc>("remove");
    await coll.insertMany([
      { _id: 1, rank: 3, tag: "x" },
      { _id: 2, rank: 9, tag: "x" },
      { _id: 3, rank: 5, tag: "y" },
    ]);
    expect(await coll.findOneAndDelete({ tag: "x" }, { sort: { rank: -1 }, projection: { _id: 1 } })).toEqual(
      { _id: 2 },
    );
    expect(await coll.findOneAndDelete({ tag: "z" })).toBeNull();
    expect(await coll.findOneAndReplace({ _id: 3 }, { rank: 6 }, { returnDocument: "after" })).toEqual({
      _id: 3,
      rank: 6,
    });
    expect(await coll.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      { _id: 1, rank: 3, tag: "x" },
      { _id: 3, rank: 6 },
    ]);
  });
});
