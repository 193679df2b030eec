import { fieldOf, isDocumentLike } from "../bson/bson-kind";

/** A path component that names a missing field (distinct from a stored `null`). */
export const MISSING: unique symbol = Symbol("missing");
export type Candidate = unknown;

/** The array index a path component names, or -1. */
export function arrayIndex(part: string): number {
  if (part.length === 0 || part.length > 9) return -1;
  for (let i = 0; i < part.length; i++) {
    const c = part.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
  }
  return part.length > 1 && part.charCodeAt(0) === 48 ? -1 : Number(part);
}

type Visit = (v: Candidate) => boolean;

/**
 * Calls `visit` on every value a query sees at a dotted path, as MongoDB's element iterator does,
 * and stops at the first `true`:
 * - arrays along the path fan out over their sub-document elements (a numeric component also
 *   picks the element at that index);
 * - at the end of the path an array yields each element and then itself (`expandLeaf`), so
 *   `{a: 1}` and `{a: [1, 2]}` both match `{a: [1, 2]}` documents;
 * - a path that stops short (missing field, scalar in the way) yields {@link MISSING}.
 */
export function someCandidate(
  doc: unknown,
  parts: readonly string[],
  expandLeaf: boolean,
  visit: Visit,
): boolean {
  return walk(doc, parts, 0, expandLeaf, visit);
}

function walk(
  value: unknown,
  parts: readonly string[],
  i: number,
  expandLeaf: boolean,
  visit: Visit,
): boolean {
  if (i === parts.length) {
    if (value === undefined) return visit(MISSING);
    if (expandLeaf && Array.isArray(value)) {
      for (const element of value) if (visit(element)) return true;
    }
    return visit(value);
  }
  if (Array.isArray(value)) return walkArray(value, parts, i, expandLeaf, visit);
  if (isDocumentLike(value)) return walk(fieldOf(value, parts[i]), parts, i + 1, expandLeaf, visit);
  return visit(MISSING);
}

function walkArray(
  array: unknown[],
  parts: readonly string[],
  i: number,
  expandLeaf: boolean,
  visit: Visit,
): boolean {
  const index = arrayIndex(parts[i]);
  for (let j = 0; j < array.length; j++) {
    const element = array[j];
    if (isDocumentLike(element) && walk(fieldOf(element, parts[i]), parts, i + 1, expandLeaf, visit))
      return true;
    if (j === index && walkOffset(element, parts, i + 1, expandLeaf, visit)) return true;
  }
  return false;
}

/** The element an index component picked: the path goes on inside it without fanning out. */
function walkOffset(
  element: unknown,
  parts: readonly string[],
  i: number,
  expandLeaf: boolean,
  visit: Visit,
): boolean {
  if (i === parts.length) return visit(element);
  if (Array.isArray(element)) {
    const index = arrayIndex(parts[i]);
    return walk(index >= 0 ? element[index] : undefined, parts, i + 1, expandLeaf, visit);
  }
  return isDocumentLike(element) ? walk(element, parts, i, expandLeaf, visit) : false;
}

/** Marks an empty array in sort keys: it sorts below null and missing, as in MongoDB. */
export const EMPTY_ARRAY: unique symbol = Symbol("empty array");

/**
 * The values a sort (or an index) sees at a path: arrays fan out, a terminal array contributes
 * its elements (or {@link EMPTY_ARRAY} when empty), and missing values read as null.
 */
export function sortValues(doc: unknown, parts: readonly string[]): unknown[] {
  const out: unknown[] = [];
  collect(doc, parts, 0, out);
  return out;
}

function collect(value: unknown, parts: readonly string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    if (!Array.isArray(value)) out.push(value === undefined ? null : value);
    else if (value.length === 0) out.push(EMPTY_ARRAY);
    else for (const element of value) out.push(element);
    return;
  }
  if (Array.isArray(value)) {
    const index = arrayIndex(parts[i]);
    if (index >= 0) {
      collect(value[index], parts, i + 1, out);
      return;
    }
    if (value.length === 0) out.push(null);
    for (const element of value)
      collect(isDocumentLike(element) ? fieldOf(element, parts[i]) : undefined, parts, i + 1, out);
    return;
  }
  collect(isDocumentLike(value) ? fieldOf(value, parts[i]) : undefined, parts, i + 1, out);
}
