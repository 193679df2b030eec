import { type Db, MongoClient } from "mongodb";
import { MongoClient as MongoClient7 } from "mongodb7";
import { caught, startTestServer, TEST_CLIENT_OPTIONS, type TestDoc, type TestServer } from "./support";

let env: TestServer;
let db: Db;

beforeAll(async () => {
  env = await startTestServer();
  db = env.client.db("errors");
});

afterAll(async () => {
  await env?.stop();
});

describe("transactions are refused as on a standalone", () => {
  it("withTransaction fails with IllegalOperation (20) and writes nothing", async () => {
    const coll = db.collection<TestDoc>("txn");
    await coll.insertOne({ _id: "before" });
    const session = env.client.startSession();
    try {
      const err = await caught(
        session.withTransaction(async () => {
          await coll.insertOne({ _id: "inside" }, { session });
        }),
      );
      expect(err.code).toBe(20);
      expect(err.message).toBe("Transaction numbers are only allowed on a replica set member or mongos");
    } finally {
      await session.endSession();
    }
    expect(await coll.find({}).toArray()).toEqual([{ _id: "before" }]);
  });

  it("startTransaction + insert fails the same way", async () => {
    const coll = db.collection<TestDoc>("txn_manual");
    const session = env.client.startSession();
    try {
      session.startTransaction();
      const err = await caught(coll.insertOne({ _id: 1 }, { session }));
      expect(err.code).toBe(20);
      await session.abortTransaction().catch(() => undefined);
    } finally {
      await session.endSession();
    }
    expect(await coll.countDocuments()).toBe(0);
  });

  it("an explicit session without a transaction works", async () => {
    const coll = db.collection<TestDoc>("txn_session");
    const session = env.client.startSession();
    try {
      await coll.insertOne({ _id: 1 }, { session });
      expect(await coll.findOne({ _id: 1 }, { session })).toEqual({ _id: 1 });
    } finally {
      await session.endSession();
    }
  });
});

