/// <reference types="jest" />
import { Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId } from "bson";
import BTree from "sorted-btree";
import { BsonSamples } from "./bson-samples";
import { compareValues } from "./compare-values";
import { encodeCompoundKey, encodeKeyValue, KEY_SEPARATOR, keyRange, rangeBounds } from "./index-key";

const sign = (n: number) => (n > 0 ? 1 : n < 0 ? -1 : 0);
/** Sorted through wrappers: Array.prototype.sort moves `undefined` last without asking the comparator. */
const sortValues = (values: unknown[]) =>
  values
    .map((v) => ({ v }))
    .sort((x, y) => compareValues(x.v, y.v))
    .map((x) => x.v);
const strcmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const describeValue = (v: unknown) =>
  v instanceof Object ? `${v.constructor.name}:${JSON.stringify(v)}` : String(v);

describe("encodeKeyValue", () => {
  it.each<[string, unknown[]]>([
    [
      "one",
      [
        1,
        1.0,
        Long.fromNumber(1),
        Decimal128.fromString("1"),
        Decimal128.fromString("1.000"),
        new Int32(1),
        new Double(1),
      ],
    ],
    ["zero", [0, -0, Decimal128.fromString("-0"), Decimal128.fromString("0E-20"), Long.ZERO]],
    ["NaN", [Number.NaN, Decimal128.fromString("NaN")]],
    ["2^53 + 1", [Long.fromString("9007199254740993"), Decimal128.fromString("9007199254740993")]],
    ["null and missing", [null, undefined]],
    [
      "documents by value",
      [
        { a: 1, b: [2] },
        { a: Long.fromNumber(1), b: [Decimal128.fromString("2.0")] },
      ],
    ],
  ])("encodes equal values equally: %s", (_name, values) => {
    const keys = new Set(values.map((v) => encodeKeyValue(v)));
    expect(keys.size).toBe(1);
  });

  it.each<[string, unknown, unknown]>([
    ["2^53 vs 2^53 + 1", 9007199254740992, Long.fromString("9007199254740993")],
    ["decimal 0.1 vs double 0.1", Decimal128.fromString("0.1"), 0.1],
    [
      "34-digit decimals one ulp apart",
      Decimal128.fromString("1.000000000000000000000000000000001"),
      Decimal128.fromString("1.000000000000000000000000000000002"),
    ],
    ["huge decimals", Decimal128.fromString("1E+6000"), Decimal128.fromString("2E+6000")],
    ["hugely negative decimals", Decimal128.fromString("-2E+6000"), Decimal128.fromString("-1E+6000")],
    ["tiny decimals", Decimal128.fromString("1E-6000"), Decimal128.fromString("2E-6000")],
  ])("keeps distinct values apart, in order: %s", (_name, low, high) => {
    expect(compareValues(low, high)).toBeLessThan(0);
    expect(encodeKeyValue(low) < encodeKeyValue(high)).toBe(true);
  });

  it("orders random mixed values exactly like compareValues (all pairs)", () => {
    const gen = new BsonSamples(2024);
    const values = Array.from({ length: 500 }, () => gen.value());
    const keys = values.map((v) => encodeKeyValue(v));
    for (let i = 0; i < values.length; i++) {
      if (keys[i].includes(KEY_SEPARATOR))
        throw new Error(`separator inside the key of ${describeValue(values[i])}`);
      for (let j = i + 1; j < values.length; j++) {
        const expected = sign(compareValues(values[i], values[j]));
        const actual = strcmp(keys[i], keys[j]);
        if (expected !== actual) {
          throw new Error(
            `${describeValue(values[i])} vs ${describeValue(values[j])}: compare ${expected}, keys ${actual}`,
          );
        }
      }
    }
  });

  it("sorts a large random set of scalars like compareValues (neighbours agree, no collisions)", () => {
    const gen = new BsonSamples(99);
    const values = Array.from({ length: 20_000 }, () => gen.scalar());
    const sorted = sortValues(values);
    const keys = sorted.map((v) => encodeKeyValue(v));
    for (let i = 1; i < sorted.length; i++) {
      const expected = sign(compareValues(sorted[i - 1], sorted[i]));
      const actual = strcmp(keys[i - 1], keys[i]);
      if (expected !== actual) {
        throw new Error(
          `${describeValue(sorted[i - 1])} vs ${describeValue(sorted[i])}: compare ${expected}, keys ${actual}`,
        );
      }
    }
  });
});

