/// <reference types="jest" />
import { type Document, ObjectId } from "bson";
import { QueryError, upsertSeed } from "./mingo-options";

const id = new ObjectId("64b7f0c2a1b2c3d4e5f60718");

describe("upsertSeed", () => {
  it.each<[string, Document, Document]>([
    ["equality fields", { _id: id, name: "x" }, { _id: id, name: "x" }],
    ["$eq", { n: { $eq: 5 } }, { n: 5 }],
    [
      "dotted paths become sub-documents (Agenda's data.*)",
      { name: "job", "data.type": "a", "data.id": 1 },
      { name: "job", data: { type: "a", id: 1 } },
    ],
    ["inside top-level $and", { $and: [{ a: 1 }, { $and: [{ "b.c": 2 }] }] }, { a: 1, b: { c: 2 } }],
    ["not $or", { $or: [{ a: 1 }], b: 2 }, { b: 2 }],
    [
      "not ranges or other operators",
      { a: { $gt: 1 }, b: { $in: [1] }, c: { $exists: true }, d: 4 },
      { d: 4 },
    ],
    ["not regexes", { a: /x/, b: { $regex: "y" } }, {}],
    ["null is an equality", { lockedAt: null }, { lockedAt: null }],
    ["a sub-document is an equality", { a: { b: 1 } }, { a: { b: 1 } }],
    ["arrays are equalities", { tags: ["a", "b"] }, { tags: ["a", "b"] }],
    ["empty filter", {}, {}],
  ])("%s", (_name, filter, expected) => {
    expect(upsertSeed(filter)).toEqual(expected);
  });

  it("copies values rather than sharing them with the filter", () => {
    const filter = { a: { b: [1] } };
    const seed = upsertSeed(filter);
    (seed.a as { b: number[] }).b.push(2);
    expect(filter.a.b).toEqual([1]);
  });

  it.each<[Document]>([
    [{ a: 1, "a.b": 2 }],
    [{ "a.b": 1, a: { c: 1 } }],
    [{ a: 1, $and: [{ a: 2 }] }],
    [{ a: { b: 1 }, "a.c": 2 }],
  ])("refuses a path pinned twice: %p", (filter) => {
    expect(() => upsertSeed(filter)).toThrow(QueryError);
    try {
      upsertSeed(filter);
    } catch (err) {
      expect((err as QueryError).code).toBe(54);
    }
  });
});
