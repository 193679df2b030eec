import { compileFilterWith, type DocumentPredicate } from "./filter-compiler";
import { MINGO_CONTEXT, MINGO_OPTIONS } from "./mingo-context";

export { applyUpdate, type UpdateOptions, type UpdateResult } from "./apply-update";
export type { DocumentPredicate } from "./filter-compiler";
export { type PipelineOptions, runPipeline } from "./pipeline";
export { applyProjection, compileProjection } from "./projection";
export { QueryError } from "./query-error";
export { sortDocuments } from "./sort-documents";
export { upsertSeed } from "./upsert-seed";
/**
 * The one mingo setup of the server: every mingo operator, minus server-side scripts
 * (`$where`, `$function`, `$accumulator`) and `$out`/`$merge`, with BSON-correct comparisons
 * (`$eq $ne $gt $gte $lt $lte $in $nin $type $exists $size $mod $regex $all $elemMatch`, the
 * expression comparisons, `$min`/`$max`, `$match`, `$sort`). Everything the engine calls goes
 * through here.
 */
export { MINGO_CONTEXT, MINGO_OPTIONS };

/**
 * Compiles a MongoDB filter into a predicate. Cheap enough to call per query: `field: value`
 * filters skip mingo entirely; others build one mingo Query over shared options. Unknown or
 * unsupported operators throw a QueryError (code 2) naming them; `$where` and `$function` are
 * refused the same way.
 *
 * @example compileFilter({ performanceId: id, barcode: "Y" })(doc) // true or false
 */
export function compileFilter(filter: object): DocumentPredicate {
  return compileFilterWith(filter, MINGO_OPTIONS);
}
