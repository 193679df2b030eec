import type { ChangeStream, Db, Document } from "mongodb";
import type { Logger } from "pino";

const RESTART_AFTER_ERROR_MS = 5_000;
const MAX_ENTRIES = 50_000;

/**
 * Documents of one collection that the hot paths read on every request and that rarely change
 * (sessions, logins, devices, institutions), remembered per gateway by a key. A change stream forgets a document as
 * soon as the database reports it changed or went, on every gateway; a read that started before
 * such a change is not kept; entries also expire after `ttlMs`. Without change streams (or while
 * the stream is down) nothing is remembered and every read goes to the database.
 */
export class WatchedCache<T extends Document> {
  private readonly entries = new Map<string, { doc: T; at: number }>();
  /** The key of each remembered document, by `_id`: what the change events name. */
  private readonly keyOf = new Map<string, string>();
  private version = 0;
  private stream?: ChangeStream;
  private live = false;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly collection: string,
    private readonly log: Logger,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    if (this.stopped) return;
    try {
      const stream = this.db
        .collection(this.collection)
        .watch([
          { $match: { operationType: { $in: ["update", "replace", "delete"] } } },
          { $project: { documentKey: 1 } },
        ]);
      stream.on("change", (event: Document) => this.forget(String(event.documentKey?._id)));
      stream.on("error", (err) => this.fail(err));
      // Trusted once the stream is open on the database: no change slips by unheard.
      stream.once("resumeTokenChanged", () => {
        if (this.stream === stream) this.live = true;
      });
      this.stream = stream;
    } catch (err) {
      this.fail(err);
    }
  }

  /**
   * The document under `key`: remembered, or read with `read` (and remembered unless a change
   * arrived meanwhile). A frozen copy: callers read it, never change it.
   */
  async get(key: string, read: () => Promise<T | null>): Promise<T | undefined> {
    const entry = this.live ? this.entries.get(key) : undefined;
    if (entry && this.now() - entry.at <= this.ttlMs) return entry.doc;
    const version = this.version;
    const doc = await read();
    if (!doc) return undefined;
    const frozen = Object.freeze(doc);
    if (this.live && version === this.version) {
      if (this.entries.size >= MAX_ENTRIES) this.clear();
      this.entries.set(key, { doc: frozen, at: this.now() });
      this.keyOf.set(String(doc._id), key);
    }
    return frozen;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.live = false;
    this.clear();
    await this.stream?.close().catch(() => undefined);
    this.stream = undefined;
  }

  private forget(id: string): void {
    this.version++;
    const key = this.keyOf.get(id);
    if (key === undefined) return;
    this.keyOf.delete(id);
    this.entries.delete(key);
  }

  private clear(): void {
    this.entries.clear();
    this.keyOf.clear();
  }

  private fail(err: unknown): void {
    const wasLive = this.live;
    this.live = false;
    this.version++;
    this.clear();
    void this.stream?.close().catch(() => undefined);
    this.stream = undefined;
    if (wasLive)
      this.log.warn({ err, collection: this.collection }, "cache off: change stream failed; retrying");
    if (!this.stopped) setTimeout(() => this.start(), RESTART_AFTER_ERROR_MS).unref();
  }
}
