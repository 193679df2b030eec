import { fsyncSync, ftruncateSync } from "node:fs";
import { open, rename } from "node:fs/promises";
import { basename, join } from "node:path";
import { crc32 } from "node:zlib";
import {
  checkHeader,
  encodeHeader,
  FRAME_SIZE,
  fsyncDir,
  HEADER_SIZE,
  journalFileName,
  type ReadResult,
  type RecordReader,
  StorageError,
  serializeDocument,
  TMP_SUFFIX,
  withReader,
  writeFully,
} from "./file-format";
import { decodeRecord } from "./record-decoder";
import type { StorageOp } from "./storage-op";

/**
 * Journal records: payload = BSON `{g: int64, ops: [...]}`. `g` is the file offset where the
 * record's flush group (one writev + one fdatasync) begins. It is patched in at flush time and
 * lets recovery tell a torn last group (records of one unfinished write, possibly persisted out
 * of order) from damage to data that was already acknowledged.
 */
const GROUP_START_OFFSET = 7; // int32 size + type byte 0x12 + "g\0"

export function encodeJournalPayload(ops: StorageOp[]): Buffer {
  const payload = ops.some(hasBytes) ? assemblePayload(ops) : serializeDocument({ g: 0n, ops });
  if (payload[4] !== 0x12 || payload[5] !== 0x67 || payload[6] !== 0) {
    throw new Error("unexpected BSON layout for a journal record");
  }
  return payload;
}

type PutWithBytes = Extract<StorageOp, { op: "put" }> & { bytes: Buffer };

const hasBytes = (op: StorageOp): op is PutWithBytes => op.op === "put" && op.bytes !== undefined;

/**
 * `{g: 0n, ops}` laid out by hand around the documents' ready BSON: the bytes bson writes, but
 * a document already serialized (to check its size) or received as BSON is only copied.
 */
function assemblePayload(ops: StorageOp[]): Buffer {
  const encoded: (Buffer | PutWithBytes)[] = ops.map((op) => (hasBytes(op) ? op : serializeDocument(op)));
  let arraySize = 4 + 1;
  for (let i = 0; i < encoded.length; i++) {
    const item = encoded[i];
    arraySize += 2 + String(i).length + (Buffer.isBuffer(item) ? item.length : putSize(item));
  }
  const size = 4 + 11 + 5 + arraySize + 1;
  const out = Buffer.allocUnsafe(size);
  out.writeInt32LE(size, 0);
  let at = 4;
  out[at++] = 0x12; // g: int64 0, patched at flush time
  at += out.write("g\0", at, "latin1");
  out.fill(0, at, at + 8);
  at += 8;
  out[at++] = 0x04;
  at += out.write("ops\0", at, "latin1");
  out.writeInt32LE(arraySize, at);
  at += 4;
  for (let i = 0; i < encoded.length; i++) {
    const item = encoded[i];
    out[at++] = 0x03;
    at += out.write(`${i}\0`, at, "latin1");
    at = Buffer.isBuffer(item) ? at + item.copy(out, at) : writePut(out, at, item);
  }
  out[at++] = 0; // end of ops
  out[at++] = 0; // end of record
  if (at !== size) throw new Error(`journal record of ${at} bytes, expected ${size}`);
  return out;
}

/** A string element: type, name, int32 length, UTF-8, NUL. */
const stringElementSize = (name: string, value: string) =>
  1 + name.length + 1 + 4 + Buffer.byteLength(value) + 1;

/** `{op: "put", db, coll, doc}`, in the order the engine builds it. */
const putSize = (op: PutWithBytes) =>
  4 +
  stringElementSize("op", "put") +
  stringElementSize("db", op.db) +
  stringElementSize("coll", op.coll) +
  1 +
  4 + // "doc\0"
  op.bytes.length +
  1;

function writeString(out: Buffer, at: number, name: string, value: string): number {
  out[at++] = 0x02;
  at += out.write(`${name}\0`, at, "latin1");
  const length = out.write(value, at + 4, "utf8");
  out.writeInt32LE(length + 1, at);
  at += 4 + length;
  out[at++] = 0;
  return at;
}

function writePut(out: Buffer, start: number, op: PutWithBytes): number {
  let at = start + 4;
  at = writeString(out, at, "op", "put");
  at = writeString(out, at, "db", op.db);
  at = writeString(out, at, "coll", op.coll);
  out[at++] = 0x03;
  at += out.write("doc\0", at, "latin1");
  at += op.bytes.copy(out, at);
  out[at++] = 0;
  out.writeInt32LE(at - start, start);
  return at;
}

function setGroupStart(payload: Buffer, offset: number): void {
  payload.writeUInt32LE(offset % 2 ** 32, GROUP_START_OFFSET);
  payload.writeUInt32LE(Math.floor(offset / 2 ** 32), GROUP_START_OFFSET + 4);
}

