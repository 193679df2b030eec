import { type Document, deserialize, ObjectId } from "bson";
import { BSON_READ_OPTIONS } from "./file-format";

/**
 * A decoder for the BSON of journal and snapshot records, faster than bson's `deserialize` for
 * the common types and giving exactly the same values (it is compared with bson in its spec).
 *
 * Recovery is bound by allocation: bson decodes every key into a fresh string through a
 * temporary array. Here keys come from a cache and array indexes are skipped. Any element
 * holding a type outside the fast set (binary, regex, decimal, timestamp, an int64 beyond 2^53,
 * `$`-prefixed keys that could make a DBRef, `__proto__`...) is handed to bson as a whole.
 */

/** Thrown (preallocated, no stack) when an element must go to bson. */
const UNSUPPORTED = Object.freeze({ unsupported: true });

const MAX_CACHED_KEYS = 4096;
const MAX_CACHED_KEY_BYTES = 64;
/** Keys by a hash of their bytes; the bytes are checked against the string on every hit. */
const keyCache = new Map<number, string>();

function readKey(buf: Buffer, start: number, end: number): string {
  const length = end - start;
  if (length > MAX_CACHED_KEY_BYTES) return buf.toString("utf8", start, end);
  let hash = length;
  for (let i = start; i < end; i++) {
    const byte = buf[i];
    if (byte >= 0x80) return buf.toString("utf8", start, end); // non-ASCII: not cached
    hash = (Math.imul(hash, 31) + byte) | 0;
  }
  const cached = keyCache.get(hash);
  if (cached !== undefined && cached.length === length) {
    let same = true;
    for (let i = 0; i < length; i++) {
      if (cached.charCodeAt(i) !== buf[start + i]) {
        same = false;
        break;
      }
    }
    if (same) return cached;
  }
  const key = buf.toString("latin1", start, end);
  if (keyCache.size < MAX_CACHED_KEYS) keyCache.set(hash, key);
  return key;
}

function cstringEnd(buf: Buffer, at: number, limit: number): number {
  let end = at;
  while (end < limit && buf[end] !== 0) end++;
  if (end >= limit) throw UNSUPPORTED;
  return end;
}

const TWO_32 = 2 ** 32;
const TWO_21 = 2 ** 21;

/** Where the value read last ends (a module-level cursor keeps the hot path free of closures). */
let cursor = 0;

/** Decodes the value of type `type` starting at `at`, and sets `cursor` past it. */
function readValue(buf: Buffer, type: number, at: number, limit: number): unknown {
  switch (type) {
    case 0x01: // double
      cursor = at + 8;
      return buf.readDoubleLE(at);
    case 0x02: {
      // string
      const size = buf.readInt32LE(at);
      if (size <= 0 || at + 4 + size > limit || buf[at + 3 + size] !== 0) throw UNSUPPORTED;
      cursor = at + 4 + size;
      return buf.toString("utf8", at + 4, at + 3 + size);
    }
    case 0x03: {
      const size = buf.readInt32LE(at);
      if (size < 5 || at + size > limit) throw UNSUPPORTED;
      const doc = readObject(buf, at, at + size);
      cursor = at + size;
      return doc;
    }
    case 0x04: {
      const size = buf.readInt32LE(at);
      if (size < 5 || at + size > limit) throw UNSUPPORTED;
      const array = readArray(buf, at, at + size);
      cursor = at + size;
      return array;
    }
    case 0x07: {
      if (at + 12 > limit) throw UNSUPPORTED;
      const bytes = Buffer.allocUnsafe(12);
      for (let i = 0; i < 12; i++) bytes[i] = buf[at + i]; // cheaper than Buffer#copy for 12 bytes
      cursor = at + 12;
      return new ObjectId(bytes);
    }
    case 0x08: {
      const byte = buf[at];
      if (byte !== 0 && byte !== 1) throw UNSUPPORTED;
      cursor = at + 1;
      return byte === 1;
    }
    case 0x09: // UTC datetime, as bson: new Date(Long.toNumber())
      cursor = at + 8;
      return new Date(buf.readInt32LE(at + 4) * TWO_32 + buf.readUInt32LE(at));
    case 0x0a:
      cursor = at;
      return null;
    case 0x10:
      cursor = at + 4;
      return buf.readInt32LE(at);
    case 0x12: {
      // int64: a number when within ±2^53 (bson's promoteLongs rule); beyond, bson makes a Long
      const low = buf.readUInt32LE(at);
      const high = buf.readInt32LE(at + 4);
      if (high >= TWO_21 ? high > TWO_21 || low !== 0 : high < -TWO_21) throw UNSUPPORTED;
      cursor = at + 8;
      return high * TWO_32 + low;
    }
    default:
      throw UNSUPPORTED;
  }
}

