import { type Document, deserialize } from "bson";
import { serializeDocument } from "../bson/serialize";
import { crc32c } from "./crc32c";

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
export const MAX_MESSAGE_SIZE = 48_000_000;

const FLAG_CHECKSUM_PRESENT = 1;
export const FLAG_MORE_TO_COME = 2;
const KNOWN_MSG_FLAGS = FLAG_CHECKSUM_PRESENT | FLAG_MORE_TO_COME | (1 << 16); // exhaustAllowed

/** Deserialisation shared by every inbound document: int64 that fit become numbers (see bson/). */
export const BSON_READ_OPTIONS = {
  promoteLongs: true,
  promoteValues: true,
  validation: { utf8: false },
} as const;

export interface Header {
  length: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

/** A request after framing: the command document, with OP_MSG document sequences merged in. */
export interface Request {
  header: Header;
  /** OP_QUERY requests must be answered with OP_REPLY. */
  legacy: boolean;
  /** The client expects no reply (w:0 writes, `endSessions`). */
  moreToCome: boolean;
  command: Document;
  /** The bytes each document of an array of the command arrived as (see `CommandContext.received`). */
  received?: (field: string) => Buffer[] | undefined;
}

export class ProtocolError extends Error {}

export function readHeader(buf: Buffer): Header {
  return {
    length: buf.readInt32LE(0),
    requestId: buf.readInt32LE(4),
    responseTo: buf.readInt32LE(8),
    opCode: buf.readInt32LE(12),
  };
}

/** Parses one whole message (header included). Throws ProtocolError on anything malformed. */
export function parseMessage(buf: Buffer): Request {
  const header = readHeader(buf);
  if (header.opCode === OP_MSG) return parseOpMsg(header, buf);
  if (header.opCode === OP_QUERY) return parseOpQuery(header, buf);
  if (header.opCode === OP_COMPRESSED) throw new ProtocolError("compression was not negotiated");
  throw new ProtocolError(`unsupported opcode ${header.opCode}`);
}

function readDocument(buf: Buffer, offset: number, end: number): [Document, number] {
  if (offset + 5 > end) throw new ProtocolError("truncated BSON document");
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new ProtocolError("BSON document size out of bounds");
  if (buf[offset + size - 1] !== 0) throw new ProtocolError("BSON document is not terminated");
  try {
    return [deserialize(buf.subarray(offset, offset + size), BSON_READ_OPTIONS), offset + size];
  } catch (err) {
    throw new ProtocolError(`invalid BSON: ${(err as Error).message}`);
  }
}

function readCString(buf: Buffer, offset: number, end: number): [string, number] {
  const zero = buf.indexOf(0, offset);
  if (zero < 0 || zero >= end) throw new ProtocolError("unterminated string");
  return [buf.toString("utf8", offset, zero), zero + 1];
}

function parseOpMsg(header: Header, buf: Buffer): Request {
  const flags = buf.readUInt32LE(16);
  if ((flags & 0xffff & ~KNOWN_MSG_FLAGS) !== 0)
    throw new ProtocolError(`unknown required OP_MSG flags ${flags}`);
  let end = buf.length;
  if (flags & FLAG_CHECKSUM_PRESENT) {
    end -= 4;
    if (crc32c(buf.subarray(0, end)) !== buf.readUInt32LE(end))
      throw new ProtocolError("OP_MSG checksum mismatch");
  }
  let offset = 20;
  let body: Document | undefined;
  let bodyStart = 0;
  const sequences: [string, Document[], Buffer[]][] = [];
  while (offset < end) {
    const kind = buf[offset++];
    if (kind === 0) {
      if (body) throw new ProtocolError("OP_MSG has two body sections");
      bodyStart = offset;
      [body, offset] = readDocument(buf, offset, end);
    } else if (kind === 1) {
      if (offset + 4 > end) throw new ProtocolError("truncated document sequence");
      const size = buf.readInt32LE(offset);
      const sectionEnd = offset + size;
      if (size < 5 || sectionEnd > end) throw new ProtocolError("document sequence size out of bounds");
      let identifier: string;
      [identifier, offset] = readCString(buf, offset + 4, sectionEnd);
      const docs: Document[] = [];
      const bytes: Buffer[] = [];
      while (offset < sectionEnd) {
        const start = offset;
        let doc: Document;
        [doc, offset] = readDocument(buf, offset, sectionEnd);
        docs.push(doc);
        bytes.push(buf.subarray(start, offset));
      }
      sequences.push([identifier, docs, bytes]);
    } else {
      throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new ProtocolError("OP_MSG without a body");
  const inSequences = new Map<string, Buffer[]>();
  for (const [identifier, docs, bytes] of sequences) {
    body[identifier] = docs;
    inSequences.set(identifier, bytes);
  }
  const received = (field: string) => inSequences.get(field) ?? arrayItemBytes(buf, bodyStart, field);
  return { header, legacy: false, moreToCome: (flags & FLAG_MORE_TO_COME) !== 0, command: body, received };
}

/** Bytes taken by a value of each fixed-size BSON type. */
const FIXED_SIZE: Record<number, number> = {
  1: 8, // double
  6: 0, // undefined
  7: 12, // ObjectId
  8: 1, // boolean
  9: 8, // date
  10: 0, // null
  16: 4, // int32
  17: 8, // timestamp
  18: 8, // int64
  19: 16, // decimal128
  127: 0, // MaxKey
  255: 0, // MinKey
};

/** The size of the value of an element of type `type` at `at`, or undefined for a type not walked. */
function valueSize(buf: Buffer, type: number, at: number): number | undefined {
  const fixed = FIXED_SIZE[type];
  if (fixed !== undefined) return fixed;
  switch (type) {
    case 0x02: // string
    case 0x0d: // code
    case 0x0e: // symbol
      return 4 + buf.readInt32LE(at);
    case 0x03: // document
    case 0x04: // array
    case 0x0f: // code with scope
      return buf.readInt32LE(at);
    case 0x05: // binary
      return 4 + 1 + buf.readInt32LE(at);
    default:
      return undefined;
  }
}

/**
 * The bytes of each sub-document of the array `field` at the top of the (already decoded, so
 * well-formed) document at `start` — where bson took them from; the last such field wins, as
 * in bson. Undefined when the field is missing, not an array of documents, or not walkable.
 */
function arrayItemBytes(buf: Buffer, start: number, field: string): Buffer[] | undefined {
  const end = start + buf.readInt32LE(start) - 1;
  let at = start + 4;
  let array: number | undefined;
  while (at < end) {
    const type = buf[at++];
    const nameEnd = buf.indexOf(0, at);
    const name = buf.toString("utf8", at, nameEnd);
    at = nameEnd + 1;
    const size = valueSize(buf, type, at);
    if (size === undefined) return undefined;
    if (name === field) array = type === 0x04 ? at : undefined;
    at += size;
  }
  if (array === undefined) return undefined;
  const items: Buffer[] = [];
  const arrayEnd = array + buf.readInt32LE(array) - 1;
  at = array + 4;
  while (at < arrayEnd) {
    if (buf[at] !== 0x03) return undefined;
    at = buf.indexOf(0, at + 1) + 1;
    const size = buf.readInt32LE(at);
    items.push(buf.subarray(at, at + size));
    at += size;
  }
  return items;
}

function parseOpQuery(header: Header, buf: Buffer): Request {
  const [fullCollectionName, afterName] = readCString(buf, 20, buf.length);
  const [query] = readDocument(buf, afterName + 8, buf.length); // skip numberToSkip, numberToReturn
  if (!fullCollectionName.endsWith(".$cmd")) {
    throw new ProtocolError("legacy OP_QUERY is only accepted for commands");
  }
  // Old clients wrap the command: {$query: {...}, $readPreference: ...}.
  const command: Document = query.$query && typeof query.$query === "object" ? { ...query.$query } : query;
  command.$db ??= fullCollectionName.slice(0, -".$cmd".length);
  return { header, legacy: true, moreToCome: false, command };
}

let nextRequestId = 1;

/**
 * Encodes a reply in the form the request came in, in one buffer. A reply may be bigger than
 * bson's shared serialize buffer (a batch of large documents), hence `serializeDocument`.
 */
export function encodeReply(request: Request, reply: Document): Buffer {
  const doc = serializeDocument(reply);
  // OP_REPLY: responseFlags, cursorId (0), startingFrom, numberReturned; OP_MSG: flagBits, kind 0.
  const prefix = request.legacy ? 20 : 5;
  const out = Buffer.allocUnsafe(16 + prefix + doc.length);
  out.writeInt32LE(out.length, 0);
  out.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  out.writeInt32LE(request.header.requestId, 8);
  out.writeInt32LE(request.legacy ? OP_REPLY : OP_MSG, 12);
  out.fill(0, 16, 16 + prefix);
  if (request.legacy) out.writeInt32LE(1, 32);
  doc.copy(out, 16 + prefix);
  return out;
}