function groupStartOf(payload: Buffer): number | undefined {
  if (
    payload.length < GROUP_START_OFFSET + 8 ||
    payload[4] !== 0x12 ||
    payload[5] !== 0x67 ||
    payload[6] !== 0
  ) {
    return undefined;
  }
  return payload.readUInt32LE(GROUP_START_OFFSET) + payload.readUInt32LE(GROUP_START_OFFSET + 4) * 2 ** 32;
}

/** What the writer needs from an open file (a `FileHandle` opened for append). */
export interface JournalHandle {
  writev(buffers: Buffer[]): Promise<{ bytesWritten: number }>;
  datasync(): Promise<void>;
  close(): Promise<void>;
}

/** One journal file being appended to. */
export class JournalFile {
  /** Bytes made durable so far: where the next flush group starts. */
  durableBytes: number;
  /** Bytes including records queued but not yet written. */
  assignedBytes: number;

  constructor(
    readonly seq: number,
    /** Resolves once the file exists durably and is open for append. */
    readonly handle: Promise<JournalHandle>,
    size: number,
  ) {
    this.durableBytes = size;
    this.assignedBytes = size;
    // A failure is reported by the writer when it next needs the file; don't let it go unhandled.
    handle.catch(() => undefined);
  }

  get name(): string {
    return journalFileName(this.seq);
  }
}

/**
 * Creates journal `seq` atomically (header written and fsynced under a temporary name, then
 * renamed and the folder fsynced), so a journal file always has a complete header.
 */
export async function createJournalFile(dir: string, seq: number): Promise<JournalHandle> {
  const path = join(dir, journalFileName(seq));
  const tmp = path + TMP_SUFFIX;
  const created = await open(tmp, "w");
  try {
    await created.write(encodeHeader("journal"));
    await created.sync();
  } finally {
    await created.close();
  }
  await rename(tmp, path);
  await fsyncDir(dir);
  return open(path, "a");
}

interface QueuedRecord {
  file: JournalFile;
  frame: Buffer;
  payload: Buffer;
  resolve: () => void;
  reject: (err: Error) => void;
}

/** Marks the end of a file's records: once reached, the file is closed. */
interface QueuedSeal {
  file: JournalFile;
  sealed: () => void;
}

type Queued = QueuedRecord | QueuedSeal;

const isRecord = (item: Queued): item is QueuedRecord => "payload" in item;

export interface JournalWriterStats {
  records: number;
  fsyncs: number;
  bytesWritten: number;
  largestGroup: number;
}

/**
 * Appends records with group commit: records queue up in call order; one flush at a time takes
 * every record queued for the same file and writes them with one writev and one fdatasync.
 * After a failure the writer is poisoned: every queued and later record is rejected.
 */
export class JournalWriter {
  private readonly queue: Queued[] = [];
  private flushing = false;
  private idleWaiters: (() => void)[] = [];
  private failure: Error | undefined;
  readonly stats: JournalWriterStats = { records: 0, fsyncs: 0, bytesWritten: 0, largestGroup: 0 };

  constructor(
    /** The file new records go to. */
    public current: JournalFile,
    private readonly onFailure: (err: Error) => void,
  ) {}

  get failed(): Error | undefined {
    return this.failure;
  }

  get pendingRecords(): number {
    return this.queue.reduce((n, item) => n + (isRecord(item) ? 1 : 0), 0);
  }

  /** Queues a record now (its place in the order is fixed here); resolves once it is durable. */
  append(ops: StorageOp[]): Promise<void> {
    if (this.failure) return Promise.reject(this.poisonedError());
    let payload: Buffer;
    try {
      payload = encodeJournalPayload(ops);
    } catch (err) {
      // The caller has already applied these ops to memory: memory is now ahead of disk.
      this.fail(new Error(`could not encode a journal record: ${(err as Error).message}`, { cause: err }));
      return Promise.reject(this.failure);
    }
    const frame = Buffer.allocUnsafe(FRAME_SIZE);
    frame.writeUInt32LE(payload.length, 0);
    const file = this.current;
    file.assignedBytes += FRAME_SIZE + payload.length;
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ file, frame, payload, resolve, reject });
      this.schedule();
    });
  }

  /** Sends later records to `next`; resolves once the previous file's records are durable and it is closed. */
  rotate(next: JournalFile): Promise<void> {
    const previous = this.current;
    this.current = next;
    return this.seal(previous);
  }

  /** Flushes what is queued and closes the current file. */
  close(): Promise<void> {
    return this.seal(this.current);
  }

  /** Resolves when nothing is queued or being written. */
  idle(): Promise<void> {
    if (!this.flushing && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Poisons the writer (a failed write, or a journal file that could not be created). */
  fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    this.onFailure(err);
  }

  private seal(file: JournalFile): Promise<void> {
    return new Promise<void>((sealed) => {
      this.queue.push({ file, sealed });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.flushing) return;
    this.flushing = true;
    // Start on a microtask, so that every commit made in the same tick joins the first group.
    queueMicrotask(() => void this.flushLoop());
  }

  private async flushLoop(): Promise<void> {
    while (this.queue.length > 0) {
      const head = this.queue[0];
      if (!isRecord(head)) {
        this.queue.shift();
        await head.file.handle.then((handle) => handle.close()).catch(() => undefined);
        head.sealed();
        continue;
      }
      let count = 1;
      while (count < this.queue.length) {
        const item = this.queue[count];
        if (!isRecord(item) || item.file !== head.file) break;
        count++;
      }
      const group = this.queue.splice(0, count) as QueuedRecord[];
      if (this.failure) {
        const err = this.poisonedError();
        for (const record of group) record.reject(err);
        continue;
      }
      try {
        await this.writeGroup(head.file, group);
      } catch (err) {
        this.fail(new Error(`writing ${head.file.name} failed: ${(err as Error).message}`, { cause: err }));
        for (const record of group) record.reject(this.failure ?? (err as Error));
        continue;
      }
      for (const record of group) record.resolve();
    }
    this.flushing = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const waiter of waiters) waiter();
  }

  private async writeGroup(file: JournalFile, group: QueuedRecord[]): Promise<void> {
    const handle = await file.handle;
    const start = file.durableBytes;
    const buffers: Buffer[] = [];
    let size = 0;
    for (const record of group) {
      setGroupStart(record.payload, start);
      record.frame.writeUInt32LE(crc32(record.payload), 4);
      buffers.push(record.frame, record.payload);
      size += FRAME_SIZE + record.payload.length;
    }
    await writeFully(handle, buffers, size);
    await handle.datasync();
    file.durableBytes = start + size;
    this.stats.records += group.length;
    this.stats.fsyncs++;
    this.stats.bytesWritten += size;
    this.stats.largestGroup = Math.max(this.stats.largestGroup, group.length);
  }

  private poisonedError(): Error {
    return new Error(
      `the journal is unusable after an earlier failure (${this.failure?.message}); restart to recover`,
      { cause: this.failure },
    );
  }
}

