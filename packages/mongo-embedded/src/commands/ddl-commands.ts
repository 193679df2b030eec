import type { Document } from "bson";
import { valuesEqual } from "../bson/compare-values";
import { iteratorSource } from "../engine/cursors";
import { WriteBatch } from "../engine/engine";
import { isPlainObject } from "../engine/key-paths";
import { badValue, CommandError, notSupported, typeMismatch } from "../errors";
import { compileFilter } from "../query/mingo-options";
import type { IndexSpec } from "../storage/storage-op";
import { type CommandHandler, checkCollation, collectionName, optionalDocument } from "./command-context";

const namespaceNotFound = (message: string) => new CommandError(26, "NamespaceNotFound", message);
const UNSUPPORTED_CREATE_OPTIONS = [
  "capped",
  "viewOn",
  "pipeline",
  "timeseries",
  "clusteredIndex",
  "validator",
  "changeStreamPreAndPostImages",
];
const IGNORED_CREATE_OPTIONS = new Set([
  "create",
  "$db",
  "lsid",
  "$clusterTime",
  "$readPreference",
  "writeConcern",
  "comment",
  "apiVersion",
  "apiStrict",
  "apiDeprecationErrors",
  "maxTimeMS",
  "collation",
]);

const create: CommandHandler = async (command, ctx) => {
  const name = collectionName(command, ctx);
  for (const option of UNSUPPORTED_CREATE_OPTIONS)
    if (command[option] !== undefined && command[option] !== false)
      throw notSupported(`create option '${option}'`);
  checkCollation(command.collation);
  if (ctx.engine.collection(ctx.db, name)) {
    throw new CommandError(48, "NamespaceExists", `Collection ${ctx.db}.${name} already exists.`);
  }
  const options = Object.fromEntries(Object.entries(command).filter(([k]) => !IGNORED_CREATE_OPTIONS.has(k)));
  const batch = new WriteBatch();
  ctx.engine.ensureCollection(batch, ctx.db, name, options);
  await ctx.engine.commit(batch);
  return { ok: 1 };
};

const drop: CommandHandler = async (command, ctx) => {
  const name = collectionName(command, ctx);
  const coll = ctx.engine.collection(ctx.db, name);
  if (!coll) throw namespaceNotFound("ns not found");
  const batch = new WriteBatch();
  const nIndexesWas = coll.indexSpecs().length;
  ctx.engine.dropCollection(batch, coll);
  await ctx.engine.commit(batch);
  return { nIndexesWas, ns: coll.ns, ok: 1 };
};

const dropDatabase: CommandHandler = async (_command, ctx) => {
  const batch = new WriteBatch();
  ctx.engine.dropDatabase(batch, ctx.db);
  await ctx.engine.commit(batch);
  return { dropped: ctx.db, ok: 1 };
};

const listCollections: CommandHandler = async (command, ctx) => {
  const filter = optionalDocument(command, "filter");
  const test = filter ? compileFilter(filter) : () => true;
  await ctx.engine.whenDurable();
  const entries = ctx.engine
    .collections(ctx.db)
    .map((coll) =>
      command.nameOnly === true
        ? { name: coll.name, type: "collection" }
        : {
            name: coll.name,
            type: "collection",
            options: coll.options,
            info: { readOnly: false },
            idIndex: { v: 2, key: { _id: 1 }, name: "_id_" },
          },
    )
    .filter((entry) => test(entry));
  const batchSize = (optionalDocument(command, "cursor")?.batchSize as number | undefined) || 101;
  return ctx.cursors.open(
    `${ctx.db}.$cmd.listCollections`,
    iteratorSource(entries[Symbol.iterator](), () => 256),
    batchSize,
  );
};

