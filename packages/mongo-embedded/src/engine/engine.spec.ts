import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Document } from "bson";
import { HEADER_SIZE } from "../storage/file-format";
import { removeTempDirs, tempDir } from "../storage/fixtures/store-helpers";
import { LOCK_FILE_NAME } from "../storage/lock";
import type { Collection, ScanStats } from "./collection";
import { idKeyOf } from "./collection-index";
import { Engine, WriteBatch } from "./engine";

afterEach(removeTempDirs);

const dataFiles = (dir: string) => readdirSync(dir).filter((name) => name !== LOCK_FILE_NAME);

/** `n` tickets over 3 performances; tickets divisible by 7 have no `seat` (sparse index). */
async function load(engine: Engine, n: number): Promise<void> {
  const batch = new WriteBatch();
  const coll = engine.ensureCollection(batch, "app", "tickets");
  engine.createIndex(batch, coll, {
    name: "perf_barcode",
    key: { perf: 1, barcode: 1 },
    unique: true,
  });
  engine.createIndex(batch, coll, { name: "state", key: { state: 1 } });
  engine.createIndex(batch, coll, { name: "seat", key: { seat: 1 }, sparse: true, unique: true });
  for (let i = 0; i < n; i++) {
    const doc: Document = { _id: i, perf: i % 3, barcode: `B${i}`, state: "valid", pad: "x".repeat(80) };
    if (i % 7 !== 0) doc.seat = `S${i}`;
    engine.insert(batch, coll, doc);
  }
  await engine.commit(batch);
  const changes = new WriteBatch();
  for (let i = 0; i < n; i += 10) {
    const previous = coll.get(idKeyOf(i)) as Document;
    engine.replace(changes, coll, previous, { ...previous, state: "used" });
  }
  engine.remove(changes, coll, coll.get(idKeyOf(1)) as Document);
  await engine.commit(changes);
}

function query(coll: Collection, filter: Document): { ids: unknown[]; stats: ScanStats } {
  const stats: ScanStats = { plan: { stage: "COLLSCAN" }, keysExamined: 0, docsExamined: 0 };
  const ids = [...coll.match(filter, stats)].map((doc) => doc._id);
  return { ids, stats };
}

/** The reopened collection answers through its indexes exactly as the data says. */
function expectIndexed(coll: Collection, n: number): void {
  expect(coll.docs.size).toBe(n - 1);
  const point = query(coll, { perf: 5 % 3, barcode: "B5" });
  expect(point.ids).toEqual([5]);
  expect(point.stats).toMatchObject({ plan: { stage: "IXSCAN" }, keysExamined: 1, docsExamined: 1 });
  expect(query(coll, { perf: 1, barcode: "B1" }).ids).toEqual([]);
  const used = query(coll, { state: "used" });
  expect(used.ids.length).toBe(Math.ceil(n / 10));
  expect(used.stats.docsExamined).toBe(used.ids.length);
  expect(query(coll, { seat: "S8" }).ids).toEqual([8]);
  expect(query(coll, { seat: "S7" }).ids).toEqual([]);
  const duplicate = { _id: "dup", perf: 2, barcode: "B2", state: "valid" };
  expect(() => coll.prepare(duplicate)).toThrow(/E11000 .* index: perf_barcode/);
  expect(() => coll.prepare({ _id: "seat", perf: 9, barcode: "x", seat: "S3" })).toThrow(/index: seat/);
  expect(() => coll.prepare({ _id: "no-seat", perf: 9, barcode: "y" })).not.toThrow();
}

describe("Engine restart", () => {
  it("a clean stop after a big journal leaves a snapshot; the restart builds the indexes from it", async () => {
    const dir = tempDir();
    const n = 20_000; // > 1 MiB of journal
    const engine = await Engine.open(dir);
    await load(engine, n);
    await engine.close();
    const files = dataFiles(dir).sort();
    expect(files).toEqual(["journal-00000002.log", "snapshot-00000002.bson"]);
    expect(statSync(join(dir, files[0])).size).toBe(HEADER_SIZE);

    const again = await Engine.open(dir);
    expect(again.storageStats()).toMatchObject({ recoveredSnapshotDocs: n - 1, recoveredOps: 0 });
    expectIndexed(again.collection("app", "tickets") as Collection, n);
    await again.close();
  });

  it("after a stop with a small journal, the restart replays it and builds the indexes once", async () => {
    const dir = tempDir();
    const n = 500;
    const engine = await Engine.open(dir);
    await load(engine, n);
    await engine.close();
    expect(dataFiles(dir)).toEqual(["journal-00000001.log"]);

    const again = await Engine.open(dir);
    expect(again.storageStats()).toMatchObject({ recoveredSnapshotDocs: 0 });
    expectIndexed(again.collection("app", "tickets") as Collection, n);
    await again.close();
  });
});
