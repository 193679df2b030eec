import { type Document, Long } from "bson";
import { CommandError } from "../errors";

const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;
const MAX_BATCH_BYTES = MAX_DOCUMENT_BYTES - 16 * 1024;
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

/** Where a cursor's documents come from: a lazy iterator, or a change stream's polling source. */
export interface CursorSource {
  /**
   * Up to `batchSize` more documents; `done` when nothing will ever follow. A tailable source may
   * wait up to `maxTimeMS` for new data (`undefined`: its own default; 0: never).
   */
  next(batchSize: number, maxTimeMS: number | undefined): Promise<{ docs: Document[]; done: boolean }>;
  /** Extra cursor fields (a change stream's `postBatchResumeToken`). */
  extra?(): Document;
  close?(): void;
}

/**
 * Drains a synchronous iterator into batches of at most 16 MB, as MongoDB does: a document that
 * would take a batch past it waits for the next one, unless it is the batch's first. A result
 * document over 16 MB (an aggregation can build one) is refused, as MongoDB refuses it.
 */
export function iteratorSource(
  iterator: Iterator<Document>,
  sizeOf: (doc: Document) => number,
): CursorSource {
  let held: { doc: Document; bytes: number } | undefined;
  return {
    async next(batchSize) {
      const docs: Document[] = [];
      let bytes = 0;
      while (docs.length < batchSize) {
        let next = held;
        held = undefined;
        if (!next) {
          const step = iterator.next();
          if (step.done) return { docs, done: true };
          next = { doc: step.value, bytes: sizeOf(step.value) };
          if (next.bytes > MAX_DOCUMENT_BYTES) {
            throw new CommandError(
              10334,
              "BSONObjectTooLarge",
              `a result document is ${next.bytes} bytes, more than the ${MAX_DOCUMENT_BYTES} allowed`,
            );
          }
        }
        if (docs.length > 0 && bytes + next.bytes > MAX_BATCH_BYTES) {
          held = next;
          break;
        }
        docs.push(next.doc);
        bytes += next.bytes;
      }
      return { docs, done: false };
    },
    close() {
      iterator.return?.();
    },
  };
}

interface OpenCursor {
  ns: string;
  source: CursorSource;
  lastUsed: number;
  busy: boolean;
}

/** A cursor id as the client sent it: small int64 values arrive promoted to numbers. */
export function cursorIdOf(value: unknown): bigint {
  if (value instanceof Long) return value.toBigInt();
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === "bigint") return value;
  throw new CommandError(14, "TypeMismatch", "cursor id must be an integer");
}

/** Open cursors by id. Ids are int64 on the wire; idle cursors are reaped after ten minutes. */
export class CursorRegistry {
  private readonly cursors = new Map<string, OpenCursor>();
  private nextId = BigInt(Math.floor(Math.random() * 2 ** 40)) + 1n;
  private readonly reaper = setInterval(() => this.reap(), 60_000).unref();

  /** Runs the first batch; registers the cursor only when more may follow. */
  async open(ns: string, source: CursorSource, batchSize: number, singleBatch = false): Promise<Document> {
    const { docs, done } = await source.next(batchSize, 0); // the first batch never waits
    let id = 0n;
    if (!done && !singleBatch) {
      id = this.nextId++;
      this.cursors.set(id.toString(), { ns, source, lastUsed: Date.now(), busy: false });
    } else source.close?.();
    return { cursor: { id: Long.fromBigInt(id), ns, firstBatch: docs, ...source.extra?.() }, ok: 1 };
  }

  async getMore(
    rawId: unknown,
    ns: string,
    batchSize: number,
    maxTimeMS: number | undefined,
  ): Promise<Document> {
    const id = Long.fromBigInt(cursorIdOf(rawId));
    const key = id.toBigInt().toString();
    const cursor = this.cursors.get(key);
    if (!cursor) throw new CommandError(43, "CursorNotFound", `cursor id ${key} not found`);
    if (cursor.ns !== ns) {
      throw new CommandError(
        13,
        "Unauthorized",
        `Requested getMore on namespace '${ns}', but cursor belongs to '${cursor.ns}'`,
      );
    }
    if (cursor.busy) throw new CommandError(292, "CursorInUse", `cursor id ${key} is already in use`);
    cursor.busy = true;
    try {
      const { docs, done } = await cursor.source.next(batchSize, maxTimeMS);
      if (done) this.kill(key);
      return {
        cursor: { id: done ? Long.ZERO : id, ns, nextBatch: docs, ...cursor.source.extra?.() },
        ok: 1,
      };
    } finally {
      cursor.busy = false;
      cursor.lastUsed = Date.now();
    }
  }

  /** Kills the given cursors; answers the four lists `killCursors` reports. */
  killMany(rawIds: unknown[]): Document {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const raw of rawIds) {
      const id = cursorIdOf(raw);
      (this.kill(id.toString()) ? killed : notFound).push(Long.fromBigInt(id));
    }
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
  }

  private kill(key: string): boolean {
    const cursor = this.cursors.get(key);
    if (!cursor) return false;
    this.cursors.delete(key);
    cursor.source.close?.();
    return true;
  }

  private reap(): void {
    const cutoff = Date.now() - IDLE_TIMEOUT_MS;
    for (const [key, cursor] of this.cursors) if (!cursor.busy && cursor.lastUsed < cutoff) this.kill(key);
  }

  get size(): number {
    return this.cursors.size;
  }

  close(): void {
    clearInterval(this.reaper);
    for (const key of [...this.cursors.keys()]) this.kill(key);
  }
}
