import { type Collection, type Document, Long, ObjectId, Timestamp, type UpdateOptions } from "mongodb";
import { caught, startTestServer, type TestDoc, type TestServer } from "./support";

let env: TestServer;
let coll: Collection<TestDoc>;
let nextId = 0;

beforeAll(async () => {
  env = await startTestServer();
  coll = env.client.db("updates").collection<TestDoc>("docs");
});

afterAll(async () => {
  await env?.stop();
});

/** Stores `doc`, applies `update` to it (which must match it), and returns it as stored, without `_id`. */
async function updated(
  doc: Document,
  update: Document | Document[],
  options: UpdateOptions & { filter?: Document; modified?: 0 | 1 } = {},
): Promise<Document | null> {
  const { filter, modified = 1, ...updateOptions } = options;
  const _id = ++nextId;
  await coll.insertOne({ _id, ...doc });
  const result = await coll.updateOne({ _id, ...filter }, update, updateOptions);
  expect({ matched: result.matchedCount, modified: result.modifiedCount }).toEqual({ matched: 1, modified });
  return coll.findOne({ _id }, { projection: { _id: 0 } });
}

describe("field operators", () => {
  it("$set creates nested paths and sets array elements", async () => {
    expect(await updated({ a: 1, b: { c: 2 } }, { $set: { "b.d": 3, "e.f.g": 4, a: 5 } })).toEqual({
      a: 5,
      b: { c: 2, d: 3 },
      e: { f: { g: 4 } },
    });
    expect(await updated({ arr: [1, 2, 3] }, { $set: { "arr.1": 20 } })).toEqual({ arr: [1, 20, 3] });
    expect(await updated({ a: 1 }, { $set: { a: 1 } }, { modified: 0 })).toEqual({ a: 1 });
  });

  it("$unset removes fields, missing ones included", async () => {
    expect(await updated({ a: 1, b: { c: 1, d: 2 } }, { $unset: { a: "", "b.c": "", missing: "" } })).toEqual(
      {
        b: { d: 2 },
      },
    );
    expect(await updated({ a: 1 }, { $unset: { missing: "" } }, { modified: 0 })).toEqual({ a: 1 });
  });

  it("$inc adds to numbers, creates missing fields and keeps int64 exact beyond 2^53", async () => {
    expect(await updated({ n: 1, f: 1.5 }, { $inc: { n: 2, f: -0.5, "new.count": 1 } })).toEqual({
      n: 3,
      f: 1,
      new: { count: 1 },
    });
    expect(await updated({ big: Long.fromString("9007199254740993") }, { $inc: { big: 1 } })).toEqual({
      big: Long.fromString("9007199254740994"),
    });
  });

  it("$inc on a non-number is refused (TypeMismatch, 14) and changes nothing", async () => {
    await coll.insertOne({ _id: "inc-string", s: "text" });
    const err = await caught(coll.updateOne({ _id: "inc-string" }, { $inc: { s: 1 } }));
    expect(err.code).toBe(14);
    expect(await coll.findOne({ _id: "inc-string" })).toEqual({ _id: "inc-string", s: "text" });
  });

  it("$mul multiplies, and a missing field becomes 0", async () => {
    expect(await updated({ p: 5, q: 2.5 }, { $mul: { p: 3, q: 2, r: 4 } })).toEqual({ p: 15, q: 5, r: 0 });
  });

  it("$min and $max keep the smaller / larger value, dates included", async () => {
    const d2019 = new Date("2019-01-01T00:00:00Z");
    const d2020 = new Date("2020-01-01T00:00:00Z");
    expect(
      await updated({ lo: 5, hi: 5, d: d2020 }, { $min: { lo: 3, d: d2019 }, $max: { hi: 10 } }),
    ).toEqual({
      lo: 3,
      hi: 10,
      d: d2019,
    });
    expect(await updated({ lo: 5, hi: 5 }, { $min: { lo: 8 }, $max: { hi: 1 } }, { modified: 0 })).toEqual({
      lo: 5,
      hi: 5,
    });
  });

  it("$rename moves fields, into sub-documents too", async () => {
    expect(await updated({ a: 1, b: { c: 2 } }, { $rename: { a: "x", "b.c": "y.z" } })).toEqual({
      b: {},
      x: 1,
      y: { z: 2 },
    });
  });

  it("$currentDate sets a Date or a Timestamp", async () => {
    const before = Date.now();
    const doc = await updated(
      { a: 1 },
      { $currentDate: { at: true, d: { $type: "date" }, ts: { $type: "timestamp" } } },
    );
    const after = Date.now();
    if (!doc) throw new Error("document vanished");
    expect(doc.at).toBeInstanceOf(Date);
    expect(doc.d).toBeInstanceOf(Date);
    expect((doc.at as Date).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect((doc.at as Date).getTime()).toBeLessThanOrEqual(after + 1000);
    expect(doc.ts).toBeInstanceOf(Timestamp);
    expect((doc.ts as Timestamp).high).toBeGreaterThanOrEqual(Math.floor(before / 1000) - 1);
  });

  it("$bit and / or / xor", async () => {
    expect(await updated({ v: 13 }, { $bit: { v: { and: 10 } } })).toEqual({ v: 8 });
    expect(await updated({ v: 1 }, { $bit: { v: { or: 4 } } })).toEqual({ v: 5 });
    expect(await updated({ v: 5 }, { $bit: { v: { xor: 1 } } })).toEqual({ v: 4 });
  });

  it("conflicting operators on one path are refused (40)", async () => {
    await coll.insertOne({ _id: "conflict", a: 1 });
    const err = await caught(coll.updateOne({ _id: "conflict" }, { $set: { a: 5 }, $inc: { a: 1 } }));
    expect(err.code).toBe(40);
    expect(await coll.findOne({ _id: "conflict" })).toEqual({ _id: "conflict", a: 1 });
  });
});

describe("array operators", () => {
  it("$push appends, and creates the array when missing", async () => {
    expect(await updated({ arr: [1] }, { $push: { arr: 2 } })).toEqual({ arr: [1, 2] });
    expect(await updated({}, { $push: { arr: { x: 1 } } })).toEqual({ arr: [{ x: 1 }] });
  });

  it("$push with $each, $position, $sort and $slice", async () => {
    expect(await updated({ arr: [1, 2] }, { $push: { arr: { $each: [8, 9], $position: 1 } } })).toEqual({
      arr: [1, 8, 9, 2],
    });
    expect(
      await updated(
        { scores: [{ s: 5 }, { s: 9 }] },
        { $push: { scores: { $each: [{ s: 7 }, { s: 1 }], $sort: { s: -1 }, $slice: 3 } } },
      ),
    ).toEqual({ scores: [{ s: 9 }, { s: 7 }, { s: 5 }] });
    expect(await updated({ a: [1, 2, 3] }, { $push: { a: { $each: [4, 5], $slice: -3 } } })).toEqual({
      a: [3, 4, 5],
    });
    expect(await updated({ a: [3, 1] }, { $push: { a: { $each: [2], $sort: 1 } } })).toEqual({
      a: [1, 2, 3],
    });
  });

  it("$addToSet adds only what is absent ($each too, sub-documents compared whole)", async () => {
    expect(await updated({ tags: ["a"] }, { $addToSet: { tags: "a" } }, { modified: 0 })).toEqual({
      tags: ["a"],
    });
    expect(await updated({ tags: ["a"] }, { $addToSet: { tags: { $each: ["a", "b", "b", "c"] } } })).toEqual({
      tags: ["a", "b", "c"],
    });
    expect(
      await updated({ items: [{ x: 1, y: 2 }] }, { $addToSet: { items: { x: 1, y: 2 } } }, { modified: 0 }),
    ).toEqual({
      items: [{ x: 1, y: 2 }],
    });
    expect(await updated({ items: [{ x: 1, y: 2 }] }, { $addToSet: { items: { y: 2, x: 1 } } })).toEqual({
      items: [
        { x: 1, y: 2 },
        { y: 2, x: 1 },
      ],
    });
  });

  it("$pull by value, by condition and by sub-document match", async () => {
    expect(await updated({ v: [1, 2, 1] }, { $pull: { v: 1 } })).toEqual({ v: [2] });
    expect(await updated({ scores: [1, 5, 6, 7, 2] }, { $pull: { scores: { $gte: 6 } } })).toEqual({
      scores: [1, 5, 2],
    });
    expect(
      await updated(
        {
          items: [
            { sku: "A", q: 1 },
            { sku: "B", q: 2 },
            { sku: "A", q: 3 },
          ],
        },
        { $pull: { items: { sku: "A" } } },
      ),
    ).toEqual({ items: [{ sku: "B", q: 2 }] });
  });

  it("$pullAll and $pop", async () => {
    expect(await updated({ v: [1, 2, 3, 1, 4] }, { $pullAll: { v: [1, 4] } })).toEqual({ v: [2, 3] });
    expect(await updated({ v: [1, 2, 3] }, { $pop: { v: 1 } })).toEqual({ v: [1, 2] });
    expect(await updated({ v: [1, 2, 3] }, { $pop: { v: -1 } })).toEqual({ v: [2, 3] });
  });

  it("positional $ updates the element the filter matched", async () => {
    expect(
      await updated({ grades: [80, 85, 90] }, { $set: { "grades.$": 86 } }, { filter: { grades: 85 } }),
    ).toEqual({
      grades: [80, 86, 90],
    });
    expect(
      await updated(
        {
          items: [
            { sku: "A", q: 1 },
            { sku: "B", q: 2 },
          ],
        },
        { $inc: { "items.$.q": 10 } },
        { filter: { "items.sku": "B" } },
      ),
    ).toEqual({
      items: [
        { sku: "A", q: 1 },
        { sku: "B", q: 12 },
      ],
    });
  });

  it("$[] updates every element", async () => {
    expect(await updated({ grades: [1, 2, 3] }, { $inc: { "grades.$[]": 10 } })).toEqual({
      grades: [11, 12, 13],
    });
  });

  it("$[elem] with arrayFilters updates the elements that match", async () => {
    expect(
      await updated(
        { grades: [95, 102, 90, 150] },
        { $set: { "grades.$[g]": 100 } },
        { arrayFilters: [{ g: { $gte: 100 } }] },
      ),
    ).toEqual({ grades: [95, 100, 90, 100] });
    expect(
      await updated(
        {
          items: [
            { sku: "A", q: 1 },
            { sku: "B", q: 2 },
            { sku: "A", q: 3 },
          ],
        },
        { $set: { "items.$[i].q": 0 } },
        { arrayFilters: [{ "i.sku": "A" }] },
      ),
    ).toEqual({
      items: [
        { sku: "A", q: 0 },
        { sku: "B", q: 2 },
        { sku: "A", q: 0 },
      ],
    });
  });
});

describe("pipeline updates", () => {
  it("runs $set/$unset stages with expressions over the document", async () => {
    expect(
      await updated({ a: 2, b: 3, tmp: 1 }, [{ $set: { sum: { $add: ["$a", "$b"] } } }, { $unset: "tmp" }]),
    ).toEqual({
      a: 2,
      b: 3,
      sum: 5,
    });
  });

  it("updateMany with a pipeline updates every match", async () => {
    const many = env.client.db("updates").collection<TestDoc>("pipeline_many");
    await many.insertMany([
      { _id: 1, price: 10, qty: 2 },
      { _id: 2, price: 5, qty: 3 },
    ]);
    const result = await many.updateMany({}, [{ $set: { total: { $multiply: ["$price", "$qty"] } } }]);
    expect(result).toMatchObject({ matchedCount: 2, modifiedCount: 2 });
    expect(await many.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      { _id: 1, price: 10, qty: 2, total: 20 },
      { _id: 2, price: 5, qty: 3, total: 15 },
    ]);
  });
});

