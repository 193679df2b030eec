import { type Document, EJSON } from "bson";
import { CommandError } from "../errors";
import { compileFilter } from "../query/mingo-options";
import type { IndexSpec } from "../storage/storage-op";
import { CollectionIndex, idKeyOf } from "./collection-index";
import { pathValue } from "./key-paths";
import { idEquality, isExactFilter, type Plan, planAnswersExactly, planQuery } from "./query-planner";

export const ID_INDEX: IndexSpec = { name: "_id_", key: { _id: 1 } };

/** What a query read, for `explain` and the benchmark's sanity checks. */
export interface ScanStats {
  plan: Plan;
  keysExamined: number;
  docsExamined: number;
}

/** Keys of one document in every secondary index, computed once per write. */
type IndexKeys = Map<CollectionIndex, string[]>;

/**
 * One collection in memory: documents by encoded `_id` (the `_id_` index), plus secondary
 * indexes. Stored documents are never mutated: a write replaces the object, so snapshots and
 * open cursors can hold references safely.
 */
export class Collection {
  readonly docs = new Map<string, Document>();
  readonly indexes = new Map<string, CollectionIndex>();

  constructor(
    readonly db: string,
    readonly name: string,
    readonly options: Document,
  ) {}

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  indexSpecs(): IndexSpec[] {
    return [ID_INDEX, ...[...this.indexes.values()].map((i) => i.spec)];
  }

  /** Builds a new index over the existing documents; throws (adding nothing) on a duplicate. */
  addIndex(spec: IndexSpec): void {
    const index = new CollectionIndex(spec);
    index.build(this.docs, (idKey) => this.duplicateKey(index, this.docs.get(idKey) ?? {}));
    this.indexes.set(spec.name, index);
  }

  /** Recovery: an index left empty until {@link buildIndexes}. */
  defineIndex(spec: IndexSpec): void {
    this.indexes.set(spec.name, new CollectionIndex(spec));
  }

  /** Recovery: insert or replace by `_id` without indexing (see {@link buildIndexes}). */
  load(doc: Document): void {
    this.docs.set(idKeyOf(doc._id), doc);
  }

  /** Recovery: builds every index once all documents are loaded, in bulk. */
  buildIndexes(): void {
    for (const index of this.indexes.values()) {
      index.build(this.docs, (idKey) => this.duplicateKey(index, this.docs.get(idKey) ?? {}));
    }
  }

  dropIndex(name: string): void {
    this.indexes.delete(name);
  }

  get(idKey: string): Document | undefined {
    return this.docs.get(idKey);
  }

  /**
   * Checks that `doc` may be stored (replacing `previous` when given) without breaking a unique
   * index, and returns its index keys. Throws E11000 — nothing is changed.
   */
  prepare(doc: Document, previous?: Document, idKey = idKeyOf(doc._id)): IndexKeys {
    if (!previous && this.docs.has(idKey)) throw this.duplicateKey(undefined, doc);
    const keys: IndexKeys = new Map();
    for (const index of this.indexes.values()) {
      // Left out: the index already holds exactly these keys for this document.
      if (previous && index.sameKeys(previous, doc)) continue;
      const docKeys = index.keysOf(doc);
      if (index.unique) {
        for (const key of docKeys) {
          const owner = index.ownerOf(key);
          if (owner !== undefined && owner !== idKey) throw this.duplicateKey(index, doc);
        }
      }
      keys.set(index, docKeys);
    }
    return keys;
  }

  /** Stores a prepared document (insert or replacement by `_id`); indexes left out of `keys` stay as they are. */
  store(doc: Document, keys: IndexKeys, previous?: Document, idKey = idKeyOf(doc._id)): void {
    for (const [index, docKeys] of keys) {
      if (previous) {
        const previousKeys = index.keysOf(previous);
        // Most updates leave indexed fields alone: then the tree needs no change.
        if (sameKeys(previousKeys, docKeys)) continue;
        index.remove(previousKeys, idKey);
      }
      index.add(docKeys, idKey);
    }
    this.docs.set(idKey, doc);
  }

  remove(doc: Document): void {
    const idKey = idKeyOf(doc._id);
    this.unindex(doc, idKey);
    this.docs.delete(idKey);
  }

  private unindex(doc: Document, idKey: string): void {
    for (const index of this.indexes.values()) index.remove(index.keysOf(doc), idKey);
  }

