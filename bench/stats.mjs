// Helpers every bench shares: seeded randomness and latency percentiles.

/** A small seeded PRNG: the same seed gives the same run. */
export function mulberry32(seed) {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 0..n-1 in a seeded random order: distinct barcodes, random arrival. */
export function shuffledRange(n, seed) {
  const a = Array.from({ length: n }, (_, i) => i);
  const rnd = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** Nearest-rank percentile of an ascending array. */
export function pct(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** Latencies in ms, kept in a growing Float64Array (no per-sample object). */
export class Lat {
  constructor(n = 1024) {
    this.a = new Float64Array(Math.max(16, n));
    this.n = 0;
  }
  add(ms) {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = ms;
  }
  summary() {
    const s = this.a.slice(0, this.n).sort();
    return {
      n: this.n,
      p50: pct(s, 0.5),
      p95: pct(s, 0.95),
      p99: pct(s, 0.99),
      max: s[s.length - 1] ?? Number.NaN,
    };
  }
}
