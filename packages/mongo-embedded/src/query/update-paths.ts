import type { Document } from "bson";
import { fieldOf, isDocumentLike, isPlainObject } from "../bson/bson-kind";
import { arrayIndex } from "./field-path";
import { compileFilterWith, type DocumentPredicate } from "./filter-compiler";
import { MINGO_OPTIONS } from "./mingo-context";
import { badValue, failedToParse, preview, QueryError } from "./query-error";

/** Walking update paths: copy-on-write containers, positional parts, conflicts, array filters. */

export type Container = Document | unknown[];
/** What an operator does at one place: `holder[key]` (an object field or an array slot). */
export type Leaf = (holder: Container, key: string, exists: boolean, current: unknown) => boolean;

export interface WalkContext {
  /** Containers already copied for this update (copy-on-write: the input is never written). */
  owned: Set<object>;
  /** Whether the operator creates missing path parts ($set…) or leaves them alone ($unset…). */
  creates: boolean;
  positional?: number;
  filters: ArrayFilters;
}

export type ArrayFilters = Map<string, (element: unknown) => boolean>;

export const POSITIONAL_NOT_FOUND = "The positional operator did not find the match needed from the query.";
const IDENTIFIER = /^[a-z][a-zA-Z0-9]*$/;

const pathNotViable = (message: string) => new QueryError(28, message);

export const filterIdOf = (part: string): string | undefined =>
  part.length > 3 && part.startsWith("$[") && part.endsWith("]") ? part.slice(2, -1) : undefined;
export const isPositional = (part: string) =>
  part === "$" || part === "$[]" || filterIdOf(part) !== undefined;
const compileFilter = (filter: unknown): DocumentPredicate => compileFilterWith(filter, MINGO_OPTIONS);

export function has(holder: Container, key: string): boolean {
  if (Array.isArray(holder)) {
    const i = arrayIndex(key);
    return i >= 0 && i < holder.length;
  }
  return Object.hasOwn(holder, key);
}

export function get(holder: Container, key: string): unknown {
  return Array.isArray(holder) ? holder[arrayIndex(key)] : holder[key];
}

/** Sets a field or an array slot; MongoDB pads an array with nulls up to the index. */
export function set(holder: Container, key: string, value: unknown): void {
  if (!Array.isArray(holder)) {
    holder[key] = value;
    return;
  }
  const i = arrayIndex(key);
  while (holder.length < i) holder.push(null);
  holder[i] = value;
}

function ownedChild(holder: Container, key: string, current: Container, ctx: WalkContext): Container {
  if (ctx.owned.has(current)) return current;
  const copy = Array.isArray(current) ? current.slice() : { ...current };
  ctx.owned.add(copy);
  set(holder, key, copy);
  return copy;
}

/** Applies `leaf` at every place `parts[i..]` designates under `holder` (positional parts fan out). */
export function applyAt(
  holder: Container,
  parts: string[],
  i: number,
  ctx: WalkContext,
  leaf: Leaf,
): boolean {
  const part = parts[i];
  if (Array.isArray(holder)) {
    if (part === "$") {
      if (ctx.positional === undefined || ctx.positional >= holder.length)
        throw badValue(POSITIONAL_NOT_FOUND);
      return applyKey(holder, String(ctx.positional), parts, i, ctx, leaf);
    }
    const id = filterIdOf(part);
    if (part === "$[]" || id !== undefined) {
      const test = id === undefined ? undefined : ctx.filters.get(id);
      let changed = false;
      for (let j = 0; j < holder.length; j++) {
        if (test && !test(holder[j])) continue;
        changed = applyKey(holder, String(j), parts, i, ctx, leaf) || changed;
      }
      return changed;
    }
    if (arrayIndex(part) < 0) {
      if (!ctx.creates) return false;
      throw pathNotViable(`Cannot create field '${part}' in element {${parts[i - 1]}: ${preview(holder)}}`);
    }
    return applyKey(holder, part, parts, i, ctx, leaf);
  }
  if (isPositional(part)) {
    throw badValue(
      part === "$"
        ? POSITIONAL_NOT_FOUND
        : `Cannot apply array updates to non-array element ${parts[i - 1]}: ${preview(holder)}`,
    );
  }
  return applyKey(holder, part, parts, i, ctx, leaf);
}

function applyKey(
  holder: Container,
  key: string,
  parts: string[],
  i: number,
  ctx: WalkContext,
  leaf: Leaf,
): boolean {
  const exists = has(holder, key);
  const current = exists ? get(holder, key) : undefined;
  if (i === parts.length - 1) return leaf(holder, key, exists, current);
  const next = parts[i + 1];
  if (current === undefined) {
    if (!ctx.creates) return false;
    if (isPositional(next)) {
      throw badValue(
        next === "$"
          ? POSITIONAL_NOT_FOUND
          : `The path '${parts.slice(0, i + 1).join(".")}' must exist in the document in order to apply array updates.`,
      );
    }
    const child: Document = {};
    ctx.owned.add(child);
    set(holder, key, child);
    return applyAt(child, parts, i + 1, ctx, leaf);
  }
  if (isPlainObject(current) || Array.isArray(current)) {
    return applyAt(ownedChild(holder, key, current, ctx), parts, i + 1, ctx, leaf);
  }
  if (!ctx.creates) return false;
  if (isPositional(next))
    throw badValue(`Cannot apply array updates to non-array element ${key}: ${preview(current)}`);
  throw pathNotViable(`Cannot create field '${next}' in element {${key}: ${preview(current)}}`);
}

