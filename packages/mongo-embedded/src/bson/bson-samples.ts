import { Binary, Code, Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId, Timestamp } from "bson";

/**
 * Deterministic random BSON values for property tests (a seeded generator, so a failure
 * replays). Test support only: not exported from the package.
 */
export class BsonSamples {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }

  /** xorshift32 in [0, 1). */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 2 ** 32;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Any float64 bit pattern except NaNs (those come from the special list). */
  double(): number {
    const view = new DataView(new ArrayBuffer(8));
    view.setUint32(0, this.int(2 ** 32));
    view.setUint32(4, this.int(2 ** 32));
    const d = view.getFloat64(0);
    return Number.isNaN(d) ? 0.5 : d;
  }

  bigint64(): bigint {
    return BigInt.asIntN(64, (BigInt(this.int(2 ** 32)) << 32n) | BigInt(this.int(2 ** 32)));
  }

  number(): unknown {
    switch (this.int(12)) {
      case 0:
        return this.pick([
          0,
          -0,
          1,
          -1,
          0.1,
          0.5,
          Number.NaN,
          Infinity,
          -Infinity,
          Number.MAX_VALUE,
          -Number.MAX_VALUE,
          Number.MIN_VALUE,
        ]);
      case 1:
        return this.int(2000) - 1000;
      case 2:
        return this.double();
      case 3:
        return 2 ** 53 + (this.int(9) - 4) * 2;
      case 4:
        return new Int32(this.int(200) - 100);
      case 5:
        return new Double(this.int(200) / 8 - 10);
      case 6:
        return Long.fromBigInt(this.bigint64());
      case 7:
        // Longs near 2^53 and 2^63, where float64 loses integers.
        return Long.fromBigInt(
          this.pick([2n ** 53n, -(2n ** 53n), 2n ** 62n, 2n ** 63n - 1n, -(2n ** 63n)]) +
            BigInt(this.int(9) - 4),
        );
      case 8:
        return Long.fromNumber(this.int(2000) - 1000);
      case 9: {
        const digits = String(this.int(10 ** 9)) + String(this.int(10 ** 9)).slice(0, this.int(10));
        const exp = this.pick([this.int(60) - 30, this.int(12000) - 6100, -this.int(20)]);
        return Decimal128.fromString(`${this.next() < 0.5 ? "-" : ""}${digits}E${exp}`);
      }
      case 10:
        return Decimal128.fromString(
          this.pick([
            "0",
            "-0",
            "1",
            "1.000",
            "0.1",
            "-0.1",
            "NaN",
            "Infinity",
            "-Infinity",
            "9007199254740993",
            "1E+6000",
            "-1E+6000",
            "1E-6000",
            "2.5",
          ]),
        );
      default: {
        // A decimal equal or next to some double, to exercise exact ties.
        const d = this.double();
        if (!Number.isFinite(d)) return d;
        return Decimal128.fromStringWithRounding(`${d.toPrecision(this.pick([15, 17, 20, 34]))}`);
      }
    }
  }

  string(): string {
    const alphabet = [
      "a",
      "b",
      "z",
      "A",
      "\u0000",
      "\u0001",
      "\u0002",
      "\u0003",
      "é",
      "\ud7ff",
      "\ue000",
      "\uffff",
      "😀",
      "𝄞",
      "\ud800",
      "~",
    ];
    let s = "";
    const n = this.int(5);
    for (let i = 0; i < n; i++) s += this.pick(alphabet);
    return s;
  }

  scalar(): unknown {
    switch (this.int(16)) {
      case 0:
      case 1:
      case 2:
      case 3:
      case 4:
        return this.number();
      case 5:
      case 6:
        return this.string();
      case 7:
        return this.pick([null, undefined, true, false, new MinKey(), new MaxKey()]);
      case 8:
        return new ObjectId(Buffer.from(Array.from({ length: 12 }, () => this.pick([0, 1, 127, 128, 255]))));
      case 9:
        return new Date(this.int(2 ** 31) * this.pick([1, -1, 1000]));
      case 10:
        return new Timestamp({
          t: this.pick([0, 1, 2 ** 31, 2 ** 32 - 1]),
          i: this.pick([0, 1, 2 ** 32 - 1]),
        });
      case 11:
        return new Binary(
          Buffer.from(Array.from({ length: this.int(3) }, () => this.int(256))),
          this.pick([0, 4, 128]),
        );
      case 12:
        return new RegExp(this.pick(["a", "ab", "b", ""]) || "(?:)", this.pick(["", "i", "m", "im", "g"]));
      case 13:
        return new Code(this.pick(["f()", "g()", "f"]));
      case 14:
        return new Code("f()", { x: this.int(3) });
      default:
        return this.pick([0, 1, "a", "b"]);
    }
  }

  /** A scalar, or a small document / array of them. */
  value(depth = 2): unknown {
    const r = this.int(10);
    if (depth > 0 && r === 0) return Array.from({ length: this.int(3) }, () => this.value(depth - 1));
    if (depth > 0 && r === 1) {
      const doc: Record<string, unknown> = {};
      const n = this.int(3);
      for (let i = 0; i < n; i++) doc[this.pick(["a", "b", "ab", "0", "é"])] = this.value(depth - 1);
      return doc;
    }
    return this.scalar();
  }
}
