import type { CommandStartedEvent, Db, Document, MongoClient, WriteError } from "mongodb";
import * as mongodb6 from "mongodb";
import * as mongodb7 from "mongodb7";
import { caught, startTestServer, TEST_CLIENT_OPTIONS, type TestDoc, type TestServer } from "./support";

/**
 * The two driver copies in the tree (MikroORM brings 6.21, Agenda's backend 7.9). Their APIs are
 * the same for everything used here, so 7.x is typed through 6.x's declarations; at run time each
 * test uses its own driver's classes (BSON values included — bson 7 refuses bson 6 objects).
 */
type Driver = typeof mongodb6;
const DRIVERS: { name: string; dbName: string; driver: Driver }[] = [
  { name: "mongodb 6.21", dbName: "crud_v6", driver: mongodb6 },
  { name: "mongodb 7.9", dbName: "crud_v7", driver: mongodb7 as unknown as Driver },
];

let env: TestServer;

beforeAll(async () => {
  env = await startTestServer();
});

afterAll(async () => {
  await env?.stop();
});

describe.each(DRIVERS)("CRUD through $name", ({ dbName, driver }) => {
  let client: MongoClient;
  let db: Db;
  const started: CommandStartedEvent[] = [];
  const commandsOn = (name: string, coll: string) =>
    started.filter(
      (e) =>
        e.commandName === name &&
        (name === "getMore" ? e.command.collection : e.command[name]) === coll &&
        e.databaseName === dbName,
    );

  beforeAll(async () => {
    client = await env.connect(
      (uri) => new driver.MongoClient(uri, { ...TEST_CLIENT_OPTIONS, monitorCommands: true }),
    );
    client.on("commandStarted", (event) => started.push(event));
    db = client.db(dbName);
  });

  describe("insert", () => {
    it("generates an ObjectId _id only when the document has none", async () => {
      const coll = db.collection<TestDoc>("insert_one");
      const first = await coll.insertOne({ name: "a" });
      const second = await coll.insertOne({ _id: "fixed", name: "b" });
      expect(first.acknowledged).toBe(true);
      expect(first.insertedId).toBeInstanceOf(driver.ObjectId);
      expect(second.insertedId).toBe("fixed");
      expect(await coll.find({}, { sort: { name: 1 } }).toArray()).toEqual([
        { _id: first.insertedId, name: "a" },
        { _id: "fixed", name: "b" },
      ]);
    });

    it("insertMany (ordered) stops at a duplicate and reports how many went in", async () => {
      const coll = db.collection<TestDoc>("insert_ordered");
      const err = await caught(coll.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 1 }, { _id: 3 }, { _id: 4 }]));
      expect(err).toBeInstanceOf(driver.MongoBulkWriteError);
      expect(err.code).toBe(11000);
      expect(err.insertedCount).toBe(2);
      const writeErrors = err.writeErrors as WriteError[];
      expect(writeErrors.map((e) => [e.index, e.code])).toEqual([[2, 11000]]);
      expect(writeErrors[0].errmsg).toBe(
        `E11000 duplicate key error collection: ${dbName}.insert_ordered index: _id_ dup key: { _id: 1 }`,
      );
      expect(await coll.find({}, { sort: { _id: 1 } }).toArray()).toEqual([{ _id: 1 }, { _id: 2 }]);
    });

    it("insertMany (unordered) goes on past duplicates and reports each one", async () => {
      const coll = db.collection<TestDoc>("insert_unordered");
      const err = await caught(
        coll.insertMany([{ _id: 10 }, { _id: 11 }, { _id: 10 }, { _id: 12 }, { _id: 11 }], {
          ordered: false,
        }),
      );
      expect(err).toBeInstanceOf(driver.MongoBulkWriteError);
      expect(err.insertedCount).toBe(3);
      expect((err.writeErrors as WriteError[]).map((e) => [e.index, e.code])).toEqual([
        [2, 11000],
        [4, 11000],
      ]);
      expect(await coll.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
        { _id: 10 },
        { _id: 11 },
        { _id: 12 },
      ]);
    });

    it("a duplicate key error carries keyPattern and keyValue", async () => {
      const coll = db.collection<TestDoc>("insert_key_value");
      await coll.insertOne({ _id: 7, v: "first" });
      const err = await caught(coll.insertOne({ _id: 7, v: "second" }));
      expect(err).toBeInstanceOf(driver.MongoServerError);
      expect(err).toMatchObject({ code: 11000, keyPattern: { _id: 1 }, keyValue: { _id: 7 } });
      // The raw reply, as the driver's bulk path receives it.
      const reply = await db.command({
        insert: "insert_key_value",
        documents: [{ _id: 7 }, { _id: 8 }],
        ordered: false,
      });
      expect(reply).toEqual({
        n: 1,
        writeErrors: [
          {
            index: 0,
            code: 11000,
            errmsg: `E11000 duplicate key error collection: ${dbName}.insert_key_value index: _id_ dup key: { _id: 7 }`,
            keyPattern: { _id: 1 },
            keyValue: { _id: 7 },
          },
        ],
        ok: 1,
      });
      expect(await coll.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
        { _id: 7, v: "first" },
        { _id: 8 },
      ]);
    });
  });

  describe("find", () => {
    const items = Array.from({ length: 10 }, (_, n) => ({
      _id: n,
      n,
      parity: n % 2 === 0 ? "even" : "odd",
      tags: [`t${n % 3}`, "all"],
      name: `item-${n}`,
    }));

    beforeAll(async () => {
      await db.collection<TestDoc>("items").insertMany(items.map((item) => ({ ...item })));
    });

    it("applies filter, sort, skip, limit and projection", async () => {
      const coll = db.collection<TestDoc>("items");
      const page = await coll
        .find({ parity: "even" }, { sort: { n: -1 }, skip: 1, limit: 2, projection: { _id: 0, n: 1 } })
        .toArray();
      expect(page).toEqual([{ n: 6 }, { n: 4 }]);
      const excluded = await coll
        .find({}, { projection: { name: 0, tags: 0, parity: 0 } })
        .sort({ n: 1 })
        .limit(3)
        .toArray();
      expect(excluded).toEqual([
        { _id: 0, n: 0 },
        { _id: 1, n: 1 },
        { _id: 2, n: 2 },
      ]);
      const compound = await coll.find({ n: { $gte: 3 } }, { sort: { parity: 1, n: -1 } }).toArray();
      expect(compound.map((d) => d.n)).toEqual([8, 6, 4, 9, 7, 5, 3]);
      expect(await coll.find({ n: { $gt: 100 } }).toArray()).toEqual([]);
      expect(await db.collection<TestDoc>("no_such_collection").find({}).toArray()).toEqual([]);
    });

    it("findOne honours filter, sort and projection, and answers null when nothing matches", async () => {
      const coll = db.collection<TestDoc>("items");
      expect(
        await coll.findOne({ parity: "odd" }, { sort: { n: -1 }, projection: { _id: 0, n: 1 } }),
      ).toEqual({ n: 9 });
      expect(await coll.findOne({ _id: 4 })).toEqual(items[4]);
      expect(await coll.findOne({ n: 100 })).toBeNull();
    });

    it("countDocuments and estimatedDocumentCount", async () => {
      const coll = db.collection<TestDoc>("items");
      expect(await coll.countDocuments({ parity: "even" })).toBe(5);
      expect(await coll.countDocuments({})).toBe(10);
      expect(await coll.countDocuments({}, { skip: 2, limit: 5 })).toBe(5);
      expect(await coll.countDocuments({}, { skip: 8 })).toBe(2);
      expect(await coll.countDocuments({ n: { $gt: 100 } })).toBe(0);
      expect(await coll.estimatedDocumentCount()).toBe(10);
      expect(await db.collection<TestDoc>("no_such_collection").estimatedDocumentCount()).toBe(0);
    });

    it("distinct, with a filter and over array fields", async () => {
      const coll = db.collection<TestDoc>("items");
      expect((await coll.distinct("parity")).sort()).toEqual(["even", "odd"]);
      expect((await coll.distinct("n", { parity: "odd", n: { $gt: 4 } })).sort()).toEqual([5, 7, 9]);
      expect((await coll.distinct("tags")).sort()).toEqual(["all", "t0", "t1", "t2"]);
      expect(await coll.distinct("missing_field")).toEqual([]);
    });
  });

  describe("cursors", () => {
    beforeAll(async () => {
      await db
        .collection<TestDoc>("many")
        .insertMany(Array.from({ length: 1000 }, (_, n) => ({ _id: n, n })));
    });

    it("toArray drains 1,000 documents in batches of 7 (142 getMores)", async () => {
      const before = commandsOn("getMore", "many").length;
      const docs = await db.collection<TestDoc>("many").find({}, { batchSize: 7 }).sort({ n: 1 }).toArray();
      expect(docs.map((d) => d.n)).toEqual(Array.from({ length: 1000 }, (_, n) => n));
      const getMores = commandsOn("getMore", "many").slice(before);
      expect(getMores).toHaveLength(142);
      expect(getMores.every((e) => e.command.batchSize === 7)).toBe(true);
    });

    it("async iteration reads every batch; breaking out kills the server cursor", async () => {
      const seen: number[] = [];
      for await (const doc of db
        .collection<TestDoc>("many")
        .find({ n: { $lt: 500 } }, { batchSize: 7, sort: { n: 1 } })) {
        seen.push(doc.n);
      }
      expect(seen).toEqual(Array.from({ length: 500 }, (_, n) => n));

      const killsBefore = commandsOn("killCursors", "many").length;
      let read = 0;
      for await (const _doc of db.collection<TestDoc>("many").find({}, { batchSize: 7 })) {
        if (++read === 10) break;
      }
      expect(commandsOn("killCursors", "many").length).toBe(killsBefore + 1);
    });

    it("findOne, and find with limit 1 (MikroORM's findOne), leave no cursor to kill", async () => {
      const killsBefore = commandsOn("killCursors", "many").length;
      expect(
        await db.collection<TestDoc>("many").findOne({ n: { $gte: 10 } }, { sort: { n: 1 } }),
      ).toMatchObject({
        n: 10,
      });
      expect(await db.collection<TestDoc>("many").findOne({ n: -1 })).toBeNull();
      expect(
        await db
          .collection<TestDoc>("many")
          .find({ n: { $gt: 3 } })
          .limit(1)
          .toArray(),
      ).toHaveLength(1);
      expect(commandsOn("killCursors", "many").length).toBe(killsBefore);
    });

    it("cursor.close() kills the server cursor: a later getMore answers CursorNotFound (43)", async () => {
      const cursor = db.collection<TestDoc>("many").find({}, { batchSize: 7 });
      expect((await cursor.next())?.n).toBe(0);
      const id = cursor.id;
      expect(id?.isZero()).toBe(false);
      await cursor.close();
      const kill = commandsOn("killCursors", "many").at(-1);
      expect(((kill?.command.cursors ?? []) as unknown[]).map(String)).toEqual([String(id)]);
      const err = await caught(db.command({ getMore: id, collection: "many" }));
      expect(err.code).toBe(43);
    });

    it("killCursors from another command ends a live cursor", async () => {
      const cursor = db.collection<TestDoc>("many").find({}, { batchSize: 7 });
      await cursor.next();
      const id = cursor.id;
      const reply = await db.command({ killCursors: "many", cursors: [id] });
      expect((reply.cursorsKilled as unknown[]).map(String)).toEqual([String(id)]);
      expect(reply.cursorsNotFound).toEqual([]);
      const err = await caught(cursor.toArray());
      expect(err.code).toBe(43);
      await cursor.close();
      const again = await db.command({ killCursors: "many", cursors: [id] });
      expect(again.cursorsKilled).toEqual([]);
      expect((again.cursorsNotFound as unknown[]).map(String)).toEqual([String(id)]);
    });
  });

  describe("update, replace and delete report their counts", () => {
    it("updateOne / updateMany", async () => {
      const coll = db.collection<TestDoc>("updates");
      await coll.insertMany([
        { _id: 1, a: 1, g: "x" },
        { _id: 2, a: 2, g: "x" },
        { _id: 3, a: 3, g: "y" },
      ]);
      const changed = {
        acknowledged: true,
        matchedCount: 1,
        modifiedCount: 1,
        upsertedCount: 0,
        upsertedId: null,
      };
      expect(await coll.updateOne({ _id: 1 }, { $set: { a: 10 } })).toEqual(changed);
      // The same $set again changes nothing.
      expect(await coll.updateOne({ _id: 1 }, { $set: { a: 10 } })).toEqual({ ...changed, modifiedCount: 0 });
      expect(await coll.updateMany({ g: "x" }, { $inc: { a: 1 } })).toEqual({
        ...changed,
        matchedCount: 2,
        modifiedCount: 2,
      });
      expect(await coll.updateMany({ g: "nothing" }, { $set: { a: 0 } })).toEqual({
        ...changed,
        matchedCount: 0,
        modifiedCount: 0,
      });
      expect(await coll.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
        { _id: 1, a: 11, g: "x" },
        { _id: 2, a: 3, g: "x" },
        { _id: 3, a: 3, g: "y" },
      ]);
    });

    it("upserts report upsertedId and upsertedCount", async () => {
      const coll = db.collection<TestDoc>("upserts");
      const one = await coll.updateOne({ g: "w" }, { $set: { a: 4 } }, { upsert: true });
      expect(one).toMatchObject({ matchedCount: 0, modifiedCount: 0, upsertedCount: 1 });
      expect(one.upsertedId).toBeInstanceOf(driver.ObjectId);
      expect(await coll.findOne({ _id: one.upsertedId ?? undefined })).toEqual({
        _id: one.upsertedId,
        g: "w",
        a: 4,
      });
      const many = await coll.updateMany({ g: "v" }, { $set: { a: 5 } }, { upsert: true });
      expect(many).toMatchObject({ matchedCount: 0, modifiedCount: 0, upsertedCount: 1 });
      const again = await coll.updateOne({ g: "w" }, { $set: { a: 6 } }, { upsert: true });
      expect(again).toEqual({
        acknowledged: true,
        matchedCount: 1,
        modifiedCount: 1,
        upsertedCount: 0,
        upsertedId: null,
      });
      expect(await coll.countDocuments()).toBe(2);
    });

    it("replaceOne", async () => {
      const coll = db.collection<TestDoc>("replacements");
      await coll.insertOne({ _id: 3, g: "y", a: 3 });
      const replaced = await coll.replaceOne({ _id: 3 }, { g: "y", a: 30, replaced: true });
      expect(replaced).toEqual({
        acknowledged: true,
        matchedCount: 1,
        modifiedCount: 1,
        upsertedCount: 0,
        upsertedId: null,
      });
      expect(await coll.findOne({ _id: 3 })).toEqual({ _id: 3, g: "y", a: 30, replaced: true });
      const identical = await coll.replaceOne({ _id: 3 }, { g: "y", a: 30, replaced: true });
      expect(identical).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
      const upserted = await coll.replaceOne({ _id: 99 }, { a: 99 }, { upsert: true });
      expect(upserted).toEqual({
        acknowledged: true,
        matchedCount: 0,
        modifiedCount: 0,
        upsertedCount: 1,
        upsertedId: 99,
      });
      expect(await coll.findOne({ _id: 99 })).toEqual({ _id: 99, a: 99 });
    });

    it("deleteOne / deleteMany", async () => {
      const coll = db.collection<TestDoc>("deletes");
      await coll.insertMany([
        { _id: 1, g: "x" },
        { _id: 2, g: "x" },
        { _id: 3, g: "x" },
        { _id: 4, g: "y" },
      ]);
      expect(await coll.deleteOne({ g: "x" })).toEqual({ acknowledged: true, deletedCount: 1 });
      expect(await coll.deleteOne({ g: "nothing" })).toEqual({ acknowledged: true, deletedCount: 0 });
      expect(await coll.deleteMany({ g: "x" })).toEqual({ acknowledged: true, deletedCount: 2 });
      expect(await coll.find({}).toArray()).toEqual([{ _id: 4, g: "y" }]);
      expect(await coll.deleteMany({})).toEqual({ acknowledged: true, deletedCount: 1 });
      expect(await coll.countDocuments()).toBe(0);
    });
  });

  it("bulkWrite runs a mixed batch and sums its results", async () => {
    const coll = db.collection<TestDoc>("bulk");
    const result = await coll.bulkWrite([
      { insertOne: { document: { _id: 1, k: "a", v: 1 } } },
      { insertOne: { document: { _id: 2, k: "b", v: 2 } } },
      { insertOne: { document: { _id: 3, k: "b", v: 3 } } },
      { updateOne: { filter: { _id: 1 }, update: { $set: { v: 10 } } } },
      { updateMany: { filter: { k: "b" }, update: { $inc: { v: 100 } } } },
      { updateOne: { filter: { _id: 1 }, update: { $set: { v: 10 } } } },
      { replaceOne: { filter: { _id: 4 }, replacement: { k: "c", v: 4 }, upsert: true } },
      { updateOne: { filter: { k: "d" }, update: { $set: { v: 5 } }, upsert: true } },
      { deleteOne: { filter: { _id: 2 } } },
      { deleteMany: { filter: { k: "zzz" } } },
    ]);
    expect(result.insertedCount).toBe(3);
    expect(result.matchedCount).toBe(4);
    expect(result.modifiedCount).toBe(3);
    expect(result.deletedCount).toBe(1);
    expect(result.upsertedCount).toBe(2);
    expect(result.upsertedIds[6]).toBe(4);
    const generated = result.upsertedIds[7];
    expect(generated).toBeInstanceOf(driver.ObjectId);
    expect(await coll.find({}, { sort: { v: 1 } }).toArray()).toEqual([
      { _id: 4, k: "c", v: 4 },
      { _id: generated, k: "d", v: 5 },
      { _id: 1, k: "a", v: 10 },
      { _id: 3, k: "b", v: 103 },
    ]);
  });

  it("an ordered bulkWrite stops at its first error and keeps what ran before", async () => {
    const coll = db.collection<TestDoc>("bulk_ordered");
    await coll.insertOne({ _id: 1, v: 0 });
    const err = await caught(
      coll.bulkWrite([
        { updateOne: { filter: { _id: 1 }, update: { $set: { v: 1 } } } },
        { insertOne: { document: { _id: 1 } } },
        { insertOne: { document: { _id: 2 } } },
      ]),
    );
    expect(err).toBeInstanceOf(driver.MongoBulkWriteError);
    expect((err.writeErrors as WriteError[]).map((e) => [e.index, e.code])).toEqual([[1, 11000]]);
    expect(await coll.find({}).toArray()).toEqual([{ _id: 1, v: 1 }]);
  });

  it("findOneAndUpdate returns the document before, or after with returnDocument", async () => {
    const coll = db.collection<TestDoc>("find_and_modify");
    await coll.insertOne({ _id: 1, v: 1 });
    const before: Document | null = await coll.findOneAndUpdate({ _id: 1 }, { $inc: { v: 1 } });
    expect(before).toEqual({ _id: 1, v: 1 });
    expect(await coll.findOneAndUpdate({ _id: 1 }, { $inc: { v: 1 } }, { returnDocument: "after" })).toEqual({
      _id: 1,
      v: 3,
    });
    expect(await coll.findOneAndUpdate({ _id: 2 }, { $inc: { v: 1 } })).toBeNull();
  });

  it("updates by _id with a guard: the guard decides, a missing _id upserts, a failed guard cannot", async () => {
    const coll = db.collection<TestDoc>("guarded");
    await coll.insertMany([
      { _id: 1, revision: 1, v: 0 },
      { _id: 2, revision: 1, v: 0 },
    ]);
    const result = await coll.bulkWrite(
      [
        { updateOne: { filter: { _id: 1, revision: 1 }, update: { $set: { revision: 2 }, $inc: { v: 1 } } } },
        { updateOne: { filter: { _id: 2, revision: 9 }, update: { $set: { revision: 2 } } } },
        { updateOne: { filter: { _id: 3, revision: 1 }, update: { $set: { v: 5 } } } },
      ],
      { ordered: false },
    );
    expect([result.matchedCount, result.modifiedCount, result.upsertedCount]).toEqual([1, 1, 0]);
    const upserted = await coll.updateOne({ _id: 3, revision: 1 }, { $set: { v: 5 } }, { upsert: true });
    expect(upserted.upsertedId).toBe(3);
    // The document exists but its guard fails: the upsert's insert collides with it.
    const err = await caught(coll.updateOne({ _id: 2, revision: 9 }, { $set: { v: 7 } }, { upsert: true }));
    expect(err.code).toBe(11000);
    expect(await coll.find({}).sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, revision: 2, v: 1 },
      { _id: 2, revision: 1, v: 0 },
      { _id: 3, revision: 1, v: 5 },
    ]);
  });
});
