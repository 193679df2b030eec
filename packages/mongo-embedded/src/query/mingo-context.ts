import type { Document } from "bson";
import { Context, ProcessingMode } from "mingo/core";
import { Lazy, type Iterator as LazyIterator } from "mingo/lazy";
import * as accumulatorOperators from "mingo/operators/accumulator";
import * as expressionOperators from "mingo/operators/expression";
import * as pipelineOperators from "mingo/operators/pipeline";
import * as projectionOperators from "mingo/operators/projection";
import * as queryOperators from "mingo/operators/query";
import * as windowOperators from "mingo/operators/window";
import { Query } from "mingo/query";
import type { Options } from "mingo/types";
import { ACCUMULATOR_OPERATOR_OVERRIDES, EXPRESSION_OPERATOR_OVERRIDES } from "./expression-operators";
import { compileFilterWith } from "./filter-compiler";
import { QUERY_OPERATOR_OVERRIDES } from "./query-operators";
import { sortDocuments } from "./sort-documents";

/** Server-side JavaScript and writes to other collections are not offered at all. */
const EXCLUDED = new Set(["$where", "$function", "$accumulator", "$out", "$merge"]);

function operatorsOf(module: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(module).filter(([name]) => name.startsWith("$") && !EXCLUDED.has(name)),
  );
}

type PipelineOperator = (collection: LazyIterator, expr: unknown, options: Options) => LazyIterator;

/** `$match` through our filter compiler (with its checks), `$sort` in MongoDB order. */
const PIPELINE_OPERATOR_OVERRIDES: Record<string, PipelineOperator> = {
  $match: (collection, expr, options) => {
    const test = compileFilterWith(expr, options);
    return collection.filter((doc: Document) => test(doc));
  },
  $sort: (collection, expr, _options) =>
    collection.transform((docs) => Lazy(sortDocuments(docs as Document[], expr as Document))),
};

type ContextOperators = NonNullable<Parameters<typeof Context.init>[0]>;

/**
 * Every mingo operator, with the BSON-correct overrides and without scripts. The cast: mingo
 * types each operator group as the intersection of all its operators' signatures.
 */
export const MINGO_CONTEXT = Context.init({
  accumulator: { ...operatorsOf(accumulatorOperators), ...ACCUMULATOR_OPERATOR_OVERRIDES },
  expression: { ...operatorsOf(expressionOperators), ...EXPRESSION_OPERATOR_OVERRIDES },
  pipeline: { ...operatorsOf(pipelineOperators), ...PIPELINE_OPERATOR_OVERRIDES },
  projection: operatorsOf(projectionOperators),
  query: { ...operatorsOf(queryOperators), ...QUERY_OPERATOR_OVERRIDES },
  window: operatorsOf(windowOperators),
} as unknown as ContextOperators);

/** mingo's `ComputeOptions`: the options object its operators receive. */
export interface MingoOptions extends Options {
  update(locals: Record<string, unknown>): MingoOptions;
}
interface MingoOptionsClass {
  init(options: Partial<Options> | MingoOptions): MingoOptions;
}

/**
 * mingo does not export `ComputeOptions`, and building a Query or Aggregator from plain options
 * copies the whole operator table (~9 µs a time). We catch the instance mingo builds once,
 * through a probe operator, to reach the class: an instance passed back in is only copied
 * shallowly.
 */
function computeOptionsClass(): MingoOptionsClass {
  let caught: MingoOptions | undefined;
  const probe = Context.init({
    query: {
      $probe: (_selector: string, _value: unknown, options: MingoOptions) => {
        caught = options;
        return () => true;
      },
    },
  } as unknown as ContextOperators);
  new Query({ x: { $probe: 1 } }, { context: probe });
  if (!caught) throw new Error("mingo did not call the probe operator");
  return caught.constructor as unknown as MingoOptionsClass;
}

const COMPUTE_OPTIONS = computeOptionsClass();

const BASE: Partial<Options> = {
  context: MINGO_CONTEXT,
  idKey: "_id",
  scriptEnabled: false,
  useStrictMode: true,
  failOnError: true,
  processingMode: ProcessingMode.CLONE_OFF,
};

/** The shared options for queries: no per-call state (locals live in copies). */
export const MINGO_OPTIONS: MingoOptions = COMPUTE_OPTIONS.init(BASE);

/** A cheap copy of the shared options with the given locals (e.g. `condition` for positional projection). */
export const optionsWithLocals = (locals: Record<string, unknown>): MingoOptions =>
  COMPUTE_OPTIONS.init(MINGO_OPTIONS).update(locals);

/** Options for one aggregation (its own collection resolver, variables and cloning). */
export const pipelineOptions = (extra: Partial<Options>): MingoOptions =>
  COMPUTE_OPTIONS.init({ ...BASE, ...extra });
