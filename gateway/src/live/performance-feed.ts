import { Repeater } from "@graphql-yoga/subscription";
import type { ChangeStream, Db, Document } from "mongodb";
import type { Logger } from "pino";

/**
 * Changes of a collection, per performance, from a MongoDB change stream: a write made by any
 * gateway on the database reaches the subscribers of every gateway. One stream per gateway and
 * collection, fanned out to its subscribers in memory.
 */
export class PerformanceFeed<T> {
  private stream?: ChangeStream;
  private readonly listeners = new Map<string, Set<(value: T) => void>>();

  constructor(
    private readonly db: Db,
    private readonly collection: string,
    /** Which performance a changed document belongs to. */
    private readonly performanceOf: (doc: Document) => string,
    private readonly toValue: (doc: Document) => T,
    private readonly log: Logger,
    /** The fields `performanceOf` and `toValue` read: the database sends only these. */
    private readonly fields: string[],
  ) {}

  start(): void {
    const stream = this.db
      .collection(this.collection)
      .watch(
        [
          { $match: { operationType: { $in: ["insert", "update", "replace"] } } },
          { $project: Object.fromEntries(this.fields.map((f) => [`fullDocument.${f}`, 1])) },
        ],
        { fullDocument: "updateLookup" },
      );
    stream.on("change", (event: Document) => {
      const doc = event.fullDocument;
      if (!doc) return;
      const listeners = this.listeners.get(this.performanceOf(doc));
      if (!listeners?.size) return;
      const value = this.toValue(doc);
      for (const listener of listeners) listener(value);
    });
    stream.on("error", (err) => this.log.error({ err, collection: this.collection }, "change stream failed"));
    this.stream = stream;
  }

  /** `initial` at once (if any), then every change of these performances, until the subscriber leaves. */
  subscribe(performanceIds: string[], initial: T[] = []): AsyncIterable<T> {
    return new Repeater<T>(async (push, stop) => {
      const listener = (value: T) => void push(value);
      for (const id of performanceIds) {
        const set = this.listeners.get(id) ?? new Set();
        set.add(listener);
        this.listeners.set(id, set);
      }
      for (const value of initial) await push(value);
      await stop;
      for (const id of performanceIds) {
        const set = this.listeners.get(id);
        set?.delete(listener);
        if (set?.size === 0) this.listeners.delete(id);
      }
    });
  }

  async stop(): Promise<void> {
    await this.stream?.close();
  }
}