const listDatabases: CommandHandler = async (command, ctx) => {
  const filter = optionalDocument(command, "filter");
  const test = filter ? compileFilter(filter) : () => true;
  await ctx.engine.whenDurable();
  const databases = ctx.engine
    .databases()
    .map((name) => {
      const colls = ctx.engine.collections(name);
      const sizeOnDisk = colls.reduce((sum, c) => sum + c.docs.size * 128, 0);
      return command.nameOnly === true
        ? { name }
        : { name, sizeOnDisk, empty: colls.every((c) => c.docs.size === 0) };
    })
    .filter((entry) => test(entry));
  const totalSize = databases.reduce((sum, d) => sum + ((d as Document).sizeOnDisk ?? 0), 0);
  return { databases, totalSize, totalSizeMb: Math.round(totalSize / 1048576), ok: 1 };
};

const INDEX_OPTIONS = new Set([
  "key",
  "name",
  "unique",
  "sparse",
  "partialFilterExpression",
  "expireAfterSeconds",
  "background",
  "v",
  "ns",
  "collation",
  "hidden",
]);

/** The name MongoDB gives an index when none is given: `a_1_b_-1`. */
const defaultIndexName = (key: Document) =>
  Object.entries(key)
    .map(([k, v]) => `${k}_${v}`)
    .join("_");

function parseIndexSpec(raw: unknown): IndexSpec {
  if (!isPlainObject(raw)) throw typeMismatch("each index specification must be an object");
  for (const option of Object.keys(raw)) {
    if (!INDEX_OPTIONS.has(option)) {
      throw new CommandError(
        197,
        "InvalidIndexSpecificationOption",
        `The field '${option}' is not valid for an index specification.`,
      );
    }
  }
  const key = raw.key;
  if (!isPlainObject(key) || Object.keys(key).length === 0)
    throw new CommandError(67, "CannotCreateIndex", "Index keys cannot be empty.");
  const normalised: Record<string, 1 | -1> = {};
  for (const [field, direction] of Object.entries(key)) {
    if (typeof direction === "string") throw notSupported(`index type '${direction}' (on '${field}')`);
    if (typeof direction !== "number" || direction === 0 || Number.isNaN(direction)) {
      throw new CommandError(
        67,
        "CannotCreateIndex",
        `Values in the index key pattern must be 1 or -1 (field '${field}')`,
      );
    }
    normalised[field] = direction > 0 ? 1 : -1;
  }
  checkCollation(raw.collation);
  if (raw.hidden === true) throw notSupported("hidden indexes");
  const spec: IndexSpec = {
    name: typeof raw.name === "string" && raw.name ? raw.name : defaultIndexName(normalised),
    key: normalised,
  };
  if (raw.unique === true) spec.unique = true;
  if (raw.sparse === true) spec.sparse = true;
  if (raw.partialFilterExpression !== undefined) {
    if (!isPlainObject(raw.partialFilterExpression))
      throw typeMismatch("partialFilterExpression must be an object");
    compileFilter(raw.partialFilterExpression);
    spec.partialFilterExpression = raw.partialFilterExpression;
  }
  if (raw.expireAfterSeconds !== undefined) {
    const ttl = raw.expireAfterSeconds;
    if (typeof ttl !== "number" || ttl < 0 || !Number.isFinite(ttl))
      throw typeMismatch("expireAfterSeconds must be a non-negative number");
    if (Object.keys(normalised).length !== 1)
      throw new CommandError(
        67,
        "CannotCreateIndex",
        "TTL indexes are single-field indexes, compound indexes do not support TTL",
      );
    spec.expireAfterSeconds = ttl;
  }
  return spec;
}

const sameOptions = (a: IndexSpec, b: IndexSpec) =>
  !!a.unique === !!b.unique &&
  !!a.sparse === !!b.sparse &&
  a.expireAfterSeconds === b.expireAfterSeconds &&
  valuesEqual(a.partialFilterExpression ?? null, b.partialFilterExpression ?? null);

