import { type Document, Timestamp } from "bson";
import { isPlainObject } from "../bson/bson-kind";
import { bsonTypeName } from "../bson/bson-type-code";
import { compareValues, valuesEqual } from "../bson/compare-values";
import { copyValue, identicalValues } from "../bson/copy-value";
import { decodeNumber, isNumeric } from "../bson/exact-number";
import {
  ArithmeticOverflow,
  addNumbers,
  bitwise,
  isIntegral,
  multiplyNumbers,
  zeroLike,
} from "../bson/numeric-arithmetic";
import { compileFilterWith, type DocumentPredicate } from "./filter-compiler";
import { MINGO_OPTIONS } from "./mingo-context";
import { badValue, failedToParse, preview, typeMismatch } from "./query-error";
import { isRegex } from "./query-operators";
import { sortDocuments } from "./sort-documents";
import { type Leaf, set } from "./update-paths";

/** The update operators, each turned into a {@link Leaf} applied where its path leads. */

export const UPDATE_OPERATORS = new Set([
  "$set",
  "$setOnInsert",
  "$unset",
  "$inc",
  "$mul",
  "$min",
  "$max",
  "$rename",
  "$currentDate",
  "$push",
  "$addToSet",
  "$pull",
  "$pullAll",
  "$pop",
  "$bit",
]);
/** Operators that never create the path they name. */
export const NON_CREATING = new Set(["$unset", "$pull", "$pullAll", "$pop"]);
const compileFilter = (filter: unknown): DocumentPredicate => compileFilterWith(filter, MINGO_OPTIONS);

export interface OperatorContext {
  docId: unknown;
  now: Date;
}

const describeField = (ctx: OperatorContext, key: string, current: unknown) =>
  `{_id: ${preview(ctx.docId)}} has the field '${key}' of non-numeric type ${bsonTypeName(current)}`;

function setLeaf(value: unknown): Leaf {
  return (holder, key, exists, current) => {
    if (exists && identicalValues(current, value)) return false;
    set(holder, key, copyValue(value));
    return true;
  };
}

function arithmeticLeaf(op: "$inc" | "$mul", arg: unknown, ctx: OperatorContext): Leaf {
  if (!isNumeric(arg)) {
    throw typeMismatch(
      `Cannot ${op === "$inc" ? "increment" : "multiply"} with non-numeric argument: ${preview(arg)}`,
    );
  }
  return (holder, key, exists, current) => {
    if (!exists) {
      set(holder, key, op === "$inc" ? copyValue(arg) : zeroLike(arg));
      return true;
    }
    if (!isNumeric(current))
      throw typeMismatch(
        `Cannot apply ${op} to a value of non-numeric type. ${describeField(ctx, key, current)}`,
      );
    let result: unknown;
    try {
      result = op === "$inc" ? addNumbers(current, arg) : multiplyNumbers(current, arg);
    } catch (err) {
      if (!(err instanceof ArithmeticOverflow)) throw err;
      throw badValue(
        `Failed to apply ${op} operations to current value (${preview(current)}) for document {_id: ${preview(ctx.docId)}}`,
      );
    }
    if (identicalValues(result, current)) return false;
    set(holder, key, result);
    return true;
  };
}

function minMaxLeaf(op: "$min" | "$max", arg: unknown): Leaf {
  return (holder, key, exists, current) => {
    const c = exists ? compareValues(arg, current) : 0;
    if (exists && (op === "$min" ? c >= 0 : c <= 0)) return false;
    set(holder, key, copyValue(arg));
    return true;
  };
}

let lastTimestamp = { t: 0, i: 0 };

/** Timestamps `$currentDate` writes increase within a second, like the oplog's. */
function nextTimestamp(now: Date): Timestamp {
  const t = Math.floor(now.getTime() / 1000);
  lastTimestamp = t === lastTimestamp.t ? { t, i: lastTimestamp.i + 1 } : { t, i: 1 };
  return new Timestamp(lastTimestamp);
}

function currentDateLeaf(arg: unknown, ctx: OperatorContext): Leaf {
  let type: "date" | "timestamp";
  if (typeof arg === "boolean") type = "date";
  else if (
    isPlainObject(arg) &&
    Object.keys(arg).length === 1 &&
    (arg.$type === "date" || arg.$type === "timestamp")
  )
    type = arg.$type;
  else
    throw badValue(
      `${preview(arg)} is not valid type for $currentDate. Please use a boolean ('true') or a $type expression ({$type: 'timestamp/date'}).`,
    );
  return (holder, key) => {
    set(holder, key, type === "date" ? new Date(ctx.now.getTime()) : nextTimestamp(ctx.now));
    return true;
  };
}

