/// <reference types="jest" />
import {
  Binary,
  BSONRegExp,
  BSONSymbol,
  Code,
  DBRef,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
} from "bson";
import { BsonSamples } from "./bson-samples";
import { bsonTypeRank, compareStrings, compareValues, valuesEqual } from "./compare-values";

const dec = (s: string) => Decimal128.fromString(s);
const long = (s: string) => Long.fromString(s);
const sign = (n: number) => (n > 0 ? 1 : n < 0 ? -1 : 0);
/** Sorted through wrappers: Array.prototype.sort moves `undefined` last without asking the comparator. */
const sortValues = (values: unknown[]) =>
  values
    .map((v) => ({ v }))
    .sort((x, y) => compareValues(x.v, y.v))
    .map((x) => x.v);

describe("compareValues", () => {
  it("orders types like MongoDB", () => {
    const ascending = [
      new MinKey(),
      null,
      Number.NaN,
      -Infinity,
      1,
      "a",
      new BSONSymbol("b"),
      {},
      [],
      new Binary(Buffer.from([1])),
      new ObjectId("000000000000000000000000"),
      false,
      new Date(0),
      new Timestamp({ t: 0, i: 0 }),
      /re/,
      new Code("f"),
      new Code("f", {}),
      new MaxKey(),
    ];
    for (let i = 0; i < ascending.length; i++) {
      for (let j = 0; j < ascending.length; j++) {
        expect([i, j, sign(compareValues(ascending[i], ascending[j]))]).toEqual([i, j, sign(i - j)]);
      }
    }
  });

  it.each<[string, unknown, unknown, number]>([
    ["null = undefined", null, undefined, 0],
    ["1 = Long(1)", 1, Long.fromNumber(1), 0],
    ["1 = Decimal128(1.000)", 1, dec("1.000"), 0],
    ["Int32(1) = Double(1)", new Int32(1), new Double(1), 0],
    ["-0 = 0", -0, 0, 0],
    ["Decimal -0 = 0", dec("-0"), 0, 0],
    ["NaN = Decimal NaN", Number.NaN, dec("NaN"), 0],
    ["NaN < -Infinity", Number.NaN, -Infinity, -1],
    ["Long 2^53+1 > 2^53", long("9007199254740993"), 9007199254740992, 1],
    ["Long 2^53+1 < 2^53+2", long("9007199254740993"), 9007199254740994, -1],
    ["Long 2^53+1 = Decimal", long("9007199254740993"), dec("9007199254740993"), 0],
    ["Long max > Long max-1", long("9223372036854775807"), long("9223372036854775806"), 1],
    ["Long min < -2^63 + 1", long("-9223372036854775808"), long("-9223372036854775807"), -1],
    ["Decimal 0.1 < double 0.1", dec("0.1"), 0.1, -1],
    [
      "Decimal 0.1000000000000000055511151231257827 < double 0.1",
      dec("0.1000000000000000055511151231257827"),
      0.1,
      -1,
    ],
    ["Decimal 0.5 = 0.5", dec("0.5"), 0.5, 0],
    ["Decimal 1E+6000 > MAX_VALUE", dec("1E+6000"), Number.MAX_VALUE, 1],
    ["Decimal 1E+6000 < Infinity", dec("1E+6000"), Infinity, -1],
    ["Decimal -1E+6000 > -Infinity", dec("-1E+6000"), -Infinity, 1],
    ["Decimal 1E-6000 > 0", dec("1E-6000"), 0, 1],
    ["Decimal 1E-6000 < MIN_VALUE", dec("1E-6000"), Number.MIN_VALUE, -1],
    ["strings by code point: U+FFFF < U+1F600", "\uffff", "😀", -1],
    ["strings: prefix first", "ab", "abc", -1],
    ["symbol = string", new BSONSymbol("x"), "x", 0],
    ["object: type before name", { a: "x" }, { b: 1 }, 1],
    ["object: name then value", { a: 1 }, { b: 1 }, -1],
    ["object: fewer fields first", { a: 1 }, { a: 1, b: 1 }, -1],
    ["object: field order matters", { a: 1, b: 2 }, { b: 2, a: 1 }, -1],
    ["object: numeric values by value", { a: 1 }, { a: Long.fromNumber(1) }, 0],
    ["array: element-wise", [1, 2], [1, 3], -1],
    ["array: shorter first", [1], [1, 0], -1],
    ["array: empty first", [], [Number.NaN], -1],
    ["binData: length first", new Binary(Buffer.from([9])), new Binary(Buffer.from([0, 0])), -1],
    ["binData: subtype second", new Binary(Buffer.from([9]), 0), new Binary(Buffer.from([0]), 4), -1],
    [
      "ObjectId by bytes",
      new ObjectId("00000000000000000000000f"),
      new ObjectId("0000000000000000000000f0"),
      -1,
    ],
    ["dates by time", new Date(-1), new Date(0), -1],
    ["timestamps unsigned", new Timestamp({ t: 2 ** 32 - 1, i: 0 }), new Timestamp({ t: 1, i: 5 }), 1],
    ["regex pattern then flags", /a/i, /a/m, -1],
    ["JS regex 'g' is BSON 's'", /a/g, new BSONRegExp("a", "s"), 0],
    [
      "DBRef as its document",
      new DBRef("c", new ObjectId("00000000000000000000000a")),
      { $ref: "c", $id: new ObjectId("00000000000000000000000a") },
      0,
    ],
    ["false < true", false, true, -1],
  ])("%s", (_name, a, b, expected) => {
    expect(sign(compareValues(a, b))).toBe(expected);
    expect(sign(compareValues(b, a))).toBe(-expected || 0);
    expect(valuesEqual(a, b)).toBe(expected === 0);
  });

  it("is a consistent total order on random values (antisymmetric, transitive)", () => {
    const gen = new BsonSamples(42);
    const values = Array.from({ length: 400 }, () => gen.value());
    const sorted = sortValues(values);
    for (let i = 0; i < sorted.length; i++) {
      for (let j = i + 1; j < sorted.length; j++) {
        // Plain checks: 80k expect() calls would dominate the run time.
        const forward = sign(compareValues(sorted[i], sorted[j]));
        const backward = sign(compareValues(sorted[j], sorted[i]));
        if (forward > 0 || backward !== (-forward || 0)) throw new Error(`inconsistent at ${i}, ${j}`);
      }
    }
  });

  it("compares strings like UTF-8 bytes (code point order)", () => {
    const gen = new BsonSamples(7);
    for (let n = 0; n < 2000; n++) {
      const a = gen.string();
      const b = gen.string();
      // Lone surrogates have no UTF-8 form; compare them by code point directly.
      const codePoints = (s: string) => [...s].map((c) => c.codePointAt(0) as number);
      const [x, y] = [codePoints(a), codePoints(b)];
      let expected = 0;
      for (let i = 0; i < Math.min(x.length, y.length) && expected === 0; i++) expected = sign(x[i] - y[i]);
      if (expected === 0) expected = sign(x.length - y.length);
      if (sign(compareStrings(a, b)) !== expected)
        throw new Error(`${JSON.stringify([a, b])} should compare ${expected}`);
    }
  });
});

describe("bsonTypeRank", () => {
  it.each<[unknown, number]>([
    [new MinKey(), -1],
    [undefined, 5],
    [null, 5],
    [1, 10],
    [long("9223372036854775807"), 10],
    [dec("1"), 10],
    ["s", 15],
    [{}, 20],
    [new DBRef("c", new ObjectId("00000000000000000000000a")), 20],
    [[], 25],
    [new Binary(Buffer.alloc(0)), 30],
    [new ObjectId(), 35],
    [true, 40],
    [new Date(), 45],
    // Timestamp extends Long in bson 6: it must not be filed as a number.
    [new Timestamp({ t: 1, i: 1 }), 47],
    [/x/, 50],
    [new MaxKey(), 127],
  ])("%p → %p", (value, rank) => {
    expect(bsonTypeRank(value)).toBe(rank);
  });
});