describe("upserts", () => {
  it("seed the new document from the filter's equality fields (dotted too); $setOnInsert only on insert", async () => {
    const upserts = env.client.db("updates").collection<TestDoc>("upserts");
    const created = new Date("2024-01-01T00:00:00Z");
    const filter = {
      sku: "X",
      "meta.region": "EU",
      "meta.zone": { $eq: 3 },
      qty: { $gte: 0 },
      $or: [{ a: 1 }, { b: 2 }],
    };
    const first = await upserts.updateOne(
      filter,
      { $set: { price: 10, qty: 1 }, $setOnInsert: { createdAt: created } },
      { upsert: true },
    );
    expect(first.upsertedCount).toBe(1);
    expect(first.upsertedId).toBeInstanceOf(ObjectId);
    const id = first.upsertedId;
    if (id === null) throw new Error("the upsert reported no upsertedId");
    expect(await upserts.findOne({ _id: id })).toEqual({
      _id: id,
      sku: "X",
      meta: { region: "EU", zone: 3 },
      price: 10,
      qty: 1,
      createdAt: created,
    });
    await upserts.updateOne({ _id: id }, { $set: { a: 1 } });
    const second = await upserts.updateOne(
      filter,
      { $set: { price: 12 }, $setOnInsert: { createdAt: new Date("2030-01-01T00:00:00Z") } },
      { upsert: true },
    );
    expect(second).toEqual({
      acknowledged: true,
      matchedCount: 1,
      modifiedCount: 1,
      upsertedCount: 0,
      upsertedId: null,
    });
    expect(await upserts.findOne({ _id: id })).toEqual({
      _id: id,
      sku: "X",
      meta: { region: "EU", zone: 3 },
      price: 12,
      qty: 1,
      createdAt: created,
      a: 1,
    });
  });

  it("take _id from the filter, and a replacement keeps only the filter's _id", async () => {
    const upserts = env.client.db("updates").collection<TestDoc>("upserts_id");
    const byId = await upserts.updateOne({ _id: "u1", kind: "k" }, { $set: { v: 1 } }, { upsert: true });
    expect(byId.upsertedId).toBe("u1");
    expect(await upserts.findOne({ _id: "u1" })).toEqual({ _id: "u1", kind: "k", v: 1 });
    await upserts.replaceOne({ name: "r", ignored: 1 }, { name: "r", v: 2 }, { upsert: true });
    const replaced = await upserts.find({ name: "r" }).toArray();
    expect(replaced).toEqual([{ _id: expect.any(ObjectId), name: "r", v: 2 }]);
  });
});

describe("_id is immutable", () => {
  it("refuses $set and replacement that change _id (66), and allows setting it to itself", async () => {
    await coll.insertOne({ _id: 500, a: 1 });
    expect((await caught(coll.updateOne({ _id: 500 }, { $set: { _id: 501 } }))).code).toBe(66);
    expect((await caught(coll.replaceOne({ _id: 500 }, { _id: 502, a: 2 }))).code).toBe(66);
    expect((await caught(coll.findOneAndUpdate({ _id: 500 }, { $set: { _id: 503 } }))).code).toBe(66);
    expect(await coll.updateOne({ _id: 500 }, { $set: { _id: 500, a: 3 } })).toMatchObject({
      matchedCount: 1,
      modifiedCount: 1,
    });
    expect(await coll.find({ _id: { $gte: 500, $lte: 503 } }).toArray()).toEqual([{ _id: 500, a: 3 }]);
  });
});