const createIndexes: CommandHandler = async (command, ctx) => {
  const name = collectionName(command, ctx);
  const raw = command.indexes;
  if (!Array.isArray(raw) || raw.length === 0) throw badValue("Must specify at least one index to create");
  const specs = raw.map(parseIndexSpec);
  const batch = new WriteBatch();
  const createdCollectionAutomatically = !ctx.engine.collection(ctx.db, name);
  const coll = ctx.engine.ensureCollection(batch, ctx.db, name);
  const numIndexesBefore = coll.indexSpecs().length;
  try {
    for (const spec of specs) {
      if (valuesEqual(spec.key, { _id: 1 }) && !spec.unique && !spec.sparse && !spec.partialFilterExpression)
        continue;
      const sameName = coll.indexSpecs().find((s) => s.name === spec.name);
      const sameKey = coll.indexSpecs().find((s) => valuesEqual(s.key, spec.key) && sameOptions(s, spec));
      if (sameName) {
        if (valuesEqual(sameName.key, spec.key) && sameOptions(sameName, spec)) continue;
        throw new CommandError(
          86,
          "IndexKeySpecsConflict",
          `An existing index has the same name as the requested index but different options: ${spec.name}`,
        );
      }
      if (sameKey)
        throw new CommandError(
          85,
          "IndexOptionsConflict",
          `Index already exists with a different name: ${sameKey.name}`,
        );
      ctx.engine.createIndex(batch, coll, spec);
    }
  } finally {
    // Indexes built before a failure stay (as on MongoDB); make them durable either way.
    await ctx.engine.commit(batch);
  }
  const numIndexesAfter = coll.indexSpecs().length;
  return {
    numIndexesBefore,
    numIndexesAfter,
    createdCollectionAutomatically,
    ...(numIndexesAfter === numIndexesBefore ? { note: "all indexes already exist" } : {}),
    ok: 1,
  };
};

const listIndexes: CommandHandler = async (command, ctx) => {
  const name = collectionName(command, ctx);
  await ctx.engine.whenDurable();
  const coll = ctx.engine.collection(ctx.db, name);
  if (!coll) throw namespaceNotFound(`ns does not exist: ${ctx.db}.${name}`);
  const entries = coll.indexSpecs().map((spec) => ({ v: 2, ...spec }));
  return ctx.cursors.open(
    `${ctx.db}.${name}`,
    iteratorSource(entries[Symbol.iterator](), () => 256),
    101,
  );
};

const dropIndexes: CommandHandler = async (command, ctx) => {
  const name = collectionName(command, ctx);
  const coll = ctx.engine.collection(ctx.db, name);
  if (!coll) throw namespaceNotFound(`ns not found ${ctx.db}.${name}`);
  const nIndexesWas = coll.indexSpecs().length;
  const which = command.index;
  let names: string[];
  if (which === "*") names = [...coll.indexes.keys()];
  else if (typeof which === "string") names = [which];
  else if (Array.isArray(which)) names = which.map(String);
  else if (isPlainObject(which)) {
    const found = coll.indexSpecs().find((s) => valuesEqual(s.key, which));
    if (!found)
      throw new CommandError(27, "IndexNotFound", `can't find index with key: ${JSON.stringify(which)}`);
    names = [found.name];
  } else throw typeMismatch("'index' must be a name, an array of names, a key pattern or '*'");
  for (const indexName of names) {
    if (indexName === "_id_") throw new CommandError(72, "InvalidOptions", "cannot drop _id index");
    if (!coll.indexes.has(indexName))
      throw new CommandError(27, "IndexNotFound", `index not found with name [${indexName}]`);
  }
  const batch = new WriteBatch();
  for (const indexName of names) ctx.engine.dropIndex(batch, coll, indexName);
  await ctx.engine.commit(batch);
  return { nIndexesWas, ok: 1 };
};

export const ddlCommands: Record<string, CommandHandler> = {
  create,
  drop,
  dropDatabase,
  listCollections,
  listDatabases,
  createIndexes,
  listIndexes,
  dropIndexes,
  deleteIndexes: dropIndexes,
};