function integerArgument(value: unknown, what: string): number {
  const decoded = isNumeric(value) ? decodeNumber(value) : undefined;
  const n = decoded ? (decoded.exactDouble ? decoded.value : decoded.approx) : Number.NaN;
  if (!Number.isInteger(n))
    throw badValue(
      `The value for ${what} must be an integer value but was given type: ${bsonTypeName(value)}`,
    );
  return n;
}

function requireArray(key: string, current: unknown, op: string, ctx: OperatorContext): unknown[] {
  if (Array.isArray(current)) return current;
  if (op === "$addToSet") {
    throw badValue(
      `Cannot apply $addToSet to non-array field. Field named '${key}' has non-array type ${bsonTypeName(current)}`,
    );
  }
  if (op === "$pop")
    throw typeMismatch(`Path '${key}' contains an element of non-array type '${bsonTypeName(current)}'`);
  if (op === "$pull" || op === "$pullAll") throw badValue(`Cannot apply ${op} to a non-array value`);
  throw badValue(
    `The field '${key}' must be an array but is of type ${bsonTypeName(current)} in document {_id: ${preview(ctx.docId)}}`,
  );
}

function pushLeaf(arg: unknown, ctx: OperatorContext): Leaf {
  let values: unknown[] = [arg];
  let position: number | undefined;
  let slice: number | undefined;
  let sort: ((items: unknown[]) => unknown[]) | undefined;
  if (isPlainObject(arg) && "$each" in arg) {
    for (const key of Object.keys(arg)) {
      if (!["$each", "$slice", "$sort", "$position"].includes(key))
        throw badValue(`Unrecognized clause in $push: ${key}`);
    }
    if (!Array.isArray(arg.$each))
      throw badValue(
        `The argument to $each in $push must be an array but it was of type: ${bsonTypeName(arg.$each)}`,
      );
    values = arg.$each;
    if (arg.$position !== undefined) position = integerArgument(arg.$position, "$position");
    if (arg.$slice !== undefined) slice = integerArgument(arg.$slice, "$slice");
    if (arg.$sort !== undefined) sort = pushSorter(arg.$sort);
  }
  return (holder, key, exists, current) => {
    const existing = exists ? requireArray(key, current, "$push", ctx) : [];
    let next = existing.slice();
    const copies = values.map(copyValue);
    const at =
      position === undefined
        ? next.length
        : position < 0
          ? Math.max(0, next.length + position)
          : Math.min(position, next.length);
    next.splice(at, 0, ...copies);
    if (sort) next = sort(next);
    if (slice !== undefined) next = slice >= 0 ? next.slice(0, slice) : next.slice(slice);
    if (exists && identicalValues(next, existing)) return false;
    set(holder, key, next);
    return true;
  };
}

function pushSorter(spec: unknown): (items: unknown[]) => unknown[] {
  const invalid = () =>
    badValue(
      "The $sort is invalid: use 1/-1 to sort the whole element, or {field:1/-1} to sort embedded fields",
    );
  if (isNumeric(spec)) {
    const direction = integerArgument(spec, "$sort");
    if (direction !== 1 && direction !== -1) throw invalid();
    return (items) =>
      items
        .map((v) => ({ v }))
        .sort((a, b) => compareValues(a.v, b.v) * direction)
        .map((x) => x.v);
  }
  if (!isPlainObject(spec) || Object.keys(spec).length === 0) throw invalid();
  return (items) => sortDocuments(items as Document[], spec);
}

function addToSetLeaf(arg: unknown, ctx: OperatorContext): Leaf {
  let values = [arg];
  if (isPlainObject(arg) && "$each" in arg) {
    if (!Array.isArray(arg.$each))
      throw badValue(
        `The argument to $each in $addToSet must be an array but it was of type ${bsonTypeName(arg.$each)}`,
      );
    values = arg.$each;
  }
  return (holder, key, exists, current) => {
    const next = exists ? requireArray(key, current, "$addToSet", ctx).slice() : [];
    let added = !exists;
    for (const value of values) {
      if (next.some((v) => valuesEqual(v, value))) continue;
      next.push(copyValue(value));
      added = true;
    }
    if (added) set(holder, key, next);
    return added;
  };
}

const PULL_QUERY_KEYS = new Set(["$and", "$or", "$nor", "$expr"]);

