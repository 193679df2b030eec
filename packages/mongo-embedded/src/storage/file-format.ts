import { closeSync, fstatSync, fsyncSync, openSync, readSync } from "node:fs";
import { open } from "node:fs/promises";
import { crc32 } from "node:zlib";
import { type Document, deserialize } from "bson";
import { serializeDocument } from "../bson/serialize";

/**
 * The on-disk format shared by journals and snapshots.
 *
 * Every file starts with a 16-byte header: an 8-byte magic, a uint32 LE format version and a
 * uint32 LE reserved word. Then come records, each framed as uint32 LE payload length, uint32 LE
 * CRC-32 of the payload, and the payload: one BSON document.
 */

export const HEADER_SIZE = 16;
export const FRAME_SIZE = 8;
export const FORMAT_VERSION = 1;

export type FileKind = "journal" | "snapshot";

const MAGIC: Record<FileKind, Buffer> = {
  journal: Buffer.from("BTXJRNL\0", "latin1"),
  snapshot: Buffer.from("BTXSNAP\0", "latin1"),
};

/** Same promotion rules as the wire layer: int64 that fit come back as numbers. */
export const BSON_READ_OPTIONS = {
  promoteLongs: true,
  promoteValues: true,
  validation: { utf8: false },
} as const;

/** A data folder this build must not (or cannot) use: the message says which file and why. */
export class StorageError extends Error {
  override name = "StorageError";
  /** An unknown file format or a newer version: never worked around, unlike damage. */
  readonly unsupported: boolean;

  constructor(message: string, options?: { cause?: unknown; unsupported?: boolean }) {
    super(message, { cause: options?.cause });
    this.unsupported = options?.unsupported ?? false;
  }
}

export function encodeHeader(kind: FileKind): Buffer {
  const header = Buffer.alloc(HEADER_SIZE);
  MAGIC[kind].copy(header, 0);
  header.writeUInt32LE(FORMAT_VERSION, 8);
  return header;
}

/** Throws unless `header` starts a file of this kind in a version this build reads. */
export function checkHeader(header: Buffer, kind: FileKind, file: string): void {
  if (header.length < HEADER_SIZE) {
    throw new StorageError(
      `${file}: file is ${header.length} bytes, too short for its ${HEADER_SIZE}-byte header`,
    );
  }
  if (!header.subarray(0, 8).equals(MAGIC[kind])) {
    const shown = JSON.stringify(header.subarray(0, 8).toString("latin1"));
    throw new StorageError(`${file}: not a Billetix ${kind} file (magic ${shown})`, { unsupported: true });
  }
  const version = header.readUInt32LE(8);
  if (version > FORMAT_VERSION) {
    throw new StorageError(
      `${file}: ${kind} format version ${version} is newer than this build reads (version ${FORMAT_VERSION}); ` +
        "it was written by a newer Billetix — run that version, or restore a backup",
      { unsupported: true },
    );
  }
  if (version !== FORMAT_VERSION) {
    const message = `${file}: unknown ${kind} format version ${version} (this build reads ${FORMAT_VERSION})`;
    throw new StorageError(message, { unsupported: true });
  }
}

export const journalFileName = (seq: number): string => `journal-${String(seq).padStart(8, "0")}.log`;
export const snapshotFileName = (seq: number): string => `snapshot-${String(seq).padStart(8, "0")}.bson`;
export const TMP_SUFFIX = ".tmp";

const FILE_NAME = /^(journal|snapshot)-(\d{8,})\.(log|bson)$/;

export function parseFileName(name: string): { kind: FileKind; seq: number } | undefined {
  const match = FILE_NAME.exec(name);
  if (!match) return undefined;
  const kind: FileKind = match[1] === "journal" ? "journal" : "snapshot";
  if ((kind === "journal") !== (match[3] === "log")) return undefined;
  return { kind, seq: Number(match[2]) };
}

export { serializeDocument };

export function deserializePayload(payload: Buffer): Document {
  return deserialize(payload, BSON_READ_OPTIONS);
}

/** The 8-byte frame that precedes `payload` on disk. */
export function encodeFrame(payload: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_SIZE);
  frame.writeUInt32LE(payload.length, 0);
  frame.writeUInt32LE(crc32(payload), 4);
  return frame;
}

/** One framed record in a single buffer (snapshots; journals frame at flush time instead). */
export function encodeRecord(doc: Document): Buffer {
  const payload = serializeDocument(doc);
  return Buffer.concat([encodeFrame(payload), payload]);
}

export type ReadResult =
  | { kind: "record"; offset: number; end: number; payload: Buffer }
  | { kind: "end"; offset: number }
  | { kind: "bad"; offset: number; reason: string };

const READ_CHUNK = 8 * 1024 * 1024;

/**
 * Reads the records of one file synchronously (recovery happens before the server serves),
 * through a reused buffer read in large chunks. A payload is a view into that buffer: it is
 * valid only until the next call.
 */
