import { type Document, Double, deserialize, Long, ObjectId, serialize } from "bson";
import { BSON_READ_OPTIONS, HEADER_SIZE, serializeDocument } from "./file-format";
import { put } from "./fixtures/store-helpers";
import { encodeJournalPayload, JournalFile, type JournalHandle, JournalWriter } from "./journal";
import { decodeRecord } from "./record-decoder";
import type { StorageOp } from "./storage-op";

/** A file handle whose writes and syncs complete only when the test says so. */
class ManualHandle implements JournalHandle {
  readonly writes: Buffer[][] = [];
  syncs = 0;
  closed = false;
  private pending: { resolve: () => void; reject: (err: Error) => void }[] = [];
  failWrite: Error | undefined;
  failSync: Error | undefined;

  writev(buffers: Buffer[]): Promise<{ bytesWritten: number }> {
    this.writes.push(buffers);
    if (this.failWrite) return Promise.reject(this.failWrite);
    return new Promise((resolve, reject) => {
      this.pending.push({
        resolve: () => resolve({ bytesWritten: buffers.reduce((n, b) => n + b.length, 0) }),
        reject,
      });
    });
  }

  datasync(): Promise<void> {
    this.syncs++;
    return this.failSync ? Promise.reject(this.failSync) : Promise.resolve();
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  /** Completes the oldest write in flight. */
  async complete(): Promise<void> {
    this.pending.shift()?.resolve();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("JournalWriter", () => {
  it("takes every record queued during a flush into the next single writev + fdatasync", async () => {
    const handle = new ManualHandle();
    const writer = new JournalWriter(
      new JournalFile(1, Promise.resolve(handle), HEADER_SIZE),
      () => undefined,
    );
    const first = writer.append([put(0)]);
    await settle();
    expect(handle.writes).toHaveLength(1);
    const rest = Array.from({ length: 10 }, (_, i) => writer.append([put(i + 1)]));
    await settle();
    expect(handle.writes).toHaveLength(1); // still waiting for the first flush
    await handle.complete();
    await first;
    expect(handle.writes).toHaveLength(2);
    expect(handle.writes[1]).toHaveLength(20); // frame + payload per record
    await handle.complete();
    await Promise.all(rest);
    expect(writer.stats).toMatchObject({ records: 11, fsyncs: 2, largestGroup: 10 });
    expect(handle.syncs).toBe(2);
  });

  it("writes a rotated file's records before the next file's, then closes it", async () => {
    const a = new ManualHandle();
    const b = new ManualHandle();
    const writer = new JournalWriter(new JournalFile(1, Promise.resolve(a), HEADER_SIZE), () => undefined);
    const order: string[] = [];
    const r1 = writer.append([put(1)]).then(() => order.push("r1"));
    const sealed = writer
      .rotate(new JournalFile(2, Promise.resolve(b), HEADER_SIZE))
      .then(() => order.push("sealed"));
    const r2 = writer.append([put(2)]).then(() => order.push("r2"));
    await settle();
    expect(b.writes).toHaveLength(0);
    await a.complete();
    await settle();
    expect(a.closed).toBe(true);
    await b.complete();
    await Promise.all([r1, sealed, r2]);
    expect(order).toEqual(["r1", "sealed", "r2"]);
  });

  it("poisons itself on a write failure: the group and every later record reject, onFailure once", async () => {
    const handle = new ManualHandle();
    const failures: Error[] = [];
    const writer = new JournalWriter(new JournalFile(1, Promise.resolve(handle), HEADER_SIZE), (err) =>
      failures.push(err),
    );
    handle.failWrite = Object.assign(new Error("EIO: i/o error, write"), { code: "EIO" });
    const a = expect(writer.append([put(1)])).rejects.toThrow(
      "writing journal-00000001.log failed: EIO: i/o error, write",
    );
    const b = expect(writer.append([put(2)])).rejects.toThrow(/EIO/);
    await Promise.all([a, b]);
    await expect(writer.append([put(3)])).rejects.toThrow(
      /unusable after an earlier failure \(writing journal/,
    );
    expect(failures).toHaveLength(1);
    expect(writer.failed?.message).toMatch(/EIO/);
  });

  it("poisons itself when fdatasync fails (the data may not be on disk)", async () => {
    const handle = new ManualHandle();
    const failures: Error[] = [];
    const writer = new JournalWriter(new JournalFile(1, Promise.resolve(handle), HEADER_SIZE), (err) =>
      failures.push(err),
    );
    handle.failSync = new Error("EIO: i/o error, fdatasync");
    const a = expect(writer.append([put(1)])).rejects.toThrow(/fdatasync/);
    await settle();
    await handle.complete();
    await a;
    await expect(writer.append([put(2)])).rejects.toThrow(/unusable/);
    expect(failures).toHaveLength(1);
  });

  it("rejects the records of a journal file that could not be created", async () => {
    const failures: Error[] = [];
    const writer = new JournalWriter(
      new JournalFile(1, Promise.reject(new Error("ENOSPC: no space left on device")), HEADER_SIZE),
      (err) => failures.push(err),
    );
    await expect(writer.append([put(1)])).rejects.toThrow(/ENOSPC/);
    expect(failures).toHaveLength(1);
    await writer.close();
  });
});

describe("encodeJournalPayload", () => {
  const doc = { _id: new ObjectId(), barcode: "B-ü-😀", n: 3, when: new Date(0), nested: { list: [1, "x"] } };
  const ops = (withBytes: (doc: Document) => Buffer | undefined): StorageOp[] => [
    { op: "createCollection", db: "app", coll: "tickets", options: {} },
    { op: "put", db: "app", coll: "tickets", doc, ...(withBytes(doc) ? { bytes: withBytes(doc) } : {}) },
    { op: "put", db: "app", coll: "tickets", doc: { _id: 2, plain: true } },
    { op: "put", db: "app", coll: "é-ç", doc: { _id: 3 }, bytes: Buffer.from(serialize({ _id: 3 })) },
    { op: "delete", db: "app", coll: "tickets", id: 7 },
  ];
  const plain = (op: StorageOp): StorageOp => {
    if (op.op !== "put") return op;
    const { bytes: _bytes, ...rest } = op;
    return rest;
  };

  it("writes a put from its document's ready BSON byte for byte as bson would", () => {
    const withBytes = ops((d) => Buffer.from(serialize(d)));
    expect(encodeJournalPayload(withBytes)).toEqual(serializeDocument({ g: 0n, ops: withBytes.map(plain) }));
  });

  it("a put's BSON may encode its document differently: recovery reads back the same document", () => {
    // As a driver sends them: an int64 that fits, a double holding an integer.
    const received = Buffer.from(serialize({ _id: Long.fromNumber(5), n: new Double(1), s: "x" }));
    const stored = deserialize(received, BSON_READ_OPTIONS);
    const payload = encodeJournalPayload([{ op: "put", db: "app", coll: "t", doc: stored, bytes: received }]);
    expect(decodeRecord(payload).ops).toEqual([
      { op: "put", db: "app", coll: "t", doc: { _id: 5, n: 1, s: "x" } },
    ]);
    expect(decodeRecord(payload).ops[0].doc).toEqual(stored);
  });
});
