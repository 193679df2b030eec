import { calculateObjectSize, type Document } from "bson";
import { valuesEqual } from "../bson/compare-values";
import { type Collection, explainPlan, type ScanStats } from "../engine/collection";
import { iteratorSource } from "../engine/cursors";
import { pathValues } from "../engine/key-paths";
import { badValue, typeMismatch } from "../errors";
import { compileProjection, runPipeline, sortDocuments } from "../query/mingo-options";
import { openChangeStream } from "./change-stream";
import {
  type CommandContext,
  type CommandHandler,
  checkCollation,
  collectionName,
  optionalDocument,
  optionalNumber,
} from "./command-context";

const DEFAULT_BATCH = 101;

function batchSizeOf(value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "number" || value < 0 || !Number.isInteger(value))
    throw badValue("batchSize must be a non-negative integer");
  return value === 0 ? fallback : value;
}

interface FindSpec {
  filter: Document;
  sort?: Document;
  projection?: Document;
  skip: number;
  limit: number;
}

function parseFind(command: Document): FindSpec {
  checkCollation(command.collation);
  const skip = optionalNumber(command, "skip") ?? 0;
  const limit = optionalNumber(command, "limit") ?? 0;
  if (skip < 0) throw badValue("skip value must be non-negative");
  return {
    filter: optionalDocument(command, "filter") ?? {},
    sort: optionalDocument(command, "sort"),
    projection: optionalDocument(command, "projection"),
    skip,
    limit: Math.abs(limit),
  };
}

/** Matching documents after sort/skip/limit/projection, lazily when there is no sort. */
function* runFind(coll: Collection | undefined, spec: FindSpec, stats?: ScanStats): Generator<Document> {
  if (!coll) return;
  let docs: Iterable<Document> = coll.match(spec.filter, stats);
  if (spec.sort && Object.keys(spec.sort).length) docs = sortDocuments([...docs], spec.sort);
  const project = spec.projection ? compileProjection(spec.projection) : undefined;
  let skipped = 0;
  let returned = 0;
  for (const doc of docs) {
    if (skipped < spec.skip) {
      skipped++;
      continue;
    }
    if (spec.limit && returned >= spec.limit) return;
    returned++;
    yield project ? project(doc) : doc;
  }
}

const find: CommandHandler = async (command, ctx) => {
  const name = collectionName(command, ctx);
  const spec = parseFind(command);
  await ctx.engine.whenDurable();
  const docs = runFind(ctx.engine.collection(ctx.db, name), spec);
  const batchSize = batchSizeOf(command.batchSize, DEFAULT_BATCH);
  const firstBatch = spec.limit ? Math.min(batchSize, spec.limit) : batchSize;
  // A limit of one (findOne) leaves nothing to fetch: no cursor to kill afterwards
  // (the driver's findOne would otherwise pay a killCursors round trip).
  const whole = spec.limit === 1;
  return ctx.cursors.open(
    `${ctx.db}.${name}`,
    iteratorSource(docs, calculateObjectSize),
    firstBatch,
    command.singleBatch === true || whole,
  );
};

const getMore: CommandHandler = (command, ctx) => {
  const collection = command.collection;
  if (typeof collection !== "string") throw typeMismatch("'collection' must be a string");
  const maxTimeMS = optionalNumber(command, "maxTimeMS");
  return ctx.cursors.getMore(
    command.getMore,
    `${ctx.db}.${collection}`,
    batchSizeOf(command.batchSize, 2 ** 31 - 1),
    maxTimeMS,
  );
};

const killCursors: CommandHandler = (command, ctx) => {
  const cursors = command.cursors;
  if (!Array.isArray(cursors)) throw typeMismatch("'cursors' must be an array");
  return ctx.cursors.killMany(cursors);
};

const count: CommandHandler = async (command, ctx) => {
  const name = collectionName(command, ctx);
  checkCollation(command.collation);
  const query = optionalDocument(command, "query") ?? {};
  const skip = optionalNumber(command, "skip") ?? 0;
  const limit = Math.abs(optionalNumber(command, "limit") ?? 0);
  await ctx.engine.whenDurable();
  const coll = ctx.engine.collection(ctx.db, name);
  let n = 0;
  if (coll && Object.keys(query).length === 0) n = coll.docs.size;
  else if (coll) for (const _ of coll.match(query)) n++;
  n = Math.max(0, n - skip);
  return { n: limit ? Math.min(n, limit) : n, ok: 1 };
};