export class RecordReader {
  private buf = Buffer.allocUnsafe(0);
  private bufStart = 0;
  private bufLen = 0;

  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  /** Bytes [pos, pos + n) of the file (the caller made sure they exist). */
  view(pos: number, n: number): Buffer {
    if (pos >= this.bufStart && pos + n <= this.bufStart + this.bufLen) {
      return this.buf.subarray(pos - this.bufStart, pos - this.bufStart + n);
    }
    const want = Math.min(Math.max(n, READ_CHUNK), this.size - pos);
    if (this.buf.length < want) this.buf = Buffer.allocUnsafe(want);
    let got = 0;
    while (got < want) {
      const read = readSync(this.fd, this.buf, got, want - got, pos + got);
      if (read === 0) throw new Error(`unexpected end of file at ${pos + got} (expected ${this.size} bytes)`);
      got += read;
    }
    this.bufStart = pos;
    this.bufLen = want;
    return this.buf.subarray(0, n);
  }

  header(): Buffer {
    return this.view(0, Math.min(HEADER_SIZE, this.size));
  }

  /** The record at `offset`, checked (framing, BSON envelope, and CRC unless `checkCrc` is false). */
  readAt(offset: number, checkCrc = true): ReadResult {
    const left = this.size - offset;
    if (left === 0) return { kind: "end", offset };
    if (left < FRAME_SIZE) {
      return { kind: "bad", offset, reason: `${left} bytes, too short for a record frame` };
    }
    const frame = this.view(offset, FRAME_SIZE);
    const length = frame.readUInt32LE(0);
    const crc = frame.readUInt32LE(4);
    if (length < 5) return { kind: "bad", offset, reason: `invalid record length ${length}` };
    if (length > left - FRAME_SIZE) {
      return { kind: "bad", offset, reason: `record of ${length} bytes runs past the end of the file` };
    }
    const payload = this.view(offset + FRAME_SIZE, length);
    if (payload.readInt32LE(0) !== length || payload[length - 1] !== 0) {
      return { kind: "bad", offset, reason: "payload is not a BSON document of the framed length" };
    }
    if (checkCrc && crc32(payload) !== crc) return { kind: "bad", offset, reason: "CRC mismatch" };
    return { kind: "record", offset, end: offset + FRAME_SIZE + length, payload };
  }

  /**
   * The first intact record starting after `from`, searching byte by byte: used after a damaged
   * record to tell a torn tail (nothing intact follows) from damage in the middle.
   */
  findRecordAfter(from: number): Extract<ReadResult, { kind: "record" }> | undefined {
    let pos = from;
    while (pos + FRAME_SIZE + 5 <= this.size) {
      const windowLen = Math.min(READ_CHUNK, this.size - pos);
      const window = this.view(pos, windowLen);
      let candidate = -1;
      for (let i = 0; i + FRAME_SIZE + 4 <= windowLen; i++) {
        const length = window.readUInt32LE(i);
        // Cheap filters first: a plausible length, repeated as the BSON document's own size.
        if (length < 5 || pos + i + FRAME_SIZE + length > this.size) continue;
        if (window.readInt32LE(i + FRAME_SIZE) !== length) continue;
        candidate = pos + i;
        break;
      }
      if (candidate < 0) {
        // Every start with room for a record was tried; go on past them (windows overlap).
        if (pos + windowLen >= this.size) return undefined;
        pos += windowLen - (FRAME_SIZE + 3);
        continue;
      }
      const result = this.readAt(candidate);
      if (result.kind === "record") return result;
      pos = candidate + 1;
    }
    return undefined;
  }
}

/** Opens `path` for reading and hands a reader to `body`; the file is always closed. */
export function withReader<T>(
  path: string,
  flags: "r" | "r+",
  body: (reader: RecordReader, fd: number) => T,
): T {
  const fd = openSync(path, flags);
  try {
    return body(new RecordReader(fd, fstatSync(fd).size), fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes `buffers` (`size` bytes in all) with writev, going on after a partial write. */
export async function writeFully(
  handle: { writev(buffers: Buffer[]): Promise<{ bytesWritten: number }> },
  buffers: Buffer[],
  size: number,
): Promise<void> {
  let written = (await handle.writev(buffers)).bytesWritten;
  // libuv already loops over partial writes; this is a safety net, not a hot path.
  while (written < size) {
    const { bytesWritten } = await handle.writev([Buffer.concat(buffers).subarray(written)]);
    if (bytesWritten === 0) throw new Error("write made no progress");
    written += bytesWritten;
  }
}

/** Makes a creation, rename or deletion in `dir` durable (no-op where directories can't be fsynced). */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === "win32") return;
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function fsyncDirSync(dir: string): void {
  if (process.platform === "win32") return;
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
