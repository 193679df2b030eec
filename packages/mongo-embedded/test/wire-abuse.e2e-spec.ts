import net from "node:net";
import { type Document, deserialize, serialize } from "bson";
import { MongoClient } from "mongodb";
import { startTestServer, TEST_CLIENT_OPTIONS, type TestDoc, type TestServer } from "./support";

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_COMPRESSED = 2012;
const OP_MSG = 2013;
/** Bounds how long a test waits for the server to answer or hang up; reaching it fails the test. */
const OUTCOME_TIMEOUT_MS = 5_000;

type Outcome =
  | { kind: "reply"; responseTo: number; opCode: number; doc: Document }
  | { kind: "closed" }
  | { kind: "timeout" };

/** A bare TCP connection that speaks (or abuses) the wire protocol by hand. */
class RawConnection {
  private buffer = Buffer.alloc(0);
  private closed = false;
  private wake: (() => void) | undefined;

  private constructor(private readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on("data", (chunk) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake?.();
    });
    socket.on("close", () => {
      this.closed = true;
      this.wake?.();
    });
    socket.on("error", () => undefined);
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, "127.0.0.1", () => resolve(new RawConnection(socket)));
      socket.once("error", reject);
    });
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The next whole reply, or the server hanging up, or nothing within the bound. */
  async outcome(): Promise<Outcome> {
    const deadline = Date.now() + OUTCOME_TIMEOUT_MS;
    for (;;) {
      if (this.buffer.length >= 4) {
        const length = this.buffer.readInt32LE(0);
        if (this.buffer.length >= length) {
          const message = this.buffer.subarray(0, length);
          this.buffer = this.buffer.subarray(length);
          return parseReply(message);
        }
      }
      if (this.closed) return { kind: "closed" };
      const left = deadline - Date.now();
      if (left <= 0) return { kind: "timeout" };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          this.wake = undefined;
          resolve();
        };
      });
    }
  }

  destroy(): void {
    this.socket.destroy();
  }
}

function parseReply(message: Buffer): Outcome {
  const responseTo = message.readInt32LE(8);
  const opCode = message.readInt32LE(12);
  if (opCode === OP_MSG) {
    expect(message[20]).toBe(0);
    return { kind: "reply", responseTo, opCode, doc: deserialize(message.subarray(21)) };
  }
  if (opCode === OP_REPLY)
    return { kind: "reply", responseTo, opCode, doc: deserialize(message.subarray(36)) };
  throw new Error(`unexpected reply opcode ${opCode}`);
}

function header(length: number, requestId: number, opCode: number): Buffer {
  const bytes = Buffer.alloc(16);
  bytes.writeInt32LE(length, 0);
  bytes.writeInt32LE(requestId, 4);
  bytes.writeInt32LE(0, 8);
  bytes.writeInt32LE(opCode, 12);
  return bytes;
}

/** An OP_MSG with one body section; `body` may be raw (possibly broken) BSON bytes. */
function opMsg(requestId: number, body: Document | Buffer, flags = 0): Buffer {
  const doc = Buffer.isBuffer(body) ? body : serialize(body);
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32LE(flags, 0);
  return Buffer.concat([header(16 + 5 + doc.length, requestId, OP_MSG), prefix, doc]);
}

function opQuery(requestId: number, collection: string, query: Document): Buffer {
  const name = Buffer.from(`${collection}\0`, "utf8");
  const counts = Buffer.alloc(12); // flags, numberToSkip, numberToReturn
  counts.writeInt32LE(-1, 8);
  const doc = serialize(query);
  const rest = Buffer.concat([counts.subarray(0, 4), name, counts.subarray(4), doc]);
  return Buffer.concat([header(16 + rest.length, requestId, OP_QUERY), rest]);
}

let env: TestServer;
const SEED = [
  { _id: 1, v: "one" },
  { _id: 2, v: "two" },
];

beforeAll(async () => {
  env = await startTestServer();
  await env.client
    .db("wire")
    .collection<TestDoc>("data")
    .insertMany(SEED.map((d) => ({ ...d })));
});

afterAll(async () => {
  await env?.stop();
});

const raws: RawConnection[] = [];
async function raw(): Promise<RawConnection> {
  const conn = await RawConnection.open(env.server.port);
  raws.push(conn);
  return conn;
}

afterEach(() => {
  for (const conn of raws.splice(0)) conn.destroy();
});

/** What every abuse must lead to: an error reply to that very request, or a closed connection. */
function expectRefused(outcome: Outcome, requestId: number): void {
  if (outcome.kind === "closed") return;
  expect(outcome).toMatchObject({ kind: "reply", responseTo: requestId, doc: { ok: 0 } });
  if (outcome.kind === "reply") expect(typeof outcome.doc.code).toBe("number");
}

async function expectServerHealthy(): Promise<void> {
  const client = await env.connect((uri) => new MongoClient(uri, TEST_CLIENT_OPTIONS));
  expect(
    await client
      .db("wire")
      .collection<TestDoc>("data")
      .find({}, { sort: { _id: 1 } })
      .toArray(),
  ).toEqual(SEED);
  await client.close();
}

