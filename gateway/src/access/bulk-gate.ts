/**
 * At most `limit` holders at once; the others wait in arrival order. Bulk scan uploads pass
 * through one per gateway: a door syncing a hundred scans must not make a turnstile's single
 * check wait behind fifty other hundreds in the database's queue — the single checks go around
 * the gate, and the database stays as busy with a few batches in flight as with fifty.
 */
export class BulkGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next in line (no `active` dip another caller could take).
      if (next) next();
      else this.active--;
    }
  }
}
