import type { Document } from "bson";
import { isPlainObject } from "../bson/bson-kind";
import { copyValue } from "../bson/copy-value";
import { QueryError } from "./query-error";
import { isRegex } from "./query-operators";

const matchedTwice = (path: string) =>
  new QueryError(54, `cannot infer query fields to set, path '${path}' is matched twice`);

/** `intermediates` holds the sub-documents created for dotted paths (as opposed to pinned values). */
function setSeedPath(seed: Document, path: string, value: unknown, intermediates: Set<object>): void {
  const parts = path.split(".");
  let holder = seed;
  for (let i = 0; i < parts.length - 1; i++) {
    let next = holder[parts[i]];
    if (next === undefined) {
      next = {};
      intermediates.add(next as Document);
      holder[parts[i]] = next;
    } else if (!isPlainObject(next) || !intermediates.has(next)) {
      throw matchedTwice(parts.slice(0, i + 1).join("."));
    }
    holder = next as Document;
  }
  const last = parts[parts.length - 1];
  if (Object.hasOwn(holder, last)) throw matchedTwice(path);
  holder[last] = copyValue(value);
}

/** The value a filter condition pins a field to, if it is an equality. */
function equalityOf(condition: unknown): { value: unknown } | undefined {
  if (isRegex(condition)) return undefined;
  if (!isPlainObject(condition)) return { value: condition };
  const keys = Object.keys(condition);
  if (keys.length === 0 || !keys[0].startsWith("$")) return { value: condition };
  return "$eq" in condition ? { value: condition.$eq } : undefined;
}

function collect(filter: Document, seed: Document, intermediates: Set<object>): void {
  for (const [key, condition] of Object.entries(filter)) {
    if (key === "$and") {
      if (Array.isArray(condition))
        for (const clause of condition) if (isPlainObject(clause)) collect(clause, seed, intermediates);
      continue;
    }
    if (key.startsWith("$")) continue;
    const equality = equalityOf(condition);
    if (equality) setSeedPath(seed, key, equality.value, intermediates);
  }
}

/**
 * The document an upsert starts from, as MongoDB builds it: the filter's equality conditions
 * (`field: value`, `field: {$eq: value}`, also inside top-level `$and`), dotted paths as nested
 * documents. `$or`, ranges and other operators contribute nothing. A path pinned twice (or
 * through a pinned value) is refused with code 54.
 *
 * @example upsertSeed({ name: "job", "data.type": "x", n: { $gt: 1 } }) // { name: "job", data: { type: "x" } }
 */
export function upsertSeed(filter: Document): Document {
  const seed: Document = {};
  collect(filter, seed, new Set());
  return seed;
}