export interface JournalReplay {
  records: number;
  ops: number;
  /** File size after recovery (a torn tail cut off). */
  size: number;
  torn?: { offset: number; bytes: number; reason: string };
}

/**
 * Replays one journal, calling `apply` for each op in order. A damaged record followed by no
 * intact record of a later flush group is a torn tail: it is cut off when `tailAllowed` (this
 * is the last journal holding records), refused otherwise. A damaged record followed by an
 * intact one from a later group is damage to acknowledged data: refused.
 */
export function replayJournal(
  path: string,
  apply: (op: StorageOp) => void,
  tailAllowed: boolean,
): JournalReplay {
  const name = basename(path);
  return withReader(path, "r+", (reader, fd) => {
    checkHeader(reader.header(), "journal", name);
    const result: JournalReplay = { records: 0, ops: 0, size: reader.size };
    let offset = HEADER_SIZE;
    for (;;) {
      const read = reader.readAt(offset);
      if (read.kind === "end") return result;
      if (read.kind === "record") {
        result.ops += applyRecord(read.payload, name, offset, apply);
        result.records++;
        offset = read.end;
        continue;
      }
      refuseIfFollowedByLaterGroup(reader, read, name);
      if (!tailAllowed) {
        throw new StorageError(
          `${name}: damaged record at offset ${offset} (${read.reason}), but a later journal holds records: ` +
            "only the newest journal may have a torn tail; refusing to open (acknowledged writes could be lost)",
        );
      }
      ftruncateSync(fd, offset);
      fsyncSync(fd);
      result.torn = { offset, bytes: reader.size - offset, reason: read.reason };
      result.size = offset;
      return result;
    }
  });
}

function refuseIfFollowedByLaterGroup(
  reader: RecordReader,
  bad: Extract<ReadResult, { kind: "bad" }>,
  name: string,
): void {
  let from = bad.offset + 1;
  for (;;) {
    const found = reader.findRecordAfter(from);
    if (!found) return;
    const groupStart = groupStartOf(found.payload);
    if (groupStart === undefined || groupStart > bad.offset) {
      throw new StorageError(
        `${name}: damaged record at offset ${bad.offset} (${bad.reason}), followed by an intact record at offset ` +
          `${found.offset} that was written after it: this is not a torn tail, acknowledged writes would be lost; ` +
          "refusing to open (restore a backup, or cut the file at that offset by hand if you accept the loss)",
      );
    }
    // Same flush group as the damage: never acknowledged, dropped with the torn tail.
    from = found.end;
  }
}

function applyRecord(payload: Buffer, name: string, offset: number, apply: (op: StorageOp) => void): number {
  let ops: StorageOp[];
  try {
    const doc = decodeRecord(payload);
    if (!Array.isArray(doc.ops)) throw new Error("no ops array");
    ops = doc.ops as StorageOp[];
  } catch (err) {
    throw new StorageError(
      `${name}: record at offset ${offset} is not a journal record: ${(err as Error).message}`,
    );
  }
  for (const op of ops) {
    try {
      apply(op);
    } catch (err) {
      throw new StorageError(
        `${name}: replaying the record at offset ${offset} (${op.op} ${"db" in op ? op.db : ""}.${"coll" in op ? op.coll : ""}) failed: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }
  return ops.length;
}
