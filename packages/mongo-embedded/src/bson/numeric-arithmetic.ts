import { Decimal128, type Int32, Long } from "bson";
import { bsonTag } from "./bson-kind";
import { decodeDecimal128, decodeNumber, type ExactDecimal, isNumeric } from "./exact-number";

/** Thrown when an integer result leaves the int64 range (MongoDB refuses it too). */
export class ArithmeticOverflow extends Error {}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const TWO_53 = 2n ** 53n;
const TWO_63 = 2 ** 63;

const isDecimal = (v: unknown) => typeof v === "object" && v !== null && bsonTag(v) === "Decimal128";

/**
 * The integer a value holds, when it is integer-typed. A JS number counts when it is
 * integer-valued and within int64 range: after deserialisation int32, small int64 and
 * integer-valued doubles are all numbers, and integer arithmetic is the likely intent.
 */
function integerOf(v: unknown): bigint | undefined {
  if (typeof v === "number") return Number.isInteger(v) && Math.abs(v) < TWO_63 ? BigInt(v) : undefined;
  if (typeof v === "bigint") return v;
  const tag = bsonTag(v as object);
  if (tag === "Long") return (v as Long).toBigInt();
  if (tag === "Int32") return BigInt((v as Int32).value);
  return undefined;
}

/** An int64 result as stored: a number within ±2^53 (what deserialisation gives back), else a Long. */
function fromInteger(n: bigint): number | Long {
  if (n < INT64_MIN || n > INT64_MAX) throw new ArithmeticOverflow("integer overflow");
  return n >= -TWO_53 && n <= TWO_53 ? Number(n) : Long.fromBigInt(n);
}

const approx = (v: unknown): number => {
  const d = decodeNumber(v);
  return d.exactDouble ? d.value : d.approx;
};

/** A numeric value as an exact decimal; doubles by their shortest decimal form, as MongoDB converts them. */
function toDecimal(v: unknown): ExactDecimal | number {
  if (isDecimal(v)) return decodeDecimal128(v as Decimal128);
  const integer = integerOf(v);
  if (integer !== undefined) return { sig: integer, exp: 0 };
  const d = approx(v);
  if (!Number.isFinite(d)) return d;
  return decodeDecimal128(Decimal128.fromString(String(d)));
}

function decimalResult(x: ExactDecimal): Decimal128 {
  return Decimal128.fromStringWithRounding(`${x.sig}E${x.exp}`);
}

function decimalArithmetic(a: unknown, b: unknown, op: "add" | "multiply"): Decimal128 {
  const x = toDecimal(a);
  const y = toDecimal(b);
  if (typeof x === "number" || typeof y === "number") {
    const fx = typeof x === "number" ? x : approx(a);
    const fy = typeof y === "number" ? y : approx(b);
    const r = op === "add" ? fx + fy : fx * fy;
    return Decimal128.fromString(Number.isNaN(r) ? "NaN" : r > 0 ? "Infinity" : "-Infinity");
  }
  if (op === "multiply") return decimalResult({ sig: x.sig * y.sig, exp: x.exp + y.exp });
  const exp = Math.min(x.exp, y.exp);
  return decimalResult({ sig: x.sig * 10n ** BigInt(x.exp - exp) + y.sig * 10n ** BigInt(y.exp - exp), exp });
}

/**
 * `a + b` with MongoDB's type rules: Decimal128 if either is one; exact int64 if both are
 * integers (a result beyond ±2^53 comes back as a Long; beyond int64 throws
 * {@link ArithmeticOverflow}); otherwise float64.
 */
export function addNumbers(a: unknown, b: unknown): unknown {
  if (isDecimal(a) || isDecimal(b)) return decimalArithmetic(a, b, "add");
  const x = integerOf(a);
  const y = integerOf(b);
  if (x !== undefined && y !== undefined) return fromInteger(x + y);
  return approx(a) + approx(b);
}

/** `a × b` with the same type rules as {@link addNumbers}. */
export function multiplyNumbers(a: unknown, b: unknown): unknown {
  if (isDecimal(a) || isDecimal(b)) return decimalArithmetic(a, b, "multiply");
  const x = integerOf(a);
  const y = integerOf(b);
  if (x !== undefined && y !== undefined) return fromInteger(x * y);
  return approx(a) * approx(b);
}

/** The zero `$mul` writes into a missing field: of the multiplier's type. */
export const zeroLike = (v: unknown): unknown => (isDecimal(v) ? Decimal128.fromString("0") : 0);

/** True for int32/int64 values (`$bit` operands). */
export const isIntegral = (v: unknown): boolean =>
  isNumeric(v) && !isDecimal(v) && integerOf(v) !== undefined;

/** `$bit` on 64-bit two's complement integers. */
export function bitwise(a: unknown, b: unknown, op: "and" | "or" | "xor"): number | Long {
  const x = integerOf(a) ?? 0n;
  const y = integerOf(b) ?? 0n;
  const r = BigInt.asIntN(64, op === "and" ? x & y : op === "or" ? x | y : x ^ y);
  return fromInteger(r);
}
