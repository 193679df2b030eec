import { calculateObjectSize, type Document, ObjectId } from "bson";
import { serializeIfSmall } from "../bson/serialize";
import { CommandError } from "../errors";
import { isPlainObject } from "./key-paths";

const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;
const MAX_DEPTH = 100;
const DBREF_FIELDS = new Set(["$ref", "$id", "$db"]);

/**
 * Refuses what MongoDB refuses to store; names the offending field. With `checkSize`, returns
 * the document's BSON when measuring it produced it (the journal then reuses it). `previous`:
 * the stored document `doc` replaces — a field holding the very same value passed already.
 */
export function validateForStorage(
  doc: Document,
  checkSize: boolean,
  previous?: Document,
): Buffer | undefined {
  const id = doc._id;
  if (Array.isArray(id) || id instanceof RegExp || id === undefined) {
    throw new CommandError(
      53,
      "InvalidIdField",
      `The '_id' value cannot be of type ${Array.isArray(id) ? "array" : typeof id}`,
    );
  }
  if (previous) {
    for (const name of Object.keys(doc)) {
      const v = doc[name];
      if (v !== previous[name]) checkField(name, v, 0);
    }
  } else checkFieldNames(doc, 0);
  if (!checkSize) return undefined;
  const bytes = serializeIfSmall(doc);
  const size = bytes?.length ?? calculateObjectSize(doc);
  if (size > MAX_DOCUMENT_BYTES) {
    throw new CommandError(
      10334,
      "BSONObjectTooLarge",
      `object to insert too large. size in bytes: ${size}, max size: ${MAX_DOCUMENT_BYTES}`,
    );
  }
  return bytes;
}

function checkFieldNames(value: unknown, depth: number): void {
  if (depth > MAX_DEPTH)
    throw new CommandError(15, "Overflow", `document nesting exceeds ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) {
    for (const v of value) checkFieldNames(v, depth + 1);
    return;
  }
  if (!isPlainObject(value)) return;
  for (const name of Object.keys(value)) checkField(name, value[name], depth);
}

function checkField(name: string, value: unknown, depth: number): void {
  if (name.startsWith("$") && !DBREF_FIELDS.has(name)) {
    throw new CommandError(2, "BadValue", `Document can't have $ prefixed field names: ${name}`);
  }
  checkFieldNames(value, depth + 1);
}

/** A stored document starts with `_id`, generated when missing. */
export function withId(doc: Document): Document {
  if (doc._id !== undefined) {
    if (firstKey(doc) === "_id") return doc;
    const { _id, ...rest } = doc;
    return { _id, ...rest };
  }
  return { _id: new ObjectId(), ...doc };
}

/** The first key `Object.keys` would list, without listing them all. */
function firstKey(doc: Document): string | undefined {
  for (const key in doc) if (Object.hasOwn(doc, key)) return key;
  return undefined;
}
