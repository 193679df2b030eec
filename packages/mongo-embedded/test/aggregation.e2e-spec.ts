import type { Collection, Db } from "mongodb";
import { caught, startTestServer, type TestDoc, type TestServer } from "./support";

let env: TestServer;
let db: Db;
let sales: Collection<TestDoc>;

beforeAll(async () => {
  env = await startTestServer();
  db = env.client.db("aggregation");
  sales = db.collection<TestDoc>("sales");
  await sales.insertMany([
    { _id: 1, item: "abc", price: 10, qty: 2, tags: ["x", "y"], store: "s1" },
    { _id: 2, item: "jkl", price: 20, qty: 1, tags: ["y"], store: "s1" },
    { _id: 3, item: "xyz", price: 5, qty: 10, tags: [], store: "s2" },
    { _id: 4, item: "xyz", price: 5, qty: 20, tags: ["x"], store: "s2" },
    { _id: 5, item: "abc", price: 10, qty: 10, tags: ["z", "x"], store: "s3" },
  ]);
  await db.collection<TestDoc>("stores").insertMany([
    { _id: "s1", city: "Paris" },
    { _id: "s2", city: "Lyon" },
  ]);
});

afterAll(async () => {
  await env?.stop();
});

describe("stages", () => {
  it("$match + $group with $sum/$avg/$min/$max/$push/$addToSet, then $sort", async () => {
    const groups = await sales
      .aggregate([
        { $match: { price: { $gte: 5 } } },
        { $sort: { _id: 1 } },
        {
          $group: {
            _id: "$item",
            total: { $sum: { $multiply: ["$price", "$qty"] } },
            count: { $sum: 1 },
            avgQty: { $avg: "$qty" },
            minQty: { $min: "$qty" },
            maxQty: { $max: "$qty" },
            ids: { $push: "$_id" },
            stores: { $addToSet: "$store" },
          },
        },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    for (const g of groups) (g.stores as string[]).sort();
    expect(groups).toEqual([
      {
        _id: "abc",
        total: 120,
        count: 2,
        avgQty: 6,
        minQty: 2,
        maxQty: 10,
        ids: [1, 5],
        stores: ["s1", "s3"],
      },
      { _id: "jkl", total: 20, count: 1, avgQty: 1, minQty: 1, maxQty: 1, ids: [2], stores: ["s1"] },
      { _id: "xyz", total: 150, count: 2, avgQty: 15, minQty: 10, maxQty: 20, ids: [3, 4], stores: ["s2"] },
    ]);
  });

  it("$group by null totals the whole input", async () => {
    expect(
      await sales.aggregate([{ $group: { _id: null, qty: { $sum: "$qty" }, n: { $sum: 1 } } }]).toArray(),
    ).toEqual([{ _id: null, qty: 43, n: 5 }]);
  });

  it("$unwind then $group", async () => {
    expect(
      await sales
        .aggregate([
          { $unwind: "$tags" },
          { $group: { _id: "$tags", n: { $sum: 1 } } },
          { $sort: { n: -1, _id: 1 } },
        ])
        .toArray(),
    ).toEqual([
      { _id: "x", n: 3 },
      { _id: "y", n: 2 },
      { _id: "z", n: 1 },
    ]);
  });

  it("$lookup joins another collection", async () => {
    const joined = await sales
      .aggregate([
        { $match: { _id: { $in: [1, 3, 5] } } },
        { $lookup: { from: "stores", localField: "store", foreignField: "_id", as: "storeInfo" } },
        { $project: { storeInfo: 1 } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(joined).toEqual([
      { _id: 1, storeInfo: [{ _id: "s1", city: "Paris" }] },
      { _id: 3, storeInfo: [{ _id: "s2", city: "Lyon" }] },
      { _id: 5, storeInfo: [] },
    ]);
  });

  it("$count", async () => {
    expect(await sales.aggregate([{ $match: { qty: { $gte: 10 } } }, { $count: "n" }]).toArray()).toEqual([
      { n: 3 },
    ]);
  });

  it("$facet runs sub-pipelines over the same input", async () => {
    expect(
      await sales
        .aggregate([
          {
            $facet: {
              byStore: [{ $group: { _id: "$store", n: { $sum: 1 } } }, { $sort: { _id: 1 } }],
              top: [{ $sort: { qty: -1, _id: 1 } }, { $limit: 2 }, { $project: { _id: 1 } }],
            },
          },
        ])
        .toArray(),
    ).toEqual([
      {
        byStore: [
          { _id: "s1", n: 2 },
          { _id: "s2", n: 2 },
          { _id: "s3", n: 1 },
        ],
        top: [{ _id: 4 }, { _id: 3 }],
      },
    ]);
  });

  it("$sort, $skip, $limit, $addFields, $project", async () => {
    expect(
      await sales
        .aggregate([
          { $sort: { _id: 1 } },
          { $skip: 1 },
          { $limit: 2 },
          { $addFields: { value: { $multiply: ["$price", "$qty"] } } },
          { $project: { _id: 0, item: 1, value: 1, big: { $gt: ["$qty", 5] } } },
        ])
        .toArray(),
    ).toEqual([
      { item: "jkl", value: 20, big: false },
      { item: "xyz", value: 50, big: true },
    ]);
  });

  it("results span several batches", async () => {
    const docs = await sales.aggregate([{ $sort: { _id: -1 } }], { batchSize: 2 }).toArray();
    expect(docs.map((d) => d._id)).toEqual([5, 4, 3, 2, 1]);
  });

  it("an aggregation over a missing collection is empty", async () => {
    expect(
      await db
        .collection<TestDoc>("missing")
        .aggregate([{ $match: {} }])
        .toArray(),
    ).toEqual([]);
  });
});

describe("refusals", () => {
  it("an unknown stage is an error naming it", async () => {
    const err = await caught(sales.aggregate([{ $match: {} }, { $bogusStage: {} }]).toArray());
    expect(typeof err.code).toBe("number");
    expect(err.message).toContain("$bogusStage");
  });

  it("$where is refused in find and in $match", async () => {
    const inFind = await caught(sales.find({ $where: "this.qty > 1" }).toArray());
    expect(inFind.message).toContain("$where");
    const inMatch = await caught(sales.aggregate([{ $match: { $where: "true" } }]).toArray());
    expect(inMatch.message).toContain("$where");
    const inCount = await caught(sales.countDocuments({ $where: "true" }));
    expect(inCount.message).toContain("$where");
  });

  it("$function and $accumulator are refused", async () => {
    const fn = { $function: { body: "function () { return true; }", args: [], lang: "js" } };
    const inExpr = await caught(sales.find({ $expr: fn }).toArray());
    expect(inExpr.message).toContain("$function");
    const inAddFields = await caught(sales.aggregate([{ $addFields: { f: fn } }]).toArray());
    expect(inAddFields.message).toContain("$function");
    const accumulator = {
      $accumulator: {
        init: "function () { return 0; }",
        accumulate: "function (s) { return s + 1; }",
        accumulateArgs: [],
        merge: "function (a, b) { return a + b; }",
        lang: "js",
      },
    };
    const inGroup = await caught(sales.aggregate([{ $group: { _id: null, n: accumulator } }]).toArray());
    expect(inGroup.message).toContain("$accumulator");
  });

  it("$out and $merge are refused and write nothing", async () => {
    await caught(sales.aggregate([{ $out: "copy" }]).toArray());
    await caught(sales.aggregate([{ $merge: { into: "copy2" } }]).toArray());
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
    expect(names).toEqual(["sales", "stores"]);
  });
});
