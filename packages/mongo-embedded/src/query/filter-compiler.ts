import type { Document } from "bson";
import { OpType } from "mingo/core";
import { Query } from "mingo/query";
import type { Options } from "mingo/types";
import { isPlainObject } from "../bson/bson-kind";
import { badValue, scriptRefused, toQueryError } from "./query-error";
import { equalityPredicate, isRegex, sanitizeRegExp, toJsRegExp } from "./query-operators";

export type DocumentPredicate = (doc: Document) => boolean;

/** Operators that only make sense at the top of a filter (or of an `$elemMatch` query). */
const TOP_LEVEL_ONLY = new Set([
  "$and",
  "$or",
  "$nor",
  "$expr",
  "$comment",
  "$where",
  "$text",
  "$jsonSchema",
]);
/** Real MongoDB operators this server does not implement: named as such rather than "unknown". */
const UNSUPPORTED = new Set([
  "$text",
  "$jsonSchema",
  "$near",
  "$nearSphere",
  "$geoWithin",
  "$geoIntersects",
  "$within",
  "$sampleRate",
]);
const SCRIPTS = new Set(["$where", "$function", "$accumulator"]);
/** `$elemMatch` criteria starting with one of these are a query on sub-documents, not value operators. */
const ELEM_MATCH_QUERY_KEYS = new Set(["$and", "$or", "$nor", "$expr", "$where"]);

const unsupported = (op: string) => badValue(`${op} is not supported by this server`);

/** Refuses server-side JavaScript anywhere inside an expression (`$function`, `$accumulator`, `$where`). */
export function refuseScripts(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) refuseScripts(item);
  } else if (isPlainObject(value)) {
    for (const [key, inner] of Object.entries(value)) {
      if (SCRIPTS.has(key)) throw scriptRefused(key);
      if (key !== "$literal") refuseScripts(inner);
    }
  }
}

function regexOperand(pattern: unknown, options: unknown): RegExp {
  if (options !== undefined && typeof options !== "string") throw badValue("$options has to be a string");
  if (typeof pattern === "string") return toJsRegExp(pattern, options ?? "");
  if (!isRegex(pattern)) throw badValue("$regex has to be a string");
  if (options === undefined || options === "") return sanitizeRegExp(pattern);
  return toJsRegExp(pattern instanceof RegExp ? pattern.source : pattern.pattern, options);
}

/**
 * Checks a filter and rewrites the parts mingo would get wrong, before mingo compiles it:
 * unknown operators and refused scripts become errors naming them, `$comment` goes, regexes
 * are made safe (see {@link sanitizeRegExp}), `$regex` + `$options` become one RegExp, and a
 * sub-document whose first key is not an operator is an equality even if later keys are.
 */
function prepareFilter(filter: Document, isQueryOperator: (name: string) => boolean): Document {
  const out: Document = {};
  for (const [key, value] of Object.entries(filter)) {
    if (!key.startsWith("$")) {
      out[key] = prepareCondition(value, isQueryOperator);
      continue;
    }
    switch (key) {
      case "$comment":
        break;
      case "$and":
      case "$or":
      case "$nor":
        if (!Array.isArray(value) || value.length === 0) throw badValue(`${key} must be a nonempty array`);
        out[key] = value.map((clause) => {
          if (!isPlainObject(clause)) throw badValue("$or/$and/$nor entries need to be full objects");
          return prepareFilter(clause, isQueryOperator);
        });
        break;
      case "$expr":
        refuseScripts(value);
        out[key] = value;
        break;
      case "$where":
        throw scriptRefused("$where");
      default:
        if (UNSUPPORTED.has(key)) throw unsupported(key);
        throw badValue(
          `unknown top level operator: ${key}. If you have a field name that starts with a '$' symbol, consider using $getField or $setField.`,
        );
    }
  }
  return out;
}

