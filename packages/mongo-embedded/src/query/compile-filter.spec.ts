/// <reference types="jest" />
import {
  Binary,
  BSONRegExp,
  Code,
  DBRef,
  Decimal128,
  type Document,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
} from "bson";
import { copyValue, identicalValues } from "../bson/copy-value";
import { compileFilter, QueryError } from "./mingo-options";

const long = (s: string) => Long.fromString(s);
const dec = (s: string) => Decimal128.fromString(s);
const oid = new ObjectId("64b7f0c2a1b2c3d4e5f60718");
const at = new Date("2024-05-01T10:00:00Z");
const before = new Date("2024-05-01T09:00:00Z");

type Row = [string, Document, Document, boolean];

const check = (filter: Document, doc: Document) => compileFilter(filter)(doc);

describe("compileFilter: equality and paths", () => {
  it.each<Row>([
    ["number = number", { a: 1 }, { a: 1 }, true],
    ["1 = Long(1)", { a: 1 }, { a: Long.fromNumber(1) }, true],
    ["1 = Decimal128('1.0')", { a: 1 }, { a: dec("1.0") }, true],
    ["Long(1) = Int32(1)", { a: Long.fromNumber(1) }, { a: new Int32(1) }, true],
    ["1 ≠ '1'", { a: 1 }, { a: "1" }, false],
    ["array element", { a: 2 }, { a: [1, 2] }, true],
    ["whole array", { a: [1, 2] }, { a: [1, 2] }, true],
    ["array order matters", { a: [1, 2] }, { a: [2, 1] }, false],
    ["nested array element is not flattened", { a: 1 }, { a: [[1, 2]] }, false],
    ["array inside array", { a: [1, 2] }, { a: [[1, 2], 3] }, true],
    ["sub-document exact", { a: { b: 1 } }, { a: { b: 1 } }, true],
    ["sub-document field order matters", { a: { b: 1, c: 2 } }, { a: { c: 2, b: 1 } }, false],
    ["sub-document extra field", { a: { b: 1 } }, { a: { b: 1, c: 2 } }, false],
    ["null matches missing", { a: null }, {}, true],
    ["null matches null", { a: null }, { a: null }, true],
    ["null does not match 0", { a: null }, { a: 0 }, false],
    ["null matches a missing field in one array element", { "a.b": null }, { a: [{ b: 1 }, { c: 1 }] }, true],
    ["null matches a scalar in the way", { "a.b": null }, { a: 5 }, true],
    ["dotted through array", { "a.b": 2 }, { a: [{ b: 1 }, { b: 2 }] }, true],
    ["dotted to array", { "a.b": 2 }, { a: { b: [1, 2] } }, true],
    ["index", { "a.1": 2 }, { a: [1, 2] }, true],
    ["index then field", { "a.1.b": 2 }, { a: [{ b: 1 }, { b: 2 }] }, true],
    ["index wrong", { "a.0": 2 }, { a: [1, 2] }, false],
    ["ObjectId by bytes", { _id: new ObjectId(oid.toHexString()) }, { _id: oid }, true],
    ["ObjectId: other bytes", { a: oid, b: 1 }, { a: new ObjectId("64b7f0c2a1b2c3d4e5f60719"), b: 1 }, false],
    ["ObjectId: its hex string is not it", { a: oid, b: 1 }, { a: oid.toHexString(), b: 1 }, false],
    ["ObjectId: missing", { a: oid, b: 1 }, { b: 1 }, false],
    ["ObjectId in an array", { a: oid, b: 1 }, { a: [1, new ObjectId(oid.toHexString())], b: 1 }, true],
    ["ObjectId through $eq and $or", { $or: [{ a: { $eq: oid } }] }, { a: oid }, true],
    ["Date by time", { at: new Date(at.getTime()) }, { at }, true],
    ["regex literal value", { a: /^x/ }, { a: "xyz" }, true],
    ["regex in array", { a: /^x/ }, { a: ["a", "xy"] }, true],
    ["$eq regex is literal equality", { a: { $eq: /^x/ } }, { a: "xyz" }, false],
    ["$eq regex equals stored regex", { a: { $eq: /^x/ } }, { a: /^x/ }, true],
    ["$ne null excludes missing", { a: { $ne: null } }, {}, false],
    ["$ne on array", { a: { $ne: 1 } }, { a: [1, 2] }, false],
    [
      "first key decides: document with $ later is equality",
      { a: { b: 1, $c: 2 } },
      { a: { b: 1, $c: 2 } },
      true,
    ],
    ["$comment ignored", { a: 1, $comment: "why" }, { a: 1 }, true],
    ["DBRef-like sub-document by $id", { "owner.$id": oid }, { owner: { $ref: "users", $id: oid } }, true],
    [
      "DBRef instance (as bson decodes it) by $id",
      { "owner.$id": oid },
      { owner: new DBRef("users", oid) },
      true,
    ],
    [
      "DBRef instance equals its document form",
      { owner: { $ref: "users", $id: oid } },
      { owner: new DBRef("users", oid) },
      true,
    ],
  ])("%s", (_name, filter, doc, expected) => {
    expect(check(filter, doc)).toBe(expected);
  });
});

