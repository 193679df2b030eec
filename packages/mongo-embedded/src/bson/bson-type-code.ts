import { bsonTag, isPlainObject } from "./bson-kind";
import { decodeNumber, isNumeric } from "./exact-number";

/** BSON type numbers by `$type` alias (MongoDB's names). */
export const BSON_TYPE_ALIASES: Readonly<Record<string, number>> = {
  double: 1,
  string: 2,
  object: 3,
  array: 4,
  binData: 5,
  undefined: 6,
  objectId: 7,
  bool: 8,
  date: 9,
  null: 10,
  regex: 11,
  dbPointer: 12,
  javascript: 13,
  symbol: 14,
  javascriptWithScope: 15,
  int: 16,
  timestamp: 17,
  long: 18,
  decimal: 19,
  minKey: -1,
  maxKey: 127,
};

const NAMES_BY_CODE = new Map(Object.entries(BSON_TYPE_ALIASES).map(([name, code]) => [code, name]));
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * The BSON type number a value would be stored as. A JS number is ambiguous after
 * deserialisation (int32, double and small int64 all become numbers). The JS driver sends an
 * integer within int32 as int32 and any other number as a double, so that is what we report:
 * int (16) within int32, double (1) otherwise. Only a Long (beyond ±2^53) reports long.
 */
export function bsonTypeCode(v: unknown): number {
  switch (typeof v) {
    case "number":
      return Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX ? 16 : 1;
    case "bigint":
      return 18;
    case "string":
      return 2;
    case "boolean":
      return 8;
    case "undefined":
      return 6;
    case "object":
      break;
    default:
      return 3;
  }
  if (v === null) return 10;
  if (Array.isArray(v)) return 4;
  if (isPlainObject(v)) return 3;
  if (v instanceof Date) return 9;
  if (v instanceof RegExp) return 11;
  if (v instanceof Uint8Array) return 5;
  switch (bsonTag(v)) {
    case "Double":
      return 1;
    case "Int32":
      return 16;
    case "Long":
      return 18;
    case "Decimal128":
      return 19;
    case "ObjectId":
      return 7;
    case "Timestamp":
      return 17;
    case "Binary":
      return 5;
    case "BSONSymbol":
      return 14;
    case "BSONRegExp":
      return 11;
    case "Code":
      return (v as { scope?: unknown }).scope ? 15 : 13;
    case "MinKey":
      return -1;
    case "MaxKey":
      return 127;
    default:
      return 3; // DBRef and other documents
  }
}

/** The `$type` aggregation name of a value ("missing" for undefined, as MongoDB answers). */
export function bsonTypeName(v: unknown): string {
  if (v === undefined) return "missing";
  return NAMES_BY_CODE.get(bsonTypeCode(v)) ?? "object";
}

const NUMERIC_CODES = new Set([1, 16, 18, 19]);

/** Thrown for a malformed `$type` operand; the caller adds the error code. */
export class TypeSpecError extends Error {}

/**
 * Parses a `$type` operand (a type number, an alias, or a non-empty array of them) into a
 * predicate on values. `"number"` matches every numeric type.
 */
export function parseTypeSpec(spec: unknown): (v: unknown) => boolean {
  const items = Array.isArray(spec) ? spec : [spec];
  if (items.length === 0) throw new TypeSpecError("$type must match at least one type");
  const codes = new Set<number>();
  for (const item of items) {
    if (typeof item === "string") {
      if (item === "number") {
        for (const code of NUMERIC_CODES) codes.add(code);
        continue;
      }
      const code = BSON_TYPE_ALIASES[item];
      if (code === undefined) throw new TypeSpecError(`Unknown type name alias: ${item}`);
      codes.add(code);
    } else if (isNumeric(item)) {
      const decoded = decodeNumber(item);
      const code = decoded.exactDouble ? decoded.value : Number.NaN;
      if (!Number.isInteger(code) || !NAMES_BY_CODE.has(code))
        throw new TypeSpecError(`Invalid numerical type code: ${String(item)}`);
      codes.add(code);
    } else {
      throw new TypeSpecError("type must be represented as a number or a string");
    }
  }
  return (v) => codes.has(bsonTypeCode(v));
}
