import type { Decimal128, Double, Int32, Long } from "bson";
import { bsonTag } from "./bson-kind";

/** A finite value `sig × 10^exp`, exactly (`sig` carries the sign). */
export interface ExactDecimal {
  sig: bigint;
  exp: number;
}

/**
 * A numeric BSON value decoded for comparison: either exactly a float64 (`value`, which may be
 * NaN or ±Infinity), or a finite value a float64 cannot hold (`approx` is its nearest float64).
 */
export type DecodedNumber =
  | { exactDouble: true; value: number }
  | { exactDouble: false; approx: number; exact: ExactDecimal };

const TWO_53 = 2n ** 53n;
const MAX_DECIMAL_SIG = 10n ** 34n - 1n;
const view = new DataView(new ArrayBuffer(8));
const LOG10_2 = Math.log10(2);

/** number, bigint, Long, Int32, Double or Decimal128 (never Timestamp, which extends Long). */
export function isNumeric(v: unknown): boolean {
  if (typeof v === "number" || typeof v === "bigint") return true;
  if (typeof v !== "object" || v === null) return false;
  const tag = bsonTag(v);
  return tag === "Long" || tag === "Int32" || tag === "Double" || tag === "Decimal128";
}

const double = (value: number): DecodedNumber => ({ exactDouble: true, value });

function decodeBigInt(n: bigint): DecodedNumber {
  if (n <= TWO_53 && n >= -TWO_53) return double(Number(n));
  const approx = Number(n); // correctly rounded
  return BigInt(approx) === n ? double(approx) : { exactDouble: false, approx, exact: { sig: n, exp: 0 } };
}

/** Decimal128 (BID encoding) as ±Infinity, NaN or a finite exact decimal. */
export function decodeDecimal128(d: Decimal128): number | ExactDecimal {
  const b = d.bytes;
  const dv = new DataView(b.buffer, b.byteOffset, 16);
  const lo = dv.getBigUint64(0, true);
  const hi = dv.getBigUint64(8, true);
  const negative = hi >> 63n === 1n;
  let sig: bigint;
  let biasedExp: number;
  if (((hi >> 61n) & 3n) === 3n) {
    const combination = Number((hi >> 58n) & 0x1fn);
    if (combination === 0x1e) return negative ? -Infinity : Infinity;
    if (combination === 0x1f) return Number.NaN;
    // The "large coefficient" form always exceeds 34 digits: non-canonical, which means zero.
    sig = 0n;
    biasedExp = Number((hi >> 47n) & 0x3fffn);
  } else {
    sig = ((hi & ((1n << 49n) - 1n)) << 64n) | lo;
    biasedExp = Number((hi >> 49n) & 0x3fffn);
    if (sig > MAX_DECIMAL_SIG) sig = 0n;
  }
  return { sig: negative ? -sig : sig, exp: biasedExp - 6176 };
}

function decodeDecimal(d: Decimal128): DecodedNumber {
  const decoded = decodeDecimal128(d);
  if (typeof decoded === "number") return double(decoded);
  if (decoded.sig === 0n) return double(0);
  const approx = Number(`${decoded.sig}e${decoded.exp}`); // correctly rounded
  if (Number.isFinite(approx) && compareExactToDouble(decoded, approx) === 0) return double(approx);
  return { exactDouble: false, approx, exact: decoded };
}

/** Decodes any numeric value (see {@link isNumeric}). */
export function decodeNumber(v: unknown): DecodedNumber {
  if (typeof v === "number") return double(v);
  if (typeof v === "bigint") return decodeBigInt(v);
  switch (bsonTag(v as object)) {
    case "Long":
      return decodeBigInt((v as Long).toBigInt());
    case "Decimal128":
      return decodeDecimal(v as Decimal128);
    default:
      return double((v as Int32 | Double).value);
  }
}

/** A finite float64 as `±m × 2^k` with an integer m. */
function binaryParts(d: number): { m: bigint; k: number } {
  view.setFloat64(0, d);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const m = biased === 0 ? fraction : fraction | (1n << 52n);
  const k = (biased === 0 ? 1 : biased) - 1075;
  return { m: negative ? -m : m, k };
}

