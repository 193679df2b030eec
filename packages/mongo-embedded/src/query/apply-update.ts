import type { Document } from "bson";
import { isPlainObject } from "../bson/bson-kind";
import { bsonTypeName } from "../bson/bson-type-code";
import { valuesEqual } from "../bson/compare-values";
import { copyValue, identicalValues } from "../bson/copy-value";
import { runUpdatePipeline } from "./pipeline";
import { badValue, failedToParse, preview, QueryError } from "./query-error";
import { leafFor, NON_CREATING, type OperatorContext, UPDATE_OPERATORS } from "./update-operators";
import {
  type ArrayFilters,
  applyAt,
  checkConflicts,
  comparePaths,
  filterIdOf,
  isPositional,
  parseArrayFilters,
  positionalIndex,
  set,
  validatePath,
  type WalkContext,
} from "./update-paths";

export interface UpdateOptions {
  /** `arrayFilters` of the update statement, for `$[<id>]` paths. */
  arrayFilters?: Document[];
  /** The statement's filter: the positional `$` operator needs it. */
  query?: Document;
  /** True when the document is the seed of an upsert: `$setOnInsert` applies only then. */
  isUpsertInsert?: boolean;
  /** The time `$currentDate` writes (default: now). */
  now?: Date;
}

export interface UpdateResult {
  /** The updated document (the input itself when nothing changed). */
  doc: Document;
  /** False for a no-op update (every operator left its field as it was): that is `nModified`. */
  modified: boolean;
}

interface Entry {
  op: string;
  path: string;
  parts: string[];
  arg: unknown;
}

const immutableId = () =>
  new QueryError(66, "Performing an update on the path '_id' would modify the immutable field '_id'");

