import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  appendFileSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { Decimal128, type Document, Long, ObjectId } from "bson";
import { DurableStore } from "./durable-store";
import { FRAME_SIZE, HEADER_SIZE } from "./file-format";
import { Model, openRecording, put, putIds, removeTempDirs, tempDir } from "./fixtures/store-helpers";
import { LOCK_FILE_NAME } from "./lock";
import type { StorageOp } from "./storage-op";

afterEach(removeTempDirs);

const journal = (dir: string, seq: number) => join(dir, `journal-${String(seq).padStart(8, "0")}.log`);
const snapshotPath = (dir: string, seq: number) => join(dir, `snapshot-${String(seq).padStart(8, "0")}.bson`);
const dataFiles = (dir: string) => readdirSync(dir).filter((name) => name !== LOCK_FILE_NAME);

/** Record boundaries of a journal (offsets of each record), read from the frames. */
function recordOffsets(path: string): number[] {
  const bytes = readFileSync(path);
  const offsets: number[] = [];
  for (let at = HEADER_SIZE; at < bytes.length; at += FRAME_SIZE + bytes.readUInt32LE(at)) offsets.push(at);
  return offsets;
}

/** Commits `ops` one record at a time, each in its own flush group. */
async function commitEach(store: DurableStore, ops: StorageOp[]): Promise<void> {
  for (const op of ops) await store.commit([op]);
}

/** Leaves journals 1 and 2 both holding records: a snapshot that fails keeps the old journal. */
async function twoJournals(dir: string): Promise<void> {
  const { store } = await openRecording(dir);
  await commitEach(store, [put(1), put(2)]);
  const circular: Document = { _id: "loop" };
  circular.self = circular;
  await store.snapshot([{ db: "app", coll: "t", options: {}, indexes: [], docs: [circular] }]);
  expect(store.stats().snapshotFailures).toBe(1);
  await commitEach(store, [put(3), put(4)]);
  await store.close();
  expect(dataFiles(dir).sort()).toEqual(["journal-00000001.log", "journal-00000002.log"]);
}

