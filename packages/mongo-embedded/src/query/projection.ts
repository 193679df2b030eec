import type { Document } from "bson";
import { OpType } from "mingo/core";
import { Lazy, type Iterator as LazyIterator } from "mingo/lazy";
import { isDocumentLike, isPlainObject } from "../bson/bson-kind";
import { copyValue } from "../bson/copy-value";
import { decodeNumber, isNumeric } from "../bson/exact-number";
import { arrayIndex } from "./field-path";
import { refuseScripts } from "./filter-compiler";
import { MINGO_CONTEXT, type MingoOptions, optionsWithLocals } from "./mingo-context";
import { badValue, notSupported, QueryError, toQueryError } from "./query-error";

type ProjectStage = (collection: LazyIterator, expr: unknown, options: MingoOptions) => LazyIterator;

/** A flag value (`1`, `0`, `true`, `false`, any number): true for inclusion; undefined otherwise. */
function flag(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (isNumeric(value)) {
    const decoded = decodeNumber(value);
    return (decoded.exactDouble ? decoded.value : decoded.approx) !== 0;
  }
  return undefined;
}

const isSlice = (v: unknown): v is { $slice: unknown } =>
  isPlainObject(v) && Object.keys(v).length === 1 && "$slice" in v;

function containsMeta(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsMeta);
  if (!isPlainObject(value)) return false;
  return Object.entries(value).some(([k, v]) => k === "$meta" || containsMeta(v));
}

/** A top-level projection, parsed: each field's flag, and whether unnamed fields are left out. */
interface FlatProjection {
  flags: Map<string, boolean>;
  inclusion: boolean;
}

/** Top-level inclusions/exclusions only: the common case, without mingo and without copying. */
function parseFlat(projection: Document): FlatProjection | undefined {
  const flags = new Map<string, boolean>();
  let mode: boolean | undefined;
  for (const [key, value] of Object.entries(projection)) {
    const include = flag(value);
    if (include === undefined || key.includes(".") || key.startsWith("$")) return undefined;
    flags.set(key, include);
    if (key === "_id") continue;
    if (mode === undefined) mode = include;
    else if (mode !== include) {
      throw include
        ? new QueryError(31253, `Cannot do inclusion on field ${key} in exclusion projection`)
        : new QueryError(31254, `Cannot do exclusion on field ${key} in inclusion projection`);
    }
  }
  return { flags, inclusion: mode ?? flags.get("_id") === true };
}

function projectFlat(doc: Document, { flags, inclusion }: FlatProjection): Document {
  const out: Document = {};
  for (const key of Object.keys(doc)) {
    const f = flags.get(key);
    const keep = key === "_id" ? f !== false : inclusion ? f === true : f !== false;
    if (keep) out[key] = doc[key];
  }
  return out;
}

/** Paths to keep, as a tree: `true` keeps the whole value. */
type InclusionTree = Map<string, true | InclusionTree>;

/**
 * Inclusions with dotted paths through sub-documents (`{"fullDocument.barcode": 1}`), without
 * mingo: undefined (let mingo answer) for anything else — exclusions, operators, a path that
 * meets an array, or two paths that collide.
 */
function parseNestedInclusion(projection: Document): InclusionTree | undefined {
  const tree: InclusionTree = new Map();
  let keepId = true;
  for (const [key, value] of Object.entries(projection)) {
    const include = flag(value);
    if (key === "_id" && include !== undefined) {
      keepId = include;
      continue;
    }
    if (include !== true || key.startsWith("$") || key.includes("$")) return undefined;
    const parts = key.split(".");
    let node = tree;
    for (const [i, part] of parts.entries()) {
      const existing = node.get(part);
      if (i === parts.length - 1) {
        if (existing !== undefined) return undefined;
        node.set(part, true);
      } else if (existing === true) {
        return undefined;
      } else {
        const child: InclusionTree = existing ?? new Map();
        node.set(part, child);
        node = child;
      }
    }
  }
  if (keepId) tree.set("_id", true);
  return tree;
}

/** The document's fields in its own order, as MongoDB keeps them. */
function includePaths(doc: Document, tree: InclusionTree): Document | undefined {
  const out: Document = {};
  for (const key of Object.keys(doc)) {
    const node = tree.get(key);
    if (node === undefined) continue;
    const value = doc[key];
    if (node === true) out[key] = value;
    else if (Array.isArray(value)) return undefined;
    else if (isPlainObject(value)) {
      const inner = includePaths(value, node);
      if (!inner) return undefined;
      out[key] = inner;
    }
  }
  return out;
}

