/// <reference types="jest" />
import { Decimal128, type Document, Long, ObjectId, Timestamp } from "bson";
import { copyValue, identicalValues } from "../bson/copy-value";
import { applyUpdate, QueryError, type UpdateOptions } from "./mingo-options";

const long = (s: string) => Long.fromString(s);
const dec = (s: string) => Decimal128.fromString(s);
const now = new Date("2024-05-01T10:00:00Z");

function expectError(run: () => unknown, code: number, message: string | RegExp): void {
  let caught: unknown;
  try {
    run();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(QueryError);
  expect({ code: (caught as QueryError).code, message: (caught as QueryError).message }).toEqual({
    code,
    message: typeof message === "string" ? expect.stringContaining(message) : expect.stringMatching(message),
  });
}

type Row = [string, Document, Document | Document[], UpdateOptions, Document, boolean];

describe("applyUpdate: operators", () => {
  it.each<Row>([
    ["$set a field", { _id: 1, a: 1 }, { $set: { a: 2 } }, {}, { _id: 1, a: 2 }, true],
    ["$set the same value is a no-op", { _id: 1, a: 1 }, { $set: { a: 1 } }, {}, { _id: 1, a: 1 }, false],
    [
      "$set a Long over a number changes the type",
      { _id: 1, a: 1 },
      { $set: { a: long("1") } },
      {},
      { _id: 1, a: long("1") },
      true,
    ],
    ["$set creates the path", { _id: 1 }, { $set: { "a.b.c": 1 } }, {}, { _id: 1, a: { b: { c: 1 } } }, true],
    [
      "$set pads arrays with null",
      { _id: 1, a: [1] },
      { $set: { "a.3": 4 } },
      {},
      { _id: 1, a: [1, null, null, 4] },
      true,
    ],
    [
      "new fields land in field order",
      { _id: 1 },
      { $set: { z: 1, b: 1 }, $inc: { a: 1 } },
      {},
      { _id: 1, a: 1, b: 1, z: 1 },
      true,
    ],
    ["$unset", { _id: 1, a: 1, b: 2 }, { $unset: { a: "" } }, {}, { _id: 1, b: 2 }, true],
    ["$unset missing is a no-op", { _id: 1 }, { $unset: { "a.b": 1 } }, {}, { _id: 1 }, false],
    [
      "$unset an array element leaves null",
      { _id: 1, a: [1, 2] },
      { $unset: { "a.0": 1 } },
      {},
      { _id: 1, a: [null, 2] },
      true,
    ],
    ["$inc", { _id: 1, n: 1 }, { $inc: { n: 2 } }, {}, { _id: 1, n: 3 }, true],
    ["$inc missing", { _id: 1 }, { $inc: { n: 2 } }, {}, { _id: 1, n: 2 }, true],
    ["$inc by 0 is a no-op", { _id: 1, n: 2 }, { $inc: { n: 0 } }, {}, { _id: 1, n: 2 }, false],
    ["$inc double", { _id: 1, n: 1.5 }, { $inc: { n: 1 } }, {}, { _id: 1, n: 2.5 }, true],
    [
      "$inc past 2^53 gives an exact Long",
      { _id: 1, n: 9007199254740992 },
      { $inc: { n: 1 } },
      {},
      { _id: 1, n: long("9007199254740993") },
      true,
    ],
    [
      "$inc a Long",
      { _id: 1, n: long("9007199254740993") },
      { $inc: { n: 1 } },
      {},
      { _id: 1, n: long("9007199254740994") },
      true,
    ],
    [
      "$inc a Long back under 2^53 gives a number",
      { _id: 1, n: long("9007199254740993") },
      { $inc: { n: -2 } },
      {},
      { _id: 1, n: 9007199254740991 },
      true,
    ],
    [
      "$inc Decimal128",
      { _id: 1, p: dec("19.99") },
      { $inc: { p: 0.01 } },
      {},
      { _id: 1, p: dec("20.00") },
      true,
    ],
    ["$mul", { _id: 1, n: 3 }, { $mul: { n: 4 } }, {}, { _id: 1, n: 12 }, true],
    ["$mul missing writes 0", { _id: 1 }, { $mul: { n: 4 } }, {}, { _id: 1, n: 0 }, true],
    ["$min lower", { _id: 1, n: 5 }, { $min: { n: 3 } }, {}, { _id: 1, n: 3 }, true],
    ["$min higher is a no-op", { _id: 1, n: 5 }, { $min: { n: 7 } }, {}, { _id: 1, n: 5 }, false],
    ["$max across types (BSON order)", { _id: 1, n: 5 }, { $max: { n: "a" } }, {}, { _id: 1, n: "a" }, true],
    [
      "$max with Long",
      { _id: 1, n: long("9007199254740993") },
      { $max: { n: 9007199254740992 } },
      {},
      { _id: 1, n: long("9007199254740993") },
      false,
    ],
    ["$rename", { _id: 1, a: 1, b: 2 }, { $rename: { a: "c.d" } }, {}, { _id: 1, b: 2, c: { d: 1 } }, true],
    ["$rename missing is a no-op", { _id: 1 }, { $rename: { a: "b" } }, {}, { _id: 1 }, false],
    ["$currentDate", { _id: 1 }, { $currentDate: { at: true } }, { now }, { _id: 1, at: now }, true],
    ["$push", { _id: 1, a: [1] }, { $push: { a: 2 } }, {}, { _id: 1, a: [1, 2] }, true],
    ["$push creates the array", { _id: 1 }, { $push: { a: { x: 1 } } }, {}, { _id: 1, a: [{ x: 1 }] }, true],
    [
      "$push $each $position $sort $slice",
      { _id: 1, a: [5, 1] },
      { $push: { a: { $each: [3, 9], $position: 0, $sort: -1, $slice: 3 } } },
      {},
      { _id: 1, a: [9, 5, 3] },
      true,
    ],
    [
      "$push $sort by field",
      { _id: 1, a: [{ s: 2 }, { s: 9 }] },
      { $push: { a: { $each: [{ s: 5 }], $sort: { s: 1 }, $slice: -2 } } },
      {},
      { _id: 1, a: [{ s: 5 }, { s: 9 }] },
      true,
    ],
    [
      "$push negative $position",
      { _id: 1, a: [1, 2, 3] },
      { $push: { a: { $each: [9], $position: -1 } } },
      {},
      { _id: 1, a: [1, 2, 9, 3] },
      true,
    ],
    ["$addToSet adds", { _id: 1, a: [1] }, { $addToSet: { a: 2 } }, {}, { _id: 1, a: [1, 2] }, true],
    [
      "$addToSet: Long(1) is already there",
      { _id: 1, a: [1] },
      { $addToSet: { a: long("1") } },
      {},
      { _id: 1, a: [1] },
      false,
    ],
    [
      "$addToSet $each",
      { _id: 1, a: [1] },
      { $addToSet: { a: { $each: [1, 2, 2, 3] } } },
      {},
      { _id: 1, a: [1, 2, 3] },
      true,
    ],
    ["$pull a value", { _id: 1, a: [1, 2, 1] }, { $pull: { a: 1 } }, {}, { _id: 1, a: [2] }, true],
    [
      "$pull a condition",
      { _id: 1, a: [1, 5, 9] },
      { $pull: { a: { $gte: 5 } } },
      {},
      { _id: 1, a: [1] },
      true,
    ],
    [
      "$pull a document query",
      { _id: 1, a: [{ x: 1, y: 1 }, { x: 2 }] },
      { $pull: { a: { x: 1 } } },
      {},
      { _id: 1, a: [{ x: 2 }] },
      true,
    ],
    ["$pull nothing", { _id: 1, a: [1] }, { $pull: { a: 2 } }, {}, { _id: 1, a: [1] }, false],
    ["$pullAll", { _id: 1, a: [1, 2, 3, 1] }, { $pullAll: { a: [1, 3] } }, {}, { _id: 1, a: [2] }, true],
    ["$pop last", { _id: 1, a: [1, 2, 3] }, { $pop: { a: 1 } }, {}, { _id: 1, a: [1, 2] }, true],
    ["$pop first", { _id: 1, a: [1, 2, 3] }, { $pop: { a: -1 } }, {}, { _id: 1, a: [2, 3] }, true],
    [
      "$bit",
      { _id: 1, f: 0b1010 },
      { $bit: { f: { and: 0b0110, or: 0b0001 } } },
      {},
      { _id: 1, f: 0b0011 },
      true,
    ],
  ])("%s", (_name, doc, update, options, expected, modified) => {
    const result = applyUpdate(doc, update, options);
    expect(result.doc).toEqual(expected);
    expect(identicalValues(result.doc, expected)).toBe(true);
    expect(result.modified).toBe(modified);
  });

  it("writes a Timestamp for $currentDate {$type: 'timestamp'}", () => {
    const { doc } = applyUpdate({ _id: 1 }, { $currentDate: { ts: { $type: "timestamp" } } }, { now });
    expect(doc.ts).toBeInstanceOf(Timestamp);
    expect((doc.ts as Timestamp).t).toBe(now.getTime() / 1000);
  });
});

describe("applyUpdate: positional operators", () => {
  const order = {
    _id: 1,
    items: [
      { sku: "a", qty: 1, grades: [90, 40] },
      { sku: "b", qty: 2, grades: [30, 95] },
    ],
  };

  it("$ updates the element the query matched", () => {
    const { doc } = applyUpdate(order, { $set: { "items.$.qty": 9 } }, { query: { "items.sku": "b" } });
    expect(doc.items).toEqual([order.items[0], { ...order.items[1], qty: 9 }]);
  });

  it("$ with $elemMatch in the query", () => {
    const { doc } = applyUpdate(
      order,
      { $inc: { "items.$.qty": 1 } },
      { query: { items: { $elemMatch: { sku: "a", qty: 1 } } } },
    );
    expect(doc.items[0].qty).toBe(2);
  });

  it("$ on an array of scalars", () => {
    const { doc } = applyUpdate(
      { _id: 1, grades: [80, 85, 90] },
      { $set: { "grades.$": 82 } },
      { query: { grades: 85 } },
    );
    expect(doc.grades).toEqual([80, 82, 90]);
  });

  it("$[] updates every element", () => {
    const { doc } = applyUpdate(order, { $inc: { "items.$[].qty": 10 } });
    expect(doc.items.map((i: Document) => i.qty)).toEqual([11, 12]);
  });

  it("$[<id>] updates the elements the array filter selects", () => {
    const { doc } = applyUpdate(
      order,
      { $set: { "items.$[it].flag": true } },
      { arrayFilters: [{ "it.qty": { $gte: 2 } }] },
    );
    expect(doc.items.map((i: Document) => i.flag)).toEqual([undefined, true]);
  });

  it("nested $[<id>] with two array filters", () => {
    const { doc } = applyUpdate(
      order,
      { $set: { "items.$[it].grades.$[low]": 50 } },
      { arrayFilters: [{ "it.sku": "a" }, { low: { $lt: 50 } }] },
    );
    expect(doc.items.map((i: Document) => i.grades)).toEqual([
      [90, 50],
      [30, 95],
    ]);
  });

  it("$[<id>] with a scalar filter", () => {
    const { doc } = applyUpdate(
      { _id: 1, a: [1, 5, 9] },
      { $mul: { "a.$[big]": 2 } },
      { arrayFilters: [{ big: { $gt: 4 } }] },
    );
    expect(doc.a).toEqual([1, 10, 18]);
  });

  it.each<[string, Document, UpdateOptions, number, string | RegExp]>([
    [
      "$ without a query on the array",
      { $set: { "items.$.qty": 1 } },
      { query: { _id: 1 } },
      2,
      "The positional operator did not find the match needed from the query.",
    ],
    ["$ with no query", { $set: { "items.$.qty": 1 } }, {}, 2, "did not find the match"],
    [
      "identifier without a filter",
      { $set: { "items.$[x].qty": 1 } },
      {},
      2,
      "No array filter found for identifier 'x' in path 'items.$[x].qty'",
    ],
    [
      "unused array filter",
      { $set: { a: 1 } },
      { arrayFilters: [{ x: 1 }] },
      9,
      "The array filter for identifier 'x' was not used",
    ],
    [
      "two identifiers in one filter",
      { $set: { "items.$[x]": 1 } },
      { arrayFilters: [{ x: 1, y: 2 }] },
      9,
      "Expected a single top-level field name",
    ],
    ["$[] on a scalar", { $set: { "_id.$[]": 1 } }, {}, 2, "Cannot apply array updates to non-array element"],
  ])("refuses %s", (_name, update, options, code, message) => {
    expectError(() => applyUpdate(order, update, options), code, message);
  });
});

describe("applyUpdate: upserts", () => {
  it("applies $setOnInsert only when inserting", () => {
    const update = { $set: { a: 1 }, $setOnInsert: { createdAt: now } };
    expect(applyUpdate({ _id: 1 }, update, { isUpsertInsert: true }).doc).toEqual({
      _id: 1,
      a: 1,
      createdAt: now,
    });
    expect(applyUpdate({ _id: 1 }, update, { isUpsertInsert: false }).doc).toEqual({ _id: 1, a: 1 });
  });

  it("lets an upsert without _id in its query set _id", () => {
    expect(applyUpdate({ name: "x" }, { $setOnInsert: { _id: 7 } }, { isUpsertInsert: true }).doc).toEqual({
      name: "x",
      _id: 7,
    });
  });

  it("$setOnInsert still conflicts with $set on the same path", () => {
    expectError(
      () => applyUpdate({ _id: 1 }, { $set: { a: 1 }, $setOnInsert: { a: 2 } }),
      40,
      "Updating the path 'a' would create a conflict at 'a'",
    );
  });
});

describe("applyUpdate: replacements and pipelines", () => {
  it.each<Row>([
    ["replacement keeps _id first", { _id: 1, a: 1 }, { b: 2 }, {}, { _id: 1, b: 2 }, true],
    ["replacement with the same _id", { _id: 1, a: 1 }, { a: 1, _id: 1 }, {}, { _id: 1, a: 1 }, false],
    ["{} is a replacement", { _id: 1, a: 1 }, {}, {}, { _id: 1 }, true],
    [
      "pipeline $set",
      { _id: 1, a: 2, b: 3 },
      [{ $set: { total: { $add: ["$a", "$b"] } } }],
      {},
      { _id: 1, a: 2, b: 3, total: 5 },
      true,
    ],
    ["pipeline $unset", { _id: 1, a: 2, b: 3 }, [{ $unset: "b" }], {}, { _id: 1, a: 2 }, true],
    [
      "pipeline $replaceWith keeps _id",
      { _id: 1, a: { x: 1 } },
      [{ $replaceWith: "$a" }],
      {},
      { _id: 1, x: 1 },
      true,
    ],
    [
      "pipeline $project keeps _id",
      { _id: 1, a: 1, b: 2 },
      [{ $project: { a: 1 } }],
      {},
      { _id: 1, a: 1 },
      true,
    ],
    ["empty pipeline", { _id: 1, a: 1 }, [], {}, { _id: 1, a: 1 }, false],
  ])("%s", (_name, doc, update, options, expected, modified) => {
    const result = applyUpdate(doc, update, options);
    expect(result.doc).toEqual(expected);
    expect(Object.keys(result.doc)).toEqual(Object.keys(expected));
    expect(result.modified).toBe(modified);
  });
});

describe("applyUpdate: refusals", () => {
  const doc = { _id: new ObjectId("64b7f0c2a1b2c3d4e5f60718"), s: "text", n: 1, a: [1], o: { x: 1 } };
  it.each<[string, Document | Document[], UpdateOptions, number, string | RegExp]>([
    ["unknown modifier", { $foo: { a: 1 } }, {}, 9, /^Unknown modifier: \$foo/],
    ["operators mixed with fields", { $set: { a: 1 }, b: 2 }, {}, 9, /^Unknown modifier: b/],
    ["operator argument not a document", { $set: 5 }, {}, 9, "Modifiers operate on fields"],
    ["$inc on a string", { $inc: { s: 1 } }, {}, 14, "Cannot apply $inc to a value of non-numeric type"],
    ["$inc with a string", { $inc: { n: "1" } }, {}, 14, "Cannot increment with non-numeric argument"],
    ["$mul on an array", { $mul: { a: 2 } }, {}, 14, "Cannot apply $mul to a value of non-numeric type"],
    ["$inc past int64", { $set: { n: long("9223372036854775807") } }, {}, -1, ""],
    [
      "$set _id",
      { $set: { _id: 2 } },
      {},
      66,
      "Performing an update on the path '_id' would modify the immutable field '_id'",
    ],
    ["$unset _id", { $unset: { _id: 1 } }, {}, 66, "immutable field '_id'"],
    ["$rename onto _id", { $rename: { n: "_id" } }, {}, 66, "immutable field '_id'"],
    ["replacement with another _id", { _id: 3, x: 1 }, {}, 66, "immutable field '_id'"],
    ["pipeline changing _id", [{ $set: { _id: 3 } }], {}, 66, "immutable field '_id'"],
    [
      "conflicting paths",
      { $set: { "o.x": 1 }, $unset: { o: 1 } },
      {},
      40,
      "Updating the path 'o.x' would create a conflict at 'o'",
    ],
    [
      "creating a field in a scalar",
      { $set: { "s.x": 1 } },
      {},
      28,
      "Cannot create field 'x' in element {s: \"text\"}",
    ],
    [
      "creating a named field in an array",
      { $set: { "a.x": 1 } },
      {},
      28,
      "Cannot create field 'x' in element {a: [1]}",
    ],
    [
      "$push on a non-array",
      { $push: { s: 1 } },
      {},
      2,
      "The field 's' must be an array but is of type string",
    ],
    ["$addToSet on a non-array", { $addToSet: { n: 1 } }, {}, 2, "Cannot apply $addToSet to non-array field"],
    ["$pop 2", { $pop: { a: 2 } }, {}, 9, "$pop expects 1 or -1"],
    ["empty path component", { $set: { "a..b": 1 } }, {}, 56, "contains an empty field name"],
    ["$-prefixed field", { $set: { $x: 1 } }, {}, 52, "The dollar ($) prefixed field '$x'"],
    [
      "stage not allowed in an update",
      [{ $match: { a: 1 } }],
      {},
      72,
      "$match is not allowed to be used within an update",
    ],
    ["$rename to a string only", { $rename: { n: 5 } }, {}, 2, "The 'to' field for $rename must be a string"],
    ["$bit on a double", { $bit: { n: { and: 1.5 } } }, {}, 2, "must be an Integer"],
  ])("%s", (_name, update, options, code, message) => {
    if (code === -1) {
      // Setting the int64 maximum is fine; incrementing it overflows.
      const { doc: max } = applyUpdate(doc, update, options);
      expectError(() => applyUpdate(max, { $inc: { n: 1 } }), 2, "Failed to apply $inc operations");
      return;
    }
    expectError(() => applyUpdate(doc, update, options), code, message);
  });

  it("allows $set of _id to its own value", () => {
    expect(applyUpdate(doc, { $set: { _id: new ObjectId(doc._id.toHexString()) } }).modified).toBe(false);
  });
});

describe("applyUpdate never mutates its input", () => {
  const deepFreeze = <T>(v: T): T => {
    if (
      Array.isArray(v) ||
      (typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype)
    ) {
      for (const inner of Object.values(v as object)) deepFreeze(inner);
      Object.freeze(v);
    }
    return v;
  };
  const original = () => ({
    _id: 1,
    n: 1,
    o: { x: 1, deep: { y: [1, 2] } },
    items: [
      { sku: "a", qty: 1, tags: ["x"] },
      { sku: "b", qty: 2, tags: [] },
    ],
    list: [3, 1, 2],
  });

  it.each<[string, Document | Document[], UpdateOptions]>([
    ["$set nested", { $set: { "o.deep.y.0": 9, "o.z": 1 } }, {}],
    ["$unset nested", { $unset: { "o.deep.y": 1 } }, {}],
    ["$inc", { $inc: { n: 1, "o.x": 1 } }, {}],
    ["$rename", { $rename: { "o.x": "o.w" } }, {}],
    ["$push", { $push: { list: { $each: [0], $sort: 1 }, "items.0.tags": "y" } }, {}],
    ["$addToSet", { $addToSet: { list: 5 } }, {}],
    ["$pull", { $pull: { list: 1, items: { sku: "a" } } }, {}],
    ["$pop", { $pop: { list: 1 } }, {}],
    ["positional", { $inc: { "items.$.qty": 1 } }, { query: { "items.sku": "b" } }],
    ["$[]", { $set: { "items.$[].qty": 0 } }, {}],
    ["$[<id>]", { $push: { "items.$[i].tags": "z" } }, { arrayFilters: [{ "i.sku": "a" }] }],
    ["replacement", { a: 1 }, {}],
    ["pipeline", [{ $set: { "o.deep.y": 5, total: { $sum: "$list" } } }, { $unset: "o.x" }], {}],
  ])("%s", (_name, update, options) => {
    const input = deepFreeze(original());
    const snapshot = copyValue(input);
    const result = applyUpdate(input, update, options);
    expect(result.modified).toBe(true);
    expect(identicalValues(input, snapshot)).toBe(true);
    expect(identicalValues(result.doc, input)).toBe(false);
  });
});