describe("DurableStore", () => {
  it("creates the folder and a journal, and replays commits in order", async () => {
    const dir = join(tempDir(), "nested", "data");
    const { store } = await openRecording(dir);
    expect(dataFiles(dir)).toEqual(["journal-00000001.log"]);
    expect(readFileSync(journal(dir, 1)).subarray(0, 16)).toEqual(
      Buffer.from([...Buffer.from("BTXJRNL\0", "latin1"), 1, 0, 0, 0, 0, 0, 0, 0]),
    );
    await store.commit([{ op: "createCollection", db: "app", coll: "t", options: { validator: { a: 1 } } }]);
    await Promise.all([
      store.commit([put(1), put(2)]),
      store.commit([put(3)]),
      store.commit([put(1, { v: 2 })]),
    ]);
    await store.commit([{ op: "delete", db: "app", coll: "t", id: 2 }]);
    await store.close();

    const again = await openRecording(dir);
    expect(again.ops).toEqual([
      { op: "createCollection", db: "app", coll: "t", options: { validator: { a: 1 } } },
      put(1),
      put(2),
      put(3),
      put(1, { v: 2 }),
      { op: "delete", db: "app", coll: "t", id: 2 },
    ]);
    expect(again.store.stats()).toMatchObject({ recoveredRecords: 5, recoveredOps: 6 });
    await again.store.close();
  });

  it("keeps BSON types: int64 that fit come back as numbers, others as Long; any _id can be deleted", async () => {
    const dir = tempDir();
    const { store } = await openRecording(dir);
    const ids = [
      new ObjectId(),
      Long.fromString("9007199254740993"),
      Decimal128.fromString("1.5"),
      { a: [1, "x"] },
    ];
    const doc = {
      _id: 1,
      small: Long.fromNumber(42),
      big: Long.fromString("-9223372036854775808"),
      d: new Date(1_700_000_000_123),
      s: "héllo 😀",
    };
    await store.commit([
      put(doc._id, doc),
      ...ids.map((id) => put(id)),
      ...ids.map((id) => ({ op: "delete" as const, db: "app", coll: "t", id })),
    ]);
    await store.close();
    const again = await openRecording(dir);
    const replayed = again.ops[0] as Extract<StorageOp, { op: "put" }>;
    expect(replayed.doc.small).toBe(42);
    expect(replayed.doc.big).toEqual(Long.fromString("-9223372036854775808"));
    expect(replayed.doc.d).toEqual(doc.d);
    expect(replayed.doc.s).toBe(doc.s);
    expect(again.ops.slice(5).map((op) => (op.op === "delete" ? op.id : undefined))).toEqual(ids);
    expect(again.model.colls.get("app.t")?.docs.size).toBe(1);
    await again.store.close();
  });

  it("round-trips a commit larger than bson's 17 MiB serialization buffer", async () => {
    const dir = tempDir();
    const { store } = await openRecording(dir);
    const big = "x".repeat(10 * 1024 * 1024);
    await store.commit([put(1, { big }), put(2, { big: `${big}y` })]);
    await store.close();
    const again = await openRecording(dir);
    const docs = again.ops.map((op) => (op.op === "put" ? op.doc : {}));
    expect(docs[0].big.length).toBe(big.length);
    expect(docs[1].big.length).toBe(big.length + 1);
    expect(docs[1].big.endsWith("y")).toBe(true);
    await again.store.close();
  });

  describe("group commit", () => {
    it("shares fsyncs between 500 commits made at once", async () => {
      const { store } = await openRecording(tempDir());
      await Promise.all(Array.from({ length: 500 }, (_, i) => store.commit([put(i)])));
      const stats = store.stats();
      expect(stats.journalRecords).toBe(500);
      expect(stats.fsyncs).toBeLessThan(10);
      await store.close();
    });

    it("shares fsyncs between 50 writers each waiting for its previous commit", async () => {
      const dir = tempDir();
      const { store } = await openRecording(dir);
      await Promise.all(
        Array.from({ length: 50 }, async (_, w) => {
          for (let i = 0; i < 10; i++) {
            await new Promise((resolve) => setImmediate(resolve));
            await store.commit([put(w * 10 + i)]);
          }
        }),
      );
      const stats = store.stats();
      expect(stats.journalRecords).toBe(500);
      expect(stats.fsyncs).toBeLessThan(100);
      expect(stats.recordsPerFsync).toBeGreaterThan(5);
      await store.close();
      const again = await openRecording(dir);
      expect(new Set(putIds(again.ops)).size).toBe(500);
      await again.store.close();
    });

    it("resolves a commit only once its record is durable, in call order", async () => {
      const { store } = await openRecording(tempDir());
      const resolved: number[] = [];
      const commits = Array.from({ length: 20 }, (_, i) =>
        store.commit([put(i)]).then(() => resolved.push(i)),
      );
      expect(store.stats().pendingRecords).toBe(20);
      await Promise.all(commits);
      expect(resolved).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(store.stats().pendingRecords).toBe(0);
      await store.close();
    });
  });

  describe("torn tail", () => {
    it("drops a truncated last record, keeps the earlier ones, and appends after them", async () => {
      const dir = tempDir();
      const { store } = await openRecording(dir);
      await commitEach(store, [put(1), put(2), put(3)]);
      await store.close();
      const size = statSync(journal(dir, 1)).size;
      truncateSync(journal(dir, 1), size - 3);

      const again = await openRecording(dir);
      expect(putIds(again.ops)).toEqual([1, 2]);
      expect(again.logs.join("\n")).toMatch(
        /journal-00000001\.log: dropped a torn tail of \d+ bytes at offset \d+/,
      );
      expect(again.store.stats().tornBytesDropped).toBeGreaterThan(0);
      await again.store.commit([put(4)]);
      await again.store.close();

      const third = await openRecording(dir);
      expect(putIds(third.ops)).toEqual([1, 2, 4]);
      expect(third.store.stats().tornBytesDropped).toBe(0);
      await third.store.close();
    });

    it("drops random garbage after the last record", async () => {
      const dir = tempDir();
      const { store } = await openRecording(dir);
      await commitEach(store, [put(1), put(2)]);
      await store.close();
      const size = statSync(journal(dir, 1)).size;
      appendFileSync(journal(dir, 1), randomBytes(300));

      const again = await openRecording(dir);
      expect(putIds(again.ops)).toEqual([1, 2]);
      expect(again.logs.join("\n")).toMatch(/dropped a torn tail of 300 bytes/);
      expect(statSync(journal(dir, 1)).size).toBe(size);
      await again.store.commit([put(3)]);
      await again.store.close();
      const third = await openRecording(dir);
      expect(putIds(third.ops)).toEqual([1, 2, 3]);
      await third.store.close();
    });

    it("drops a whole torn flush group even when a later record of that group reached the disk", async () => {
      const dir = tempDir();
      const { store } = await openRecording(dir);
      await store.commit([put(1)]);
      // One group of three records; then damage its middle record, as a power cut may.
      await Promise.all([store.commit([put(2)]), store.commit([put(3)]), store.commit([put(4)])]);
      await store.close();
      const offsets = recordOffsets(journal(dir, 1));
      expect(offsets).toHaveLength(4);
      const bytes = readFileSync(journal(dir, 1));
      bytes[offsets[2] + FRAME_SIZE + 20] ^= 0xff;
      writeFileSync(journal(dir, 1), bytes);

      const again = await openRecording(dir);
      expect(putIds(again.ops)).toEqual([1, 2]);
      expect(statSync(journal(dir, 1)).size).toBe(offsets[2]);
      await again.store.close();
    });

    it("refuses to open when a damaged record is followed by acknowledged ones", async () => {
      const dir = tempDir();
      const { store } = await openRecording(dir);
      await commitEach(store, [put(1), put(2), put(3)]);
      await store.close();
      const offsets = recordOffsets(journal(dir, 1));
      const bytes = readFileSync(journal(dir, 1));
      bytes[offsets[1] + FRAME_SIZE + 20] ^= 0xff;
      writeFileSync(journal(dir, 1), bytes);

      await expect(openRecording(dir)).rejects.toThrow(
        /journal-00000001\.log: damaged record at offset \d+ \(CRC mismatch\), followed by an intact record .* refusing to open/,
      );
      // Nothing was cut, and the lock was released: the same refusal again, not "in use".
      expect(readFileSync(journal(dir, 1))).toEqual(bytes);
      await expect(openRecording(dir)).rejects.toThrow(/CRC mismatch/);
    });

    it("refuses a torn tail in a journal that a later journal continues", async () => {
      const dir = tempDir();
      await twoJournals(dir);
      truncateSync(journal(dir, 1), statSync(journal(dir, 1)).size - 2);
      await expect(openRecording(dir)).rejects.toThrow(
        /journal-00000001\.log: damaged record .* only the newest journal/,
      );
    });

    it("accepts a torn tail in the previous journal when the newer one is still empty", async () => {
      const dir = tempDir();
      const { store } = await openRecording(dir);
      await commitEach(store, [put(1), put(2)]);
      await store.close();
      truncateSync(journal(dir, 1), statSync(journal(dir, 1)).size - 2);
      // A rotation that created journal 2 right before the crash.
      writeFileSync(journal(dir, 2), readFileSync(journal(dir, 1)).subarray(0, HEADER_SIZE));
      const again = await openRecording(dir);
      expect(putIds(again.ops)).toEqual([1]);
      await again.store.commit([put(3)]);
      await again.store.close();
      expect(statSync(journal(dir, 2)).size).toBeGreaterThan(HEADER_SIZE);
      const third = await openRecording(dir);
      expect(putIds(third.ops)).toEqual([1, 3]);
      await third.store.close();
    });
  });

  describe("file format", () => {
    it("refuses a journal written in a newer format version, naming the file and the version", async () => {
      const dir = tempDir();
      const { store } = await openRecording(dir);
      await store.commit([put(1)]);
      await store.close();
      const bytes = readFileSync(journal(dir, 1));
      bytes.writeUInt32LE(2, 8);
      writeFileSync(journal(dir, 1), bytes);
      await expect(openRecording(dir)).rejects.toThrow(
        "journal-00000001.log: journal format version 2 is newer than this build reads (version 1)",
      );
    });

    it("refuses a file with an unknown magic", async () => {
      const dir = tempDir();
      const { store } = await openRecording(dir);
      await store.close();
      writeFileSync(journal(dir, 1), Buffer.alloc(HEADER_SIZE, 0x41));
      await expect(openRecording(dir)).rejects.toThrow(/journal-00000001\.log: not a Billetix journal file/);
    });

    it("refuses a snapshot in a newer version instead of falling back", async () => {
      const dir = tempDir();
      const { store, model } = await openRecording(dir);
      await store.commit([put(1)]);
      model.apply(put(1));
      await store.snapshot(model.images());
      await store.close();
      const bytes = readFileSync(snapshotPath(dir, 2));
      bytes.writeUInt32LE(7, 8);
      writeFileSync(snapshotPath(dir, 2), bytes);
      await expect(openRecording(dir)).rejects.toThrow(
        /snapshot-00000002\.bson: snapshot format version 7 is newer/,
      );
    });

    it("refuses a missing journal rather than skipping it", async () => {
      const dir = tempDir();
      await twoJournals(dir);
      const first = readFileSync(journal(dir, 1));
      writeFileSync(journal(dir, 3), first.subarray(0, HEADER_SIZE));
      // journal 2 gone: 1 then 3 would silently lose its records.
      rmSync(journal(dir, 2));
      await expect(openRecording(dir)).rejects.toThrow(/journal-00000002\.log is missing/);
    });
  });

  describe("snapshots", () => {
    it("replays a snapshot then the later commits to an identical state, and removes older files", async () => {
      const dir = tempDir();
      const { store } = await openRecording(dir, { compactAfterBytes: 2000 });
      const live = new Model();
      const commit = (ops: StorageOp[]) => {
        for (const op of ops) live.apply(op);
        return store.commit(ops);
      };
      await commit([{ op: "createCollection", db: "app", coll: "t", options: { capped: false } }]);
      await commit([
        { op: "createIndex", db: "app", coll: "t", spec: { name: "a_1", key: { a: 1 }, unique: true } },
      ]);
      await commit([{ op: "createCollection", db: "other", coll: "empty", options: {} }]);
      const writes: Promise<void>[] = [];
      for (let i = 0; i < 40; i++) writes.push(commit([put(i, { a: i, pad: "p".repeat(40) })]));
      expect(store.wantsSnapshot).toBe(true);
      const snap = store.snapshot(live.images());
      expect(store.wantsSnapshot).toBe(false);
      // Commits during the snapshot go to journal 2.
      writes.push(commit([put(5, { a: 5, v: 2 })]), commit([{ op: "delete", db: "app", coll: "t", id: 7 }]));
      writes.push(commit([{ op: "dropIndex", db: "app", coll: "t", name: "a_1" }]));
      await Promise.all([...writes, snap]);
      await commit([put(100, { a: 100 })]);
      expect(store.stats()).toMatchObject({
        lastSnapshotSeq: 2,
        journalSeq: 2,
        snapshots: 1,
        snapshotFailures: 0,
      });
      await store.close();
      expect(dataFiles(dir).sort()).toEqual(["journal-00000002.log", "snapshot-00000002.bson"]);

      const again = await openRecording(dir);
      expect(again.model.dump()).toBe(live.dump());
      expect(again.ops.slice(0, 3)).toEqual([
        { op: "createCollection", db: "app", coll: "t", options: { capped: false } },
        { op: "createIndex", db: "app", coll: "t", spec: { name: "a_1", key: { a: 1 }, unique: true } },
        { op: "put", db: "app", coll: "t", doc: { _id: 0, a: 0, pad: "p".repeat(40) } },
      ]);
      expect(again.store.stats()).toMatchObject({
        recoveredSnapshotDocs: 40,
        recoveredRecords: 4,
        lastSnapshotSeq: 2,
      });
      await again.store.close();
    });

    it("waits for a journal as large as the last snapshot before the next one, also after a restart", async () => {
      const dir = tempDir();
      const { store, model } = await openRecording(dir, { compactAfterBytes: 1000 });
      const commit = (ops: StorageOp[]) => {
        for (const op of ops) model.apply(op);
        return store.commit(ops);
      };
      // A database far larger than the floor: its snapshot is about 20 KB.
      await Promise.all(Array.from({ length: 200 }, (_, i) => commit([put(i, { pad: "p".repeat(80) })])));
      expect(store.wantsSnapshot).toBe(true);
      await store.snapshot(model.images());
      const snapshotBytes = store.stats().lastSnapshotBytes;
      expect(snapshotBytes).toBeGreaterThan(20_000);
      expect(store.snapshotThreshold).toBe(snapshotBytes);

      // Past the floor but short of the snapshot's size: no snapshot yet.
      let i = 0;
      while (store.stats().journalBytes < 2000) await commit([put(i++ % 200, { v: i })]);
      expect(store.wantsSnapshot).toBe(false);
      while (store.stats().journalBytes < snapshotBytes) await commit([put(i++ % 200, { v: i })]);
      expect(store.wantsSnapshot).toBe(true);
      await store.close();

      // The threshold survives a restart: it is read from the snapshot file recovered from.
      const again = await openRecording(dir, { compactAfterBytes: 1000 });
      expect(again.store.snapshotThreshold).toBe(snapshotBytes);
      expect(again.model.dump()).toBe(model.dump());
      await again.store.close();
    });

    it("recovers from the journals when a snapshot was cut short (a .tmp left behind)", async () => {
      const dir = tempDir();
      await twoJournals(dir);
      writeFileSync(`${snapshotPath(dir, 2)}.tmp`, Buffer.from("BTXSNAP\0\x01\0\0\0\0\0\0\0half-written"));
      const again = await openRecording(dir);
      expect(putIds(again.ops)).toEqual([1, 2, 3, 4]);
      expect(again.logs).toContain("removed the unfinished file snapshot-00000002.bson.tmp");
      expect(dataFiles(dir).sort()).toEqual(["journal-00000001.log", "journal-00000002.log"]);
      await again.store.close();
    });

    it("keeps the journals when a snapshot fails, and logs it", async () => {
      const dir = tempDir();
      const { store, logs } = await openRecording(dir);
      await store.commit([put(1)]);
      const circular: Document = { _id: 2 };
      circular.self = circular;
      await expect(
        store.snapshot([{ db: "app", coll: "t", options: {}, indexes: [], docs: [circular] }]),
      ).resolves.toBe(undefined);
      expect(logs.join("\n")).toMatch(/snapshot 2 failed, the journals are kept/);
      expect(store.stats().snapshotFailures).toBe(1);
      await store.commit([put(3)]);
      await store.close();
      const again = await openRecording(dir);
      expect(putIds(again.ops)).toEqual([1, 3]);
      await again.store.close();
    });

    it("allows one snapshot at a time", async () => {
      const { store } = await openRecording(tempDir());
      const first = store.snapshot([]);
      await expect(store.snapshot([])).rejects.toThrow(/already running/);
      await first;
      await store.snapshot([]);
      expect(store.stats()).toMatchObject({ snapshots: 2, lastSnapshotSeq: 3 });
      await store.close();
    });

    it("refuses a damaged snapshot when the journals before it are gone", async () => {
      const dir = tempDir();
      const { store, model } = await openRecording(dir);
      await store.commit([put(1)]);
      model.apply(put(1));
      await store.snapshot(model.images());
      await store.close();
      const bytes = readFileSync(snapshotPath(dir, 2));
      bytes[bytes.length - 30] ^= 0xff;
      writeFileSync(snapshotPath(dir, 2), bytes);
      await expect(openRecording(dir)).rejects.toThrow(
        /no complete starting point to recover from: snapshot-00000002\.bson: damaged record .*journal-00000001\.log is missing/,
      );
    });
  });

  describe("failures", () => {
    it("poisons the store when a commit cannot be written: that and every later commit rejects, onFatal fires once", async () => {
      const dir = tempDir();
      const { store } = await openRecording(dir);
      await store.commit([put(1)]);
      const fatal: Error[] = [];
      store.onFatal((err) => fatal.push(err));
      const circular: Document = { _id: 2 };
      circular.self = circular;
      await expect(store.commit([put(2, { circular })])).rejects.toThrow(/could not encode a journal record/);
      await expect(store.commit([put(3)])).rejects.toThrow(/unusable after an earlier failure/);
      expect(fatal).toHaveLength(1);
      expect(store.wantsSnapshot).toBe(false);
      await expect(store.snapshot([])).rejects.toThrow(/could not encode/);
      const late: Error[] = [];
      store.onFatal((err) => late.push(err));
      await Promise.resolve();
      expect(late).toHaveLength(1);
      await store.close();
      const again = await openRecording(dir);
      expect(putIds(again.ops)).toEqual([1]);
      await again.store.close();
    });

    it("rejects commits after close, and close waits for queued commits", async () => {
      const dir = tempDir();
      const { store } = await openRecording(dir);
      const queued = store.commit([put(1)]);
      await store.close();
      await expect(queued).resolves.toBeUndefined();
      await expect(store.commit([put(2)])).rejects.toThrow(/closed/);
      const again = await openRecording(dir);
      expect(putIds(again.ops)).toEqual([1]);
      await again.store.close();
    });

    it("passes an apply error through, naming the record, and releases the lock", async () => {
      const dir = tempDir();
      const { store } = await openRecording(dir);
      await store.commit([put(1)]);
      await store.close();
      await expect(
        DurableStore.open(dir, () => {
          throw new Error("engine says no");
        }),
      ).rejects.toThrow(
        /journal-00000001\.log: replaying the record at offset 16 \(put app\.t\) failed: engine says no/,
      );
      const again = await openRecording(dir);
      await again.store.close();
    });
  });

  describe("lock", () => {
    it("refuses a second open of the same folder in this process", async () => {
      const dir = tempDir();
      const { store } = await openRecording(dir);
      await expect(openRecording(dir)).rejects.toThrow(/already open in this process/);
      await store.close();
      const again = await openRecording(dir);
      await again.store.close();
      expect(readdirSync(dir)).not.toContain(LOCK_FILE_NAME);
    });

    it("refuses a folder locked by another live process", async () => {
      const dir = tempDir();
      const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
      try {
        writeFileSync(join(dir, LOCK_FILE_NAME), `${child.pid}\n`);
        await expect(openRecording(dir)).rejects.toThrow(
          new RegExp(`is in use by process ${child.pid} \\(lock file .*${LOCK_FILE_NAME}\\)`),
        );
      } finally {
        child.kill("SIGKILL");
      }
    });

    it("takes over a lock left by a dead process", async () => {
      const dir = tempDir();
      const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
      await new Promise((resolve) => child.on("exit", resolve));
      writeFileSync(join(dir, LOCK_FILE_NAME), `${child.pid}\n`);
      const { store, logs } = await openRecording(dir);
      expect(logs.join("\n")).toMatch(new RegExp(`stale lock .*process ${child.pid} is no longer running`));
      expect(readFileSync(join(dir, LOCK_FILE_NAME), "utf8").split("\n")[0]).toBe(String(process.pid));
      await store.close();
    });

    // The start time comes from /proc: Linux only.
    (process.platform === "linux" ? it : it.skip)(
      "takes over a lock holding a pid now used by another process (start time differs)",
      async () => {
        const dir = tempDir();
        writeFileSync(join(dir, LOCK_FILE_NAME), `${process.ppid}\n1\n`);
        const { store, logs } = await openRecording(dir);
        expect(logs.join("\n")).toMatch(new RegExp(`stale lock .*process ${process.ppid}`));
        await store.close();
      },
    );
  });
});