/** `cacheStrings`: string values come from the key cache too (op, db and coll of journal ops repeat). */
function readObject(buf: Buffer, start: number, end: number, cacheStrings = false): Document {
  const doc: Document = {};
  let at = start + 4;
  for (;;) {
    if (at >= end) throw UNSUPPORTED;
    const type = buf[at++];
    if (type === 0) break;
    const keyEnd = cstringEnd(buf, at, end);
    const key = readKey(buf, at, keyEnd);
    // `$` keys may turn the document into a DBRef; `__proto__` needs defineProperty: bson decides.
    if (key.charCodeAt(0) === 0x24 || key === "__proto__") throw UNSUPPORTED;
    if (type === 0x02 && cacheStrings) {
      const size = buf.readInt32LE(keyEnd + 1);
      if (size <= 0 || keyEnd + 5 + size > end || buf[keyEnd + 4 + size] !== 0) throw UNSUPPORTED;
      doc[key] = readKey(buf, keyEnd + 5, keyEnd + 4 + size);
      at = keyEnd + 5 + size;
      continue;
    }
    doc[key] = readValue(buf, type, keyEnd + 1, end);
    at = cursor;
  }
  if (at !== end) throw UNSUPPORTED;
  return doc;
}

function readArray(buf: Buffer, start: number, end: number): unknown[] {
  const array: unknown[] = [];
  let at = start + 4;
  for (;;) {
    if (at >= end) throw UNSUPPORTED;
    const type = buf[at++];
    if (type === 0) break;
    array.push(readValue(buf, type, cstringEnd(buf, at, end) + 1, end));
    at = cursor;
  }
  if (at !== end) throw UNSUPPORTED;
  return array;
}

/** One document element, fast when possible, else by bson. */
function decodeElement(buf: Buffer, start: number, end: number, cacheStrings: boolean): Document {
  try {
    return readObject(buf, start, end, cacheStrings);
  } catch (err) {
    if (err !== UNSUPPORTED) throw err;
    return deserialize(buf.subarray(start, end), BSON_READ_OPTIONS);
  }
}

/**
 * Decodes a record payload. The documents in its top-level arrays (`ops`, `docs`) are decoded
 * one by one, so one unusual document does not send the whole record to the slow path.
 */
export function decodeRecord(payload: Buffer): Document {
  try {
    const end = payload.readInt32LE(0);
    const record: Document = {};
    let at = 4;
    for (;;) {
      const type = payload[at++];
      if (type === 0) break;
      const keyEnd = cstringEnd(payload, at, end);
      const key = readKey(payload, at, keyEnd);
      if (key.charCodeAt(0) === 0x24 || key === "__proto__") throw UNSUPPORTED;
      at = keyEnd + 1;
      if (type !== 0x04) {
        record[key] = readValue(payload, type, at, end);
        at = cursor;
        continue;
      }
      const arrayEnd = at + payload.readInt32LE(at);
      const items: Document[] = [];
      at += 4;
      for (;;) {
        const itemType = payload[at++];
        if (itemType === 0) break;
        if (itemType !== 0x03) throw UNSUPPORTED;
        const itemStart = cstringEnd(payload, at, arrayEnd) + 1;
        const itemEnd = itemStart + payload.readInt32LE(itemStart);
        if (itemEnd > arrayEnd) throw UNSUPPORTED;
        items.push(decodeElement(payload, itemStart, itemEnd, key === "ops"));
        at = itemEnd;
      }
      if (at !== arrayEnd) throw UNSUPPORTED;
      record[key] = items;
    }
    if (at !== end) throw UNSUPPORTED;
    return record;
  } catch (err) {
    if (err !== UNSUPPORTED && !(err instanceof RangeError)) throw err;
    return deserialize(payload, BSON_READ_OPTIONS);
  }
}
