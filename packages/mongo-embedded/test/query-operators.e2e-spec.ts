import {
  Binary,
  type Collection,
  Decimal128,
  type Document,
  type Filter,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
} from "mongodb";
import { startTestServer, type TestDoc, type TestServer } from "./support";

let env: TestServer;
let people: Collection<TestDoc>;

const oid1 = new ObjectId("64b7f0000000000000000001");
const oid2 = new ObjectId("64b7f0000000000000000002");
const oid3 = new ObjectId("64b7f0000000000000000003");
const TWO_POW_53 = 9007199254740992;
const TWO_POW_53_PLUS_1 = "9007199254740993";

const PEOPLE: Document[] = [
  {
    _id: 1,
    name: "alice",
    age: 30,
    tags: ["a", "b"],
    address: { city: "Paris", zip: "75001" },
    born: new Date("1990-05-01T00:00:00Z"),
    ref: oid1,
    score: 5,
    items: [
      { sku: "A", qty: 5 },
      { sku: "B", qty: 1 },
    ],
    note: null,
  },
  {
    _id: 2,
    name: "Bob",
    age: 25,
    tags: ["b", "c"],
    address: { city: "Lyon", zip: "69001" },
    born: new Date("1995-01-15T00:00:00Z"),
    ref: oid2,
    score: 5.5,
    items: [
      { sku: "A", qty: 1 },
      { sku: "B", qty: 9 },
    ],
  },
  {
    _id: 3,
    name: "carol",
    age: 35,
    tags: [],
    address: { zip: "75002", city: "Paris" },
    born: new Date("1985-12-31T00:00:00Z"),
    ref: oid3,
    score: "high",
    items: [],
    note: "n",
  },
  {
    _id: 4,
    name: "dave",
    age: Long.fromString(TWO_POW_53_PLUS_1),
    tags: ["a", "b", "c"],
    born: "1980-01-01",
    score: Decimal128.fromString("5.25"),
  },
  { _id: 5, name: "eve", age: TWO_POW_53, tags: "a", address: null, note: null, score: 7 },
  { _id: 6, name: "Frank", age: null, tags: ["x"], note: null },
];

/** The `_id`s a filter selects, in `_id` order. */
async function ids(filter: Filter<TestDoc>): Promise<unknown[]> {
  const docs = await people.find(filter, { projection: { _id: 1 }, sort: { _id: 1 } }).toArray();
  return docs.map((d) => d._id);
}

beforeAll(async () => {
  env = await startTestServer();
  people = env.client.db("queries").collection<TestDoc>("people");
  await people.insertMany(PEOPLE.map((p) => ({ ...p })));
});

afterAll(async () => {
  await env?.stop();
});

describe("comparison and set membership", () => {
  it("equality, $in, $nin, $ne", async () => {
    expect(await ids({ name: "alice" })).toEqual([1]);
    expect(await ids({ name: { $in: ["alice", "Bob", "zed"] } })).toEqual([1, 2]);
    expect(await ids({ tags: { $in: ["c"] } })).toEqual([2, 4]);
    expect(await ids({ age: { $in: [null] } })).toEqual([6]);
    expect(await ids({ tags: { $nin: ["a"] } })).toEqual([2, 3, 6]);
    expect(await ids({ name: { $ne: "alice" } })).toEqual([2, 3, 4, 5, 6]);
    expect(await ids({ "address.city": { $ne: "Paris" } })).toEqual([2, 4, 5, 6]);
  });

  it("ranges only match values of the same type bracket", async () => {
    expect(await ids({ age: { $gte: 25, $lt: 35 } })).toEqual([1, 2]);
    expect(await ids({ score: { $gt: 5 } })).toEqual([2, 4, 5]);
    expect(await ids({ score: { $gte: "a" } })).toEqual([3]);
  });
});

describe("existence, null and missing", () => {
  it("$exists", async () => {
    expect(await ids({ address: { $exists: true } })).toEqual([1, 2, 3, 5]);
    expect(await ids({ address: { $exists: false } })).toEqual([4, 6]);
    expect(await ids({ note: { $exists: true } })).toEqual([1, 3, 5, 6]);
  });

  it("{field: null} matches null and missing; $type 'null' only null", async () => {
    expect(await ids({ note: null })).toEqual([1, 2, 4, 5, 6]);
    expect(await ids({ note: { $type: "null" } })).toEqual([1, 5, 6]);
    expect(await ids({ note: { $ne: null } })).toEqual([3]);
    expect(await ids({ "address.city": null })).toEqual([4, 5, 6]);
  });
});