describe("compileFilter: comparisons with type bracketing", () => {
  it.each<Row>([
    ["$gt number", { a: { $gt: 5 } }, { a: 6 }, true],
    ["$gt never matches strings", { a: { $gt: 5 } }, { a: "z" }, false],
    ["$gt never matches null", { a: { $gt: 5 } }, { a: null }, false],
    ["$gt on array elements", { a: { $gt: 5 } }, { a: [1, 7] }, true],
    ["$lt string", { a: { $lt: "b" } }, { a: "a" }, true],
    ["$lt string vs number", { a: { $lt: "b" } }, { a: 1 }, false],
    ["$gte null matches missing", { a: { $gte: null } }, {}, true],
    ["$gt null matches nothing", { a: { $gt: null } }, { a: 1 }, false],
    ["$lt MaxKey spans types", { a: { $lt: new MaxKey() } }, { a: "x" }, true],
    ["$gt MinKey matches missing (as null)", { a: { $gt: new MinKey() } }, {}, true],
    ["NaN is not greater", { a: { $gt: 0 } }, { a: Number.NaN }, false],
    ["$gte NaN matches NaN", { a: { $gte: Number.NaN } }, { a: Number.NaN }, true],
    ["$gt NaN matches nothing", { a: { $gt: Number.NaN } }, { a: 5 }, false],
    ["$lt NaN matches nothing", { a: { $lt: Number.NaN } }, { a: Number.NaN }, false],
    ["Long above 2^53", { n: { $gt: long("9007199254740993") } }, { n: long("9007199254740994") }, true],
    [
      "Long not above itself",
      { n: { $gt: long("9007199254740993") } },
      { n: long("9007199254740993") },
      false,
    ],
    [
      "2^53 (number) is below Long 2^53+1",
      { n: { $gt: long("9007199254740993") } },
      { n: 9007199254740992 },
      false,
    ],
    ["Long vs number 2^53", { n: { $gt: 9007199254740992 } }, { n: long("9007199254740993") }, true],
    [
      "Long equals Decimal128",
      { n: { $gte: long("9007199254740993") } },
      { n: dec("9007199254740993") },
      true,
    ],
    ["Decimal128 0.1 < double 0.1", { n: { $lt: 0.1 } }, { n: dec("0.1") }, true],
    ["double 0.09 < Decimal128 0.1", { n: { $lt: dec("0.1") } }, { n: 0.09 }, true],
    [
      "Long compared numerically, not as text",
      { n: { $lt: long("10000000000000000000") } },
      { n: long("9223372036854775807") },
      false,
    ],
    ["Date range", { at: { $gte: before, $lt: new Date(at.getTime() + 1) } }, { at }, true],
    ["Date vs number", { at: { $gt: 0 } }, { at }, false],
    ["ObjectId range", { _id: { $gt: new ObjectId("000000000000000000000000") } }, { _id: oid }, true],
    [
      "Timestamp range",
      { ts: { $gt: new Timestamp({ t: 1, i: 0 }) } },
      { ts: new Timestamp({ t: 1, i: 1 }) },
      true,
    ],
    ["Timestamp is not a number", { ts: { $gt: 0 } }, { ts: new Timestamp({ t: 1, i: 1 }) }, false],
    ["array operand compares whole arrays", { a: { $gt: [1] } }, { a: [1, 2] }, true],
  ])("%s", (_name, filter, doc, expected) => {
    expect(check(filter, doc)).toBe(expected);
  });
});

