import { Repeater } from "@graphql-yoga/subscription";
import type { ChangeStream, Db, Document } from "mongodb";
import type { Logger } from "pino";

export interface CountersUpdate {
  performanceId: string;
  revision: number;
  ticketCount: number;
  validCount: number;
  admittedCount: number;
  insideCount: number;
  refusedCount: number;
  anomalyCount: number;
}

/**
 * Performance counters as they move, from a MongoDB change stream: a scan recorded by any gateway
 * on the database reaches the subscribers of every gateway. One stream per gateway, fanned out
 * to its subscribers in memory.
 */
export class CounterFeed {
  private stream?: ChangeStream;
  private readonly listeners = new Map<string, Set<(update: CountersUpdate) => void>>();

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
  ) {}

  start(): void {
    const stream = this.db
      .collection("performance")
      .watch([{ $match: { operationType: { $in: ["update", "replace"] } } }], {
        fullDocument: "updateLookup",
      });
    stream.on("change", (event: Document) => {
      const doc = event.fullDocument;
      if (!doc) return;
      const id = String(doc._id);
      const listeners = this.listeners.get(id);
      if (!listeners?.size) return;
      const update = toUpdate(id, doc);
      for (const listener of listeners) listener(update);
    });
    stream.on("error", (err) => this.log.error({ err }, "counters change stream failed"));
    this.stream = stream;
  }

  /** The performance's counters now, then each time they move, until the subscriber leaves. */
  subscribe(performanceId: string, current: CountersUpdate): AsyncIterable<CountersUpdate> {
    return new Repeater<CountersUpdate>(async (push, stop) => {
      const listener = (update: CountersUpdate) => void push(update);
      const set = this.listeners.get(performanceId) ?? new Set();
      set.add(listener);
      this.listeners.set(performanceId, set);
      await push(current);
      await stop;
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(performanceId);
    });
  }

  async stop(): Promise<void> {
    await this.stream?.close();
  }
}

export function toUpdate(id: string, doc: Document): CountersUpdate {
  const c = doc.counters ?? {};
  return {
    performanceId: id,
    revision: doc.revision ?? 0,
    ticketCount: c.ticketCount ?? 0,
    validCount: c.validCount ?? 0,
    admittedCount: c.admittedCount ?? 0,
    insideCount: c.insideCount ?? 0,
    refusedCount: c.refusedCount ?? 0,
    anomalyCount: c.anomalyCount ?? 0,
  };
}
