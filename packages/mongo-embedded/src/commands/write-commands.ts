import type { Document } from "bson";
import { valuesEqual } from "../bson/compare-values";
import type { Collection } from "../engine/collection";
import { type Engine, WriteBatch } from "../engine/engine";
import { isPlainObject } from "../engine/key-paths";
import { validateForStorage, withId } from "../engine/validate-document";
import { badValue, CommandError, typeMismatch } from "../errors";
import { applyProjection, applyUpdate, sortDocuments, upsertSeed } from "../query/mingo-options";
import {
  type CommandHandler,
  checkCollation,
  collectionName,
  optionalDocument,
  requireArray,
} from "./command-context";
import { errorFields } from "./errors-reply";

const MAX_WRITE_BATCH = 100_000;

function writeError(index: number, err: unknown): Document {
  const { code, errmsg, codeName, ...extra } = errorFields(err);
  return { index, code, errmsg, ...extra };
}

function checkBatch(items: unknown[], what: string): void {
  if (items.length === 0)
    throw badValue(`Write batch sizes must be between 1 and ${MAX_WRITE_BATCH}. Got 0 ${what}.`);
  if (items.length > MAX_WRITE_BATCH) {
    throw badValue(
      `Write batch sizes must be between 1 and ${MAX_WRITE_BATCH}. Got ${items.length} ${what}.`,
    );
  }
}

/** Runs each item in order, collecting write errors; an ordered batch stops at the first one. */
function eachItem(
  items: unknown[],
  ordered: boolean,
  run: (item: unknown, index: number) => void,
): Document[] {
  const errors: Document[] = [];
  for (let i = 0; i < items.length; i++) {
    try {
      run(items[i], i);
    } catch (err) {
      errors.push(writeError(i, err));
      if (ordered) break;
    }
  }
  return errors;
}

const insert: CommandHandler = async (command, ctx) => {
  const name = collectionName(command, ctx);
  const documents = requireArray(command, "documents");
  checkBatch(documents, "documents");
  const batch = new WriteBatch();
  const coll = ctx.engine.ensureCollection(batch, ctx.db, name);
  const checkSize = ctx.messageBytes > 16 * 1024 * 1024;
  // Documents stored as they came are journaled from the bytes they came in.
  const bytes = ctx.received?.("documents");
  const received = bytes?.length === documents.length ? bytes : undefined;
  let n = 0;
  const writeErrors = eachItem(documents, command.ordered !== false, (item, index) => {
    if (!isPlainObject(item)) throw typeMismatch("each document to insert must be an object");
    const doc = withId(item);
    const measured = validateForStorage(doc, checkSize);
    ctx.engine.insert(batch, coll, doc, measured ?? (doc === item ? received?.[index] : undefined));
    n++;
  });
  await ctx.engine.commit(batch);
  return { n, ...(writeErrors.length ? { writeErrors } : {}), ok: 1 };
};

/** A field-level diff, reported in change events as `updateDescription`. */
function describeUpdate(before: Document, after: Document): Document {
  const updatedFields: Document = {};
  const removedFields: string[] = [];
  for (const k of Object.keys(after)) {
    const v = after[k];
    // The very same value (an update copies only what it changes): equal, without comparing.
    if (before[k] === v && (v !== undefined || k in before)) continue;
    if (!(k in before) || !valuesEqual(before[k], v)) updatedFields[k] = v;
  }
  for (const k of Object.keys(before)) if (!(k in after)) removedFields.push(k);
  return { updatedFields, removedFields, truncatedArrays: [] };
}

const isOperatorUpdate = (u: Document | Document[]) =>
  Array.isArray(u) || Object.keys(u).some((k) => k.startsWith("$"));

interface UpdateSpec {
  q: Document;
  u: Document | Document[];
  upsert: boolean;
  multi: boolean;
  arrayFilters?: Document[];
}