describe("well-formed raw messages (the harness itself)", () => {
  it("OP_MSG ping is answered with responseTo set", async () => {
    const conn = await raw();
    conn.send(opMsg(41, { ping: 1, $db: "admin" }));
    expect(await conn.outcome()).toMatchObject({
      kind: "reply",
      responseTo: 41,
      opCode: OP_MSG,
      doc: { ok: 1 },
    });
  });

  it("legacy OP_QUERY isMaster is answered with OP_REPLY", async () => {
    const conn = await raw();
    conn.send(opQuery(42, "admin.$cmd", { isMaster: 1, helloOk: true }));
    expect(await conn.outcome()).toMatchObject({
      kind: "reply",
      responseTo: 42,
      opCode: OP_REPLY,
      doc: { ok: 1, ismaster: true, helloOk: true, maxWireVersion: 21 },
    });
  });

  it("pipelined and byte-by-byte messages are framed correctly", async () => {
    const conn = await raw();
    conn.send(Buffer.concat([opMsg(1, { ping: 1, $db: "admin" }), opMsg(2, { ping: 1, $db: "admin" })]));
    expect(await conn.outcome()).toMatchObject({ kind: "reply", responseTo: 1 });
    expect(await conn.outcome()).toMatchObject({ kind: "reply", responseTo: 2 });
    const message = opMsg(3, { find: "data", filter: { _id: 2 }, $db: "wire" });
    for (const byte of message) conn.send(Buffer.from([byte]));
    const outcome = await conn.outcome();
    expect(outcome).toMatchObject({ kind: "reply", responseTo: 3, doc: { ok: 1 } });
    if (outcome.kind === "reply") expect(outcome.doc.cursor.firstBatch).toEqual([{ _id: 2, v: "two" }]);
  });

  it("moreToCome: no reply to that message, the next one is answered", async () => {
    const conn = await raw();
    conn.send(
      opMsg(
        10,
        { insert: "fire_and_forget", documents: [{ _id: "w0" }], $db: "wire", writeConcern: { w: 0 } },
        2,
      ),
    );
    conn.send(opMsg(11, { count: "fire_and_forget", $db: "wire" }));
    expect(await conn.outcome()).toMatchObject({ kind: "reply", responseTo: 11, doc: { n: 1, ok: 1 } });
  });
});

/** Deterministic noise: a plausible length, then garbage (opcode included). */
function noise(requestId: number): Buffer {
  let seed = 12345;
  const bytes = Buffer.alloc(4096);
  for (let i = 0; i < bytes.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    bytes[i] = seed >> 16;
  }
  bytes.writeInt32LE(bytes.length, 0);
  bytes.writeInt32LE(requestId, 4);
  return bytes;
}

function truncatedBson(requestId: number): Buffer {
  const whole = serialize({ ping: 1, $db: "admin" });
  return opMsg(requestId, whole.subarray(0, whole.length - 6)); // still claims the full size
}

function invalidElementType(requestId: number): Buffer {
  const doc = Buffer.from(serialize({ ping: 1, $db: "admin" }));
  doc[4] = 0x7a; // the first element's type byte
  return opMsg(requestId, doc);
}

function unknownSectionKind(requestId: number): Buffer {
  const message = opMsg(requestId, { ping: 1, $db: "admin" });
  message[20] = 5;
  return message;
}

function wrongChecksum(requestId: number): Buffer {
  const message = Buffer.concat([opMsg(requestId, { ping: 1, $db: "admin" }, 1), Buffer.from([1, 2, 3, 4])]);
  message.writeInt32LE(message.length, 0);
  return message;
}

const MALFORMED: [string, (requestId: number) => Buffer][] = [
  ["a declared length below 16 bytes", (id) => header(8, id, OP_MSG)],
  ["a negative declared length", (id) => header(-1, id, OP_MSG)],
  [
    "a declared length above 48 MB",
    (id) => Buffer.concat([header(50_000_000, id, OP_MSG), Buffer.alloc(64)]),
  ],
  ["random bytes", noise],
  ["an unknown opcode", (id) => Buffer.concat([header(24, id, 9999), Buffer.alloc(8)])],
  [
    "OP_COMPRESSED without negotiation",
    (id) => Buffer.concat([header(32, id, OP_COMPRESSED), Buffer.alloc(16)]),
  ],
  ["an OP_MSG too short for its flags", (id) => header(16, id, OP_MSG)],
  ["an OP_MSG whose BSON body is truncated", truncatedBson],
  ["an OP_MSG whose BSON has an invalid element type", invalidElementType],
  ["an OP_MSG with an unknown section kind", unknownSectionKind],
  ["an OP_MSG with a wrong checksum", wrongChecksum],
  ["an OP_QUERY that is not a command", (id) => opQuery(id, "wire.data", { _id: 1 })],
];

describe("malformed messages", () => {
  it.each(MALFORMED)(
    "%s: an error reply or a closed connection; the server keeps serving",
    async (_name, build) => {
      const conn = await raw();
      conn.send(build(100));
      expectRefused(await conn.outcome(), 100);
      await expectServerHealthy();
    },
  );

  it("garbage that is not the wire protocol at all (an HTTP request) closes the connection", async () => {
    const http = await raw();
    http.send(Buffer.from("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", "latin1"));
    expect((await http.outcome()).kind).toBe("closed");
    await expectServerHealthy();
  });

  it("a command with an invalid database name is InvalidNamespace (73)", async () => {
    const conn = await raw();
    conn.send(opMsg(110, { ping: 1, $db: "bad db" }));
    expect(await conn.outcome()).toMatchObject({ kind: "reply", responseTo: 110, doc: { ok: 0, code: 73 } });
    conn.send(opMsg(111, { insert: "x", documents: [{ a: 1 }], $db: "a.b" }));
    expect(await conn.outcome()).toMatchObject({ kind: "reply", responseTo: 111, doc: { ok: 0, code: 73 } });
  });

  it("after all that, a fresh client still works and the data is untouched", async () => {
    await expectServerHealthy();
    const names = await env.client.db("wire").listCollections({}, { nameOnly: true }).toArray();
    expect(names.map((c) => c.name).sort()).toEqual(["data", "fire_and_forget"]);
  });
});
