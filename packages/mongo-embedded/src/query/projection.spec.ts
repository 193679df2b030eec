/// <reference types="jest" />
import type { Document } from "bson";
import { copyValue, identicalValues } from "../bson/copy-value";
import { applyProjection, compileProjection, QueryError } from "./mingo-options";

const doc = {
  _id: 1,
  name: "gate A",
  meta: { floor: 1, door: "north", tags: ["x", "y"] },
  scans: [
    { at: 1, ok: true },
    { at: 2, ok: false },
    { at: 3, ok: true },
  ],
  total: 3,
};

describe("applyProjection", () => {
  it.each<[string, Document, Document | undefined, Document]>([
    [
      "inclusion keeps _id, in document order",
      { total: 1, name: 1 },
      undefined,
      { _id: 1, name: "gate A", total: 3 },
    ],
    ["inclusion without _id", { name: 1, _id: 0 }, undefined, { name: "gate A" }],
    ["only _id", { _id: 1 }, undefined, { _id: 1 }],
    ["exclusion", { scans: 0, meta: false }, undefined, { _id: 1, name: "gate A", total: 3 }],
    [
      "exclusion of _id only",
      { _id: 0 },
      undefined,
      { name: doc.name, meta: doc.meta, scans: doc.scans, total: 3 },
    ],
    ["dotted inclusion", { "meta.door": 1 }, undefined, { _id: 1, meta: { door: "north" } }],
    [
      "dotted and top-level inclusions, in document order",
      { "meta.door": 1, name: 1, "meta.floor": 1 },
      undefined,
      { _id: 1, name: "gate A", meta: { floor: 1, door: "north" } },
    ],
    ["dotted inclusion through a scalar keeps nothing of it", { "name.first": 1 }, undefined, { _id: 1 }],
    [
      "dotted inclusion through an array",
      { "scans.at": 1, _id: 0 },
      undefined,
      { scans: [{ at: 1 }, { at: 2 }, { at: 3 }] },
    ],
    [
      "dotted exclusion",
      { "meta.tags": 0, scans: 0 },
      undefined,
      { _id: 1, name: "gate A", meta: { floor: 1, door: "north" }, total: 3 },
    ],
    [
      "$slice keeps the other fields",
      { scans: { $slice: -1 } },
      undefined,
      { ...doc, scans: [{ at: 3, ok: true }] },
    ],
    [
      "$slice with an inclusion",
      { name: 1, scans: { $slice: 1 } },
      undefined,
      { _id: 1, name: "gate A", scans: [{ at: 1, ok: true }] },
    ],
    [
      "$slice [skip, limit]",
      { scans: { $slice: [1, 1] }, meta: 0 },
      undefined,
      { _id: 1, name: "gate A", scans: [{ at: 2, ok: false }], total: 3 },
    ],
    [
      "$elemMatch",
      { scans: { $elemMatch: { ok: false } } },
      undefined,
      { _id: 1, scans: [{ at: 2, ok: false }] },
    ],
    [
      "positional with the query",
      { "scans.$": 1 },
      { "scans.at": { $gte: 2 } },
      { _id: 1, scans: [{ at: 2, ok: false }] },
    ],
    ["expression", { label: { $concat: ["$name", "!"] } }, undefined, { _id: 1, label: "gate A!" }],
  ])("%s", (_name, projection, query, expected) => {
    const before = copyValue(doc);
    const out = applyProjection(doc, projection, { query });
    expect(out).toEqual(expected);
    expect(Object.keys(out)).toEqual(Object.keys(expected));
    expect(identicalValues(doc, before)).toBe(true);
  });

  it("returns the document itself for an empty projection", () => {
    expect(applyProjection(doc, {})).toBe(doc);
  });

  it.each<[Document, number]>([
    [{ name: 1, total: 0 }, 31254],
    [{ name: 0, total: 1 }, 31253],
    [{ score: { $meta: "textScore" } }, 115],
    [{ x: { $function: { body: "return 1", args: [], lang: "js" } } }, 2],
  ])("refuses %p", (projection, code) => {
    let caught: unknown;
    try {
      applyProjection(doc, projection);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(QueryError);
    expect((caught as QueryError).code).toBe(code);
  });
});

describe("compileProjection", () => {
  const docs: Document[] = [
    doc,
    { _id: 2, name: "gate B", meta: [{ floor: 2 }], total: 0 },
    { _id: 3, meta: { floor: 3 } },
    { name: "no id" },
  ];
  it.each<[string, Document]>([
    ["flat inclusion", { name: 1, total: 1 }],
    ["flat exclusion", { meta: 0, _id: 0 }],
    ["dotted inclusion, falling back where a path meets an array", { "meta.floor": 1, name: 1 }],
    ["$slice", { scans: { $slice: -1 } }],
    ["dotted exclusion", { "meta.tags": 0 }],
    ["empty", {}],
  ])("%s: what applyProjection gives, document after document", (_name, projection) => {
    const project = compileProjection(projection);
    for (const d of docs) expect(project(d)).toEqual(applyProjection(d, projection));
  });

  it("a bad projection fails at the first document, as applyProjection would, and every time", () => {
    const project = compileProjection({ name: 1, total: 0 });
    expect(() => project(doc)).toThrow(QueryError);
    expect(() => project(doc)).toThrow(/Cannot do exclusion on field total in inclusion projection/);
  });
});