function parseUpdateSpec(raw: unknown): UpdateSpec {
  if (!isPlainObject(raw)) throw typeMismatch("each update statement must be an object");
  const q = raw.q ?? {};
  if (!isPlainObject(q)) throw typeMismatch("'q' must be an object");
  const u = raw.u;
  if (!isPlainObject(u) && !Array.isArray(u)) throw typeMismatch("'u' must be an object or a pipeline array");
  if (raw.arrayFilters !== undefined && !Array.isArray(raw.arrayFilters))
    throw typeMismatch("'arrayFilters' must be an array");
  checkCollation(raw.collation);
  if (raw.multi === true && !isOperatorUpdate(u)) {
    throw new CommandError(9, "FailedToParse", "multi update is not supported for replacement-style update");
  }
  return {
    q,
    u,
    upsert: raw.upsert === true,
    multi: raw.multi === true,
    arrayFilters: raw.arrayFilters as Document[],
  };
}

/** Applies `u` to one stored document; returns the new document when it changed anything. */
function updateOne(
  engine: Engine,
  batch: WriteBatch,
  coll: Collection,
  doc: Document,
  spec: UpdateSpec,
  checkSize: boolean,
) {
  const { doc: next, modified } = applyUpdate(doc, spec.u, {
    arrayFilters: spec.arrayFilters,
    query: spec.q,
    isUpsertInsert: false,
  });
  if (!modified) return undefined;
  if (!valuesEqual(next._id, doc._id)) {
    throw new CommandError(
      66,
      "ImmutableField",
      "Performing an update on the path '_id' would modify the immutable field '_id'",
    );
  }
  const stored = withId(next);
  const bytes = validateForStorage(stored, checkSize, doc);
  engine.replace(
    batch,
    coll,
    doc,
    stored,
    isOperatorUpdate(spec.u) ? describeUpdate(doc, stored) : undefined,
    bytes,
  );
  return stored;
}

/** Builds and inserts the document an upsert creates when nothing matched. */
function upsertOne(
  engine: Engine,
  batch: WriteBatch,
  coll: Collection,
  spec: UpdateSpec,
  checkSize: boolean,
): Document {
  const seed = upsertSeed(spec.q);
  // A replacement keeps only the query's `_id`; an operator update starts from its equality fields.
  const base = isOperatorUpdate(spec.u) ? seed : seed._id !== undefined ? { _id: seed._id } : {};
  const { doc } = applyUpdate(base, spec.u, {
    arrayFilters: spec.arrayFilters,
    query: spec.q,
    isUpsertInsert: true,
  });
  const stored = withId(doc);
  engine.insert(batch, coll, stored, validateForStorage(stored, checkSize));
  return stored;
}

const update: CommandHandler = async (command, ctx) => {
  const name = collectionName(command, ctx);
  const updates = requireArray(command, "updates");
  checkBatch(updates, "updates");
  const batch = new WriteBatch();
  // Always: a small request can grow a document past 16 MB ($push, a pipeline copying a field).
  const checkSize = true;
  let n = 0;
  let nModified = 0;
  const upserted: Document[] = [];
  const writeErrors = eachItem(updates, command.ordered !== false, (raw, index) => {
    const spec = parseUpdateSpec(raw);
    const existing = ctx.engine.collection(ctx.db, name);
    const targets: Document[] = [];
    if (existing) {
      for (const doc of existing.match(spec.q)) {
        targets.push(doc);
        if (!spec.multi) break;
      }
    }
    if (targets.length === 0) {
      if (!spec.upsert) return;
      const coll = ctx.engine.ensureCollection(batch, ctx.db, name);
      const doc = upsertOne(ctx.engine, batch, coll, spec, checkSize);
      upserted.push({ index, _id: doc._id });
      n++;
      return;
    }
    for (const doc of targets) {
      const changed = updateOne(ctx.engine, batch, existing as Collection, doc, spec, checkSize);
      n++; // counted once applied: a statement that fails on this document does not count it
      if (changed) nModified++;
    }
  });
  await ctx.engine.commit(batch);
  return {
    n,
    nModified,
    ...(upserted.length ? { upserted } : {}),
    ...(writeErrors.length ? { writeErrors } : {}),
    ok: 1,
  };
};

