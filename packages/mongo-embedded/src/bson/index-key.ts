import type { Code, ObjectId } from "bson";
import {
  type BsonKind,
  binaryParts,
  bsonKind,
  documentEntries,
  regexParts,
  stringValue,
  timestampParts,
} from "./bson-kind";
import {
  compareExactToDouble,
  decodeNumber,
  type ExactDecimal,
  exactOfDouble,
  nextDown,
  subtractExact,
} from "./exact-number";

/**
 * Order-preserving string keys: for scalars, `encodeKeyValue(a) < encodeKeyValue(b)` (plain JS
 * string order, as sorted-btree uses) exactly when `compareValues(a, b) < 0`, and keys are
 * equal exactly when the values are equal. Sub-documents and arrays get the same property
 * through a self-delimiting nested form.
 *
 * Layout: one type character (ordered like MongoDB's type ranks), then the value. No key ever
 * contains `\u0000`, which therefore separates compound-key components and sorts below any
 * content; `\u0001` terminates nested values and sorts below any nested content.
 */

/** Separator between compound-key components. */
export const KEY_SEPARATOR = "\u0000";
/** Just above the separator: `prefix + KEY_AFTER_SEPARATOR` bounds every key extending `prefix`. */
export const KEY_AFTER_SEPARATOR = "\u0001";
const END = "\u0001";
/** Above every character a key can contain at that position (type characters and content). */
const TOP = "\uffff";

const TYPE_CHAR: Record<BsonKind, string> = {
  minKey: "A",
  null: "B",
  number: "C",
  string: "D",
  object: "E",
  array: "F",
  binData: "G",
  objectId: "H",
  bool: "I",
  date: "J",
  timestamp: "K",
  regex: "L",
  javascript: "N",
  javascriptWithScope: "O",
  maxKey: "Z",
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters to escape
const SPECIAL = /[\u0000-\u0002\ud800-\uffff]/;

/**
 * A string's characters, order-preserving in code point order, with no character below
 * `\u0002` (those are escaped behind `\u0002`) and no UTF-16 surrogates reordered against
 * U+E000–U+FFFF: every code point ≥ U+D800 is written as a fixed-width sequence led by
 * `\ue000` (BMP) or `\ue001` (astral).
 */
function escapeString(s: string): string {
  if (!SPECIAL.test(s)) return s;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (u < 3) {
      out += `\u0002${String.fromCharCode(3 + u)}`;
    } else if (u < 0xd800) {
      out += s[i];
    } else {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (u <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const v = ((u - 0xd800) << 10) | (next - 0xdc00); // code point - 0x10000
        out += `\ue001${String.fromCharCode(0x100 + (v >> 10), 0x100 + (v & 0x3ff))}`;
        i++;
      } else {
        // BMP characters above the surrogate block, and lone surrogates (in code point order).
        out += `\ue000${String.fromCharCode(0x100 + (u - 0xd800))}`;
      }
    }
  }
  return out;
}

const view = new DataView(new ArrayBuffer(8));

/** 16 hex digits whose string order is the numeric order of finite and infinite float64s. */
function sortableDouble(d: number): string {
  view.setFloat64(0, d === 0 ? 0 : d); // -0 → 0
  let hi = view.getUint32(0);
  let lo = view.getUint32(4);
  if (hi & 0x80000000) {
    hi = ~hi >>> 0;
    lo = ~lo >>> 0;
  } else {
    hi = (hi | 0x80000000) >>> 0;
  }
  return hi.toString(16).padStart(8, "0") + lo.toString(16).padStart(8, "0");
}

const EXP_OFFSET = 500_000;

/**
 * An order-preserving encoding of a non-zero exact decimal: sign, position of the leading digit,
 * then the digits (inverted, and closed by `~`, for negatives so that longer sorts lower).
 */
function encodeDecimal(x: ExactDecimal): string {
  let sig = x.sig < 0n ? -x.sig : x.sig;
  let exp = x.exp;
  while (sig % 10n === 0n) {
    sig /= 10n;
    exp++;
  }
  const digits = sig.toString();
  const lead = exp + digits.length;
  if (x.sig > 0n) return `p${String(lead + EXP_OFFSET).padStart(6, "0")}${digits}`;
  let inverted = "";
  for (const c of digits) inverted += String.fromCharCode(105 - c.charCodeAt(0)); // '0'..'9' → '9'..'0'
  return `n${String(EXP_OFFSET - lead).padStart(6, "0")}${inverted}~`;
}

/**
 * Every number goes through one float64 encoding: its value rounded down to a float64 (the
 * "floor"), so a value exactly representable gets no suffix and is the smallest key of its
 * floor. Values a float64 cannot hold (big Longs, most Decimal128s) add their exact distance
 * above the floor, so distinct values never collide and 1, 1.0, Long(1), Decimal128("1") agree.
 */
function encodeNumber(v: unknown): string {
  const decoded = decodeNumber(v);
  if (decoded.exactDouble) return Number.isNaN(decoded.value) ? "0" : `1${sortableDouble(decoded.value)}`;
  const { approx, exact } = decoded;
  let floor: number;
  if (approx === Number.POSITIVE_INFINITY) floor = Number.MAX_VALUE;
  else if (approx === Number.NEGATIVE_INFINITY) floor = Number.NEGATIVE_INFINITY;
  else floor = compareExactToDouble(exact, approx) < 0 ? nextDown(approx) : approx;
  // Below -MAX_VALUE the floor is -Infinity: no finite distance, so the value itself orders them.
  const suffix = Number.isFinite(floor)
    ? encodeDecimal(subtractExact(exact, exactOfDouble(floor)))
    : encodeDecimal(exact);
  return `1${sortableDouble(floor)}${suffix}`;
}

