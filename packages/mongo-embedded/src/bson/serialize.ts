import { calculateObjectSize, type Document, serialize, setInternalBufferSize } from "bson";

/**
 * Above this the serialized size is checked exactly. bson's `serialize` writes into a shared
 * 17 MiB buffer and silently truncates past it, so a large result must be re-done with a
 * buffer known to be big enough.
 */
const SAFE_SERIALIZE_BYTES = 16 * 1024 * 1024;

/** `serialize` for documents of any size (journal records, snapshots, wire replies). */
export function serializeDocument(doc: Document): Buffer {
  try {
    const bytes = serialize(doc);
    if (bytes.length < SAFE_SERIALIZE_BYTES) return asBuffer(bytes);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
  }
  const size = calculateObjectSize(doc);
  setInternalBufferSize(size + 1024);
  const bytes = serialize(doc);
  if (bytes.length !== size) {
    throw new Error(`BSON serialization produced ${bytes.length} bytes, expected ${size}`);
  }
  return asBuffer(bytes);
}

/** bson types its output as Uint8Array; on Node it is a Buffer already (no copy either way). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The BSON of a document that fits bson's shared buffer, else undefined (the caller then has
 * the exact size computed instead). Undefined too when bson refuses it (a key holding a NUL):
 * the caller keeps its usual path, where that refusal surfaces.
 */
export function serializeIfSmall(doc: Document): Buffer | undefined {
  try {
    const bytes = serialize(doc);
    return bytes.length < SAFE_SERIALIZE_BYTES ? asBuffer(bytes) : undefined;
  } catch {
    return undefined;
  }
}
