import { open, rename, unlink } from "node:fs/promises";
import { basename, join } from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import { crc32 } from "node:zlib";
import type { Document } from "bson";
import {
  checkHeader,
  deserializePayload,
  encodeHeader,
  encodeRecord,
  FRAME_SIZE,
  fsyncDir,
  HEADER_SIZE,
  StorageError,
  serializeDocument,
  snapshotFileName,
  TMP_SUFFIX,
  withReader,
  writeFully,
} from "./file-format";
import { decodeRecord } from "./record-decoder";
import type { CollectionImage, IndexSpec, StorageOp } from "./storage-op";

/**
 * Snapshot files: the header, then per collection a `{meta: {db, coll, options, indexes, count}}`
 * record followed by `{docs: [...]}` records, then `{trailer: {collections, docs, records}}`.
 * A snapshot is written under a temporary name and renamed into place only once complete and
 * fsynced, so a renamed snapshot without its trailer can only come from damage.
 */

const BATCH_DOCS = 1000;
const BATCH_BYTES = 1024 * 1024;
/** Bytes buffered before a write; between writes the event loop gets a turn. */
const WRITE_CHUNK = 1024 * 1024;

export interface SnapshotSummary {
  collections: number;
  docs: number;
  /** Records before the trailer. */
  records: number;
  bytes: number;
}

export interface SnapshotHooks {
  /** Throws to abandon the snapshot; called between chunks. */
  check(): void;
  /** Awaited once the file is complete and fsynced, before it is renamed into place. */
  beforeRename(): Promise<void>;
}

const secondaryIndexes = (indexes: IndexSpec[]): IndexSpec[] =>
  indexes.filter((spec) => spec.name !== "_id_");

/**
 * Writes `snapshot-<seq>.bson` from images frozen by the caller. Collection metadata is encoded
 * before the first await (the caller may change options or indexes right after); documents are
 * never mutated, so they are encoded chunk by chunk, yielding to the event loop in between.
 */
export async function writeSnapshot(
  dir: string,
  seq: number,
  images: readonly CollectionImage[],
  hooks: SnapshotHooks,
): Promise<SnapshotSummary> {
  const metas = images.map((image) =>
    encodeRecord({
      meta: {
        db: image.db,
        coll: image.coll,
        options: image.options,
        indexes: secondaryIndexes(image.indexes),
        count: image.docs.length,
      },
    }),
  );
  const path = join(dir, snapshotFileName(seq));
  const tmp = path + TMP_SUFFIX;
  const summary: SnapshotSummary = { collections: images.length, docs: 0, records: 0, bytes: 0 };
  let renamed = false;
  try {
    const handle = await open(tmp, "w");
    try {
      let chunk: Buffer[] = [encodeHeader("snapshot")];
      let chunkBytes = HEADER_SIZE;
      const push = (record: Buffer): void => {
        chunk.push(record);
        chunkBytes += record.length;
        summary.bytes += record.length;
      };
      const write = async (): Promise<void> => {
        const buffers = chunk;
        const size = chunkBytes;
        chunk = [];
        chunkBytes = 0;
        await writeFully(handle, buffers, size);
      };
      summary.bytes = HEADER_SIZE;
      for (const [i, image] of images.entries()) {
        push(metas[i]);
        summary.records++;
        const { docs } = image;
        let at = 0;
        while (at < docs.length) {
          const batch: Buffer[] = [];
          let batchBytes = 0;
          while (at < docs.length && batch.length < BATCH_DOCS && batchBytes < BATCH_BYTES) {
            const bytes = serializeDocument(docs[at++]);
            batch.push(bytes);
            batchBytes += bytes.length;
          }
          push(encodeDocsRecord(batch, batchBytes));
          summary.records++;
          summary.docs += batch.length;
          if (chunkBytes >= WRITE_CHUNK) await write();
          else await nextTurn();
          hooks.check();
        }
      }
      push(
        encodeRecord({
          trailer: { collections: summary.collections, docs: summary.docs, records: summary.records },
        }),
      );
      await write();
      await handle.sync();
    } finally {
      await handle.close();
    }
    await hooks.beforeRename();
    await rename(tmp, path);
    renamed = true;
    await fsyncDir(dir);
    return summary;
  } finally {
    if (!renamed) await unlink(tmp).catch(() => undefined);
  }
}