describe("$type", () => {
  it("by alias, by number and by list", async () => {
    expect(await ids({ ref: { $type: "objectId" } })).toEqual([1, 2, 3]);
    expect(await ids({ score: { $type: "string" } })).toEqual([3]);
    expect(await ids({ score: { $type: "number" } })).toEqual([1, 2, 4, 5]);
    expect(await ids({ score: { $type: "int" } })).toEqual([1, 5]);
    expect(await ids({ score: { $type: "double" } })).toEqual([2]);
    expect(await ids({ score: { $type: "decimal" } })).toEqual([4]);
    expect(await ids({ age: { $type: "long" } })).toContain(4);
    expect(await ids({ born: { $type: "date" } })).toEqual([1, 2, 3]);
    expect(await ids({ born: { $type: 2 } })).toEqual([4]);
    expect(await ids({ address: { $type: "object" } })).toEqual([1, 2, 3]);
    expect(await ids({ tags: { $type: "array" } })).toEqual([1, 2, 3, 4, 6]);
    expect(await ids({ score: { $type: ["string", "decimal"] } })).toEqual([3, 4]);
  });

  it("a double holding a large integer (2^53, as the JS driver sends it) is 'double', not 'long'", async () => {
    expect(await ids({ age: { $type: "long" } })).toEqual([4]);
    expect(await ids({ age: { $type: "double" } })).toEqual([5]);
  });
});

describe("strings", () => {
  it("$regex with $options and regex literals", async () => {
    expect(await ids({ name: { $regex: "^[a-c]" } })).toEqual([1, 3]);
    expect(await ids({ name: { $regex: "^b", $options: "i" } })).toEqual([2]);
    expect(await ids({ name: /E$/i })).toEqual([1, 4, 5]);
    expect(await ids({ tags: /^c/ })).toEqual([2, 4]);
    expect(await ids({ name: { $in: [/^f/i, "eve"] } })).toEqual([5, 6]);
  });
});

describe("arrays", () => {
  it("element match, exact array, index paths, empty array", async () => {
    expect(await ids({ tags: "b" })).toEqual([1, 2, 4]);
    expect(await ids({ tags: ["a", "b"] })).toEqual([1]);
    expect(await ids({ tags: ["b", "a"] })).toEqual([]);
    expect(await ids({ "tags.0": "a" })).toEqual([1, 4]);
    expect(await ids({ "items.1.qty": 9 })).toEqual([2]);
    expect(await ids({ tags: [] })).toEqual([3]);
  });

  it("$elemMatch needs one element to meet every condition; dotted paths do not", async () => {
    expect(await ids({ items: { $elemMatch: { sku: "A", qty: { $gte: 5 } } } })).toEqual([1]);
    expect(await ids({ "items.sku": "A", "items.qty": { $gte: 5 } })).toEqual([1, 2]);
    expect(await ids({ tags: { $elemMatch: { $gte: "c" } } })).toEqual([2, 4, 6]);
  });

  it("$size and $all", async () => {
    expect(await ids({ tags: { $size: 2 } })).toEqual([1, 2]);
    expect(await ids({ tags: { $size: 0 } })).toEqual([3]);
    expect(await ids({ tags: { $all: ["a", "b"] } })).toEqual([1, 4]);
    expect(await ids({ tags: { $all: ["a"] } })).toEqual([1, 4, 5]);
  });
});

describe("logical operators", () => {
  it("$and, $or, $nor, $not", async () => {
    expect(await ids({ $or: [{ age: { $lt: 28 } }, { name: "carol" }] })).toEqual([2, 3]);
    expect(await ids({ $and: [{ tags: "a" }, { tags: "c" }] })).toEqual([4]);
    expect(await ids({ $nor: [{ tags: "a" }, { age: null }] })).toEqual([2, 3]);
    expect(await ids({ age: { $not: { $gt: 30 } } })).toEqual([1, 2, 6]);
    expect(await ids({ name: { $not: /^[a-c]/ } })).toEqual([2, 4, 5, 6]);
  });
});

describe("dates, ObjectIds, sub-documents", () => {
  it("date ranges", async () => {
    expect(
      await ids({ born: { $gte: new Date("1990-01-01T00:00:00Z"), $lt: new Date("2000-01-01T00:00:00Z") } }),
    ).toEqual([1, 2]);
    expect(await ids({ born: { $lt: new Date("1990-01-01T00:00:00Z") } })).toEqual([3]);
  });

  it("ObjectId equality, $in and ranges", async () => {
    expect(await ids({ ref: oid2 })).toEqual([2]);
    expect(await ids({ ref: { $in: [oid1, oid3] } })).toEqual([1, 3]);
    expect(await ids({ ref: { $gt: oid1 } })).toEqual([2, 3]);
    expect(await ids({ ref: new ObjectId("64b7f0000000000000000009") })).toEqual([]);
  });

  it("dotted paths and whole sub-documents (field order matters)", async () => {
    expect(await ids({ "address.city": "Paris" })).toEqual([1, 3]);
    expect(await ids({ address: { city: "Paris", zip: "75001" } })).toEqual([1]);
    expect(await ids({ address: { zip: "75001", city: "Paris" } })).toEqual([]);
    expect(await ids({ address: { zip: "75002", city: "Paris" } })).toEqual([3]);
  });
});

