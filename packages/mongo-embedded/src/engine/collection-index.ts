import type { Document } from "bson";
import BTree from "sorted-btree";
import { encodeCompoundKey, encodeKeyValue } from "../bson/index-key";
import { CommandError } from "../errors";
import { compileFilter } from "../query/mingo-options";
import type { IndexSpec } from "../storage/storage-op";
import { pathValues } from "./key-paths";
import type { NextBounds } from "./query-planner";

/** Separator between components of a compound key; sorts below any encoded content. */
const SEP = "\u0000";
const AFTER_SEP = "\u0001";
/** Guards against key explosion when a document has a huge array in an indexed field. */
const MAX_KEYS_PER_DOCUMENT = 100_000;

export const idKeyOf = (id: unknown): string => encodeKeyValue(id);

/** A secondary index: ordered entries `key` (unique) or `key SEP idKey` (non-unique) → idKey. */
export class CollectionIndex {
  readonly fields: string[];
  private readonly entries = new BTree<string, string>();
  private readonly partial?: (doc: Document) => boolean;
  /** Set once any document contributed several keys: range bounds on it can then only be one-sided. */
  multikey = false;

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.key);
    if (spec.partialFilterExpression) this.partial = compileFilter(spec.partialFilterExpression);
  }

  get unique(): boolean {
    return this.spec.unique === true;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The keys of a document, or [] when a sparse/partial index leaves it out. Throws on parallel arrays. */
  keysOf(doc: Document): string[] {
    if (this.partial && !this.partial(doc)) return [];
    const perField = this.fields.map((field) => pathValues(doc, field));
    if (this.spec.sparse && perField.every((p) => p.values.every((v) => v === undefined))) return [];
    const arrays = this.fields.filter((_, i) => perField[i].fromArray);
    if (arrays.length > 0) this.multikey = true;
    if (arrays.length > 1) {
      throw new CommandError(
        171,
        "CannotIndexParallelArrays",
        `cannot index parallel arrays [${arrays.join("] [")}]`,
      );
    }
    if (this.fields.length === 1) return [...new Set(perField[0].values.map((v) => encodeKeyValue(v)))];
    let tuples: unknown[][] = [[]];
    for (const { values } of perField) {
      tuples = tuples.flatMap((t) => values.map((v) => [...t, v]));
      if (tuples.length > MAX_KEYS_PER_DOCUMENT)
        throw new CommandError(17280, "KeyTooLong", "too many index keys");
    }
    return [...new Set(tuples.map((t) => encodeCompoundKey(t)))];
  }

  /** The idKey already holding `key` in this unique index, if any. */
  ownerOf(key: string): string | undefined {
    return this.entries.get(key);
  }

  add(keys: string[], idKey: string): void {
    for (const key of keys) this.entries.set(this.unique ? key : key + SEP + idKey, idKey);
  }

  remove(keys: string[], idKey: string): void {
    for (const key of keys) this.entries.delete(this.unique ? key : key + SEP + idKey);
  }

  /**
   * idKeys whose key starts with the given encoded prefix (whole components), optionally with the
   * next component within [low, high] (encoded bounds, inclusive, a superset: the caller re-filters).
   */
  scan(prefix: string, next?: NextBounds): { ids: Set<string>; keysExamined: number } {
    const ids = new Set<string>();
    const start = prefix === "" ? "" : prefix + (next ? SEP : "");
    // No key contains SEP and no scalar key continues with a character below AFTER_SEP, so
    // `bound + AFTER_SEP` (low) and `bound` itself (high, exclusive) skip exactly the bound's keys.
    const low = next ? start + next.low + (next.lowExclusive ? AFTER_SEP : "") : prefix;
    const high = next ? start + next.high + (next.highExclusive ? "" : AFTER_SEP) : prefix + AFTER_SEP;
    const keysExamined = this.entries.forRange(low, high, false, (_key, idKey) => {
      ids.add(idKey);
    });
    return { ids, keysExamined };
  }

  clear(): void {
    this.entries.clear();
  }

  describe(): Document {
    return { v: 2, ...this.spec };
  }
}
