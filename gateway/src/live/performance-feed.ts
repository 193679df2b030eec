import { Repeater } from "@graphql-yoga/subscription";
import { type ChangeStream, type Db, type Document, ObjectId } from "mongodb";
import type { Logger } from "pino";

const REOPEN_AFTER_ERROR_MS = 1_000;
/** A stream not answering by then is taken as open anyway; its errors still reach the log. */
const STREAM_READY_TIMEOUT_MS = 5_000;

/**
 * Changes of a collection, per performance, from a MongoDB change stream: a write made by any
 * gateway on the database reaches the subscribers of every gateway. One stream per gateway and
 * collection, fanned out to its subscribers in memory.
 *
 * The stream asks only for the performances someone here listens to (none: no stream) — during a
 * rush every ticket of every performance changes, and a gateway decoding all of them to drop most
 * costs as much as recording the scans. When the set changes the stream is reopened from where the
 * previous one stood, so an event is never skipped between the two.
 */
export class PerformanceFeed<T> {
  private stream?: ChangeStream;
  private readonly listeners = new Map<string, Set<(value: T) => void>>();
  /** The performances the open stream covers, sorted. */
  private covered = "";
  /** Reopens run one after the other; each picks up the listeners as they are by then. */
  private reopening: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly collection: string,
    /** The field of a document naming its performance (`_id` for the performances themselves). */
    private readonly performanceField: "_id" | "performanceId",
    private readonly toValue: (doc: Document) => T,
    private readonly log: Logger,
    /** The fields `toValue` reads: the database sends only these. */
    private readonly fields: string[],
  ) {}

  /**
   * `initial()` (read once the stream covers these performances, so no change falls between the
   * two), then every change of these performances, until the subscriber leaves.
   */
  subscribe(performanceIds: string[], initial: () => Promise<T[]> = async () => []): AsyncIterable<T> {
    return new Repeater<T>(async (push, stop) => {
      const listener = (value: T) => void push(value);
      for (const id of performanceIds) {
        const set = this.listeners.get(id) ?? new Set();
        set.add(listener);
        this.listeners.set(id, set);
      }
      try {
        await this.cover();
        for (const value of await initial()) await push(value);
        await stop;
      } finally {
        for (const id of performanceIds) {
          const set = this.listeners.get(id);
          set?.delete(listener);
          if (set?.size === 0) this.listeners.delete(id);
        }
        void this.cover().catch((err) => this.log.error({ err }, "change stream reopen failed"));
      }
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.reopening.catch(() => undefined);
    await this.stream?.close();
    this.stream = undefined;
  }

  /** Resolves once the stream covers exactly the performances listened to now. */
  private cover(): Promise<void> {
    this.reopening = this.reopening.catch(() => undefined).then(() => this.reopen());
    return this.reopening;
  }

  private async reopen(): Promise<void> {
    const ids = [...this.listeners.keys()].sort();
    const wanted = this.stopped ? "" : ids.join(",");
    if (wanted === this.covered && (this.stream || wanted === "")) return;
    const previous = this.stream;
    // Where the previous stream stood: the next one starts right after, missing nothing.
    const startAfter = previous?.resumeToken;
    previous?.removeAllListeners("change");
    this.stream = undefined;
    this.covered = "";
    await previous?.close().catch(() => undefined);
    if (wanted === "") return;
    const stream = this.db.collection(this.collection).watch(
      [
        {
          $match: {
            operationType: { $in: ["insert", "update", "replace"] },
            [`fullDocument.${this.performanceField}`]: { $in: ids.map((id) => new ObjectId(id)) },
          },
        },
        { $project: Object.fromEntries(this.fields.map((f) => [`fullDocument.${f}`, 1])) },
      ],
      { fullDocument: "updateLookup", ...(startAfter ? { startAfter } : {}) },
    );
    stream.on("change", (event: Document) => {
      const doc = event.fullDocument;
      if (!doc) return;
      const listeners = this.listeners.get(String(doc[this.performanceField]));
      if (!listeners?.size) return;
      const value = this.toValue(doc);
      for (const listener of listeners) listener(value);
    });
    stream.on("error", (err) => {
      this.log.error({ err, collection: this.collection }, "change stream failed");
      if (this.stream !== stream) return;
      this.stream = undefined;
      this.covered = "";
      setTimeout(() => void this.cover().catch(() => undefined), REOPEN_AFTER_ERROR_MS).unref();
    });
    this.stream = stream;
    this.covered = wanted;
    // The cursor exists once the database answered (its first reply sets the resume token): from
    // then on no change can be missed.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, STREAM_READY_TIMEOUT_MS);
      stream.once("resumeTokenChanged", () => {
        clearTimeout(timer);
        resolve();
      });
      stream.once("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }
}
