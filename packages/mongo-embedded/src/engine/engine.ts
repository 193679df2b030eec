import { performance } from "node:perf_hooks";
import type { Document } from "bson";
import { CommandError, invalidNamespace } from "../errors";
import { DurableStore, type DurableStoreOptions } from "../storage/durable-store";
import type { CollectionImage, IndexSpec, StorageOp } from "../storage/storage-op";
import { type ChangeEventDraft, ChangeLog } from "./change-log";
import { Collection } from "./collection";
import { idKeyOf as idKeyFor } from "./collection-index";

function putOp(coll: Collection, doc: Document, bytes: Buffer | undefined): StorageOp {
  const op: StorageOp = { op: "put", db: coll.db, coll: coll.name, doc };
  if (bytes) op.bytes = bytes; // never an `undefined` field: bson would journal it as null
  return op;
}

/** The changes one command makes: applied to memory at once, made durable together. */
export class WriteBatch {
  readonly ops: StorageOp[] = [];
  readonly events: ChangeEventDraft[] = [];
}

const VALID_NAME = /^[^\0$]+$/;

export function checkCollectionName(db: string, name: unknown): string {
  if (typeof name !== "string" || name.length === 0 || !VALID_NAME.test(name) || name.startsWith(".")) {
    throw invalidNamespace(`Invalid collection name: ${db}.${String(name)}`);
  }
  if (name.startsWith("system.") && !["system.profile", "system.js", "system.views"].includes(name)) {
    throw invalidNamespace(`Invalid system namespace: ${db}.${name}`);
  }
  return name;
}

