import type { Document } from "bson";
import BTree, { simpleComparator } from "sorted-btree";
import { bulkLoad } from "sorted-btree/extended/bulkLoad";
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
/** sorted-btree's default node size. */
const MAX_NODE_SIZE = 32;
/** Keys are strings only: plain string order, without the default comparator's type checks. */
const compareKeys: (a: string, b: string) => number = simpleComparator;

export const idKeyOf = (id: unknown): string => encodeKeyValue(id);

/** A secondary index: ordered entries `key` (unique) or `key SEP idKey` (non-unique) → idKey. */
export class CollectionIndex {
  readonly fields: string[];
  /** The top-level field each indexed path starts with. */
  private readonly roots: string[];
  /** No dotted path: a document's key can be read without walking paths. */
  private readonly topLevel: boolean;
  private entries = new BTree<string, string>(undefined, compareKeys, MAX_NODE_SIZE);
  private readonly partial?: (doc: Document) => boolean;
  /** Set once any document contributed several keys: range bounds on it can then only be one-sided. */
  multikey = false;

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.key);
    this.topLevel = this.fields.every((field) => !field.includes("."));
    this.roots = [...new Set(this.fields.map((field) => field.split(".")[0]))];
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
    if (this.topLevel) {
      const fast = this.scalarKey(doc);
      if (fast !== undefined) return fast;
    }
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

  /**
   * True when `next` certainly has the same keys as `previous`: each indexed path starts in a
   * top-level field holding the very same value (stored documents are never mutated, and an
   * update copies only what it changes). A partial filter may read any field: never assumed.
   */
  sameKeys(previous: Document, next: Document): boolean {
    if (this.partial) return false;
    for (const root of this.roots) if (!Object.is(previous[root], next[root])) return false;
    return true;
  }

  /**
   * The key of a document whose indexed top-level fields hold no array (the common case), without
   * the general path's allocations: it matters when recovery indexes millions of documents.
   * Undefined when an array is met.
   */
  private scalarKey(doc: Document): string[] | undefined {
    const { fields } = this;
    let missing = 0;
    const parts = new Array<string>(fields.length);
    for (let i = 0; i < fields.length; i++) {
      const value = doc[fields[i]];
      if (Array.isArray(value)) return undefined;
      if (value === undefined) missing++;
      parts[i] = encodeKeyValue(value);
    }
    return this.spec.sparse && missing === fields.length ? [] : [parts.join(SEP)];
  }

  /** The tree key of an entry. `join` makes flat strings: V8 compares those about twice as fast as concatenations. */
  private entryKey(key: string, idKey: string): string {
    return this.unique ? key : [key, idKey].join(SEP);
  }

  /**
   * Fills this empty index from every document at once: sorting the entries and bulk-loading
   * the tree is several times faster than inserting them one by one in random order. On a
   * unique index, throws what `duplicate` makes of the idKey of a document whose key is taken.
   */
  build(docs: ReadonlyMap<string, Document>, duplicate: (idKey: string) => Error): void {
    const keys: string[] = [];
    const owners: string[] = [];
    for (const [idKey, doc] of docs) {
      for (const key of this.keysOf(doc)) {
        keys.push(this.entryKey(key, idKey));
        owners.push(idKey);
      }
    }
    // Sorts positions, stably (equal keys stay in document order). A plain array: V8 sorts a
    // Uint32Array with a comparator about twice as slowly.
    const order = new Array<number>(keys.length);
    for (let i = 0; i < keys.length; i++) order[i] = i;
    order.sort((a, b) => compareKeys(keys[a], keys[b]));
    const sortedKeys = new Array<string>(order.length);
    const sortedOwners = new Array<string>(order.length);
    for (let i = 0; i < order.length; i++) {
      sortedKeys[i] = keys[order[i]];
      sortedOwners[i] = owners[order[i]];
      if (i > 0 && sortedKeys[i] === sortedKeys[i - 1]) throw duplicate(sortedOwners[i]);
    }
    this.entries = bulkLoad(sortedKeys, sortedOwners, MAX_NODE_SIZE, compareKeys);
  }

  /** The idKey already holding `key` in this unique index, if any. */
  ownerOf(key: string): string | undefined {
    return this.entries.get(key);
  }

  add(keys: string[], idKey: string): void {
    for (const key of keys) this.entries.set(this.entryKey(key, idKey), idKey);
  }

  remove(keys: string[], idKey: string): void {
    for (const key of keys) this.entries.delete(this.entryKey(key, idKey));
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