describe("encodeCompoundKey", () => {
  it("makes the key of [a] a prefix of the key of [a, x]", () => {
    const a = new ObjectId();
    expect(encodeCompoundKey([a, "x"]).startsWith(encodeCompoundKey([a]))).toBe(true);
  });

  it("orders compound keys component by component", () => {
    const gen = new BsonSamples(5);
    const tuples = Array.from({ length: 3000 }, () => [gen.scalar(), gen.pick([1, 2, "a"]), gen.scalar()]);
    const compareTuples = (x: unknown[], y: unknown[]) => {
      for (let i = 0; i < x.length; i++) {
        const r = compareValues(x[i], y[i]);
        if (r !== 0) return r;
      }
      return 0;
    };
    const sorted = tuples
      .map((t) => ({ t }))
      .sort((x, y) => compareTuples(x.t, y.t))
      .map((x) => x.t);
    for (let i = 1; i < sorted.length; i++) {
      if (
        strcmp(encodeCompoundKey(sorted[i - 1]), encodeCompoundKey(sorted[i])) !==
        sign(compareTuples(sorted[i - 1], sorted[i]))
      ) {
        throw new Error(`compound keys out of order at ${i}`);
      }
    }
  });
});

describe("key ranges on a sorted-btree", () => {
  // An index on {performance: 1, seat: 1}, keys unique per entry.
  const tree = new BTree<string, string>();
  const rows: [unknown, unknown][] = [
    ["p1", 1],
    ["p1", 2],
    ["p1", Long.fromString("9007199254740993")],
    ["p1", 7.5],
    ["p1", "10"],
    ["p1", null],
    ["p1", new MinKey()],
    ["p1", new MaxKey()],
    ["p10", 1],
    ["p2", 3],
  ];
  rows.forEach((row, i) => {
    tree.set(`${encodeCompoundKey(row)}${KEY_SEPARATOR}${i}`, String(i));
  });
  const scan = (prefix: unknown[], range?: Record<string, unknown>) => {
    const { low, high } = keyRange(prefix, range ? rangeBounds(range) : undefined);
    const out: string[] = [];
    tree.forRange(low, high, false, (_k, v) => {
      out.push(v);
    });
    return out.sort();
  };

  it.each<[string, unknown[], Record<string, unknown> | undefined, string[]]>([
    ["equality prefix", ["p1"], undefined, ["0", "1", "2", "3", "4", "5", "6", "7"]],
    ["prefix does not leak into p10", ["p1", 1], undefined, ["0"]],
    ["$gt 1 stays among numbers", ["p1"], { $gt: 1 }, ["0", "1", "2", "3"]],
    ["$gte 2 $lt 8", ["p1"], { $gte: 2, $lt: 8 }, ["1", "3"]],
    [
      "$lte 2^53+1 includes the Long",
      ["p1"],
      { $gt: 2, $lte: Long.fromString("9007199254740993") },
      ["1", "2", "3"],
    ],
    ["$lt a string stays among strings", ["p1"], { $lt: "2" }, ["4"]],
    ["$gt MinKey spans every type", ["p1"], { $gt: new MinKey() }, ["0", "1", "2", "3", "4", "5", "6", "7"]],
    ["mixed brackets match nothing", ["p1"], { $gt: 1, $lt: "z" }, []],
    ["range on the first component", [], { $gte: "p10", $lte: "p2" }, ["8", "9"]],
  ])("%s", (_name, prefix, range, expected) => {
    expect(scan(prefix, range)).toEqual(expected);
  });

  it("returns undefined without a range operator", () => {
    expect(rangeBounds({ $eq: 1 })).toBeUndefined();
  });
});