export function checkDatabaseName(db: unknown): string {
  if (typeof db !== "string" || db.length === 0 || db.length > 63 || /[/\\. "$\0*<>:|?]/.test(db)) {
    throw invalidNamespace(`Invalid database name: '${String(db)}'`);
  }
  return db;
}

/**
 * All databases in memory, kept durable by a DurableStore. Every write command runs its reads
 * and writes synchronously (nothing interleaves: this is what makes findAndModify atomic), then
 * waits for its journal record to be fsynced before it answers.
 */
export class Engine {
  private readonly dbs = new Map<string, Map<string, Collection>>();
  readonly changes = new ChangeLog();
  private store!: DurableStore;
  /** Resolves once every write applied so far is durable. */
  private durable: Promise<void> = Promise.resolve();
  private pending = 0;
  private snapshotRunning: Promise<void> | undefined;
  /** Time spent building indexes after recovery, for serverStatus. */
  private indexBuildMs = 0;

  static async open(dbPath: string, options?: DurableStoreOptions): Promise<Engine> {
    const engine = new Engine();
    engine.store = await DurableStore.open(dbPath, (op) => engine.replay(op), options);
    const started = performance.now();
    let built = 0;
    for (const colls of engine.dbs.values()) {
      for (const coll of colls.values()) {
        coll.buildIndexes();
        built += coll.indexes.size;
      }
    }
    engine.indexBuildMs = Math.round(performance.now() - started);
    if (built > 0) options?.logger?.(`built ${built} indexes in ${engine.indexBuildMs} ms`);
    return engine;
  }

  onFatal(listener: (err: Error) => void): void {
    this.store.onFatal(listener);
  }

  databases(): string[] {
    return [...this.dbs.keys()];
  }

  collections(db: string): Collection[] {
    return [...(this.dbs.get(db)?.values() ?? [])];
  }

  collection(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  /** The collection, created (with its `_id_` index) when missing — like MongoDB's implicit create. */
  ensureCollection(batch: WriteBatch, db: string, name: string, options: Document = {}): Collection {
    const existing = this.collection(db, name);
    if (existing) return existing;
    checkDatabaseName(db);
    checkCollectionName(db, name);
    const coll = this.createCollection(db, name, options);
    batch.ops.push({ op: "createCollection", db, coll: name, options });
    return coll;
  }

  private createCollection(db: string, name: string, options: Document): Collection {
    let colls = this.dbs.get(db);
    if (!colls) {
      colls = new Map();
      this.dbs.set(db, colls);
    }
    const coll = new Collection(db, name, options);
    colls.set(name, coll);
    return coll;
  }

  createIndex(batch: WriteBatch, coll: Collection, spec: IndexSpec): void {
    coll.addIndex(spec);
    batch.ops.push({ op: "createIndex", db: coll.db, coll: coll.name, spec });
  }

  dropIndex(batch: WriteBatch, coll: Collection, name: string): void {
    coll.dropIndex(name);
    batch.ops.push({ op: "dropIndex", db: coll.db, coll: coll.name, name });
  }

  dropCollection(batch: WriteBatch, coll: Collection): void {
    this.dbs.get(coll.db)?.delete(coll.name);
    if (this.dbs.get(coll.db)?.size === 0) this.dbs.delete(coll.db);
    batch.ops.push({ op: "dropCollection", db: coll.db, coll: coll.name });
    batch.events.push({ operationType: "drop", db: coll.db, coll: coll.name });
  }

  dropDatabase(batch: WriteBatch, db: string): void {
    if (!this.dbs.delete(db)) return;
    batch.ops.push({ op: "dropDatabase", db });
    batch.events.push({ operationType: "dropDatabase", db });
  }

  /**
   * Inserts a new document; throws E11000 (nothing changed) when a unique index refuses it.
   * `bytes`: the document's BSON, when the caller has it (see the `put` StorageOp).
   */
  insert(batch: WriteBatch, coll: Collection, doc: Document, bytes?: Buffer): void {
    const idKey = idKeyFor(doc._id);
    coll.store(doc, coll.prepare(doc, undefined, idKey), undefined, idKey);
    batch.ops.push(putOp(coll, doc, bytes));
    batch.events.push({
      operationType: "insert",
      db: coll.db,
      coll: coll.name,
      documentKey: { _id: doc._id },
      idKey,
      fullDocument: doc,
    });
  }

  /**
   * Replaces `previous` by `next` (same `_id`); `updateDescription` marks an operator update.
   * `bytes`: as for {@link insert}.
   */
  replace(
    batch: WriteBatch,
    coll: Collection,
    previous: Document,
    next: Document,
    updateDescription?: Document,
    bytes?: Buffer,
  ): void {
    const idKey = idKeyFor(next._id);
    coll.store(next, coll.prepare(next, previous, idKey), previous, idKey);
    batch.ops.push(putOp(coll, next, bytes));
    batch.events.push({
      operationType: updateDescription ? "update" : "replace",
      db: coll.db,
      coll: coll.name,
      documentKey: { _id: next._id },
      idKey,
      ...(updateDescription ? { updateDescription } : { fullDocument: next }),
    });
  }

  remove(batch: WriteBatch, coll: Collection, doc: Document): void {
    coll.remove(doc);
    batch.ops.push({ op: "delete", db: coll.db, coll: coll.name, id: doc._id });
    batch.events.push({
      operationType: "delete",
      db: coll.db,
      coll: coll.name,
      documentKey: { _id: doc._id },
    });
  }

  /**
   * Makes a batch durable, then publishes its change events. A command answers only after this
   * resolves. An empty batch still waits for earlier writes: an answer never rests on a write
   * that a crash could take back.
   */
  async commit(batch: WriteBatch): Promise<void> {
    if (batch.ops.length === 0) return this.durable;
    this.pending++;
    const done = this.store.commit(batch.ops).then(
      () => {
        this.changes.publish(batch.events);
      },
      (err: Error) => {
        throw new CommandError(
          8,
          "UnknownError",
          `write could not be made durable; the server is stopping: ${err.message}`,
        );
      },
    );
    this.durable = done.finally(() => {
      this.pending--;
    });
    this.maybeSnapshot();
    return done;
  }

  /** Waits until every write applied so far is durable (reads answer after this). */
  whenDurable(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : this.durable.catch(() => undefined);
  }

  private maybeSnapshot(): void {
    if (this.snapshotRunning || !this.store.wantsSnapshot) return;
    this.snapshotRunning = this.store.snapshot(this.images()).finally(() => {
      this.snapshotRunning = undefined;
    });
  }

  /** Every collection as it is now, for a snapshot (documents are never mutated afterwards). */
  private images(): CollectionImage[] {
    const images: CollectionImage[] = [];
    for (const colls of this.dbs.values()) {
      for (const coll of colls.values()) {
        images.push({
          db: coll.db,
          coll: coll.name,
          options: coll.options,
          indexes: coll.indexSpecs().slice(1),
          docs: [...coll.docs.values()],
        });
      }
    }
    return images;
  }

  /**
   * Applies a recovered op to memory (already validated when it was first written). Indexes are
   * built once everything is replayed: one bulk build instead of a tree update per op.
   */
  private replay(op: StorageOp): void {
    switch (op.op) {
      case "createCollection":
        if (!this.collection(op.db, op.coll)) this.createCollection(op.db, op.coll, op.options);
        return;
      case "dropCollection":
        this.dbs.get(op.db)?.delete(op.coll);
        return;
      case "dropDatabase":
        this.dbs.delete(op.db);
        return;
      case "createIndex":
        this.requireCollection(op.db, op.coll).defineIndex(op.spec);
        return;
      case "dropIndex":
        this.requireCollection(op.db, op.coll).dropIndex(op.name);
        return;
      case "put":
        this.requireCollection(op.db, op.coll).load(op.doc);
        return;
      case "delete":
        this.requireCollection(op.db, op.coll).docs.delete(idKeyFor(op.id));
        return;
    }
  }

  private requireCollection(db: string, name: string): Collection {
    return this.collection(db, name) ?? this.createCollection(db, name, {});
  }

  async close(): Promise<void> {
    await this.whenDurable();
    await this.snapshotRunning;
    // A clean stop leaves a snapshot: the next start then loads documents instead of replaying ops.
    if (this.store.wantsSnapshotOnClose) await this.store.snapshot(this.images());
    await this.store.close();
  }

  storageStats(): Record<string, number> {
    return { ...this.store.stats(), indexBuildMs: this.indexBuildMs };
  }
}