/** The value part (after the type character); `nested` makes variable-length parts self-delimiting. */
function encodeBody(v: unknown, kind: BsonKind, nested: boolean): string {
  const end = nested ? END : "";
  switch (kind) {
    case "minKey":
    case "maxKey":
    case "null":
      return "";
    case "number":
      return encodeNumber(v) + end;
    case "string":
      return escapeString(stringValue(v)) + end;
    case "bool":
      return v ? "1" : "0";
    case "date": {
      const t = (v as Date).getTime();
      return Number.isNaN(t) ? "0" : `1${sortableDouble(t)}`;
    }
    case "objectId":
      return (v as ObjectId).toHexString();
    case "timestamp": {
      const [t, i] = timestampParts(v);
      return t.toString(16).padStart(8, "0") + i.toString(16).padStart(8, "0");
    }
    case "binData": {
      const { bytes, subtype } = binaryParts(v);
      const hex = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
      return bytes.length.toString(16).padStart(8, "0") + subtype.toString(16).padStart(2, "0") + hex;
    }
    case "regex": {
      const { pattern, options } = regexParts(v);
      return `${escapeString(pattern)}${END}${escapeString(options)}${end}`;
    }
    case "javascript":
      return escapeString((v as Code).code) + end;
    case "javascriptWithScope":
      return escapeString((v as Code).code) + END + encodeElements(documentEntries((v as Code).scope ?? {}));
    case "array": {
      let out = "";
      for (const element of v as unknown[]) out += encodeNested(element);
      return out + END;
    }
    case "object":
      return encodeElements(documentEntries(v as object));
  }
}

/** Sub-document elements: type first, then name, then value — MongoDB's element order. */
function encodeElements(entries: [string, unknown][]): string {
  let out = "";
  for (const [name, value] of entries) {
    const kind = bsonKind(value);
    out += TYPE_CHAR[kind] + escapeString(name) + END + encodeBody(value, kind, true);
  }
  return out + END;
}

function encodeNested(v: unknown): string {
  const kind = bsonKind(v);
  return TYPE_CHAR[kind] + encodeBody(v, kind, true);
}

/**
 * The index key of one value. `null`, `undefined` (missing) encode the same. Consistent with
 * {@link compareValues}: same order, and equal keys exactly for equal values.
 *
 * @example encodeKeyValue(1) === encodeKeyValue(Long.fromNumber(1)) // true
 */
export function encodeKeyValue(v: unknown): string {
  const kind = bsonKind(v);
  return TYPE_CHAR[kind] + encodeBody(v, kind, false);
}

/**
 * Components joined with `\u0000`, so the key of `[a]` is a prefix of the key of `[a, x]` and
 * compound keys sort component by component.
 */
export function encodeCompoundKey(values: readonly unknown[]): string {
  // `join` builds one flat string, which index trees compare faster than a concatenation.
  return values.map((v) => encodeKeyValue(v)).join(KEY_SEPARATOR);
}

/** Bounds on one key component, both inclusive (a component c is in range iff low ≤ c ≤ high). */
export interface ComponentBounds {
  low: string;
  high: string;
}

/** Bounds on whole keys for `BTree.forRange(low, high, false)`: low inclusive, high exclusive. */
export interface KeyRange {
  low: string;
  high: string;
}

/** Every key of the type bracket of `v` (numbers together, strings with symbols…). */
export function bracketBounds(v: unknown): ComponentBounds {
  const type = TYPE_CHAR[bsonKind(v)];
  return { low: type, high: type + TOP };
}

const RANGE_OPERATORS = ["$gt", "$gte", "$lt", "$lte"] as const;

/**
 * Component bounds for `$gt/$gte/$lt/$lte` operands, within the type bracket of each bound as
 * MongoDB does (`{$gt: 5}` never reaches strings). Bounds are inclusive even for `$gt`/`$lt`:
 * a superset the caller re-filters. MinKey/MaxKey operands span every type. Returns undefined
 * when `range` holds no range operator; `low > high` means nothing can match.
 */
export function rangeBounds(range: Readonly<Record<string, unknown>>): ComponentBounds | undefined {
  let low: string | undefined;
  let high: string | undefined;
  for (const op of RANGE_OPERATORS) {
    if (!(op in range)) continue;
    const operand = range[op];
    const kind = bsonKind(operand);
    const key = encodeKeyValue(operand);
    let opLow: string;
    let opHigh: string;
    if (op === "$gt" || op === "$gte") {
      opLow = key;
      opHigh = kind === "minKey" ? TOP : bracketBounds(operand).high;
    } else {
      opLow = kind === "maxKey" ? "" : bracketBounds(operand).low;
      opHigh = key;
    }
    if (low === undefined || opLow > low) low = opLow;
    if (high === undefined || opHigh < high) high = opHigh;
  }
  return low === undefined || high === undefined ? undefined : { low, high };
}

/**
 * Whole-key bounds for "the first components equal `prefix`" and, optionally, "the next
 * component within `next`" (from {@link rangeBounds}).
 */
export function keyRange(prefix: readonly unknown[], next?: ComponentBounds): KeyRange {
  const head = prefix.length ? encodeCompoundKey(prefix) : "";
  if (!next) return { low: head, high: head + (prefix.length ? KEY_AFTER_SEPARATOR : TOP) };
  const start = prefix.length ? head + KEY_SEPARATOR : "";
  return { low: start + next.low, high: start + next.high + KEY_AFTER_SEPARATOR };
}
