import type { Document } from "bson";
import { Aggregator } from "mingo/aggregator";
import { OpType, ProcessingMode } from "mingo/core";
import { isPlainObject } from "../bson/bson-kind";
import { copyValue } from "../bson/copy-value";
import { refuseScripts } from "./filter-compiler";
import { MINGO_CONTEXT, pipelineOptions } from "./mingo-context";
import { badValue, notSupported, QueryError, toQueryError } from "./query-error";

export interface PipelineOptions {
  /** Documents of another collection of the same database (`$lookup`, `$unionWith`, `$graphLookup`). */
  collectionResolver?: (name: string) => Document[];
  /** `$$name` variables (the command's `let`). */
  variables?: Document;
}

/** Real MongoDB stages this server does not run (writes elsewhere, search, geo, diagnostics…). */
const REFUSED_STAGES = new Set([
  "$out",
  "$merge",
  "$changeStream",
  "$changeStreamSplitLargeEvent",
  "$search",
  "$searchMeta",
  "$vectorSearch",
  "$listSearchIndexes",
  "$geoNear",
  "$collStats",
  "$indexStats",
  "$currentOp",
  "$listSessions",
  "$listLocalSessions",
  "$listSampledQueries",
  "$planCacheStats",
  "$shardedDataDistribution",
  "$querySettings",
  "$queryStats",
]);

/** Stages that never write into their input documents, so the stored documents need no copy. */
const READ_ONLY_STAGES = new Set([
  "$match",
  "$sort",
  "$skip",
  "$limit",
  "$count",
  "$group",
  "$sortByCount",
  "$sample",
]);

/** Checks every stage up front (nested pipelines too); true when all stages are read-only. */
function validatePipeline(pipeline: unknown, where = "pipeline"): boolean {
  if (!Array.isArray(pipeline)) throw badValue(`${where} must be an array`);
  let readOnly = true;
  for (const stage of pipeline) {
    if (!isPlainObject(stage) || Object.keys(stage).length !== 1) {
      throw new QueryError(40323, "A pipeline stage specification object must contain exactly one field.");
    }
    const [name] = Object.keys(stage);
    const spec = stage[name];
    if (REFUSED_STAGES.has(name)) throw notSupported(`${name} stage`);
    if (!name.startsWith("$") || MINGO_CONTEXT.getOperator(OpType.PIPELINE, name) === null) {
      throw new QueryError(40324, `Unrecognized pipeline stage name: '${name}'`);
    }
    if (!READ_ONLY_STAGES.has(name)) readOnly = false;
    if ((name === "$lookup" || name === "$unionWith") && isPlainObject(spec) && spec.pipeline !== undefined) {
      validatePipeline(spec.pipeline, `${name}.pipeline`);
    }
    if (name === "$facet" && isPlainObject(spec)) {
      for (const [facet, sub] of Object.entries(spec)) validatePipeline(sub, `$facet.${facet}`);
    }
  }
  refuseScripts(pipeline);
  return readOnly;
}

/**
 * Runs an aggregation pipeline over `docs` (usually after the caller's own index-assisted
 * first `$match`). Every stage name is checked before anything runs; `$match` and `$sort`
 * follow MongoDB's BSON semantics. The input documents are never modified.
 */
export function runPipeline(
  docs: Document[],
  pipeline: Document[],
  options: PipelineOptions = {},
): Document[] {
  const readOnly = validatePipeline(pipeline);
  const { collectionResolver, variables } = options;
  try {
    const aggregator = new Aggregator(
      pipeline,
      pipelineOptions({
        // Stages like $addFields write through shared sub-documents: give them copies.
        processingMode: readOnly ? ProcessingMode.CLONE_OFF : ProcessingMode.CLONE_INPUT,
        collectionResolver:
          collectionResolver &&
          ((name) => (readOnly ? collectionResolver(name) : collectionResolver(name).map(copyValue))),
        variables,
      }),
    );
    return aggregator.run(docs) as Document[];
  } catch (err) {
    throw toQueryError(err);
  }
}

/** Stages an update pipeline may hold (MongoDB's list). */
const UPDATE_STAGES = new Set(["$addFields", "$set", "$project", "$unset", "$replaceRoot", "$replaceWith"]);

/** Runs an update pipeline on one (already copied) document. */
export function runUpdatePipeline(doc: Document, pipeline: Document[], variables?: Document): Document {
  validatePipeline(pipeline);
  for (const stage of pipeline) {
    const [name] = Object.keys(stage);
    if (!UPDATE_STAGES.has(name))
      throw new QueryError(72, `${name} is not allowed to be used within an update`);
  }
  try {
    const [out] = new Aggregator(pipeline, pipelineOptions({ variables })).run([doc]) as Document[];
    return out;
  } catch (err) {
    throw toQueryError(err);
  }
}