function pullMatcher(arg: unknown): (element: unknown) => boolean {
  if (isPlainObject(arg)) {
    const first = Object.keys(arg)[0];
    if (first === undefined || !first.startsWith("$") || PULL_QUERY_KEYS.has(first)) {
      // A document condition is a query on the (sub-document) elements.
      const test = compileFilter(arg);
      return (e) => isPlainObject(e) && test(e);
    }
    const test = compileFilter({ v: arg });
    return (e) => test({ v: e });
  }
  if (isRegex(arg)) {
    const test = compileFilter({ v: arg });
    return (e) => test({ v: e });
  }
  return (e) => valuesEqual(e, arg);
}

function removeLeaf(op: "$pull" | "$pullAll", matches: (e: unknown) => boolean, ctx: OperatorContext): Leaf {
  return (holder, key, exists, current) => {
    if (!exists) return false;
    const array = requireArray(key, current, op, ctx);
    const next = array.filter((e) => !matches(e));
    if (next.length === array.length) return false;
    set(holder, key, next);
    return true;
  };
}

function popLeaf(arg: unknown, ctx: OperatorContext): Leaf {
  const decoded = isNumeric(arg) ? decodeNumber(arg) : undefined;
  const n = decoded ? (decoded.exactDouble ? decoded.value : decoded.approx) : Number.NaN;
  if (n !== 1 && n !== -1) throw failedToParse(`$pop expects 1 or -1, found: ${preview(arg)}`);
  return (holder, key, exists, current) => {
    if (!exists) return false;
    const array = requireArray(key, current, "$pop", ctx);
    if (array.length === 0) return false;
    set(holder, key, n === 1 ? array.slice(0, -1) : array.slice(1));
    return true;
  };
}

function bitLeaf(arg: unknown, ctx: OperatorContext): Leaf {
  if (!isPlainObject(arg) || Object.keys(arg).length === 0) {
    throw badValue(
      `The $bit modifier is not compatible with a ${bsonTypeName(arg)}. You must pass in an embedded document: {$bit: {field: {and/or/xor: #}}`,
    );
  }
  const steps = Object.entries(arg).map(([bitOp, operand]) => {
    if (bitOp !== "and" && bitOp !== "or" && bitOp !== "xor") {
      throw badValue(
        `The $bit modifier only supports 'and', 'or', and 'xor', not '${bitOp}' which is an unknown operator: {${bitOp}: ${preview(operand)}}`,
      );
    }
    if (!isIntegral(operand)) {
      throw badValue(
        `The $bit modifier field must be an Integer(32/64 bit); a '${bsonTypeName(operand)}' is not supported here: {${bitOp}: ${preview(operand)}}`,
      );
    }
    return { bitOp, operand } as const;
  });
  return (holder, key, exists, current) => {
    if (exists && !isIntegral(current)) {
      throw badValue(
        `Cannot apply $bit to a value of non-integral type.{_id: ${preview(ctx.docId)}} has the field ${key} of non-integer type ${bsonTypeName(current)}`,
      );
    }
    let value: unknown = exists ? current : 0;
    for (const { bitOp, operand } of steps) value = bitwise(value, operand, bitOp);
    if (exists && identicalValues(value, current)) return false;
    set(holder, key, value);
    return true;
  };
}

export function leafFor(op: string, arg: unknown, ctx: OperatorContext): Leaf {
  switch (op) {
    case "$set":
    case "$setOnInsert":
      return setLeaf(arg);
    case "$unset":
      return (holder, key, exists, current) => {
        if (!exists) return false;
        if (Array.isArray(holder)) {
          // MongoDB keeps array positions: an unset element becomes null.
          if (current === null) return false;
          set(holder, key, null);
        } else {
          delete holder[key];
        }
        return true;
      };
    case "$inc":
    case "$mul":
      return arithmeticLeaf(op, arg, ctx);
    case "$min":
    case "$max":
      return minMaxLeaf(op, arg);
    case "$currentDate":
      return currentDateLeaf(arg, ctx);
    case "$push":
      return pushLeaf(arg, ctx);
    case "$addToSet":
      return addToSetLeaf(arg, ctx);
    case "$pull":
      return removeLeaf("$pull", pullMatcher(arg), ctx);
    case "$pullAll": {
      if (!Array.isArray(arg))
        throw badValue(`$pullAll requires an array argument but was given a ${bsonTypeName(arg)}`);
      return removeLeaf("$pullAll", (e) => arg.some((v) => valuesEqual(e, v)), ctx);
    }
    case "$pop":
      return popLeaf(arg, ctx);
    case "$bit":
      return bitLeaf(arg, ctx);
    default:
      throw failedToParse(`Unknown modifier: ${op}`);
  }
}