/** `{docs: [...]}` assembled around documents serialized one by one (no 16 MiB limit per batch). */
function encodeDocsRecord(docs: Buffer[], docBytes: number): Buffer {
  let arraySize = 4 + 1 + docBytes;
  for (let i = 0; i < docs.length; i++) arraySize += 2 + String(i).length;
  const payloadSize = 4 + 1 + 5 + arraySize + 1; // size, type, "docs\0", array, terminator
  const out = Buffer.allocUnsafe(FRAME_SIZE + payloadSize);
  let p = FRAME_SIZE;
  out.writeInt32LE(payloadSize, p);
  p += 4;
  out[p++] = 0x04;
  p += out.write("docs\0", p, "latin1");
  out.writeInt32LE(arraySize, p);
  p += 4;
  for (let i = 0; i < docs.length; i++) {
    out[p++] = 0x03;
    p += out.write(String(i), p, "latin1");
    out[p++] = 0;
    p += docs[i].copy(out, p);
  }
  out[p++] = 0;
  out[p++] = 0;
  out.writeUInt32LE(payloadSize, 0);
  out.writeUInt32LE(crc32(out.subarray(FRAME_SIZE)), 4);
  return out;
}

/**
 * Checks a snapshot end to end without applying it: header, every record's frame and CRC, and
 * a trailer as the last record, ending the file. Throws a StorageError saying what is wrong.
 */
export function verifySnapshot(path: string): SnapshotSummary {
  const name = basename(path);
  return withReader(path, "r", (reader) => {
    checkHeader(reader.header(), "snapshot", name);
    let offset = HEADER_SIZE;
    let records = 0;
    let last: { offset: number; end: number } | undefined;
    for (;;) {
      const read = reader.readAt(offset);
      if (read.kind === "end") break;
      if (read.kind === "bad") {
        throw new StorageError(`${name}: damaged record at offset ${offset} (${read.reason})`);
      }
      last = { offset, end: read.end };
      records++;
      offset = read.end;
    }
    const trailer = last
      ? deserializePayload(reader.view(last.offset + FRAME_SIZE, last.end - last.offset - FRAME_SIZE)).trailer
      : undefined;
    if (!trailer || typeof trailer !== "object") {
      throw new StorageError(`${name}: incomplete snapshot (no trailer)`);
    }
    if (trailer.records !== records - 1) {
      throw new StorageError(
        `${name}: trailer counts ${trailer.records} records, the file holds ${records - 1}`,
      );
    }
    return { collections: trailer.collections, docs: trailer.docs, records: records - 1, bytes: reader.size };
  });
}

/**
 * Replays a verified snapshot: per collection createCollection, createIndex for each secondary
 * index, then a put per document. CRCs were checked by `verifySnapshot`; counts are checked here.
 */
export function replaySnapshot(path: string, apply: (op: StorageOp) => void): SnapshotSummary {
  const name = basename(path);
  return withReader(path, "r", (reader) => {
    checkHeader(reader.header(), "snapshot", name);
    const summary: SnapshotSummary = { collections: 0, docs: 0, records: 0, bytes: reader.size };
    let current: { db: string; coll: string; count: number; seen: number } | undefined;
    const finishCollection = (): void => {
      if (current && current.seen !== current.count) {
        throw new StorageError(
          `${name}: ${current.db}.${current.coll} holds ${current.seen} documents, its header says ${current.count}`,
        );
      }
    };
    let offset = HEADER_SIZE;
    const applying = (what: string, body: () => void): void => {
      try {
        body();
      } catch (err) {
        throw new StorageError(`${name}: replaying ${what} failed: ${(err as Error).message}`, {
          cause: err,
        });
      }
    };
    for (;;) {
      const read = reader.readAt(offset, false);
      if (read.kind !== "record") throw new StorageError(`${name}: unreadable record at offset ${offset}`);
      const record = decodeRecord(read.payload);
      offset = read.end;
      if (Array.isArray(record.docs) && current) {
        const { db, coll } = current;
        const docs = record.docs as Document[];
        applying(`documents of ${db}.${coll}`, () => {
          for (const doc of docs) apply({ op: "put", db, coll, doc });
        });
        current.seen += docs.length;
        summary.docs += docs.length;
      } else if (record.meta) {
        finishCollection();
        const meta = record.meta as {
          db: string;
          coll: string;
          options: Document;
          indexes: IndexSpec[];
          count: number;
        };
        current = { db: meta.db, coll: meta.coll, count: meta.count, seen: 0 };
        summary.collections++;
        applying(`the creation of ${meta.db}.${meta.coll}`, () => {
          apply({ op: "createCollection", db: meta.db, coll: meta.coll, options: meta.options });
          for (const spec of meta.indexes) apply({ op: "createIndex", db: meta.db, coll: meta.coll, spec });
        });
      } else if (record.trailer) {
        finishCollection();
        const trailer = record.trailer as { collections: number; docs: number };
        if (trailer.collections !== summary.collections || trailer.docs !== summary.docs) {
          throw new StorageError(
            `${name}: trailer counts ${trailer.collections} collections and ${trailer.docs} documents, ` +
              `the file holds ${summary.collections} and ${summary.docs}`,
          );
        }
        return summary;
      } else {
        throw new StorageError(`${name}: unexpected record at offset ${read.offset}`);
      }
      summary.records++;
    }
  });
}