export function validatePath(path: string, op: string): string[] {
  if (path === "") throw new QueryError(56, "An empty update path is not valid.");
  const parts = path.split(".");
  if (parts.some((p) => p === ""))
    throw new QueryError(56, `The update path '${path}' contains an empty field name, which is not allowed.`);
  if (isPositional(parts[0]))
    throw badValue(`Cannot have positional (i.e. '$') element in the first position in path '${path}'`);
  let dollars = 0;
  for (const part of parts) {
    if (part === "$") dollars++;
    else if (part.startsWith("$") && !isPositional(part)) {
      throw new QueryError(
        52,
        `The dollar ($) prefixed field '${part}' in '${path}' is not valid for storage.`,
      );
    }
    const id = filterIdOf(part);
    if (id !== undefined && !IDENTIFIER.test(id)) {
      throw badValue(
        `The array filter identifier must be an alphanumeric string beginning with a lowercase letter, found '${id}' in ${op} path '${path}'`,
      );
    }
  }
  if (dollars > 1) throw badValue(`Too many positional (i.e. '$') elements found in path '${path}'`);
  return parts;
}

export function comparePaths(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    const x = arrayIndex(a[i]);
    const y = arrayIndex(b[i]);
    if (x >= 0 && y >= 0) return x - y;
    return a[i] < b[i] ? -1 : 1;
  }
  return a.length - b.length;
}

/** MongoDB refuses two updates on one path, or on a path and its parent. */
export function checkConflicts(paths: string[][]): void {
  const sorted = [...paths].sort(comparePaths);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (prev.length <= cur.length && prev.every((p, j) => p === cur[j])) {
      throw new QueryError(
        40,
        `Updating the path '${cur.join(".")}' would create a conflict at '${prev.join(".")}'`,
      );
    }
  }
}
// Positional `$` and array filters: both need the statement's filters compiled.

function mentionsPath(filter: Document, path: string): boolean {
  return Object.entries(filter).some(([key, value]) => {
    if (key === "$and" || key === "$or" || key === "$nor") {
      return (
        Array.isArray(value) && value.some((clause) => isPlainObject(clause) && mentionsPath(clause, path))
      );
    }
    return key === path || key.startsWith(`${path}.`);
  });
}

function valueAt(doc: unknown, parts: string[]): unknown {
  let value = doc;
  for (const part of parts) {
    if (isDocumentLike(value)) value = fieldOf(value, part);
    else if (Array.isArray(value)) value = value[arrayIndex(part)];
    else return undefined;
  }
  return value;
}

/** A shallow view of `doc` with the value at `parts` replaced. */
function withValueAt(doc: unknown, parts: string[], i: number, replacement: unknown): unknown {
  if (i === parts.length) return replacement;
  if (Array.isArray(doc)) {
    const copy = doc.slice();
    const index = arrayIndex(parts[i]);
    copy[index] = withValueAt(doc[index], parts, i + 1, replacement);
    return copy;
  }
  const source = isPlainObject(doc) ? doc : {};
  return { ...source, [parts[i]]: withValueAt(source[parts[i]], parts, i + 1, replacement) };
}

/**
 * The index `$` stands for: the first element of the array at `prefix` which, alone in the
 * array, still lets the document match the query.
 */
export function positionalIndex(query: Document | undefined, doc: Document, prefix: string[]): number {
  if (!query || !mentionsPath(query, prefix.join("."))) throw badValue(POSITIONAL_NOT_FOUND);
  const array = valueAt(doc, prefix);
  if (!Array.isArray(array)) throw badValue(POSITIONAL_NOT_FOUND);
  const test = compileFilter(query);
  for (let i = 0; i < array.length; i++) {
    if (test(withValueAt(doc, prefix, 0, [array[i]]) as Document)) return i;
  }
  throw badValue(POSITIONAL_NOT_FOUND);
}

function collectIdentifiers(filter: Document, into: Set<string>): void {
  for (const [key, value] of Object.entries(filter)) {
    if (key === "$and" || key === "$or" || key === "$nor") {
      if (Array.isArray(value))
        for (const clause of value) if (isPlainObject(clause)) collectIdentifiers(clause, into);
    } else if (!key.startsWith("$")) {
      into.add(key.split(".")[0]);
    }
  }
}

export function parseArrayFilters(arrayFilters: unknown): ArrayFilters {
  const filters = new Map<string, (element: unknown) => boolean>();
  if (arrayFilters === undefined || arrayFilters === null) return filters;
  if (!Array.isArray(arrayFilters)) throw failedToParse("arrayFilters must be an array");
  for (const filter of arrayFilters) {
    if (!isPlainObject(filter)) throw failedToParse("Each array filter must be an object");
    const ids = new Set<string>();
    collectIdentifiers(filter, ids);
    const [id, other] = [...ids];
    if (id === undefined)
      throw failedToParse("Cannot use an expression without a top-level field name in arrayFilters");
    if (other !== undefined) {
      throw failedToParse(
        `Error parsing array filter :: caused by :: Expected a single top-level field name, found '${id}' and '${other}'`,
      );
    }
    if (!IDENTIFIER.test(id)) {
      throw badValue(
        `Error parsing array filter :: caused by :: The top-level field name must be an alphanumeric string beginning with a lowercase letter, found '${id}'`,
      );
    }
    if (filters.has(id))
      throw failedToParse(`Found multiple array filters with the same top-level field name ${id}`);
    const test = compileFilter(filter);
    filters.set(id, (element) => test({ [id]: element }));
  }
  return filters;
}