/** `{path: {$slice: n | [skip, limit]}}` on an already copied document. */
function applySlice(doc: Document, path: string, spec: unknown): void {
  const parts = path.split(".");
  let holder: unknown = doc;
  for (const part of parts.slice(0, -1)) {
    holder = isDocumentLike(holder)
      ? (holder as Document)[part]
      : Array.isArray(holder)
        ? holder[arrayIndex(part)]
        : undefined;
  }
  if (!isPlainObject(holder)) return;
  const key = parts[parts.length - 1];
  const array = holder[key];
  if (!Array.isArray(array)) return;
  const numbers = (Array.isArray(spec) ? spec : [spec]).map((n) => {
    const d = isNumeric(n) ? decodeNumber(n) : undefined;
    const v = d ? (d.exactDouble ? d.value : d.approx) : Number.NaN;
    if (!Number.isInteger(v)) throw badValue("$slice only supports numbers and [skip, limit] arrays");
    return v;
  });
  if (numbers.length === 1) {
    const [n] = numbers;
    holder[key] = n >= 0 ? array.slice(0, n) : array.slice(n);
  } else if (numbers.length === 2) {
    const [skip, limit] = numbers;
    if (limit <= 0) throw badValue("$slice limit must be positive");
    const start = skip < 0 ? Math.max(0, array.length + skip) : skip;
    holder[key] = array.slice(start, start + limit);
  } else {
    throw badValue("$slice array argument must be of the form [skip, limit]");
  }
}

function projectWithMingo(doc: Document, projection: Document, query: Document | undefined): Document {
  const project = MINGO_CONTEXT.getOperator(OpType.PIPELINE, "$project") as ProjectStage | null;
  if (!project) throw new Error("mingo has no $project stage");
  const options = optionsWithLocals({ condition: query ?? {} });
  // mingo's exclusions delete in place through shared sub-documents: it works on a copy.
  const [out] = project(Lazy([copyValue(doc)]), projection, options).collect() as Document[];
  return inDocumentOrder(out, doc);
}

/** mingo appends `_id` and included fields in its own order; MongoDB keeps the document's order. */
function inDocumentOrder(out: Document, doc: Document): Document {
  const ordered: Document = {};
  for (const key of Object.keys(doc)) if (Object.hasOwn(out, key)) ordered[key] = out[key];
  for (const key of Object.keys(out)) if (!Object.hasOwn(ordered, key)) ordered[key] = out[key];
  return ordered;
}

/**
 * A find projection, as MongoDB applies it: inclusions or exclusions (top level or dotted),
 * `_id` kept unless excluded, `$slice` (which keeps the other fields unless something is
 * included), `$elemMatch`, positional `field.$` (pass the query), and aggregation
 * expressions. Never mutates `doc`; the result may share unchanged values with it.
 */
export function applyProjection(
  doc: Document,
  projection: Document,
  options: { query?: Document } = {},
): Document {
  return compileProjection(projection, options)(doc);
}

/**
 * {@link applyProjection} for many documents: the projection is read once, at the first
 * document (so a bad one fails exactly when applyProjection would).
 *
 * @example docs.map(compileProjection({ name: 1 }))
 */
export function compileProjection(
  projection: Document,
  options: { query?: Document } = {},
): (doc: Document) => Document {
  let plan: ProjectionPlan | undefined;
  return (doc) => {
    plan ??= planProjection(projection);
    switch (plan.kind) {
      case "none":
        return doc;
      case "flat":
        return projectFlat(doc, plan.flat);
      case "nested":
        return includePaths(doc, plan.tree) ?? projectGeneral(doc, projection, options);
      case "general":
        return projectGeneral(doc, projection, options);
    }
  };
}

type ProjectionPlan =
  | { kind: "none" }
  | { kind: "flat"; flat: FlatProjection }
  | { kind: "nested"; tree: InclusionTree }
  | { kind: "general" };

function planProjection(projection: Document): ProjectionPlan {
  if (!isPlainObject(projection)) throw badValue("projection must be an object");
  if (Object.keys(projection).length === 0) return { kind: "none" };
  const flat = parseFlat(projection);
  if (flat) return { kind: "flat", flat };
  const tree = parseNestedInclusion(projection);
  return tree ? { kind: "nested", tree } : { kind: "general" };
}

/** Everything else: `$slice`, `$elemMatch`, positional, exclusions of dotted paths… through mingo. */
function projectGeneral(doc: Document, projection: Document, options: { query?: Document }): Document {
  if (containsMeta(projection)) throw notSupported("$meta projection");
  refuseScripts(projection);
  try {
    const slices = Object.entries(projection).filter(([, v]) => isSlice(v));
    const rest = Object.fromEntries(Object.entries(projection).filter(([, v]) => !isSlice(v)));
    const restExcludesOnly = Object.values(rest).every((v) => flag(v) === false);
    if (slices.length === 0 || !restExcludesOnly) return projectWithMingo(doc, projection, options.query);
    const base = Object.keys(rest).length ? projectWithMingo(doc, rest, options.query) : copyValue(doc);
    for (const [path, spec] of slices) applySlice(base, path, (spec as { $slice: unknown }).$slice);
    return base;
  } catch (err) {
    throw toQueryError(err);
  }
}
