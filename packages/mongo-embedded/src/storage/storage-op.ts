import type { Document } from "bson";

/** An index as MongoDB describes it in `listIndexes` (`v` is added on output). */
export interface IndexSpec {
  name: string;
  key: Record<string, 1 | -1>;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  expireAfterSeconds?: number;
}

/**
 * One durable change to the data. The engine applies a write to memory and hands the same
 * changes to the store in one `commit` call; recovery hands them back in the same order.
 */
export type StorageOp =
  | { op: "createCollection"; db: string; coll: string; options: Document }
  | { op: "dropCollection"; db: string; coll: string }
  | { op: "dropDatabase"; db: string }
  | { op: "createIndex"; db: string; coll: string; spec: IndexSpec }
  | { op: "dropIndex"; db: string; coll: string; name: string }
  /**
   * Insert, or replace the document with the same `_id`. `bytes`, when given, is the document's
   * BSON (anything bson decodes back to `doc`): the journal copies it instead of serializing.
   */
  | { op: "put"; db: string; coll: string; doc: Document; bytes?: Buffer }
  | { op: "delete"; db: string; coll: string; id: unknown };

/** A collection frozen at one instant, for a snapshot. Its documents are never mutated afterwards. */
export interface CollectionImage {
  db: string;
  coll: string;
  options: Document;
  indexes: IndexSpec[];
  docs: readonly Document[];
}