/** The exact decimal value of a finite float64. */
export function exactOfDouble(d: number): ExactDecimal {
  const { m, k } = binaryParts(d);
  if (k >= 0) return { sig: m << BigInt(k), exp: 0 };
  // m × 2^k = m × 5^-k × 10^k
  return { sig: m * 5n ** BigInt(-k), exp: k };
}

const sign = (n: bigint): number => (n < 0n ? -1 : n > 0n ? 1 : 0);

/** Exact comparison of two finite decimals. */
export function compareExact(a: ExactDecimal, b: ExactDecimal): number {
  const sa = sign(a.sig);
  const sb = sign(b.sig);
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (sa === 0) return 0;
  // Cheap magnitude test first: the position of the leading digit.
  const da = (a.sig < 0n ? -a.sig : a.sig).toString().length + a.exp;
  const db = (b.sig < 0n ? -b.sig : b.sig).toString().length + b.exp;
  if (da !== db) return (da < db ? -1 : 1) * sa;
  const shift = a.exp - b.exp;
  const left = shift > 0 ? a.sig * 10n ** BigInt(shift) : a.sig;
  const right = shift < 0 ? b.sig * 10n ** BigInt(-shift) : b.sig;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Exact comparison of a finite decimal with a finite float64, in rationals. */
export function compareExactToDouble(a: ExactDecimal, d: number): number {
  const { m, k } = binaryParts(d);
  const sa = sign(a.sig);
  const sd = sign(m);
  if (sa !== sd || sa === 0) return sa < sd ? -1 : sa > sd ? 1 : 0;
  // Magnitudes far apart (|a| in [10^(da-1), 10^da), |d| in [2^(bd-1), 2^bd)) need no big powers.
  const da = (a.sig < 0n ? -a.sig : a.sig).toString().length + a.exp;
  const bd = ((m < 0n ? -m : m).toString(2).length + k) * LOG10_2;
  if (da < bd - 1.5) return -sa;
  if (da - 1 > bd + 0.5) return sa;
  // a.sig × 10^a.exp  vs  m × 2^k, both sides multiplied by 10^max(-a.exp,0) × 2^max(-k,0)
  let left = a.sig;
  let right = m;
  if (a.exp >= 0) left *= 10n ** BigInt(a.exp);
  else right *= 10n ** BigInt(-a.exp);
  if (k >= 0) right <<= BigInt(k);
  else left <<= BigInt(-k);
  return left < right ? -1 : left > right ? 1 : 0;
}

export function subtractExact(a: ExactDecimal, b: ExactDecimal): ExactDecimal {
  const exp = Math.min(a.exp, b.exp);
  const left = a.sig * 10n ** BigInt(a.exp - exp);
  const right = b.sig * 10n ** BigInt(b.exp - exp);
  return { sig: left - right, exp };
}

/** float64 comparison with MongoDB's NaN rule: NaN equals NaN and sorts below every number. */
export function compareDoubles(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  const aNaN = Number.isNaN(a);
  const bNaN = Number.isNaN(b);
  return aNaN && bNaN ? 0 : aNaN ? -1 : 1;
}

/** Exact comparison by numeric value across number, Long, Int32, Double and Decimal128. */
export function compareNumbers(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return compareDoubles(a, b);
  const x = decodeNumber(a);
  const y = decodeNumber(b);
  if (x.exactDouble && y.exactDouble) return compareDoubles(x.value, y.value);
  const ax = x.exactDouble ? x.value : x.approx;
  const ay = y.exactDouble ? y.value : y.approx;
  // Rounding to nearest is monotonic, so different approximations order the exact values.
  if (Number.isNaN(ax) || Number.isNaN(ay) || ax !== ay) return compareDoubles(ax, ay);
  if (!x.exactDouble && !y.exactDouble) return compareExact(x.exact, y.exact);
  if (x.exactDouble)
    return Number.isFinite(x.value)
      ? -compareExactToDouble((y as { exact: ExactDecimal }).exact, x.value)
      : x.value > 0
        ? 1
        : -1;
  const d = (y as { value: number }).value;
  return Number.isFinite(d) ? compareExactToDouble(x.exact, d) : d > 0 ? -1 : 1;
}

/** The largest float64 below `d` (d finite or +Infinity). */
export function nextDown(d: number): number {
  if (d === 0) return -Number.MIN_VALUE;
  view.setFloat64(0, d);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, d > 0 ? bits - 1n : bits + 1n);
  return view.getFloat64(0);
}