function prepareCondition(value: unknown, isQueryOperator: (name: string) => boolean): unknown {
  if (isRegex(value)) return sanitizeRegExp(value);
  if (!isPlainObject(value)) return value;
  const keys = Object.keys(value);
  // `{$ref, $id}` is a DBRef, not operators (bson decodes it to a DBRef instance anyway).
  if (keys[0] === "$ref" && keys[1] === "$id") return { $eq: value };
  if (keys.length === 0 || !keys[0].startsWith("$")) {
    // MongoDB decides on the first key; mingo would treat any operator-looking key as operators.
    return keys.some((k) => k.startsWith("$")) ? { $eq: value } : value;
  }
  return prepareOperators(value, isQueryOperator);
}

function prepareOperators(value: Document, isQueryOperator: (name: string) => boolean): Document {
  const out: Document = {};
  for (const [op, operand] of Object.entries(value)) {
    switch (op) {
      case "$regex":
        out.$regex = regexOperand(operand, value.$options);
        break;
      case "$options":
        if (!("$regex" in value)) throw badValue("$options needs a $regex");
        break;
      case "$not":
        if (isRegex(operand)) out.$not = sanitizeRegExp(operand);
        else if (!isPlainObject(operand)) throw badValue("$not needs a regex or a document");
        else if (Object.keys(operand).length === 0) throw badValue("$not cannot be empty");
        else if (!Object.keys(operand)[0].startsWith("$"))
          throw badValue(`unknown operator: ${Object.keys(operand)[0]}`);
        else out.$not = prepareOperators(operand, isQueryOperator);
        break;
      case "$elemMatch": {
        if (!isPlainObject(operand)) throw badValue("$elemMatch needs an Object");
        const inner = Object.keys(operand);
        const valueMode =
          inner.length > 0 && inner.every((k) => k.startsWith("$") && !ELEM_MATCH_QUERY_KEYS.has(k));
        out.$elemMatch = valueMode
          ? prepareOperators(operand, isQueryOperator)
          : prepareFilter(operand, isQueryOperator);
        break;
      }
      case "$in":
      case "$nin":
      case "$all":
        out[op] = Array.isArray(operand)
          ? operand.map((item) => {
              if (isRegex(item)) return sanitizeRegExp(item);
              if (op === "$all" && isPlainObject(item) && isPlainObject(item.$elemMatch)) {
                return prepareOperators(item, isQueryOperator);
              }
              return item;
            })
          : operand;
        break;
      default:
        if (SCRIPTS.has(op)) throw scriptRefused(op);
        if (UNSUPPORTED.has(op)) throw unsupported(op);
        if (TOP_LEVEL_ONLY.has(op) || !isQueryOperator(op)) throw badValue(`unknown operator: ${op}`);
        out[op] = operand;
    }
  }
  return out;
}

/** `field: value` pairs only (the common point lookup): compiled without mingo. */
function simpleEqualities(filter: Document): DocumentPredicate[] | undefined {
  const predicates: DocumentPredicate[] = [];
  for (const key in filter) {
    if (!Object.hasOwn(filter, key)) continue;
    const value = filter[key];
    if (key.startsWith("$") || isRegex(value)) return undefined;
    if (isPlainObject(value)) {
      for (const inner in value) if (inner.startsWith("$")) return undefined;
    }
    predicates.push(equalityPredicate(key, value));
  }
  return predicates;
}

/**
 * Compiles a MongoDB filter against the given mingo options (their context holds the
 * BSON-correct operators). Errors — at compile time or while testing — are QueryErrors.
 */
export function compileFilterWith(filter: unknown, options: Options): DocumentPredicate {
  if (!isPlainObject(filter)) throw badValue("query filter must be an object");
  const simple = simpleEqualities(filter);
  if (simple) {
    if (simple.length === 0) return () => true;
    if (simple.length === 1) return simple[0];
    if (simple.length === 2) {
      const [first, second] = simple;
      return (doc) => first(doc) && second(doc);
    }
    return (doc) => simple.every((p) => p(doc));
  }
  let query: Query;
  try {
    const isQueryOperator = (name: string) => options.context.getOperator(OpType.QUERY, name) !== null;
    query = new Query(prepareFilter(filter, isQueryOperator), options);
  } catch (err) {
    throw toQueryError(err);
  }
  return (doc) => {
    try {
      return query.test(doc);
    } catch (err) {
      throw toQueryError(err);
    }
  };
}
