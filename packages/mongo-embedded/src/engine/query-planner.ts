import type { Document } from "bson";
import { encodeCompoundKey, encodeKeyValue, rangeBounds } from "../bson/index-key";
import type { CollectionIndex } from "./collection-index";
import { isPlainObject } from "./key-paths";

/** What a filter pins a field to: a list of exact values ($eq or $in), and/or a range. */
interface FieldCondition {
  values?: unknown[];
  range?: Document;
}

/** How a query reaches its documents; `explain` prints it. */
export type Plan =
  | { stage: "IDHACK" | "IDSCAN"; ids: string[] }
  | {
      stage: "IXSCAN";
      index: CollectionIndex;
      prefixes: string[];
      next?: NextBounds;
      /** A unique index with every field pinned: each prefix is a whole key, looked up directly. */
      point: boolean;
    }
  /** Each clause of a top-level `$or` through its own plan, documents deduplicated. */
  | { stage: "OR"; branches: Plan[] }
  | { stage: "COLLSCAN" };

/** Encoded bounds on the component after the equality prefix; `$gt`/`$lt` make their side exclusive. */
export interface NextBounds {
  low: string;
  high: string;
  lowExclusive?: boolean;
  highExclusive?: boolean;
}

const MAX_IN_COMBINATIONS = 10_000;
const RANGE_OPERATORS = new Set(["$gt", "$gte", "$lt", "$lte"]);

/** A value an index can look up exactly: scalars (no arrays, regexes or sub-documents). */
function isIndexableValue(v: unknown): boolean {
  return !Array.isArray(v) && !(v instanceof RegExp) && !isPlainObject(v) && v !== undefined;
}

/**
 * The `_id` a filter pins with a plain top-level equality (`{_id: v, ...}`), if any: such a
 * filter is answered by one lookup, without planning.
 */
export function idEquality(filter: Document): { value: unknown } | undefined {
  const value = filter._id;
  return value !== undefined && isIndexableValue(value) ? { value } : undefined;
}

function conditionOf(value: unknown): FieldCondition | undefined {
  if (!isPlainObject(value)) return isIndexableValue(value) ? { values: [value] } : undefined;
  const keys = Object.keys(value);
  if (keys.length === 0 || !keys.every((k) => k.startsWith("$"))) return undefined;
  const condition: FieldCondition = {};
  for (const key of keys) {
    const operand = value[key];
    if (key === "$eq" && isIndexableValue(operand)) condition.values = [operand];
    else if (key === "$in" && Array.isArray(operand) && operand.every(isIndexableValue))
      condition.values = operand;
    else if (RANGE_OPERATORS.has(key) && isIndexableValue(operand)) {
      condition.range = { ...condition.range, [key]: operand };
    }
  }
  return condition.values || condition.range ? condition : undefined;
}

/** Field conditions that every matching document satisfies (top level and top-level `$and`). */
function collectConditions(
  filter: Document,
  into = new Map<string, FieldCondition>(),
): Map<string, FieldCondition> {
  for (const [field, value] of Object.entries(filter)) {
    if (field === "$and" && Array.isArray(value)) {
      for (const clause of value) if (isPlainObject(clause)) collectConditions(clause, into);
      continue;
    }
    if (field.startsWith("$")) continue;
    const condition = conditionOf(value);
    if (condition && !into.has(field)) into.set(field, condition);
  }
  return into;
}

function lowerSideOnly(range: Document): Document | undefined {
  const lower = Object.fromEntries(Object.entries(range).filter(([op]) => op === "$gt" || op === "$gte"));
  return Object.keys(lower).length ? lower : range;
}

function cartesian(lists: unknown[][]): unknown[][] | undefined {
  let out: unknown[][] = [[]];
  for (const list of lists) {
    out = out.flatMap((prefix) => list.map((v) => [...prefix, v]));
    if (out.length > MAX_IN_COMBINATIONS) return undefined;
  }
  return out;
}

/**
 * Picks how to read the documents a filter needs: `_id` lookups first, then the index with the
 * longest equality prefix (a unique index wins ties; a range on the next field narrows it), else a
 * collection scan. Plans only ever return a superset: the caller always re-applies the filter.
 */
