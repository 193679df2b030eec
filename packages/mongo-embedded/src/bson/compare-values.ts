import type { Code } from "bson";
import {
  type BsonKind,
  binaryParts,
  bsonKind,
  documentEntries,
  objectIdBytes,
  rankOfKind,
  regexParts,
  stringValue,
  timestampParts,
} from "./bson-kind";
import { compareDoubles, compareNumbers } from "./exact-number";

export { bsonTypeRank } from "./bson-kind";

const cmp = (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : 0);

const isLead = (u: number) => u >= 0xd800 && u <= 0xdbff;
const isTrail = (u: number) => u >= 0xdc00 && u <= 0xdfff;

/** The code point of the character holding unit `i` (a lone surrogate counts as itself). */
function codePointAround(s: string, i: number): number {
  const u = s.charCodeAt(i);
  if (isLead(u)) {
    const next = s.charCodeAt(i + 1);
    return isTrail(next) ? 0x10000 + ((u - 0xd800) << 10) + (next - 0xdc00) : u;
  }
  if (isTrail(u) && i > 0) {
    const prev = s.charCodeAt(i - 1);
    return isLead(prev) ? 0x10000 + ((prev - 0xd800) << 10) + (u - 0xdc00) : u;
  }
  return u;
}

/**
 * Strings in code point order — MongoDB compares UTF-8 bytes, which is code point order; JS `<`
 * compares UTF-16 units and puts U+E000–U+FFFF after astral characters.
 */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // Below U+D800 units are code points; above, surrogate pairs must sort after U+FFFF.
      if (x < 0xd800 || y < 0xd800) return x < y ? -1 : 1;
      return codePointAround(a, i) < codePointAround(b, i) ? -1 : 1;
    }
  }
  return cmp(a.length, b.length);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return cmp(a.length, b.length);
}

/** Elements (name, value) compared as MongoDB does: canonical type, then name, then value. */
function compareElements(a: [string, unknown][], b: [string, unknown][], withNames: boolean): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const [ka, va] = a[i];
    const [kb, vb] = b[i];
    const kindA = bsonKind(va);
    const kindB = bsonKind(vb);
    if (kindA !== kindB) {
      const r = cmp(rankOfKind(kindA), rankOfKind(kindB));
      if (r !== 0) return r;
    }
    if (withNames) {
      const names = compareStrings(ka, kb);
      if (names !== 0) return names;
    }
    const values = compareSameRank(va, vb, kindA, kindB);
    if (values !== 0) return values;
  }
  return cmp(a.length, b.length);
}

function compareArrays(a: unknown[], b: unknown[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const r = compareValues(a[i], b[i]);
    if (r !== 0) return r;
  }
  return cmp(a.length, b.length);
}

/** Compares two values already known to share a canonical rank. */
function compareSameRank(a: unknown, b: unknown, kindA: BsonKind, kindB: BsonKind): number {
  switch (kindA) {
    case "null":
    case "minKey":
    case "maxKey":
      return 0;
    case "number":
      return compareNumbers(a, b);
    case "string":
      return typeof a === "string" && typeof b === "string"
        ? compareStrings(a, b)
        : compareStrings(stringValue(a), stringValue(b));
    case "bool":
      return cmp(Number(a), Number(b));
    case "date":
      return compareDoubles((a as Date).getTime(), (b as Date).getTime());
    case "objectId":
      return compareBytes(objectIdBytes(a), objectIdBytes(b));
    case "timestamp": {
      const [ta, ia] = timestampParts(a);
      const [tb, ib] = timestampParts(b);
      return ta !== tb ? cmp(ta, tb) : cmp(ia, ib);
    }
    case "binData": {
      // MongoDB: length first, then subtype, then bytes.
      const x = binaryParts(a);
      const y = binaryParts(b);
      if (x.bytes.length !== y.bytes.length) return cmp(x.bytes.length, y.bytes.length);
      if (x.subtype !== y.subtype) return cmp(x.subtype, y.subtype);
      return compareBytes(x.bytes, y.bytes);
    }
    case "regex": {
      const x = regexParts(a);
      const y = regexParts(b);
      return compareStrings(x.pattern, y.pattern) || compareStrings(x.options, y.options);
    }
    case "javascript":
      return compareStrings((a as Code).code, (b as Code).code);
    case "javascriptWithScope":
      return (
        compareStrings((a as Code).code, (b as Code).code) ||
        compareElements(
          documentEntries((a as Code).scope ?? {}),
          documentEntries((b as Code).scope ?? {}),
          true,
        )
      );
    case "array":
      return compareArrays(a as unknown[], b as unknown[]);
    case "object":
      return compareElements(documentEntries(a as object), documentEntries(b as object), true);
  }
  // Only reached when two kinds share a rank without sharing a case (none today).
  return cmp(rankOfKind(kindA), rankOfKind(kindB));
}

/**
 * MongoDB's BSON order. Types first (MinKey < null = undefined = missing < numbers <
 * string/symbol < object < array < binData < ObjectId < boolean < Date < Timestamp < RegExp <
 * code < MaxKey), then values: numbers of every kind by exact numeric value (NaN lowest),
 * strings in code point order, sub-documents element by element (type, name, value), arrays
 * element by element (whole-value comparison, not the min/max rule of sorts).
 */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return compareDoubles(a, b);
  if (typeof a === "string" && typeof b === "string") return compareStrings(a, b);
  const kindA = bsonKind(a);
  const kindB = bsonKind(b);
  if (kindA !== kindB) {
    const r = cmp(rankOfKind(kindA), rankOfKind(kindB));
    if (r !== 0) return r;
  }
  return compareSameRank(a, b, kindA, kindB);
}

/** MongoDB equality: 1 == 1.0 == Long(1) == Decimal128("1"); ObjectId by bytes; Date by time. */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const ta = typeof a;
  if (ta === typeof b && (ta === "string" || ta === "boolean")) return false;
  if (ta === "number" && typeof b === "number") return Number.isNaN(a) && Number.isNaN(b);
  return compareValues(a, b) === 0;
}
