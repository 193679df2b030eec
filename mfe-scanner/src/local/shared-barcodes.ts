import type { ScannerDb } from "./database";

/** Keys read per request: a few round trips for 100k tickets, a bounded memory. */
const KEY_CHUNK = 10_000;

/** A performance's barcodes in key order (IndexedDB sorts strings as JavaScript compares them), by chunks. */
class BarcodeStream {
  private buffer: string[] = [];
  private index = 0;
  private exhausted = false;

  constructor(
    private readonly db: ScannerDb,
    private readonly performanceId: string,
  ) {}

  head(): string | undefined {
    return this.buffer[this.index];
  }

  /** Moves on; a promise only when a new chunk must be read. */
  advance(): Promise<void> | undefined {
    this.index++;
    if (this.index < this.buffer.length || this.exhausted) return undefined;
    return this.fill(this.buffer[this.buffer.length - 1]);
  }

  async fill(after?: string): Promise<void> {
    const id = this.performanceId;
    const range =
      after === undefined
        ? IDBKeyRange.bound([id], [id, []])
        : IDBKeyRange.bound([id, after], [id, []], true, false);
    const keys = await this.db.getAllKeys("tickets", range, KEY_CHUNK);
    this.buffer = keys.map((key) => key[1]);
    this.index = 0;
    this.exhausted = keys.length < KEY_CHUNK;
  }
}

/**
 * The first barcode (in key order) found in two of the performances, or undefined. Walks every
 * performance's keys in order at once (a k-way merge): linear in the tickets, a chunk of keys in
 * memory per performance, no per-ticket request.
 */
export async function findSharedBarcode(
  db: ScannerDb,
  performanceIds: readonly string[],
): Promise<{ barcode: string; performanceIds: [string, string] } | undefined> {
  if (performanceIds.length < 2) return undefined;
  const streams = performanceIds.map((id) => new BarcodeStream(db, id));
  await Promise.all(streams.map((s) => s.fill()));
  for (;;) {
    let min: string | undefined;
    let owner = -1;
    for (let i = 0; i < streams.length; i++) {
      const head = streams[i].head();
      if (head === undefined) continue;
      if (min === undefined || head < min) {
        min = head;
        owner = i;
      } else if (head === min) {
        return { barcode: head, performanceIds: [performanceIds[owner], performanceIds[i]] };
      }
    }
    if (min === undefined) return undefined;
    const refill = streams[owner].advance();
    if (refill) await refill;
  }
}