export function planQuery(filter: Document, indexIterable: Iterable<CollectionIndex>): Plan {
  const indexes = [...indexIterable];
  const conditions = collectConditions(filter);
  const id = conditions.get("_id");
  if (id?.values) {
    return {
      stage: id.values.length === 1 ? "IDHACK" : "IDSCAN",
      ids: id.values.map((v) => encodeKeyValue(v)),
    };
  }
  let best: { plan: Plan; score: number } | undefined;
  for (const index of indexes) {
    if (index.spec.partialFilterExpression) continue;
    const equalities: unknown[][] = [];
    for (const field of index.fields) {
      const values = conditions.get(field)?.values;
      if (!values) break;
      // A sparse index holds no entry for missing fields, so it cannot answer `field: null`.
      if (index.spec.sparse && values.some((v) => v === null)) break;
      equalities.push(values);
    }
    const nextField = index.fields[equalities.length];
    let range = nextField !== undefined ? conditions.get(nextField)?.range : undefined;
    // On a multikey index, `$gt` and `$lt` may be met by different elements: keep one side only.
    if (range && index.multikey) range = lowerSideOnly(range);
    const bounds = range ? rangeBounds(range) : undefined;
    const next: NextBounds | undefined = bounds &&
      range && {
        ...bounds,
        lowExclusive: "$gt" in range && encodeKeyValue(range.$gt) === bounds.low,
        highExclusive: "$lt" in range && encodeKeyValue(range.$lt) === bounds.high,
      };
    if (equalities.length === 0 && !next) continue;
    const combos = cartesian(equalities);
    if (!combos) continue;
    const point = index.unique && equalities.length === index.fields.length;
    const score = equalities.length * 2 + (next ? 1 : 0) + (point ? 1 : 0);
    if (best && best.score >= score) continue;
    const prefixes = combos.map((values) => (values.length ? encodeCompoundKey(values) : ""));
    best = { plan: { stage: "IXSCAN", index, prefixes, next, point }, score };
  }
  return best?.plan ?? orPlan(filter, indexes) ?? { stage: "COLLSCAN" };
}

/** A top-level `$or` whose every clause can use an index: the union of the clauses' plans. */
function orPlan(filter: Document, indexes: CollectionIndex[]): Plan | undefined {
  const clauses = filter.$or;
  if (!Array.isArray(clauses) || clauses.length === 0 || !clauses.every(isPlainObject)) return undefined;
  const branches = clauses.map((clause) => planQuery(clause as Document, indexes));
  return branches.every((b) => b.stage !== "COLLSCAN") ? { stage: "OR", branches } : undefined;
}

/**
 * Values whose index key matches exactly the documents an equality on them matches: not null
 * (its key is also that of a missing field and of `[]`), not NaN, not an invalid date, no
 * arrays, sub-documents or regexes.
 */
function isExactKeyValue(v: unknown): boolean {
  switch (typeof v) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return !Number.isNaN(v);
    case "object":
      if (v instanceof Date) return !Number.isNaN(v.getTime());
      return v !== null && (v as { _bsontype?: unknown })._bsontype === "ObjectId";
    default:
      return false;
  }
}

/** `v`, `{$eq: v}` or `{$in: [v…]}` with exact-key values only. */
function isExactCondition(value: unknown): boolean {
  if (!isPlainObject(value)) return isExactKeyValue(value);
  const keys = Object.keys(value);
  if (keys.length !== 1) return false;
  if (keys[0] === "$eq") return isExactKeyValue(value.$eq);
  return (
    keys[0] === "$in" && Array.isArray(value.$in) && value.$in.length > 0 && value.$in.every(isExactKeyValue)
  );
}

/**
 * Nothing but exact equalities on top-level fields (`v`, `{$eq: v}`, `{$in: [v…]}`), or a
 * top-level `$or` of such clauses: a filter that cannot fail to compile.
 */
export function isExactFilter(filter: Document): boolean {
  const keys = Object.keys(filter);
  if (keys.length === 1 && keys[0] === "$or") {
    const clauses = filter.$or;
    return (
      Array.isArray(clauses) &&
      clauses.length > 0 &&
      clauses.every((clause) => isPlainObject(clause) && !("$or" in clause) && isExactFilter(clause))
    );
  }
  return keys.length > 0 && keys.every((key) => !key.startsWith("$") && isExactCondition(filter[key]));
}

/**
 * For an {@link isExactFilter} filter: true when every document `plan` yields matches it, so
 * testing them again is useless — each clause pins exactly the fields of the unique index its
 * plan looks keys up in, and such keys are equal exactly when the values are (see
 * `encodeKeyValue`), arrays included (multikey).
 */
export function planAnswersExactly(filter: Document, plan: Plan): boolean {
  if (plan.stage === "OR") {
    const clauses = filter.$or as Document[] | undefined;
    return (
      Array.isArray(clauses) &&
      clauses.length === plan.branches.length &&
      plan.branches.every((branch, i) => planAnswersExactly(clauses[i], branch))
    );
  }
  if (plan.stage !== "IXSCAN" || !plan.point || plan.next) return false;
  const { index } = plan;
  if (index.spec.sparse || index.spec.partialFilterExpression || !index.unique) return false;
  return (
    Object.keys(filter).length === index.fields.length &&
    index.fields.every((field) => !field.includes(".") && Object.hasOwn(filter, field))
  );
}