const distinct: CommandHandler = async (command, ctx) => {
  const name = collectionName(command, ctx);
  checkCollation(command.collation);
  const key = command.key;
  if (typeof key !== "string" || key.length === 0) throw typeMismatch("'key' must be a non-empty string");
  await ctx.engine.whenDurable();
  const coll = ctx.engine.collection(ctx.db, name);
  const values: unknown[] = [];
  if (coll) {
    for (const doc of coll.match(optionalDocument(command, "query") ?? {})) {
      for (const v of pathValues(doc, key).values) {
        if (v !== undefined && !values.some((seen) => valuesEqual(seen, v))) values.push(v);
      }
    }
  }
  return {
    values: sortDocuments(
      values.map((v) => ({ v })),
      { v: 1 },
    ).map((d) => d.v),
    ok: 1,
  };
};

/** `$match` first lets the planner use an index; the rest of the pipeline runs in mingo. */
function aggregateDocuments(
  ctx: CommandContext,
  coll: Collection | undefined,
  pipeline: Document[],
  variables?: Document,
) {
  const [first, ...rest] = pipeline;
  let input: Document[];
  let stages = pipeline;
  if (first && "$match" in first && coll) {
    input = [...coll.match(first.$match as Document)];
    stages = rest;
  } else input = coll ? [...coll.docs.values()] : [];
  const collectionResolver = (name: string) => [
    ...(ctx.engine.collection(ctx.db, name)?.docs.values() ?? []),
  ];
  return runPipeline(input, stages, { collectionResolver, variables });
}

const aggregate: CommandHandler = async (command, ctx) => {
  const target = command.aggregate;
  const pipeline = command.pipeline;
  if (!Array.isArray(pipeline)) throw typeMismatch("'pipeline' must be an array");
  if (!command.cursor && !command.explain)
    throw badValue("The 'cursor' option is required, except for aggregate with the explain argument");
  checkCollation(command.collation);
  const batchSize = batchSizeOf((command.cursor as Document | undefined)?.batchSize, DEFAULT_BATCH);
  if (pipeline[0] && typeof pipeline[0] === "object" && "$changeStream" in pipeline[0]) {
    return openChangeStream(command, pipeline as Document[], ctx, batchSize);
  }
  if (target !== 1 && typeof target !== "string")
    throw typeMismatch("'aggregate' must be a collection name or 1");
  const name = target === 1 ? undefined : collectionName(command, ctx);
  await ctx.engine.whenDurable();
  const coll = name ? ctx.engine.collection(ctx.db, name) : undefined;
  const docs = aggregateDocuments(ctx, coll, pipeline as Document[], optionalDocument(command, "let"));
  return ctx.cursors.open(
    `${ctx.db}.${name ?? "$cmd.aggregate"}`,
    iteratorSource(docs[Symbol.iterator](), calculateObjectSize),
    batchSize,
  );
};

/** Where each explainable command keeps the filter whose plan `explain` shows. */
const EXPLAINABLE: Record<string, (command: Document) => Document | undefined> = {
  find: (c) => c.filter,
  count: (c) => c.query,
  distinct: (c) => c.query,
  findAndModify: (c) => c.query,
  findandmodify: (c) => c.query,
  update: (c) => (c.updates as Document[] | undefined)?.[0]?.q,
  delete: (c) => (c.deletes as Document[] | undefined)?.[0]?.q,
  aggregate: (c) => (c.pipeline as Document[] | undefined)?.[0]?.$match,
};

/** `explain` of find/count/aggregate($match…)/update/delete/findAndModify: the plan and what it read. */
const explain: CommandHandler = async (command, ctx) => {
  const inner = optionalDocument(command, "explain");
  if (!inner) throw typeMismatch("'explain' must be a command document");
  const verb = Object.keys(inner)[0];
  const name = collectionName(inner, ctx);
  const coll = ctx.engine.collection(ctx.db, name);
  const filterOf = EXPLAINABLE[verb];
  if (!filterOf) throw badValue(`explain of '${verb}' is not supported`);
  const filter = filterOf(inner) ?? {};
  const stats: ScanStats = { plan: { stage: "COLLSCAN" }, keysExamined: 0, docsExamined: 0 };
  const started = process.hrtime.bigint();
  let nReturned = 0;
  if (coll) for (const _ of coll.match(filter, stats)) nReturned++;
  const executionTimeMillis = Number((process.hrtime.bigint() - started) / 1_000_000n);
  const winningPlan = explainPlan(stats.plan);
  return {
    queryPlanner: { namespace: `${ctx.db}.${name}`, parsedQuery: filter, winningPlan, rejectedPlans: [] },
    executionStats: {
      executionSuccess: true,
      nReturned,
      executionTimeMillis,
      totalKeysExamined: stats.keysExamined,
      totalDocsExamined: stats.docsExamined,
      executionStages: winningPlan,
    },
    ok: 1,
  };
};

export const readCommands: Record<string, CommandHandler> = {
  find,
  getMore,
  killCursors,
  count,
  distinct,
  aggregate,
  explain,
};
