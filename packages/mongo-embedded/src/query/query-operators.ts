import type { BSONRegExp, Document } from "bson";
import { Query } from "mingo/query";
import type { Options } from "mingo/types";
import {
  bsonKind,
  bsonTag,
  isDocumentLike,
  isPlainObject,
  objectIdBytes,
  regexParts,
  stringValue,
} from "../bson/bson-kind";
import { parseTypeSpec, TypeSpecError } from "../bson/bson-type-code";
import { compareValues, valuesEqual } from "../bson/compare-values";
import { decodeNumber, isNumeric } from "../bson/exact-number";
import { encodeKeyValue } from "../bson/index-key";
import { MISSING, someCandidate } from "./field-path";
import { badValue } from "./query-error";

/**
 * BSON-correct replacements for mingo's leaf query operators. mingo compares Long/Decimal128 by
 * `toString`, orders unknown classes by constructor name, and resolves dotted paths through
 * arrays with its own unwrapping rules; these follow MongoDB: the candidates of
 * {@link someCandidate}, type bracketing, null matching missing, exact numeric comparison.
 */

type Matcher = (v: unknown) => boolean;
type Predicate = (doc: Document) => boolean;
/** A mingo query operator, typed plainly (mingo's own type is an intersection of all of them). */
export type QueryOperator = (selector: string, operand: unknown, options: Options) => Predicate;

/** A leaf operator: "some candidate at the path satisfies `matcher`" (negated for $ne/$nin…). */
function leaf(
  expandLeaf: boolean,
  build: (operand: unknown, options: Options) => Matcher,
  negate = false,
): QueryOperator {
  return (selector: string, operand: unknown, options: Options) => {
    const parts = selector.split(".");
    const matcher = build(operand, options);
    if (negate) return (doc: Document) => !someCandidate(doc, parts, expandLeaf, matcher);
    return (doc: Document) => someCandidate(doc, parts, expandLeaf, matcher);
  };
}

const isNullish = (v: unknown) => v === MISSING || v === null || v === undefined;

/**
 * bson 6 decodes the BSON regex option `s` as the JS flag `g` (and `g` makes `test` stateful):
 * rebuild such a regex with dotAll instead. BSONRegExp (from `bsonRegExp: true`) becomes a RegExp.
 */
export function sanitizeRegExp(re: RegExp | BSONRegExp): RegExp {
  if (!(re instanceof RegExp)) return toJsRegExp(re.pattern, re.options);
  if (!re.global && !re.sticky) return re;
  const flags = re.flags.replace(/[gy]/g, "");
  return new RegExp(re.source, re.global && !flags.includes("s") ? `${flags}s` : flags);
}

/**
 * A RegExp from MongoDB pattern and options. `x` (extended) has no JS flag: whitespace and
 * `#` comments are stripped from the pattern instead (outside character classes).
 */
export function toJsRegExp(pattern: string, options: string): RegExp {
  let flags = "";
  let source = pattern;
  for (const option of options) {
    if (option === "i" || option === "m" || option === "s" || option === "u") {
      if (!flags.includes(option)) flags += option;
    } else if (option === "x") {
      source = stripExtended(source);
    } else if (option !== "l") {
      throw badValue(`invalid flag in regex options: ${option}`);
    }
  }
  return new RegExp(source, flags);
}

function stripExtended(pattern: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      out += c + (pattern[i + 1] ?? "");
      i++;
    } else if (inClass) {
      if (c === "]") inClass = false;
      out += c;
    } else if (c === "[") {
      inClass = true;
      out += c;
    } else if (c === "#") {
      while (i < pattern.length && pattern[i] !== "\n") i++;
    } else if (!/\s/.test(c)) {
      out += c;
    }
  }
  return out;
}

export const isRegex = (v: unknown): v is RegExp | BSONRegExp =>
  v instanceof RegExp || (typeof v === "object" && v !== null && bsonTag(v) === "BSONRegExp");

/** MongoDB regex matching: strings (and symbols) by pattern; stored regexes by equality. */
function regexMatcher(operand: RegExp | BSONRegExp): Matcher {
  const re = sanitizeRegExp(operand);
  const { pattern, options } = regexParts(re);
  return (v) => {
    if (typeof v === "string") return re.test(v);
    const kind = bsonKind(v);
    if (v === MISSING || (kind !== "string" && kind !== "regex")) return false;
    if (kind === "string") return re.test(stringValue(v));
    const other = regexParts(v);
    return other.pattern === pattern && other.options === options;
  };
}

