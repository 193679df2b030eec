import type { Document } from "bson";
import { isPlainObject } from "../bson/bson-kind";
import { compareValues } from "../bson/compare-values";
import { decodeNumber, isNumeric } from "../bson/exact-number";
import { EMPTY_ARRAY, sortValues } from "./field-path";
import { badValue, notSupported, QueryError } from "./query-error";

export interface SortField {
  parts: string[];
  direction: 1 | -1;
}

/** A parsed sort specification; `natural` is `{$natural: ±1}` (insertion order). */
export type SortPlan = { natural: 1 | -1 } | { fields: SortField[] };

function direction(key: string, value: unknown): 1 | -1 {
  if (isNumeric(value)) {
    const decoded = decodeNumber(value);
    const n = decoded.exactDouble ? decoded.value : decoded.approx;
    if (n === 1 || n === -1) return n;
  }
  if (isPlainObject(value) && "$meta" in value) throw notSupported(`$meta sort on '${key}'`);
  throw new QueryError(15975, "$sort key ordering must be 1 (for ascending) or -1 (for descending)");
}

export function parseSort(spec: unknown): SortPlan {
  if (!isPlainObject(spec)) throw badValue("sort must be an object");
  const keys = Object.keys(spec);
  if (keys.length === 1 && keys[0] === "$natural") return { natural: direction("$natural", spec.$natural) };
  const fields: SortField[] = [];
  for (const key of keys) {
    if (key === "" || key.startsWith("$") || key.split(".").some((p) => p === "")) {
      throw badValue(`Illegal key in $sort specification: ${key}`);
    }
    fields.push({ parts: key.split("."), direction: direction(key, spec[key]) });
  }
  return { fields };
}

/** Empty arrays sort below null and missing (their key is "undefined" in MongoDB). */
function compareSortKeys(a: unknown, b: unknown): number {
  if (a === EMPTY_ARRAY || b === EMPTY_ARRAY) return a === b ? 0 : a === EMPTY_ARRAY ? -1 : 1;
  return compareValues(a, b);
}

/**
 * The value a document sorts by on one field: its smallest value ascending, its largest
 * descending, when the path holds an array (MongoDB's sort key rule).
 */
export function sortKey(doc: unknown, field: SortField): unknown {
  const values = sortValues(doc, field.parts);
  let key = values[0];
  for (let i = 1; i < values.length; i++) {
    const c = compareSortKeys(values[i], key);
    if (field.direction === 1 ? c < 0 : c > 0) key = values[i];
  }
  return key;
}

/**
 * Documents in MongoDB sort order (stable: ties keep their input order). Returns a new array.
 * Missing and null sort together, below numbers; `{$natural: -1}` reverses the input order.
 */
export function sortDocuments<T extends Document>(docs: readonly T[], spec: Document): T[] {
  const plan = parseSort(spec);
  if ("natural" in plan) return plan.natural === 1 ? [...docs] : [...docs].reverse();
  const { fields } = plan;
  if (fields.length === 0) return [...docs];
  // Keys computed once per document, not once per comparison.
  const keyed = docs.map((doc) => ({ doc, keys: fields.map((f) => sortKey(doc, f)) }));
  keyed.sort((x, y) => {
    for (let i = 0; i < fields.length; i++) {
      const c = compareSortKeys(x.keys[i], y.keys[i]);
      if (c !== 0) return c * fields[i].direction;
    }
    return 0;
  });
  return keyed.map((k) => k.doc);
}