  /**
   * Documents matching `filter`, in natural order, through the best plan. Lazy: a `limit`
   * without sort stops early. `stats` is filled as the iteration goes.
   */
  *match(filter: Document, stats?: ScanStats): Generator<Document> {
    const id = idEquality(filter);
    if (id) {
      const test = compileFilter(filter);
      // The planner's IDHACK, without planning: most single-document writes name their `_id`.
      const idKey = idKeyOf(id.value);
      const plan: Plan = { stage: "IDHACK", ids: [idKey] };
      const s = stats ?? { plan, keysExamined: 0, docsExamined: 0 };
      s.plan = plan;
      s.keysExamined++;
      const doc = this.docs.get(idKey);
      if (!doc) return;
      s.docsExamined++;
      if (test(doc)) yield doc;
      return;
    }
    // Compiled before planning (a bad filter fails as it always did), unless it cannot fail and
    // the plan may answer it exactly: the scan path's ticket lookup, 100 barcodes at a time.
    const exact = isExactFilter(filter);
    const compiled = exact ? undefined : compileFilter(filter);
    const plan = planQuery(filter, this.indexes.values());
    const test = compiled ?? (exact && planAnswersExactly(filter, plan) ? undefined : compileFilter(filter));
    const s = stats ?? { plan, keysExamined: 0, docsExamined: 0 };
    s.plan = plan;
    for (const doc of this.candidates(plan, s)) {
      s.docsExamined++;
      if (!test || test(doc)) yield doc;
    }
  }

  private *candidates(plan: Plan, stats: ScanStats): Generator<Document> {
    if (plan.stage === "COLLSCAN") {
      yield* this.docs.values();
      return;
    }
    if (plan.stage === "OR" && plan.branches.length === 1) {
      // One branch yields each document once: nothing to deduplicate.
      yield* this.candidates(plan.branches[0], stats);
      return;
    }
    if (plan.stage === "OR") {
      const seen = new Set<string>();
      for (const branch of plan.branches) {
        for (const doc of this.candidates(branch, stats)) {
          const idKey = idKeyOf(doc._id);
          if (seen.has(idKey)) continue;
          seen.add(idKey);
          yield doc;
        }
      }
      return;
    }
    let ids: Iterable<string>;
    if (plan.stage === "IXSCAN" && plan.point) {
      const owners: string[] = [];
      for (const key of plan.prefixes) {
        const owner = plan.index.ownerOf(key);
        if (owner !== undefined) owners.push(owner);
      }
      stats.keysExamined += owners.length;
      // A multikey document owns several keys: dedupe only when several were looked up.
      ids = owners.length > 1 ? new Set(owners) : owners;
    } else if (plan.stage === "IXSCAN") {
      const found = new Set<string>();
      for (const prefix of plan.prefixes) {
        const { ids: some, keysExamined } = plan.index.scan(prefix, plan.next);
        stats.keysExamined += keysExamined;
        for (const id of some) found.add(id);
      }
      ids = found;
    } else {
      ids = new Set(plan.ids);
      stats.keysExamined += plan.ids.length;
    }
    for (const id of ids) {
      const doc = this.docs.get(id);
      if (doc) yield doc;
    }
  }

  duplicateKey(index: CollectionIndex | undefined, doc: Document): CommandError {
    const keyPattern = index?.spec.key ?? { _id: 1 };
    const keyValue: Document = {};
    for (const field of Object.keys(keyPattern)) keyValue[field] = pathValue(doc, field) ?? null;
    const shown = Object.entries(keyValue)
      .map(([k, v]) => `${k}: ${EJSON.stringify(v, { relaxed: true })}`)
      .join(", ");
    return new CommandError(
      11000,
      "DuplicateKey",
      `E11000 duplicate key error collection: ${this.ns} index: ${index?.spec.name ?? "_id_"} dup key: { ${shown} }`,
      { keyPattern, keyValue },
    );
  }
}

function sameKeys(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A helper for callers that want the plan without iterating. */
export function explainPlan(plan: Plan): Document {
  switch (plan.stage) {
    case "COLLSCAN":
      return { stage: "COLLSCAN" };
    case "OR":
      return { stage: "SUBPLAN", inputStage: { stage: "OR", inputStages: plan.branches.map(explainPlan) } };
    case "IDHACK":
    case "IDSCAN":
      return {
        stage: plan.stage === "IDHACK" ? "IDHACK" : "FETCH",
        inputStage: { stage: "IXSCAN", indexName: "_id_" },
      };
    case "IXSCAN":
      return {
        stage: "FETCH",
        inputStage: {
          stage: "IXSCAN",
          indexName: plan.index.spec.name,
          keyPattern: plan.index.spec.key,
          isUnique: plan.index.unique,
          isMultiKey: plan.index.multikey,
          boundsCount: plan.prefixes.length,
        },
      };
  }
}
