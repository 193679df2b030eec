import { bsonTag, isPlainObject } from "./bson-kind";

/**
 * A copy of the plain structure (documents and arrays) of a value. BSON value objects (ObjectId,
 * Long, Date, Binary…) are immutable by convention and shared.
 */
export function copyValue<T>(v: T): T {
  if (Array.isArray(v)) return v.map(copyValue) as T;
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) out[key] = copyValue(v[key]);
    return out as T;
  }
  return v;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * True when two values would serialise to the same BSON: same types (a number is not a Long),
 * same field order, same bytes. This is "did the update change anything", stricter than
 * {@link valuesEqual} (where 1 == Long(1)).
 */
export function identicalValues(a: unknown, b: unknown): boolean {
  if (typeof a === "number") return Object.is(a, b); // NaN is NaN; -0 is not 0 (other bits)
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!identicalValues(a[i], b[i])) return false;
    return true;
  }
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    for (let i = 0; i < ka.length; i++) {
      if (ka[i] !== kb[i] || !identicalValues(a[ka[i]], b[kb[i]])) return false;
    }
    return true;
  }
  if ((a as object).constructor !== (b as object).constructor) return false;
  if (a instanceof Date) return a.getTime() === (b as Date).getTime();
  if (a instanceof RegExp) return a.source === (b as RegExp).source && a.flags === (b as RegExp).flags;
  if (a instanceof Uint8Array) return sameBytes(a, b as Uint8Array);
  switch (bsonTag(a)) {
    case "ObjectId":
      return sameBytes((a as { id: Uint8Array }).id, (b as { id: Uint8Array }).id);
    case "Decimal128":
      return sameBytes((a as { bytes: Uint8Array }).bytes, (b as { bytes: Uint8Array }).bytes);
    case "Binary": {
      const x = a as { sub_type: number; position: number; buffer: Uint8Array };
      const y = b as typeof x;
      return (
        x.sub_type === y.sub_type &&
        sameBytes(x.buffer.subarray(0, x.position), y.buffer.subarray(0, y.position))
      );
    }
    default:
      // Long, Timestamp, Int32, Double, Code, DBRef, MinKey…: their own fields decide.
      return identicalValues({ ...a }, { ...b });
  }
}
