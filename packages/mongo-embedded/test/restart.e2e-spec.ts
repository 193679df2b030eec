import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Binary, Decimal128, type Document, Double, Int32, Long, MongoClient, ObjectId } from "mongodb";
import { type EmbeddedMongo, startEmbeddedMongo } from "../src/server";
import { TEST_CLIENT_OPTIONS } from "./support";

/**
 * The journal keeps an inserted document as the bytes it arrived in, and an updated one as the
 * BSON its size was checked on: after a restart (the journal replayed) every document reads
 * back exactly as it did before.
 */
describe("documents read back the same after a restart", () => {
  let dbPath: string;
  let server: EmbeddedMongo | undefined;
  let client: MongoClient | undefined;

  beforeEach(async () => {
    dbPath = await mkdtemp(path.join(os.tmpdir(), "mongo-embedded-restart-"));
  });

  afterEach(async () => {
    await client?.close();
    await server?.stop();
    await rm(dbPath, { recursive: true, force: true });
  });

  async function start(): Promise<MongoClient> {
    server = await startEmbeddedMongo({ dbPath, port: 0 });
    client = new MongoClient(server.uri, TEST_CLIENT_OPTIONS);
    await client.connect();
    return client;
  }

  async function restart(): Promise<MongoClient> {
    await client?.close();
    await server?.stop();
    return start();
  }

  const readAll = (c: MongoClient, coll: string) =>
    c.db("app").collection(coll).find({}).sort({ _id: 1 }).toArray();

  it("inserted (one, many, in a bulk write), updated, upserted and replaced", async () => {
    const c = await start();
    const things = c.db("app").collection<{ _id?: number } & Document>("things");
    await things.createIndex({ code: 1 }, { unique: true });
    // Values whose encoding the server does not keep: int64 and Int32/Double wrappers that
    // fit a number, strings beyond ASCII, nested documents and arrays.
    const odd = (i: number): Document => ({
      _id: i,
      code: `c${i}`,
      small: Long.fromNumber(i * 1000),
      big: Long.fromString("9007199254740993"),
      int: new Int32(i),
      double: new Double(2),
      dec: Decimal128.fromString("1.10"),
      text: "é😀",
      bin: new Binary(Buffer.from([i, 0, 255])),
      nested: { list: [1, { at: new Date(i * 1e9) }, null], oid: new ObjectId() },
    });
    await things.insertOne(odd(1));
    await things.insertMany([odd(2), odd(3), odd(4)]);
    await things.bulkWrite([
      { insertOne: { document: odd(5) } },
      {
        updateOne: {
          filter: { _id: 2 },
          // Dotted paths into a schemaless document: the driver's types cannot follow them.
          update: { $set: { small: Long.fromNumber(7) }, $push: { "nested.list": 4 } } as Document,
        },
      },
      { updateOne: { filter: { _id: 9, code: "c9" }, update: { $set: { v: new Double(1) } }, upsert: true } },
      { replaceOne: { filter: { _id: 3 }, replacement: { code: "c3", replaced: true } } },
    ]);
    await things.insertMany([{ code: "no-id" }, { code: "id-last", _id: 10 }]);
    await things.findOneAndUpdate({ _id: 4 }, [{ $set: { total: { $add: ["$int", 1] } } }]);
    const before = await readAll(c, "things");
    expect(before).toHaveLength(8);

    const again = await restart();
    expect(await readAll(again, "things")).toEqual(before);
    // The unique index was rebuilt from what was replayed.
    await expect(again.db("app").collection("things").insertOne({ code: "c2" })).rejects.toMatchObject({
      code: 11000,
    });
  });
});