describe("compileFilter: $in, $nin, $all, $exists, $size, $mod, $regex, $elemMatch, $not", () => {
  const many = Array.from({ length: 20 }, (_, i) => i * 10);
  it.each<Row>([
    ["$in", { a: { $in: [1, "x"] } }, { a: "x" }, true],
    ["$in Long", { a: { $in: [1, "x"] } }, { a: Long.fromNumber(1) }, true],
    ["$in null matches missing", { a: { $in: [null, 5] } }, {}, true],
    ["$in without null misses missing", { a: { $in: [5] } }, {}, false],
    ["$in regex", { a: { $in: [/^ab/i] } }, { a: "ABC" }, true],
    ["$in array element", { a: { $in: [3] } }, { a: [1, 3] }, true],
    ["large $in with Decimal128", { a: { $in: many } }, { a: dec("190") }, true],
    ["large $in miss", { a: { $in: many } }, { a: 191 }, false],
    ["large $in ObjectId", { a: { $in: [...many, oid] } }, { a: new ObjectId(oid.toHexString()) }, true],
    ["$nin", { a: { $nin: [1, 2] } }, { a: 3 }, true],
    ["$nin matches missing", { a: { $nin: [1] } }, {}, true],
    ["$nin with null excludes missing", { a: { $nin: [null] } }, {}, false],
    ["$all", { a: { $all: [1, 2] } }, { a: [2, 3, 1] }, true],
    ["$all on a scalar", { a: { $all: [5] } }, { a: 5 }, true],
    ["$all empty", { a: { $all: [] } }, { a: [1] }, false],
    [
      "$all $elemMatch",
      { a: { $all: [{ $elemMatch: { x: 1 } }, { $elemMatch: { y: 2 } }] } },
      { a: [{ x: 1 }, { y: 2 }] },
      true,
    ],
    ["$exists true", { "a.b": { $exists: true } }, { a: [{ c: 1 }, { b: null }] }, true],
    ["$exists false", { "a.b": { $exists: false } }, { a: [{ c: 1 }] }, true],
    ["$exists 0", { a: { $exists: 0 } }, {}, true],
    ["$size", { a: { $size: 2 } }, { a: [1, [2, 3]] }, true],
    ["$size does not count fanned-out values", { "a.b": { $size: 2 } }, { a: [{ b: 1 }, { b: 2 }] }, false],
    ["$size through array to array", { "a.b": { $size: 2 } }, { a: [{ b: [1, 2] }] }, true],
    ["$mod", { a: { $mod: [4, 1] } }, { a: 9 }, true],
    ["$mod truncates", { a: { $mod: [4, 1] } }, { a: 5.9 }, true],
    ["$mod Long", { a: { $mod: [10, 3] } }, { a: long("9007199254740993") }, true],
    ["$regex with $options", { a: { $regex: "^ab", $options: "i" } }, { a: "ABc" }, true],
    ["$regex extended (x)", { a: { $regex: "a b # comment", $options: "x" } }, { a: "xaby" }, true],
    ["$regex dotall (s)", { a: { $regex: "a.b", $options: "s" } }, { a: "a\nb" }, true],
    ["BSON 's' arrives as JS 'g' and means dotall", { a: /a.b/g }, { a: "a\nb" }, true],
    ["stateless even with 'g'", { a: /a/g }, { a: "a" }, true],
    ["BSONRegExp operand", { a: new BSONRegExp("^x", "i") }, { a: "Xy" }, true],
    ["$regex on non-strings", { a: { $regex: "1" } }, { a: 1 }, false],
    [
      "$elemMatch query",
      { a: { $elemMatch: { x: 1, y: 2 } } },
      {
        a: [
          { x: 1, y: 1 },
          { x: 1, y: 2 },
        ],
      },
      true,
    ],
    [
      "$elemMatch query needs one element",
      { a: { $elemMatch: { x: 1, y: 2 } } },
      { a: [{ x: 1 }, { y: 2 }] },
      false,
    ],
    ["$elemMatch values", { a: { $elemMatch: { $gt: 1, $lt: 3 } } }, { a: [0, 2] }, true],
    ["$elemMatch values miss", { a: { $elemMatch: { $gt: 1, $lt: 3 } } }, { a: [0, 4] }, false],
    ["$elemMatch with $or", { a: { $elemMatch: { $or: [{ x: 1 }, { x: 2 }] } } }, { a: [{ x: 2 }] }, true],
    ["$not", { a: { $not: { $gt: 5 } } }, { a: 3 }, true],
    ["$not matches missing", { a: { $not: { $gt: 5 } } }, {}, true],
    ["$not regex", { a: { $not: /^x/ } }, { a: "yx" }, true],
  ])("%s", (_name, filter, doc, expected) => {
    expect(check(filter, doc)).toBe(expected);
  });
});

describe("compileFilter: $type", () => {
  it.each<[unknown, unknown, boolean]>([
    ["objectId", oid, true],
    ["objectId", oid.toHexString(), false],
    [7, oid, true],
    ["int", 5, true],
    ["int", 5.5, false],
    ["double", 5.5, true],
    // The JS driver sends an integer beyond int32 as a double; only a Long reports long.
    ["long", 2 ** 40, false],
    ["double", 2 ** 40, true],
    ["long", long("9007199254740993"), true],
    ["decimal", dec("1"), true],
    ["number", dec("1"), true],
    ["number", "1", false],
    ["string", "x", true],
    ["bool", false, true],
    ["date", at, true],
    ["null", null, true],
    ["regex", /x/, true],
    ["binData", new Binary(Buffer.from([1])), true],
    ["timestamp", new Timestamp({ t: 1, i: 1 }), true],
    ["timestamp", long("9007199254740993"), false],
    ["javascript", new Code("f()"), true],
    ["minKey", new MinKey(), true],
    ["maxKey", new MaxKey(), true],
    ["object", { b: 1 }, true],
    ["array", [1], true],
    ["string", ["x", 1], true],
    [["bool", 2], "x", true],
  ])("$type %p on %p", (type, value, expected) => {
    expect(check({ a: { $type: type } }, { a: value })).toBe(expected);
  });

  it("does not match a missing field, even for null", () => {
    expect(check({ a: { $type: "null" } }, {})).toBe(false);
  });
});