describe("int64 and Decimal128", () => {
  it("compare by value, beyond 2^53 too", async () => {
    expect(await ids({ age: { $gt: TWO_POW_53 } })).toEqual([4]);
    expect(await ids({ age: Long.fromString(String(TWO_POW_53)) })).toEqual([5]);
    expect(await ids({ age: Long.fromString(TWO_POW_53_PLUS_1) })).toEqual([4]);
    expect(await ids({ age: { $gte: Long.fromString(TWO_POW_53_PLUS_1) } })).toEqual([4]);
    expect(await ids({ age: { $lt: Long.fromString(TWO_POW_53_PLUS_1) } })).toEqual([1, 2, 3, 5]);
    expect(await ids({ score: { $gt: 5, $lt: 5.5 } })).toEqual([4]);
    expect(await ids({ score: Decimal128.fromString("5.5") })).toEqual([2]);
    expect(await ids({ score: Decimal128.fromString("5.50") })).toEqual([2]);
    expect(await ids({ score: { $gte: Decimal128.fromString("5.25") } })).toEqual([2, 4, 5]);
  });

  it("come back with their type (Long beyond 2^53, Decimal128)", async () => {
    const dave = await people.findOne({ _id: 4 });
    expect(dave?.age).toEqual(Long.fromString(TWO_POW_53_PLUS_1));
    expect(dave?.score).toEqual(Decimal128.fromString("5.25"));
  });
});

describe("sort follows the BSON type order", () => {
  const MIXED: [string, unknown][] = [
    ["minKey", new MinKey()],
    ["null", null],
    ["neg", -1.5],
    ["int", 2],
    ["decimal", Decimal128.fromString("2.5")],
    ["long", Long.fromString(TWO_POW_53_PLUS_1)],
    ["strA", "A"],
    ["strb", "b"],
    ["object", { a: 1 }],
    ["binary", new Binary(Buffer.from([1, 2]))],
    ["objectId", new ObjectId("000000000000000000000001")],
    ["false", false],
    ["true", true],
    ["date", new Date(0)],
    ["timestamp", new Timestamp({ t: 1, i: 1 })],
    ["regex", /x/],
    ["maxKey", new MaxKey()],
  ];
  const ASCENDING = [
    "minKey",
    "missing",
    "null",
    "neg",
    "int",
    "decimal",
    "long",
    "strA",
    "strb",
    "object",
    "binary",
    "objectId",
    "false",
    "true",
    "date",
    "timestamp",
    "regex",
    "maxKey",
  ];

  let mixed: Collection<TestDoc>;
  beforeAll(async () => {
    mixed = env.client.db("queries").collection<TestDoc>("mixed");
    // Inserted in a scrambled order so that natural order does not pass for sorting.
    const docs: Document[] = [...MIXED.map(([_id, v]) => ({ _id, v })), { _id: "missing" }];
    await mixed.insertMany(
      docs.reverse().sort((a, b) => (String(a._id).length % 3) - (String(b._id).length % 3)),
    );
  });

  it("ascending and descending (null and missing tie, then _id)", async () => {
    const up = await mixed.find({}, { sort: { v: 1, _id: 1 } }).toArray();
    expect(up.map((d) => d._id)).toEqual(ASCENDING);
    const down = await mixed.find({}, { sort: { v: -1, _id: 1 } }).toArray();
    const expected = [...ASCENDING].reverse();
    // null and missing compare equal, so _id still orders them ascending.
    expected.splice(expected.indexOf("null"), 2, "missing", "null");
    expect(down.map((d) => d._id)).toEqual(expected);
  });

  it("a range on numbers ignores the other types", async () => {
    expect((await mixed.find({ v: { $gt: 1 } }, { sort: { _id: 1 } }).toArray()).map((d) => d._id)).toEqual([
      "decimal",
      "int",
      "long",
    ]);
    expect((await mixed.find({ v: { $lt: "B" } }, { sort: { _id: 1 } }).toArray()).map((d) => d._id)).toEqual(
      ["strA"],
    );
  });
});
