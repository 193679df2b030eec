import {
  type ChangeStream,
  type CommandStartedEvent,
  type CommandSucceededEvent,
  type Db,
  type Document,
  MongoClient,
  type ResumeToken,
} from "mongodb";
import { caught, startTestServer, TEST_CLIENT_OPTIONS, type TestDoc, type TestServer } from "./support";

let env: TestServer;
let db: Db;
const streams: ChangeStream[] = [];

beforeAll(async () => {
  env = await startTestServer();
  db = env.client.db("streams");
});

afterEach(async () => {
  await Promise.all(streams.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  await env?.stop();
});

/**
 * Opens a change stream and makes sure the server has started it (the driver only sends the
 * `aggregate` on the first read), so that writes made afterwards are seen.
 */
async function opened(stream: ChangeStream): Promise<(count: number) => Promise<Document[]>> {
  streams.push(stream);
  expect(await stream.tryNext()).toBeNull();
  return async (count) => {
    const events: Document[] = [];
    while (events.length < count) events.push((await stream.next()) as Document);
    return events;
  };
}

const WATCH = { maxAwaitTimeMS: 100 } as const;

describe("collection.watch", () => {
  it("sees insert, update, replace and delete in order", async () => {
    const coll = db.collection<TestDoc>("orders");
    const read = await opened(coll.watch([], { ...WATCH, fullDocument: "updateLookup" }));
    await coll.insertOne({ _id: 1, status: "new", n: 1 });
    await coll.updateOne({ _id: 1 }, { $set: { status: "paid" }, $unset: { n: "" } });
    await coll.replaceOne({ _id: 1 }, { status: "replaced" });
    await coll.deleteOne({ _id: 1 });
    const events = await read(4);
    expect(events.map((e) => e.operationType)).toEqual(["insert", "update", "replace", "delete"]);
    const ns = { db: "streams", coll: "orders" };
    expect(events[0]).toMatchObject({
      ns,
      documentKey: { _id: 1 },
      fullDocument: { _id: 1, status: "new", n: 1 },
    });
    expect(events[1]).toMatchObject({
      ns,
      documentKey: { _id: 1 },
      updateDescription: { updatedFields: { status: "paid" }, removedFields: ["n"] },
      // updateLookup reads the document when the event is read: it has been deleted since.
      fullDocument: null,
    });
    expect(events[2]).toMatchObject({
      ns,
      documentKey: { _id: 1 },
      fullDocument: { _id: 1, status: "replaced" },
    });
    expect(events[3]).toMatchObject({ ns, documentKey: { _id: 1 } });
    expect(events[3].fullDocument).toBeUndefined();
    const tokens = events.map((e) => JSON.stringify(e._id));
    expect(new Set(tokens).size).toBe(4);
  });

  it("updateLookup returns the current document with the update event", async () => {
    const coll = db.collection<TestDoc>("lookup");
    const stream = coll.watch([], { ...WATCH, fullDocument: "updateLookup" });
    const read = await opened(stream);
    await coll.insertOne({ _id: "a", v: 1 });
    await coll.updateOne({ _id: "a" }, { $inc: { v: 1 } });
    const [, update] = await read(2);
    expect(update).toMatchObject({
      operationType: "update",
      updateDescription: { updatedFields: { v: 2 }, removedFields: [] },
      fullDocument: { _id: "a", v: 2 },
    });
    expect(stream.resumeToken).toEqual(update._id);
  });

  it("$match then $project: only the matching events, with only the fields kept", async () => {
    const coll = db.collection<TestDoc>("projected");
    const stream = coll.watch(
      [
        { $match: { operationType: { $in: ["insert", "update"] } } },
        { $match: { "fullDocument.kind": "ticket" } },
        { $project: { operationType: 1, "fullDocument.barcode": 1, "fullDocument.passes": 1 } },
      ],
      { ...WATCH, fullDocument: "updateLookup" },
    );
    const read = await opened(stream);
    await coll.insertOne({ _id: 1, kind: "note", barcode: "N", passes: 0, big: "x".repeat(1000) });
    await coll.insertOne({ _id: 2, kind: "ticket", barcode: "B2", passes: 0, big: "x".repeat(1000) });
    await coll.updateOne({ _id: 2 }, { $inc: { passes: 1 } });
    await coll.updateOne({ _id: 1 }, { $inc: { passes: 1 } });
    await coll.insertOne({ _id: 3, kind: "ticket", barcode: "B3", passes: 0 });
    const events = await read(3);
    expect(events.map(({ _id, ...rest }) => rest)).toEqual([
      { operationType: "insert", fullDocument: { barcode: "B2", passes: 0 } },
      { operationType: "update", fullDocument: { barcode: "B2", passes: 1 } },
      { operationType: "insert", fullDocument: { barcode: "B3", passes: 0 } },
    ]);
    // The resume token stays: the stream resumes after the last event read.
    expect(stream.resumeToken).toEqual(events[2]._id);
  });

  it("without updateLookup an update event has no fullDocument", async () => {
    const coll = db.collection<TestDoc>("no_lookup");
    const read = await opened(coll.watch([], WATCH));
    await coll.insertOne({ _id: "a", v: 1 });
    await coll.updateOne({ _id: "a" }, { $set: { v: 5 } });
    const [, update] = await read(2);
    expect(update.operationType).toBe("update");
    expect(update.fullDocument).toBeUndefined();
  });

  it("a $match stage in the pipeline filters events", async () => {
    const coll = db.collection<TestDoc>("filtered");
    const read = await opened(
      coll.watch([{ $match: { operationType: "insert", "fullDocument.kind": "vip" } }], WATCH),
    );
    await coll.insertOne({ _id: 1, kind: "vip" });
    await coll.insertOne({ _id: 2, kind: "regular" });
    await coll.updateOne({ _id: 1 }, { $set: { seen: true } });
    await coll.insertOne({ _id: 3, kind: "vip" });
    const events = await read(2);
    expect(events.map((e) => e.documentKey)).toEqual([{ _id: 1 }, { _id: 3 }]);
    const stream = streams[streams.length - 1];
    expect(await stream.tryNext()).toBeNull();
  });
});

describe("db.watch", () => {
  it("sees every collection of the database, and only that database", async () => {
    const read = await opened(db.watch([], WATCH));
    await db.collection<TestDoc>("first").insertOne({ _id: 1 });
    await env.client.db("elsewhere").collection<TestDoc>("first").insertOne({ _id: "other-db" });
    await db.collection<TestDoc>("second").insertOne({ _id: 2 });
    await db.collection<TestDoc>("first").updateOne({ _id: 1 }, { $set: { x: 1 } });
    const events = await read(3);
    expect(events.map((e) => [e.operationType, e.ns.coll, e.documentKey._id])).toEqual([
      ["insert", "first", 1],
      ["insert", "second", 2],
      ["update", "first", 1],
    ]);
  });
});

describe("resuming", () => {
  it("resumeAfter a token from the middle replays the events after it", async () => {
    const coll = db.collection<TestDoc>("resume");
    const stream = coll.watch([], WATCH);
    const read = await opened(stream);
    for (let i = 1; i <= 5; i++) await coll.insertOne({ _id: i });
    const events = await read(5);
    expect(events.map((e) => e.documentKey._id)).toEqual([1, 2, 3, 4, 5]);
    await stream.close();

    const token = events[1]._id as ResumeToken;
    const again = coll.watch([], { ...WATCH, resumeAfter: token });
    streams.push(again);
    const replayed: Document[] = [];
    for (let i = 0; i < 3; i++) replayed.push((await again.next()) as Document);
    expect(replayed.map((e) => e.documentKey._id)).toEqual([3, 4, 5]);
    await coll.insertOne({ _id: 6 });
    expect(((await again.next()) as Document).documentKey).toEqual({ _id: 6 });
  });

  it("startAfter works the same way", async () => {
    const coll = db.collection<TestDoc>("start_after");
    const read = await opened(coll.watch([], WATCH));
    await coll.insertMany([{ _id: "a" }, { _id: "b" }, { _id: "c" }]);
    const events = await read(3);
    const again = coll.watch([], { ...WATCH, startAfter: events[0]._id });
    streams.push(again);
    expect(((await again.next()) as Document).documentKey).toEqual({ _id: "b" });
    expect(((await again.next()) as Document).documentKey).toEqual({ _id: "c" });
  });

  it("an invalid or unknown token is an error (2 / 286)", async () => {
    const coll = db.collection<TestDoc>("bad_tokens");
    const malformed = coll.watch([], { ...WATCH, resumeAfter: { _data: "not a token" } });
    streams.push(malformed);
    const err = await caught(malformed.tryNext());
    expect([2, 286]).toContain(err.code);
    // Well-formed, but from another server run: its history is gone.
    const foreign = coll.watch([], { ...WATCH, resumeAfter: { _data: "00000000000000000000002a" } });
    streams.push(foreign);
    expect((await caught(foreign.tryNext())).code).toBe(286);
  });
});

describe("getMore on an idle stream", () => {
  it("honours maxAwaitTimeMS and answers an empty batch without error", async () => {
    const monitored = await env.connect(
      (uri) => new MongoClient(uri, { ...TEST_CLIENT_OPTIONS, monitorCommands: true }),
    );
    const started: CommandStartedEvent[] = [];
    const succeeded: CommandSucceededEvent[] = [];
    monitored.on("commandStarted", (e) => started.push(e));
    monitored.on("commandSucceeded", (e) => succeeded.push(e));
    const stream = monitored.db("streams").collection<TestDoc>("idle").watch([], { maxAwaitTimeMS: 150 });
    streams.push(stream);
    expect(await stream.tryNext()).toBeNull();
    expect(await stream.tryNext()).toBeNull();
    const getMores = started.filter((e) => e.commandName === "getMore");
    expect(getMores.length).toBeGreaterThanOrEqual(2);
    expect(getMores.every((e) => e.command.maxTimeMS === 150)).toBe(true);
    const replies = succeeded.filter((e) => e.commandName === "getMore");
    expect(replies).toHaveLength(getMores.length);
    for (const reply of replies) {
      const doc = reply.reply as Document;
      expect(doc.ok).toBe(1);
      expect(doc.cursor.nextBatch).toEqual([]);
      expect(reply.duration).toBeLessThan(5_000);
    }
  });
});
