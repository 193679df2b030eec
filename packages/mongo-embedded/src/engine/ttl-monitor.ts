import { idKeyOf } from "./collection-index";
import type { Engine } from "./engine";
import { WriteBatch } from "./engine";

/**
 * Removes documents whose TTL index date has passed, like MongoDB's TTL monitor (every 60 s by
 * default). Arrays of dates expire on their earliest date; documents without a date never do.
 */
export class TtlMonitor {
  private readonly timer: NodeJS.Timeout;
  private running: Promise<void> | undefined;

  constructor(
    private readonly engine: Engine,
    intervalMs: number,
    private readonly log: (message: string) => void,
  ) {
    this.timer = setInterval(() => void this.sweep(), intervalMs).unref();
  }

  sweep(now = new Date()): Promise<void> {
    this.running ??= this.sweepOnce(now).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async sweepOnce(now: Date): Promise<void> {
    const batch = new WriteBatch();
    for (const db of this.engine.databases()) {
      for (const coll of this.engine.collections(db)) {
        for (const index of coll.indexes.values()) {
          const ttl = index.spec.expireAfterSeconds;
          if (ttl === undefined) continue;
          const cutoff = new Date(now.getTime() - ttl * 1000);
          // A range on the index's field: the planner reads only the expired keys.
          const expired = [...coll.match({ [index.fields[0]]: { $lte: cutoff } })];
          for (const doc of expired)
            if (coll.docs.has(idKeyOf(doc._id))) this.engine.remove(batch, coll, doc);
        }
      }
    }
    if (batch.ops.length === 0) return;
    try {
      await this.engine.commit(batch);
    } catch (err) {
      this.log(`TTL sweep failed: ${(err as Error).message}`);
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