describe("command errors", () => {
  it("an unknown command is CommandNotFound (59)", async () => {
    const err = await caught(db.command({ nope: 1 }));
    expect(err).toMatchObject({ code: 59, codeName: "CommandNotFound" });
    expect(err.message).toContain("nope");
  });

  it("create of an existing collection is NamespaceExists (48) with MongoDB's exact message", async () => {
    await db.createCollection("existing");
    const viaHelper = await caught(db.createCollection("existing"));
    expect(viaHelper).toMatchObject({ code: 48, codeName: "NamespaceExists" });
    expect(viaHelper.message).toBe("Collection errors.existing already exists.");
    const viaCommand = await caught(db.command({ create: "existing" }));
    expect(viaCommand.errmsg).toBe("Collection errors.existing already exists.");
  });

  it("drop of a missing collection: NamespaceNotFound (26) on the wire, false from driver 7", async () => {
    expect((await caught(db.command({ drop: "never_created" }))).code).toBe(26);
    const client7 = await env.connect((uri) => new MongoClient7(uri, TEST_CLIENT_OPTIONS));
    expect(await client7.db("errors").collection<TestDoc>("never_created").drop()).toBe(false);
    await db.collection<TestDoc>("to_drop").insertOne({ a: 1 });
    expect(await db.collection<TestDoc>("to_drop").drop()).toBe(true);
    expect(await db.listCollections({ name: "to_drop" }).toArray()).toEqual([]);
  });

  it("a document with a $-prefixed field is refused and nothing is stored", async () => {
    const coll = db.collection<TestDoc>("dollar");
    const err = await caught(coll.insertOne({ _id: 1, ok: 1, nested: { $bad: 1 } }));
    expect(err.code).toBe(2);
    expect(err.message).toContain("$bad");
    const top = await caught(coll.insertOne({ _id: 2, $top: 1 }));
    expect(top.message).toContain("$top");
    // A replacement (sent raw: the driver itself refuses `$` keys at the top of a replacement).
    await coll.insertOne({ _id: 3 });
    const replaced = await db.command({
      update: "dollar",
      updates: [{ q: { _id: 3 }, u: { a: { $bad: 1 } } }],
    });
    expect(replaced.n).toBe(0);
    expect(replaced.writeErrors).toHaveLength(1);
    expect(replaced.writeErrors[0].errmsg).toContain("$bad");
    expect(await coll.find({}).toArray()).toEqual([{ _id: 3 }]);
    // An operator update: the fields it leaves alone were checked already, the ones it sets are.
    await coll.insertOne({ _id: 4, kept: { deep: [1, { x: 1 }] }, n: 0 });
    for (const u of [{ $set: { n: 1, sub: { $bad: 1 } } }, { $push: { "kept.deep": { $bad: 2 } } }]) {
      const raw = await db.command({ update: "dollar", updates: [{ q: { _id: 4 }, u }] });
      expect(raw.writeErrors?.[0]?.errmsg).toContain("$bad");
    }
    expect(await coll.findOne({ _id: 4 })).toEqual({ _id: 4, kept: { deep: [1, { x: 1 }] }, n: 0 });
  });

  it("a document over 16 MB is refused; the server keeps serving", async () => {
    const coll = db.collection<TestDoc>("big");
    const big = "x".repeat(16 * 1024 * 1024);
    const err = await caught(coll.insertOne({ _id: "big", big }));
    expect(err).toBeInstanceOf(Error);
    expect(await coll.countDocuments()).toBe(0);
    await coll.insertOne({ _id: "small" });
    expect(await coll.find({}).toArray()).toEqual([{ _id: "small" }]);
    // An update that would grow a document past 16 MB is refused too.
    const half = "y".repeat(9 * 1024 * 1024);
    await coll.updateOne({ _id: "small" }, { $set: { a: half } });
    const grow = await caught(coll.updateOne({ _id: "small" }, { $set: { b: half } }));
    expect(grow).toBeInstanceOf(Error);
    // ...also when the request itself is small: a pipeline copying the 9 MB field.
    const copied = await caught(coll.updateOne({ _id: "small" }, [{ $set: { b: "$a" } }]));
    expect(copied).toBeInstanceOf(Error);
    expect(Object.keys((await coll.findOne({ _id: "small" })) ?? {})).toEqual(["_id", "a"]);
    expect((await db.admin().command({ ping: 1 })).ok).toBe(1);
  });

  it("replies past bson's 17 MiB serialize buffer come back intact", async () => {
    const coll = db.collection<TestDoc>("big_replies");
    // Just under the 16 MiB limit, with room for `_id` and the field name.
    const largest = "L".repeat(16 * 1024 * 1024 - 64);
    const nine = "9".repeat(9 * 1024 * 1024);
    await coll.insertOne({ _id: 1, s: largest });
    await coll.insertOne({ _id: 2, s: nine });
    await coll.insertOne({ _id: 3, s: nine });
    const docs = await coll.find({}).sort({ _id: 1 }).toArray();
    expect(docs.map((d) => [d._id, d.s.length, d.s === largest || d.s === nine])).toEqual([
      [1, largest.length, true],
      [2, nine.length, true],
      [3, nine.length, true],
    ]);
    // Two 9 MiB documents do not fit one 16 MiB batch: the second one waits for the next batch.
    const raw = await db.command({ find: "big_replies", filter: { _id: { $gte: 2 } }, sort: { _id: 1 } });
    expect(raw.cursor.firstBatch.map((d: TestDoc) => d._id)).toEqual([2]);
    // A result document over 16 MB is refused cleanly, as MongoDB does.
    const tooBig = await caught(
      coll
        .aggregate([{ $match: { _id: { $gte: 2 } } }, { $group: { _id: null, all: { $push: "$s" } } }])
        .toArray(),
    );
    expect(tooBig.code).toBe(10334);
    const found = await coll.findOneAndUpdate({ _id: 1 }, { $set: { t: 1 } }, { returnDocument: "after" });
    expect(found?.s).toBe(largest);
    expect((await db.admin().command({ ping: 1 })).ok).toBe(1);
  });

  it.each(["a$b", "", "system.bogus", ".starts-with-dot", "nul\u0000byte"])(
    "the collection name %j is InvalidNamespace (73) and nothing is created",
    async (name) => {
      const err = await caught(db.command({ insert: name, documents: [{ a: 1 }] }));
      expect(err.code).toBe(73);
      const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
      expect(names).not.toContain(name);
    },
  );

  it("a new client still works after all of the above", async () => {
    const fresh = await env.connect((uri) => new MongoClient(uri, TEST_CLIENT_OPTIONS));
    expect(
      await fresh
        .db("errors")
        .collection<TestDoc>("big")
        .findOne({ _id: "small" }, { projection: { _id: 1 } }),
    ).toEqual({
      _id: "small",
    });
  });
});