describe("compileFilter: logical operators and $expr", () => {
  // Agenda's lock query.
  const lockFilter = {
    name: "send-report",
    disabled: { $ne: true },
    $or: [{ lockedAt: { $eq: null }, nextRunAt: { $lte: at } }, { lockedAt: { $lte: before } }],
  };

  it.each<Row>([
    ["Agenda lock: unlocked and due", lockFilter, { name: "send-report", nextRunAt: before }, true],
    [
      "Agenda lock: not due",
      lockFilter,
      { name: "send-report", nextRunAt: new Date(at.getTime() + 1) },
      false,
    ],
    ["Agenda lock: stale lock", lockFilter, { name: "send-report", lockedAt: before, nextRunAt: at }, true],
    ["Agenda lock: disabled", lockFilter, { name: "send-report", disabled: true, nextRunAt: before }, false],
    ["$and", { $and: [{ a: 1 }, { b: 2 }] }, { a: 1, b: 2 }, true],
    ["$nor", { $nor: [{ a: 1 }, { b: 2 }] }, { a: 2, b: 1 }, true],
    [
      "$expr with Long",
      { $expr: { $gt: ["$a", "$b"] } },
      { a: long("9007199254740993"), b: 9007199254740992 },
      true,
    ],
    ["$expr missing is not null", { $expr: { $eq: ["$nothing", null] } }, {}, false],
    ["$expr $in", { $expr: { $in: ["$a", [1, 2]] } }, { a: Long.fromNumber(2) }, true],
  ])("%s", (_name, filter, doc, expected) => {
    expect(check(filter, doc)).toBe(expected);
  });
});

describe("compileFilter: refusals", () => {
  it.each<[string, Document, number, string | RegExp]>([
    ["unknown operator", { a: { $foo: 1 } }, 2, "unknown operator: $foo"],
    ["unknown top-level operator", { $foo: [] }, 2, "unknown top level operator: $foo"],
    ["$where", { $where: "this.a > 1" }, 2, "$where is not allowed in this server"],
    [
      "$function in $expr",
      { $expr: { $function: { body: "return 1", args: [], lang: "js" } } },
      2,
      "$function is not allowed in this server",
    ],
    ["$text", { $text: { $search: "x" } }, 2, "$text is not supported by this server"],
    ["$near", { loc: { $near: [0, 0] } }, 2, "$near is not supported by this server"],
    ["$in needs an array", { a: { $in: 5 } }, 2, "$in needs an array"],
    ["$or must not be empty", { $or: [] }, 2, "$or must be a nonempty array"],
    ["$options alone", { a: { $options: "i" } }, 2, "$options needs a $regex"],
    ["bad $type alias", { a: { $type: "float" } }, 2, "Unknown type name alias: float"],
    ["bad $type code", { a: { $type: 99 } }, 2, "Invalid numerical type code: 99"],
    ["negative $size", { a: { $size: -1 } }, 2, "$size may not be negative"],
    ["$mod divisor 0", { a: { $mod: [0, 1] } }, 2, "divisor cannot be 0"],
    ["$not of a scalar", { a: { $not: 5 } }, 2, "$not needs a regex or a document"],
    ["top-level operator inside a field", { a: { $or: [] } }, 2, "unknown operator: $or"],
    ["invalid regex", { a: { $regex: "(" } }, 51091, /Regular expression is invalid/],
  ])("%s", (_name, filter, code, message) => {
    let caught: unknown;
    try {
      compileFilter(filter);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(QueryError);
    expect((caught as QueryError).code).toBe(code);
    expect((caught as QueryError).message).toMatch(message);
    expect((caught as QueryError).codeName).toBe(code === 2 ? "BadValue" : `Location${code}`);
  });

  it("leaves the filter object untouched", () => {
    const filter = {
      a: { $regex: "x", $options: "i" },
      b: /y/g,
      $comment: "c",
      $or: [{ c: { $in: [/z/g] } }],
    };
    const snapshot = copyValue(filter);
    compileFilter(filter);
    expect(identicalValues(filter, snapshot)).toBe(true);
  });
});