const remove: CommandHandler = async (command, ctx) => {
  const name = collectionName(command, ctx);
  const deletes = requireArray(command, "deletes");
  checkBatch(deletes, "deletes");
  const batch = new WriteBatch();
  let n = 0;
  const writeErrors = eachItem(deletes, command.ordered !== false, (raw) => {
    if (!isPlainObject(raw)) throw typeMismatch("each delete statement must be an object");
    const q = raw.q ?? {};
    if (!isPlainObject(q)) throw typeMismatch("'q' must be an object");
    if (raw.limit !== 0 && raw.limit !== 1)
      throw badValue("The limit field in delete objects must be 0 or 1");
    checkCollation(raw.collation);
    const coll = ctx.engine.collection(ctx.db, name);
    if (!coll) return;
    const victims: Document[] = [];
    for (const doc of coll.match(q)) {
      victims.push(doc);
      if (raw.limit === 1) break;
    }
    for (const doc of victims) ctx.engine.remove(batch, coll, doc);
    n += victims.length;
  });
  await ctx.engine.commit(batch);
  return { n, ...(writeErrors.length ? { writeErrors } : {}), ok: 1 };
};

/** The first document `sort` puts first among the matches. */
function firstMatch(
  coll: Collection | undefined,
  query: Document,
  sort: Document | undefined,
): Document | undefined {
  if (!coll) return undefined;
  if (!sort || Object.keys(sort).length === 0) {
    for (const doc of coll.match(query)) return doc;
    return undefined;
  }
  return sortDocuments([...coll.match(query)], sort)[0];
}

/**
 * Read, change and answer in one synchronous step: no other command runs between the read and
 * the write, and the answer waits until the write is durable.
 */
const findAndModify: CommandHandler = async (command, ctx) => {
  const name = collectionName(command, ctx);
  const query = optionalDocument(command, "query") ?? {};
  const sort = optionalDocument(command, "sort");
  const fields = optionalDocument(command, "fields");
  checkCollation(command.collation);
  const remove = command.remove === true;
  const u = command.update as Document | Document[] | undefined;
  if (remove && u !== undefined) throw badValue("Cannot specify both an update and remove=true");
  if (!remove && u === undefined) throw badValue("Either an update or remove=true must be specified");
  if (remove && command.upsert) throw badValue("Cannot specify both upsert=true and remove=true");
  if (remove && command.new)
    throw badValue(
      "Cannot specify both new=true and remove=true; 'remove' always returns the deleted document",
    );
  const batch = new WriteBatch();
  // Always: a small request can grow a document past 16 MB ($push, a pipeline copying a field).
  const checkSize = true;
  const existing = ctx.engine.collection(ctx.db, name);
  const found = firstMatch(existing, query, sort);
  const project = (doc: Document | undefined) => (doc && fields ? applyProjection(doc, fields) : doc) ?? null;
  let value: Document | null;
  let lastErrorObject: Document;
  if (remove) {
    if (found && existing) ctx.engine.remove(batch, existing, found);
    value = project(found);
    lastErrorObject = { n: found ? 1 : 0 };
  } else {
    const spec = parseUpdateSpec({ q: query, u, upsert: command.upsert, arrayFilters: command.arrayFilters });
    if (found && existing) {
      const next = updateOne(ctx.engine, batch, existing, found, spec, checkSize) ?? found;
      value = project(command.new ? next : found);
      lastErrorObject = { n: 1, updatedExisting: true };
    } else if (spec.upsert) {
      const coll = ctx.engine.ensureCollection(batch, ctx.db, name);
      const doc = upsertOne(ctx.engine, batch, coll, spec, checkSize);
      value = command.new ? project(doc) : null;
      lastErrorObject = { n: 1, updatedExisting: false, upserted: doc._id };
    } else {
      value = null;
      lastErrorObject = { n: 0, updatedExisting: false };
    }
  }
  await ctx.engine.commit(batch);
  return { lastErrorObject, value, ok: 1 };
};

export const writeCommands: Record<string, CommandHandler> = {
  insert,
  update,
  delete: remove,
  findAndModify,
  findandmodify: findAndModify,
};
