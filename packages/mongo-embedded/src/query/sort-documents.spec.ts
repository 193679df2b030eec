/// <reference types="jest" />
import { Decimal128, type Document, Long, MaxKey, MinKey, ObjectId } from "bson";
import { QueryError, sortDocuments } from "./mingo-options";

const ids = (docs: Document[]) => docs.map((d) => d._id);

describe("sortDocuments", () => {
  it("orders mixed types like MongoDB, with missing and null together", () => {
    const docs = [
      { _id: "maxKey", v: new MaxKey() },
      { _id: "string", v: "a" },
      { _id: "missing" },
      { _id: "oid", v: new ObjectId() },
      { _id: "bool", v: false },
      { _id: "null", v: null },
      { _id: "number", v: 2 },
      { _id: "date", v: new Date(0) },
      { _id: "object", v: { a: 1 } },
      { _id: "minKey", v: new MinKey() },
    ];
    expect(ids(sortDocuments(docs, { v: 1 }))).toEqual([
      "minKey",
      "missing",
      "null",
      "number",
      "string",
      "object",
      "oid",
      "bool",
      "date",
      "maxKey",
    ]);
  });

  it("compares Long and Decimal128 by value", () => {
    const docs = [
      { _id: 1, v: Long.fromString("9007199254740993") },
      { _id: 2, v: 9007199254740992 },
      { _id: 3, v: Decimal128.fromString("9007199254740992.5") },
      { _id: 4, v: Long.fromString("10") },
      { _id: 5, v: 9.5 },
    ];
    expect(ids(sortDocuments(docs, { v: 1 }))).toEqual([5, 4, 2, 3, 1]);
    expect(ids(sortDocuments(docs, { v: -1 }))).toEqual([1, 3, 2, 4, 5]);
  });

  it("sorts arrays by their smallest element ascending and largest descending; [] first", () => {
    // MongoDB's own example: {} {a: 1} {a: []} {a: [1]} {a: [0, 1]}
    const docs = [
      { _id: "none" },
      { _id: "1", a: 1 },
      { _id: "[]", a: [] },
      { _id: "[1]", a: [1] },
      { _id: "[0,1]", a: [0, 1] },
    ];
    expect(ids(sortDocuments(docs, { a: 1 }))).toEqual(["[]", "none", "[0,1]", "1", "[1]"]);
    expect(ids(sortDocuments(docs, { a: -1 }))).toEqual(["1", "[1]", "[0,1]", "none", "[]"]);
  });

  it("follows dotted paths through arrays", () => {
    const docs = [
      { _id: 1, a: [{ b: 5 }, { b: 1 }] },
      { _id: 2, a: { b: 3 } },
      { _id: 3, a: [{ b: 4 }] },
    ];
    expect(ids(sortDocuments(docs, { "a.b": 1 }))).toEqual([1, 2, 3]);
    expect(ids(sortDocuments(docs, { "a.b": -1 }))).toEqual([1, 3, 2]);
  });

  it("sorts on several keys (Agenda: nextRunAt ascending, priority descending) and is stable", () => {
    const t = new Date("2024-01-01T00:00:00Z");
    const docs = [
      { _id: 1, nextRunAt: t, priority: 0 },
      { _id: 2, nextRunAt: t, priority: 10 },
      { _id: 3, nextRunAt: new Date(t.getTime() - 1), priority: -10 },
      { _id: 4, nextRunAt: t, priority: 10 },
    ];
    expect(ids(sortDocuments(docs, { nextRunAt: 1, priority: -1 }))).toEqual([3, 2, 4, 1]);
  });

  it("orders strings by code point (UTF-8), not UTF-16", () => {
    const docs = [
      { _id: "emoji", s: "😀" },
      { _id: "ffff", s: "\uffff" },
      { _id: "e", s: "é" },
    ];
    expect(ids(sortDocuments(docs, { s: 1 }))).toEqual(["e", "ffff", "emoji"]);
  });

  it("returns a new array and accepts $natural", () => {
    const docs = [{ _id: 1 }, { _id: 2 }];
    const sorted = sortDocuments(docs, { $natural: -1 });
    expect(ids(sorted)).toEqual([2, 1]);
    expect(ids(docs)).toEqual([1, 2]);
  });

  it.each<[Document, number]>([
    [{ a: 2 }, 15975],
    [{ a: "asc" }, 15975],
    [{ $foo: 1 }, 2],
    [{ a: { $meta: "textScore" } }, 115],
  ])("refuses %p", (spec, code) => {
    expect(() => sortDocuments([{ a: 1 }], spec)).toThrow(QueryError);
    try {
      sortDocuments([{ a: 1 }], spec);
    } catch (err) {
      expect((err as QueryError).code).toBe(code);
    }
  });
});