function equalityMatcher(operand: unknown): Matcher {
  if (operand === null || operand === undefined) return isNullish;
  if (typeof operand === "string") {
    return (v) =>
      typeof v === "string"
        ? v === operand
        : v !== MISSING && bsonKind(v) === "string" && valuesEqual(v, operand);
  }
  if (typeof operand === "number" && !Number.isNaN(operand)) {
    return (v) => (typeof v === "number" ? v === operand : v !== MISSING && valuesEqual(v, operand));
  }
  if (bsonKind(operand) === "objectId") {
    // Only an ObjectId equals an ObjectId (no other type shares its rank): compare the bytes.
    const bytes = objectIdBytes(operand);
    return (v) =>
      typeof v === "object" && v !== null && bsonTag(v) === "ObjectId" && sameBytes(objectIdBytes(v), bytes);
  }
  return (v) => v !== MISSING && valuesEqual(v, operand);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `$in` lists longer than this are looked up through their index keys instead of scanned. */
const IN_SET_THRESHOLD = 8;

function inMatcher(operand: unknown, operator: string): Matcher {
  if (!Array.isArray(operand)) throw badValue(`${operator} needs an array`);
  const regexes: Matcher[] = [];
  const values: unknown[] = [];
  let matchesNull = false;
  for (const item of operand) {
    if (isRegex(item)) regexes.push(regexMatcher(item));
    else if (item === null || item === undefined) matchesNull = true;
    else if (isPlainObject(item) && Object.keys(item).some((k) => k.startsWith("$")))
      throw badValue(`cannot nest $ under ${operator}`);
    else values.push(item);
  }
  let hasValue: Matcher;
  if (values.length > IN_SET_THRESHOLD) {
    const keys = new Set(values.map((v) => encodeKeyValue(v)));
    hasValue = (v) => keys.has(encodeKeyValue(v));
  } else {
    hasValue = (v) => {
      for (const value of values) if (valuesEqual(v, value)) return true;
      return false;
    };
  }
  return (v) => {
    if (isNullish(v)) return matchesNull;
    if (hasValue(v)) return true;
    for (const regex of regexes) if (regex(v)) return true;
    return false;
  };
}

type RangeOp = "$gt" | "$gte" | "$lt" | "$lte";

/**
 * Range comparison with type bracketing: only candidates of the operand's canonical type compare
 * (`{$gt: 5}` never matches a string); NaN equals only NaN and is never greater or lower;
 * MinKey/MaxKey operands compare across every type. Missing reads as null.
 */
function rangeMatcher(op: RangeOp, operand: unknown): Matcher {
  const accepts = (c: number) =>
    op === "$gt" ? c > 0 : op === "$gte" ? c >= 0 : op === "$lt" ? c < 0 : c <= 0;
  const kind = bsonKind(operand);
  if (kind === "minKey" || kind === "maxKey")
    return (v) => accepts(compareValues(v === MISSING ? null : v, operand));
  const operandIsNaN = kind === "number" && Number.isNaN(numberApprox(operand));
  return (v) => {
    const value = v === MISSING ? null : v;
    if (typeof value === "number" && kind === "number" && !operandIsNaN && typeof operand === "number") {
      return !Number.isNaN(value) && accepts(value < operand ? -1 : value > operand ? 1 : 0);
    }
    if (bsonKind(value) !== kind) return false;
    if (kind === "number" && (operandIsNaN || Number.isNaN(numberApprox(value)))) {
      const bothNaN = operandIsNaN && Number.isNaN(numberApprox(value));
      return bothNaN && (op === "$gte" || op === "$lte");
    }
    return accepts(compareValues(value, operand));
  };
}

function numberApprox(v: unknown): number {
  const decoded = decodeNumber(v);
  return decoded.exactDouble ? decoded.value : decoded.approx;
}

function truthyOperand(v: unknown): boolean {
  if (isNumeric(v)) return numberApprox(v) !== 0;
  return Boolean(v);
}

function sizeOperand(v: unknown): number {
  if (!isNumeric(v)) throw badValue("$size needs a number");
  const n = numberApprox(v);
  if (!Number.isInteger(n)) throw badValue("$size must be a whole number");
  if (n < 0) throw badValue("$size may not be negative");
  return n;
}

function modMatcher(operand: unknown): Matcher {
  if (!Array.isArray(operand)) throw badValue("malformed mod, needs to be an array");
  if (operand.length < 2) throw badValue("malformed mod, not enough elements");
  if (operand.length > 2) throw badValue("malformed mod, too many elements");
  const [divisor, remainder] = operand.map((x, i) => {
    if (!isNumeric(x)) throw badValue(`malformed mod, ${i ? "remainder" : "divisor"} not a number`);
    const n = numberApprox(x);
    if (!Number.isFinite(n))
      throw badValue(
        `malformed mod, ${i ? "remainder" : "divisor"} value is invalid :: caused by :: Unable to coerce NaN/Inf to integral type`,
      );
    return BigInt(Math.trunc(n));
  });
  if (divisor === 0n) throw badValue("divisor cannot be 0");
  return (v) => {
    if (v === MISSING || !isNumeric(v)) return false;
    const decoded = decodeNumber(v);
    if (decoded.exactDouble && !Number.isFinite(decoded.value)) return false;
    // MongoDB truncates the value to an integer first.
    const n = decoded.exactDouble
      ? BigInt(Math.trunc(decoded.value))
      : truncateExact(decoded.exact.sig, decoded.exact.exp);
    return n % divisor === remainder;
  };
}

function truncateExact(sig: bigint, exp: number): bigint {
  return exp >= 0 ? sig * 10n ** BigInt(exp) : sig / 10n ** BigInt(-exp);
}

const COMPOUND_IN_ELEM_MATCH = new Set(["$and", "$or", "$nor", "$expr", "$where"]);

/** `$elemMatch`: some array candidate (not expanded) has an element matching the criteria. */
const $elemMatch: QueryOperator = (selector, criteria, options) => {
  if (!isPlainObject(criteria)) throw badValue("$elemMatch needs an Object");
  const parts = selector.split(".");
  const keys = Object.keys(criteria);
  // Operators only (`{$gt: 1}`): matched against each element as a value; else as a query.
  const valueMode = keys.length > 0 && keys.every((k) => k.startsWith("$") && !COMPOUND_IN_ELEM_MATCH.has(k));
  let matches: Matcher;
  if (valueMode) {
    const query = new Query({ v: criteria }, options);
    matches = (e) => query.test({ v: e });
  } else {
    const query = new Query(criteria, options);
    matches = (e) => isDocumentLike(e) && query.test(e as Document);
  }
  return (doc: Document) => someCandidate(doc, parts, false, (v) => Array.isArray(v) && v.some(matches));
};

/** `$all`: one equality (or regex, or `$elemMatch`) per element, all required; `[]` matches nothing. */
const $all: QueryOperator = (selector, operand, options) => {
  if (!Array.isArray(operand)) throw badValue("$all needs an array");
  const parts = selector.split(".");
  const predicates: Predicate[] = operand.map((item) => {
    if (isPlainObject(item) && Object.keys(item)[0] === "$elemMatch")
      return $elemMatch(selector, item.$elemMatch, options);
    const matcher = isRegex(item) ? regexMatcher(item) : equalityMatcher(item);
    return (doc: Document) => someCandidate(doc, parts, true, matcher);
  });
  if (predicates.length === 0) return () => false;
  return (doc: Document) => predicates.every((p) => p(doc));
};

const $type: QueryOperator = leaf(true, (operand) => {
  let isType: Matcher;
  try {
    isType = parseTypeSpec(operand);
  } catch (err) {
    throw err instanceof TypeSpecError ? badValue(err.message) : err;
  }
  return (v) => v !== MISSING && isType(v);
});

const $regex: QueryOperator = leaf(true, (operand) => {
  if (typeof operand === "string") return regexMatcher(new RegExp(operand));
  if (!isRegex(operand)) throw badValue("$regex has to be a string");
  return regexMatcher(operand);
});

/** The overrides, registered over mingo's operators of the same names. */
export const QUERY_OPERATOR_OVERRIDES: Record<string, QueryOperator> = {
  $eq: leaf(true, (operand) => equalityMatcher(operand)),
  $ne: leaf(true, (operand) => equalityMatcher(operand), true),
  $in: leaf(true, (operand) => inMatcher(operand, "$in")),
  $nin: leaf(true, (operand) => inMatcher(operand, "$nin"), true),
  $gt: leaf(true, (operand) => rangeMatcher("$gt", operand)),
  $gte: leaf(true, (operand) => rangeMatcher("$gte", operand)),
  $lt: leaf(true, (operand) => rangeMatcher("$lt", operand)),
  $lte: leaf(true, (operand) => rangeMatcher("$lte", operand)),
  $exists: (selector, operand) => {
    const parts = selector.split(".");
    const wanted = truthyOperand(operand);
    return (doc: Document) => someCandidate(doc, parts, false, (v) => v !== MISSING) === wanted;
  },
  $type,
  $size: (selector, operand) => {
    const parts = selector.split(".");
    const size = sizeOperand(operand);
    return (doc: Document) => someCandidate(doc, parts, false, (v) => Array.isArray(v) && v.length === size);
  },
  $mod: leaf(true, modMatcher),
  $regex,
  $all,
  $elemMatch,
};

/** The equality predicate alone, for filters that are nothing but `field: value` pairs. */
export const equalityPredicate = (selector: string, operand: unknown): Predicate => {
  const parts = selector.split(".");
  const matcher = equalityMatcher(operand);
  return (doc) => someCandidate(doc, parts, true, matcher);
};
