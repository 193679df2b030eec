/**
 * A small seeded generator (mulberry32): a simulator's data is the same on every run of a seed.
 * Not for secrets.
 *
 * @example
 * const random = new SeededRandom(mixSeed(seed, performanceNumber));
 * const holder = random.pick(["Dupont", "Martin"]);
 * const sold = random.int(1, 3);
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** In [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with the given probability. */
  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** One of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** A shuffled copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }

  /** `length` lowercase hexadecimal digits. */
  hex(length: number): string {
    let out = "";
    while (out.length < length) out += Math.floor(this.next() * 16).toString(16);
    return out;
  }

  /** `length` characters from `alphabet` (by default, lowercase letters and digits that cannot be confused). */
  text(length: number, alphabet = "abcdefghijkmnpqrstuvwxyz23456789"): string {
    let out = "";
    while (out.length < length) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }
}

/**
 * Mixes integers into one seed, so that each part of the data (a performance, the credentials)
 * gets its own independent stream.
 *
 * @example
 * new SeededRandom(mixSeed(seed, 3)); // the same stream for a seed, whatever was drawn elsewhere
 */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    h = Math.imul(h ^ (part | 0), 0x01000193);
    h ^= h >>> 13;
  }
  return h >>> 0;
}
