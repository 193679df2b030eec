import { Binary, type Document, Double, Int32, Long, MaxKey, MinKey, ObjectId, Timestamp } from "bson";
import { CommandError } from "../errors";
import { Collection, type ScanStats } from "./collection";
import { idKeyOf } from "./collection-index";

function collection(): Collection {
  const coll = new Collection("app", "things", {});
  coll.addIndex({ name: "a_b", key: { a: 1, b: 1 }, unique: true });
  coll.addIndex({ name: "nested", key: { "sub.x": 1 } });
  coll.addIndex({ name: "live_c", key: { c: 1 }, partialFilterExpression: { live: true } });
  return coll;
}

function put(coll: Collection, doc: Document, previous?: Document): void {
  coll.store(doc, coll.prepare(doc, previous), previous);
}

function query(coll: Collection, filter: Document): { docs: Document[]; stats: ScanStats } {
  const stats: ScanStats = { plan: { stage: "COLLSCAN" }, keysExamined: 0, docsExamined: 0 };
  return { docs: [...coll.match(filter, stats)], stats };
}

const ids = (coll: Collection, filter: Document) => query(coll, filter).docs.map((d) => d._id);

describe("Collection.match with a scalar _id", () => {
  const oid = new ObjectId("0123456789abcdef01234567");
  const when = new Date("2026-11-29T10:00:00Z");
  // Each `_id` kind, and a value of another representation that MongoDB finds it with.
  it.each<[string, unknown, unknown]>([
    ["int", 7, new Long(7)],
    ["double", 2.5, new Double(2.5)],
    ["int64 beyond 2^53", Long.fromString("9007199254740993"), Long.fromString("9007199254740993")],
    ["Int32 wrapper", 12, new Int32(12)],
    ["string", "T-1", "T-1"],
    ["ObjectId", oid, new ObjectId(oid.toHexString())],
    ["Date", when, new Date(when.getTime())],
    ["boolean", true, true],
    ["null", null, null],
    ["binary", new Binary(Buffer.from([1, 2, 3]), 4), new Binary(Buffer.from([1, 2, 3]), 4)],
    ["timestamp", new Timestamp({ t: 5, i: 1 }), new Timestamp({ t: 5, i: 1 })],
    ["MinKey", new MinKey(), new MinKey()],
    ["MaxKey", new MaxKey(), new MaxKey()],
  ])("%s: one lookup, the other conditions still tested", (_kind, id, sameId) => {
    const coll = collection();
    put(coll, { _id: id, a: 1, b: 1, v: "x" });
    put(coll, { _id: "other", a: 1, b: 2, v: "x" });

    const hit = query(coll, { _id: sameId });
    expect(hit.docs.map((d) => d.a)).toEqual([1]);
    expect(hit.stats).toEqual({
      plan: { stage: "IDHACK", ids: [idKeyOf(id)] },
      keysExamined: 1,
      docsExamined: 1,
    });
    expect(ids(coll, { _id: sameId, v: "x", b: 1 })).toHaveLength(1);
    expect(ids(coll, { _id: sameId, v: "y" })).toEqual([]);
    expect(ids(coll, { _id: sameId, b: { $gt: 1 } })).toEqual([]);
    expect(ids(coll, { b: { $gte: 1 }, _id: sameId, $or: [{ v: "x" }, { v: "z" }] })).toHaveLength(1);
  });

  it("a missing document: nothing, one key examined, no document", () => {
    const coll = collection();
    put(coll, { _id: 1, a: 1, b: 1 });
    expect(query(coll, { _id: 2 })).toEqual({
      docs: [],
      stats: { plan: { stage: "IDHACK", ids: [idKeyOf(2)] }, keysExamined: 1, docsExamined: 0 },
    });
  });

  it("an _id given as an operator, a sub-document or a regex still goes through the planner", () => {
    const coll = collection();
    put(coll, { _id: 1, a: 1, b: 1 });
    put(coll, { _id: { k: 1 }, a: 2, b: 1 });
    put(coll, { _id: "abc", a: 3, b: 1 });
    expect(ids(coll, { _id: { $in: [1, 5] } })).toEqual([1]);
    expect(ids(coll, { _id: { $gt: 0 } })).toEqual([1]);
    expect(ids(coll, { _id: { k: 1 } })).toEqual([{ k: 1 }]);
    expect(ids(coll, { _id: /^ab/ })).toEqual(["abc"]);
  });

  it("a bad filter is refused even when the _id names no document", () => {
    const coll = collection();
    expect(() => query(coll, { _id: 1, v: { $bogus: 1 } })).toThrow(/unknown operator: \$bogus/);
  });
});

describe("Collection updates and their index entries", () => {
  const byIndex = (coll: Collection, filter: Document) => {
    const { docs, stats } = query(coll, filter);
    return { ids: docs.map((d) => d._id), stage: stats.plan.stage };
  };

  it("an update leaving indexed fields alone keeps every entry; one changing them moves them", () => {
    const coll = collection();
    const sub = { x: 1 };
    const first = { _id: 1, a: 1, b: 1, sub, c: 1, live: true, n: 0 };
    put(coll, first);
    const second = { ...first, n: 1 }; // the same values, as an update shares them
    put(coll, second, first);
    expect(byIndex(coll, { a: 1, b: 1 })).toEqual({ ids: [1], stage: "IXSCAN" });
    expect(byIndex(coll, { "sub.x": 1 })).toEqual({ ids: [1], stage: "IXSCAN" });

    const third = { ...second, b: 2, sub: { x: 2 } };
    put(coll, third, second);
    expect(byIndex(coll, { a: 1, b: 1 }).ids).toEqual([]);
    expect(byIndex(coll, { a: 1, b: 2 }).ids).toEqual([1]);
    expect(byIndex(coll, { "sub.x": 1 }).ids).toEqual([]);
    expect(byIndex(coll, { "sub.x": 2 }).ids).toEqual([1]);
  });

  it("a partial index follows a change of its filter's fields, even with its key unchanged", () => {
    const coll = collection();
    const first = { _id: 1, a: 1, b: 1, c: 5, live: true };
    put(coll, first);
    const liveIndex = coll.indexes.get("live_c");
    expect(liveIndex?.size).toBe(1);
    const second = { ...first, live: false };
    put(coll, second, first);
    expect(liveIndex?.size).toBe(0);
    put(coll, { ...second, live: true }, second);
    expect(liveIndex?.size).toBe(1);
  });

  it("a unique index still refuses a key another document holds, and keeps the document's own", () => {
    const coll = collection();
    const one = { _id: 1, a: 1, b: 1, n: 0 };
    put(coll, one);
    put(coll, { _id: 2, a: 1, b: 2 });
    expect(() => coll.prepare({ ...one, b: 2 }, one)).toThrow(CommandError);
    expect(() => coll.prepare({ ...one, n: 1 }, one)).not.toThrow();
  });
});
