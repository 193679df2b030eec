import { evalExpr } from "mingo/core";
import { $push } from "mingo/operators/accumulator";
import type { AnyObject, Options } from "mingo/types";
import { bsonTypeName } from "../bson/bson-type-code";
import { compareValues, valuesEqual } from "../bson/compare-values";
import { decodeNumber, isNumeric } from "../bson/exact-number";
import { ArithmeticOverflow, addNumbers } from "../bson/numeric-arithmetic";
import { badValue, QueryError } from "./query-error";

/** mingo operator signatures, typed plainly (mingo's own types are intersections of all operators). */
export type ExpressionOperator = (obj: AnyObject, expr: unknown, options: Options) => unknown;
export type AccumulatorOperator = (collection: AnyObject[], expr: unknown, options: Options) => unknown;

/**
 * Aggregation comparisons use the full BSON order across types (no bracketing), and a missing
 * value sorts below null — `{$eq: ["$nothing", null]}` is false in MongoDB.
 */
function compareExpressionValues(a: unknown, b: unknown): number {
  if (a === undefined || b === undefined) {
    if (a === b) return 0;
    const rank = (v: unknown) => (v === undefined ? 0 : compareValues(v, null) < 0 ? -1 : 1);
    return Math.sign(rank(a) - rank(b));
  }
  return compareValues(a, b);
}

function twoArguments(obj: AnyObject, expr: unknown, options: Options, name: string): [unknown, unknown] {
  if (!Array.isArray(expr) || expr.length !== 2) {
    throw new QueryError(
      16020,
      `Expression ${name} takes exactly 2 arguments. ${Array.isArray(expr) ? expr.length : 1} were passed in.`,
    );
  }
  const [a, b] = evalExpr(obj, expr, options) as unknown[];
  return [a, b];
}

const comparison =
  (name: string, accept: (c: number) => boolean): ExpressionOperator =>
  (obj, expr, options) => {
    const [a, b] = twoArguments(obj, expr, options, name);
    return accept(compareExpressionValues(a, b));
  };

export const EXPRESSION_OPERATOR_OVERRIDES: Record<string, ExpressionOperator> = {
  $eq: comparison("$eq", (c) => c === 0),
  $ne: comparison("$ne", (c) => c !== 0),
  $gt: comparison("$gt", (c) => c > 0),
  $gte: comparison("$gte", (c) => c >= 0),
  $lt: comparison("$lt", (c) => c < 0),
  $lte: comparison("$lte", (c) => c <= 0),
  $cmp: (obj, expr, options) => {
    const [a, b] = twoArguments(obj, expr, options, "$cmp");
    return Math.sign(compareExpressionValues(a, b));
  },
  $in: (obj, expr, options) => {
    const [item, list] = twoArguments(obj, expr, options, "$in");
    if (!Array.isArray(list))
      throw new QueryError(40081, `$in requires an array as a second argument, found: ${bsonTypeName(list)}`);
    return list.some((v) => valuesEqual(v, item));
  },
  $type: (obj, expr, options) => {
    // `{$type: ["$a"]}` is the one-argument array form of `{$type: "$a"}`.
    if (Array.isArray(expr) && expr.length !== 1)
      throw badValue("Expression $type takes exactly 1 arguments.");
    const value = evalExpr(obj, Array.isArray(expr) ? expr[0] : expr, options);
    return bsonTypeName(value);
  },
};

/** `$min`/`$max` (accumulators, and the expression forms mingo routes to them): BSON order, nulls ignored. */
const extreme =
  (sign: 1 | -1): AccumulatorOperator =>
  (collection, expr, options) => {
    const values = $push(collection, expr, options) as unknown[];
    let best: unknown = null;
    for (const v of values) {
      if (v === null || v === undefined) continue;
      if (best === null || compareValues(v, best) * sign > 0) best = v;
    }
    return best;
  };

const approx = (v: unknown): number => {
  const decoded = decodeNumber(v);
  return decoded.exactDouble ? decoded.value : decoded.approx;
};

/** Sums every numeric value exactly (Long, Decimal128 included); int64 overflow falls back to a double. */
function sumOf(values: unknown[]): { total: unknown; count: number } {
  let total: unknown = 0;
  let count = 0;
  for (const v of values) {
    if (!isNumeric(v)) continue;
    count++;
    try {
      total = addNumbers(total, v);
    } catch (err) {
      if (!(err instanceof ArithmeticOverflow)) throw err;
      total = approx(total) + approx(v);
    }
  }
  return { total, count };
}

export const ACCUMULATOR_OPERATOR_OVERRIDES: Record<string, AccumulatorOperator> = {
  $min: extreme(-1),
  $max: extreme(1),
  // mingo's $sum/$avg skip anything that is not a JS number: Decimal128 and big Longs vanished.
  $sum: (collection, expr, options) => {
    if (typeof expr === "number") return collection.length * expr;
    return sumOf($push(collection, expr, options) as unknown[]).total;
  },
  $avg: (collection, expr, options) => {
    const { total, count } = sumOf($push(collection, expr, options) as unknown[]);
    return count === 0 ? null : approx(total) / count;
  },
};
