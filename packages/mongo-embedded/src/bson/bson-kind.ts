import type { Binary, BSONRegExp, Code, DBRef, Document, ObjectId, Timestamp } from "bson";

/**
 * What a deserialized value is, as far as ordering is concerned. Class instances are recognised
 * by their `_bsontype` tag (not `instanceof`): `Timestamp` extends `Long` in bson 6, so
 * `instanceof Long` would misfile timestamps.
 */
export type BsonKind =
  | "minKey"
  | "null"
  | "number"
  | "string"
  | "object"
  | "array"
  | "binData"
  | "objectId"
  | "bool"
  | "date"
  | "timestamp"
  | "regex"
  | "javascript"
  | "javascriptWithScope"
  | "maxKey";

/** MongoDB's canonical type order (`canonicalizeBSONType`): the first key of every comparison. */
const RANK: Record<BsonKind, number> = {
  minKey: -1,
  null: 5,
  number: 10,
  string: 15,
  object: 20,
  array: 25,
  binData: 30,
  objectId: 35,
  bool: 40,
  date: 45,
  timestamp: 47,
  regex: 50,
  javascript: 60,
  javascriptWithScope: 65,
  maxKey: 127,
};

export const isPlainObject = (v: unknown): v is Document => {
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/** The `_bsontype` tag of a bson class instance, or undefined. */
export function bsonTag(v: object): string | undefined {
  const tag = (v as { _bsontype?: unknown })._bsontype;
  return typeof tag === "string" ? tag : undefined;
}

export function bsonKind(v: unknown): BsonKind {
  switch (typeof v) {
    case "number":
    case "bigint":
      return "number";
    case "string":
      return "string";
    case "boolean":
      return "bool";
    case "undefined":
      return "null";
    case "object":
      break;
    default:
      // Functions and JS symbols never come out of bson; file them with sub-documents.
      return "object";
  }
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (isPlainObject(v)) return "object";
  if (v instanceof Date) return "date";
  if (v instanceof RegExp) return "regex";
  if (v instanceof Uint8Array) return "binData";
  switch (bsonTag(v)) {
    case "Long":
    case "Int32":
    case "Double":
    case "Decimal128":
      return "number";
    case "ObjectId":
      return "objectId";
    case "Timestamp":
      return "timestamp";
    case "Binary":
      return "binData";
    case "BSONSymbol":
      return "string";
    case "BSONRegExp":
      return "regex";
    case "Code":
      return (v as Code).scope ? "javascriptWithScope" : "javascript";
    case "MinKey":
      return "minKey";
    case "MaxKey":
      return "maxKey";
    default:
      // DBRef and any other object: compared as a document of its fields.
      return "object";
  }
}

/**
 * MongoDB's canonical type rank: MinKey -1 < null/undefined/missing 5 < numbers 10 <
 * string/symbol 15 < object 20 < array 25 < binData 30 < objectId 35 < bool 40 < date 45 <
 * timestamp 47 < regex 50 < code 60 < code with scope 65 < MaxKey 127.
 */
export const bsonTypeRank = (v: unknown): number => RANK[bsonKind(v)];

export const rankOfKind = (kind: BsonKind): number => RANK[kind];

/** The string value of a string or BSONSymbol. */
export const stringValue = (v: unknown): string =>
  typeof v === "string" ? v : String((v as { value: unknown }).value);

/**
 * The fields of a document-like value in BSON order. A DBRef (bson turns every `{$ref, $id}`
 * sub-document into one) is listed as the document it was on the wire.
 */
export function documentEntries(v: object): [string, unknown][] {
  if (bsonTag(v) === "DBRef") {
    const ref = v as DBRef;
    const out: [string, unknown][] = [
      ["$ref", ref.collection],
      ["$id", ref.oid],
    ];
    if (ref.db != null) out.push(["$db", ref.db]);
    for (const [k, value] of Object.entries(ref.fields ?? {})) out.push([k, value]);
    return out;
  }
  return Object.entries(v);
}

/** A document-like value's field, or undefined (own fields only: never the prototype's). */
export function fieldOf(v: object, key: string): unknown {
  if (isPlainObject(v)) return Object.hasOwn(v, key) ? v[key] : undefined;
  if (bsonTag(v) === "DBRef") {
    const ref = v as DBRef;
    if (key === "$ref") return ref.collection;
    if (key === "$id") return ref.oid;
    if (key === "$db") return ref.db ?? undefined;
    return Object.hasOwn(ref.fields ?? {}, key) ? ref.fields[key] : undefined;
  }
  return undefined;
}

/** True for values a dotted path can descend into (plain sub-documents and DBRefs). */
export const isDocumentLike = (v: unknown): v is object =>
  isPlainObject(v) || (typeof v === "object" && v !== null && bsonTag(v) === "DBRef");

/** The bytes and subtype of a binData value. */
export function binaryParts(v: unknown): { bytes: Uint8Array; subtype: number } {
  if (v instanceof Uint8Array) return { bytes: v, subtype: 0 };
  const bin = v as Binary;
  return { bytes: bin.buffer.subarray(0, bin.position), subtype: bin.sub_type };
}

export const objectIdBytes = (v: unknown): Uint8Array => (v as ObjectId).id;

/** Timestamp as [t, i], both unsigned 32-bit. */
export const timestampParts = (v: unknown): [number, number] => [(v as Timestamp).t, (v as Timestamp).i];

/**
 * A regex's pattern and MongoDB option letters. bson 6 decodes the BSON option `s` as the JS
 * flag `g` (and encodes `g` back as `s`), so `g` means dotAll here.
 */
export function regexParts(v: unknown): { pattern: string; options: string } {
  if (v instanceof RegExp) {
    let options = "";
    if (v.ignoreCase) options += "i";
    if (v.multiline) options += "m";
    if (v.dotAll || v.global) options += "s";
    if (v.unicode) options += "u";
    return { pattern: v.source, options };
  }
  const re = v as BSONRegExp;
  return { pattern: re.pattern, options: [...re.options].sort().join("") };
}
