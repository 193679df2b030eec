import { Binary, BSONRegExp, type Document, deserialize, Long, ObjectId, serialize, Timestamp } from "bson";
import { BsonSamples } from "../bson/bson-samples";
import { BSON_READ_OPTIONS } from "./file-format";
import { decodeRecord } from "./record-decoder";

const viaBson = (bytes: Buffer) => deserialize(bytes, BSON_READ_OPTIONS);
const encode = (doc: Document) => Buffer.from(serialize(doc));

/** Same values, same classes (toStrictEqual compares constructors), same key order. */
function expectSameAsBson(doc: Document): void {
  const bytes = encode(doc);
  const ours = decodeRecord(bytes);
  const theirs = viaBson(bytes);
  expect(ours).toStrictEqual(theirs);
  expect(JSON.stringify(keyOrder(ours))).toBe(JSON.stringify(keyOrder(theirs)));
}

function keyOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(keyOrder);
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.entries(value).map(([k, v]) => [k, keyOrder(v)]);
  }
  return typeof value;
}

describe("decodeRecord", () => {
  it("decodes journal and snapshot records exactly as bson does", () => {
    const oid = new ObjectId();
    expectSameAsBson({
      g: 123n,
      ops: [
        {
          op: "put",
          db: "app",
          coll: "t",
          doc: { _id: oid, a: 1, b: 2.5, c: "x", d: new Date(-1), e: null },
        },
        { op: "delete", db: "app", coll: "t", id: oid },
        { op: "put", db: "app", coll: "t", doc: { _id: 1, nested: { arr: [1, [2, { x: true }], false] } } },
      ],
    });
    expectSameAsBson({ docs: [{ _id: 1 }, { _id: 2, s: "é😀", n: -0, big: 2 ** 40 }] });
  });

  it("hands unusual values to bson, one document at a time", () => {
    expectSameAsBson({
      docs: [
        { _id: 1, bin: new Binary(Buffer.from([1, 2, 3]), 4) },
        { _id: 2, re: /a+/i, bre: new BSONRegExp("a", "x"), ts: new Timestamp({ t: 1, i: 2 }) },
        { _id: 3, long: Long.fromString("9007199254740993"), neg: Long.fromString("-9007199254740993") },
        { _id: 4, edge: Long.fromString("9007199254740992"), nedge: Long.fromString("-9007199254740992") },
        { _id: 5, ref: { $ref: "c", $id: 1 } },
        { _id: 6, ["__proto__"]: { x: 1 } },
        { _id: 7, plain: 1 },
      ],
    });
  });

  it("matches bson on random documents (seeded)", () => {
    const samples = new BsonSamples(20240611);
    for (let round = 0; round < 300; round++) {
      const docs: Document[] = [];
      for (let i = 0; i < 10; i++) {
        const doc: Document = { _id: samples.value(0) };
        for (let f = 0; f < 6; f++)
          doc[samples.pick(["a", "b", "ab", "0", "é", "long key name"])] = samples.value(3);
        docs.push(doc);
      }
      expectSameAsBson({ docs });
      expectSameAsBson({
        g: 0n,
        ops: docs.map((doc) => ({ op: "put", db: "d", coll: samples.string(), doc })),
      });
    }
  });

  it("lets bson report malformed input", () => {
    const bytes = encode({ docs: [{ a: "text" }] });
    bytes.writeInt32LE(1000, 22); // the string length, now past the end
    expect(() => decodeRecord(bytes)).toThrow();
    expect(() => viaBson(bytes)).toThrow();
  });
});
