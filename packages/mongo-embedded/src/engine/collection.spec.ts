import { Binary, type Document, Double, Int32, Long, MaxKey, MinKey, ObjectId, Timestamp } from "bson";
import { CommandError } from "../errors";
import { compileFilter } from "../query/mingo-options";
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

describe("Collection.match answered by a unique index alone", () => {
  const oid = new ObjectId("0123456789abcdef01234567");
  // Values a document may hold, of every sort; the filters pick among the exact ones.
  const values: unknown[] = [
    "a",
    "b",
    1,
    new Long(1),
    new Double(1),
    2.5,
    true,
    oid,
    new ObjectId(oid.toHexString()),
    new Date(0),
    null,
    [],
    ["a", "b"],
    [["a"]],
    [1, [2]],
    { x: 1 },
    [{ x: 1 }],
  ];
  const exact = ["a", "b", 1, new Long(1), 2.5, true, oid, new Date(0), 3];

  function seeded(seed: number) {
    let state = seed;
    return (n: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % n;
    };
  }

  it("yields exactly what testing every document yields (seeded)", () => {
    const pick = seeded(42);
    const coll = new Collection("app", "things", {});
    coll.addIndex({ name: "p_b", key: { p: 1, b: 1 }, unique: true });
    coll.addIndex({ name: "other", key: { c: 1 } });
    for (let i = 0; i < 400; i++) {
      const doc: Document = { _id: i };
      if (pick(5) > 0) doc.p = values[pick(values.length)];
      if (pick(5) > 0) doc.b = values[pick(values.length)];
      doc.c = pick(3);
      try {
        put(coll, doc);
      } catch {
        // a duplicate key or parallel arrays: not stored, as MongoDB would refuse it
      }
    }
    const condition = () => {
      const kind = pick(3);
      if (kind === 0) return exact[pick(exact.length)];
      if (kind === 1) return { $eq: exact[pick(exact.length)] };
      return { $in: Array.from({ length: 1 + pick(4) }, () => exact[pick(exact.length)]) };
    };
    const clause = () => ({ p: condition(), b: condition() });
    let answeredAlone = 0;
    for (let round = 0; round < 300; round++) {
      const filter = pick(2) === 0 ? clause() : { $or: Array.from({ length: 1 + pick(3) }, () => clause()) };
      const { docs, stats } = query(coll, filter);
      const expected = [...coll.docs.values()].filter(compileFilter(filter));
      expect(new Set(docs.map((d) => d._id))).toEqual(new Set(expected.map((d) => d._id)));
      expect(docs).toHaveLength(expected.length); // no document twice
      if (stats.plan.stage !== "COLLSCAN") answeredAlone++;
    }
    expect(answeredAlone).toBeGreaterThan(250);
  });

  it("still tests documents when the filter holds more than the index, or values keys cannot tell apart", () => {
    const coll = new Collection("app", "things", {});
    coll.addIndex({ name: "p_b", key: { p: 1, b: 1 }, unique: true });
    put(coll, { _id: 1, p: 1, b: [], n: 1 }); // its key is the key of null, yet b: null does not match it
    put(coll, { _id: 2, p: 2, n: 2 });
    put(coll, { _id: 3, p: 3, b: null, n: 3 });
    put(coll, { _id: 4, p: 4, b: "x", n: 4 });
    expect(ids(coll, { p: 1, b: null })).toEqual([]);
    expect(ids(coll, { p: { $in: [1, 2, 3] }, b: { $in: [null] } }).sort()).toEqual([2, 3]);
    expect(ids(coll, { p: 4, b: "x", n: 3 })).toEqual([]);
    expect(ids(coll, { $or: [{ p: 4, b: "x" }], n: 3 })).toEqual([]);
    expect(
      ids(coll, {
        $or: [
          { p: 4, b: "x" },
          { p: 2, b: null },
        ],
      }).sort(),
    ).toEqual([2, 4]);
  });

  it("a bad filter is refused as before, whatever the plan", () => {
    const coll = collection();
    expect(() => query(coll, { a: 1, b: { $bogus: 1 } })).toThrow(/unknown operator: \$bogus/);
    expect(() => query(coll, { $or: [] })).toThrow(/\$or must be a nonempty array/);
  });
});