function parseEntries(update: Document): { entries: Entry[]; renames: Entry[] } {
  const entries: Entry[] = [];
  const renames: Entry[] = [];
  for (const op of Object.keys(update)) {
    if (!UPDATE_OPERATORS.has(op)) {
      throw failedToParse(
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    const spec = update[op];
    if (!isPlainObject(spec)) {
      throw failedToParse(
        `Modifiers operate on fields but we found type ${bsonTypeName(spec)} instead. For example: {$mod: {<field>: ...}} not {${op}: ${preview(spec)}}`,
      );
    }
    for (const [path, arg] of Object.entries(spec)) {
      const entry = { op, path, parts: validatePath(path, op), arg };
      if (op !== "$rename") {
        entries.push(entry);
        continue;
      }
      if (typeof arg !== "string")
        throw badValue(`The 'to' field for $rename must be a string: ${path}: ${preview(arg)}`);
      const target = validatePath(arg, op);
      if (entry.parts.some(isPositional))
        throw badValue(`The source field for $rename may not be dynamic: ${path}`);
      if (target.some(isPositional))
        throw badValue(`The destination field for $rename may not be dynamic: ${arg}`);
      if (arg === path)
        throw badValue(`The source and target field for $rename must differ: ${path}: ${preview(arg)}`);
      renames.push(entry);
    }
  }
  return { entries, renames };
}

function operatorUpdate(doc: Document, update: Document, options: UpdateOptions): UpdateResult {
  const { entries, renames } = parseEntries(update);
  checkConflicts([
    ...entries.map((e) => e.parts),
    ...renames.flatMap((e) => [e.parts, (e.arg as string).split(".")]),
  ]);
  const filters = parseArrayFilters(options.arrayFilters);
  const used = new Set<string>();
  for (const entry of entries) {
    for (const part of entry.parts) {
      const id = filterIdOf(part);
      if (id === undefined) continue;
      if (!filters.has(id))
        throw badValue(`No array filter found for identifier '${id}' in path '${entry.path}'`);
      used.add(id);
    }
  }
  for (const id of filters.keys()) {
    if (!used.has(id))
      throw failedToParse(
        `The array filter for identifier '${id}' was not used in the update ${preview(update)}`,
      );
  }

  const ctx: OperatorContext = { docId: doc._id, now: options.now ?? new Date() };
  const root: Document = { ...doc };
  const owned = new Set<object>([root]);
  let modified = false;
  const active = entries.filter((e) => e.op !== "$setOnInsert" || options.isUpsertInsert);
  // MongoDB applies updates in field order, whatever the operator: new fields land sorted.
  const ordered = [...active, ...renames].sort((a, b) => comparePaths(a.parts, b.parts));
  for (const entry of ordered) {
    if (entry.op === "$rename") {
      modified = rename(root, entry, owned, filters) || modified;
      continue;
    }
    const dollar = entry.parts.indexOf("$");
    const walk: WalkContext = {
      owned,
      creates: !NON_CREATING.has(entry.op),
      filters,
      positional: dollar >= 0 ? positionalIndex(options.query, doc, entry.parts.slice(0, dollar)) : undefined,
    };
    modified = applyAt(root, entry.parts, 0, walk, leafFor(entry.op, entry.arg, ctx)) || modified;
  }
  if (doc._id !== undefined && !valuesEqual(root._id, doc._id)) throw immutableId();
  return modified ? { doc: root, modified } : { doc, modified };
}

/** `$rename`: move the value (if any) from one path to another, neither through arrays. */
function rename(root: Document, entry: Entry, owned: Set<object>, filters: ArrayFilters): boolean {
  const target = (entry.arg as string).split(".");
  const throughArray = (parts: string[]) => {
    let value: unknown = root;
    for (const part of parts.slice(0, -1)) {
      value = isPlainObject(value) ? value[part] : undefined;
      if (Array.isArray(value)) return true;
    }
    return false;
  };
  if (throughArray(entry.parts))
    throw badValue(
      `The source field cannot be an array element, '${entry.path}' in doc with an array along it`,
    );
  if (throughArray(target))
    throw badValue(
      `The destination field cannot be an array element, '${entry.arg}' in doc with an array along it`,
    );
  let moved: { value: unknown } | undefined;
  applyAt(root, entry.parts, 0, { owned, creates: false, filters }, (holder, key, exists, current) => {
    if (!exists || Array.isArray(holder)) return false;
    moved = { value: current };
    delete holder[key];
    return true;
  });
  if (!moved) return false;
  const value = moved.value;
  applyAt(root, target, 0, { owned, creates: true, filters }, (holder, key) => {
    set(holder, key, value);
    return true;
  });
  return true;
}

function replacementUpdate(doc: Document, replacement: Document, options: UpdateOptions): UpdateResult {
  if (options.arrayFilters?.length)
    throw new QueryError(72, "Cannot use arrayFilters with a replacement-style update");
  const out: Document = {};
  if (doc._id !== undefined) {
    if (replacement._id !== undefined && !valuesEqual(replacement._id, doc._id)) throw immutableId();
    out._id = doc._id;
  } else if (replacement._id !== undefined) {
    out._id = copyValue(replacement._id);
  }
  for (const [key, value] of Object.entries(replacement)) if (key !== "_id") out[key] = copyValue(value);
  const modified = !identicalValues(out, doc);
  return { doc: modified ? out : doc, modified };
}

function pipelineUpdate(doc: Document, pipeline: Document[], options: UpdateOptions): UpdateResult {
  if (options.arrayFilters?.length)
    throw new QueryError(72, "arrayFilters may not be specified for pipeline-style updates");
  const result = runUpdatePipeline(copyValue(doc), pipeline);
  if (!isPlainObject(result)) throw badValue("the update pipeline must produce a document");
  if (doc._id !== undefined && result._id !== undefined && !valuesEqual(result._id, doc._id))
    throw immutableId();
  // As for a replacement, `_id` comes first, and a result without one keeps the original.
  const id = result._id !== undefined ? result._id : doc._id;
  const out: Document = id === undefined ? result : { _id: id };
  if (id !== undefined)
    for (const [key, value] of Object.entries(result)) if (key !== "_id") out[key] = value;
  const modified = !identicalValues(out, doc);
  return { doc: modified ? out : doc, modified };
}

/**
 * Applies a MongoDB update to a document, without ever modifying it (or anything it holds):
 * operator updates (`$set $unset $inc $mul $min $max $rename $currentDate $push` with
 * `$each/$slice/$sort/$position`, `$addToSet $pull $pullAll $pop $bit`, `$setOnInsert` on
 * upsert inserts only; positional `$`, `$[]`, `$[<id>]`), replacement documents (keeping
 * `_id`; `{}` is a replacement too, as in MongoDB) and pipelines (`$set $addFields $unset
 * $project $replaceRoot $replaceWith`). Errors are QueryErrors with MongoDB's codes.
 *
 * @example applyUpdate({ _id: 1, n: 1 }, { $inc: { n: 1 } }) // { doc: { _id: 1, n: 2 }, modified: true }
 */
export function applyUpdate(
  doc: Document,
  update: Document | Document[],
  options: UpdateOptions = {},
): UpdateResult {
  if (Array.isArray(update)) return pipelineUpdate(doc, update, options);
  if (!isPlainObject(update)) throw failedToParse("Update argument must be either an object or an array");
  const keys = Object.keys(update);
  const operators = keys.filter((k) => k.startsWith("$"));
  if (operators.length === 0) return replacementUpdate(doc, update, options);
  const plain = keys.find((k) => !k.startsWith("$"));
  if (plain !== undefined) {
    throw failedToParse(
      `Unknown modifier: ${plain}. Expected a valid update modifier or pipeline-style update specified as an array`,
    );
  }
  return operatorUpdate(doc, update, options);
}
