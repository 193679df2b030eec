import type { Socket } from "node:net";
import type { Document } from "bson";
import type { CommandContext } from "../commands/command-context";
import { dispatch } from "../commands/dispatch";
import { errorFields } from "../commands/errors-reply";
import { checkDatabaseName } from "../engine/engine";
import {
  encodeReply,
  MAX_MESSAGE_SIZE,
  OP_MSG,
  OP_QUERY,
  ProtocolError,
  parseMessage,
  type Request,
  readHeader,
} from "./message";

type ContextBase = Omit<CommandContext, "db" | "messageBytes" | "connectionId">;

/**
 * One client connection: frames messages, runs their commands one after another (the driver
 * matches replies by order), and never lets a bad message take the server down.
 */
export class Connection {
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  /** Length of the message being received (0: its header has not arrived yet). */
  private expected = 0;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly socket: Socket,
    readonly id: number,
    private readonly base: ContextBase,
    private readonly log: (message: string) => void,
  ) {
    socket.setNoDelay(true);
    socket.on("data", (chunk) => this.onData(chunk));
    socket.on("error", () => this.close());
    socket.on("close", () => {
      this.closed = true;
    });
  }

  /**
   * Frames messages. Chunks are only collected until a whole message is there, then joined
   * once: re-joining on every chunk would be quadratic in the size of a big message.
   */
  private onData(chunk: Buffer): void {
    this.buffered.push(chunk);
    this.bufferedBytes += chunk.length;
    while (!this.closed && this.bufferedBytes >= 16) {
      if (this.expected === 0) {
        const length = this.peekLength();
        if (length < 16 || length > MAX_MESSAGE_SIZE) {
          this.log(`connection ${this.id}: message length ${length} out of bounds; closing`);
          this.close();
          return;
        }
        this.expected = length;
      }
      if (this.bufferedBytes < this.expected) return;
      const head = this.buffered.length === 1 ? this.buffered[0] : Buffer.concat(this.buffered);
      const message = head.subarray(0, this.expected);
      const rest = head.subarray(this.expected);
      this.buffered = rest.length ? [rest] : [];
      this.bufferedBytes = rest.length;
      this.expected = 0;
      this.enqueue(message);
    }
  }

  /** The int32 length that starts the buffered message, even when split over chunks. */
  private peekLength(): number {
    const first = this.buffered[0];
    if (first.length >= 4) return first.readInt32LE(0);
    const joined = Buffer.concat(this.buffered);
    this.buffered = [joined];
    return joined.readInt32LE(0);
  }

  private enqueue(message: Buffer): void {
    this.queue = this.queue.then(() => this.handle(message));
  }

  private async handle(message: Buffer): Promise<void> {
    if (this.closed) return;
    let request: Request;
    try {
      request = parseMessage(message);
    } catch (err) {
      const header = readHeader(message);
      const answerable =
        err instanceof ProtocolError && (header.opCode === OP_MSG || header.opCode === OP_QUERY);
      this.log(`connection ${this.id}: ${(err as Error).message}${answerable ? "" : "; closing"}`);
      if (!answerable) return this.close();
      const fake: Request = { header, legacy: header.opCode === OP_QUERY, moreToCome: false, command: {} };
      return this.send(fake, {
        ok: 0,
        errmsg: `invalid message: ${(err as Error).message}`,
        code: 9,
        codeName: "FailedToParse",
      });
    }
    const reply = await this.run(request.command, message.length, request.received);
    if (!request.moreToCome) this.send(request, reply);
  }

  private async run(
    command: Document,
    messageBytes: number,
    received: ((field: string) => Buffer[] | undefined) | undefined,
  ): Promise<Document> {
    try {
      const db = checkDatabaseName(command.$db);
      return await dispatch(command, { ...this.base, db, messageBytes, connectionId: this.id, received });
    } catch (err) {
      return { ok: 0, ...errorFields(err) };
    }
  }

  private send(request: Request, reply: Document): void {
    if (this.closed) return;
    let bytes: Buffer;
    try {
      bytes = encodeReply(request, reply);
    } catch (err) {
      bytes = encodeReply(request, {
        ok: 0,
        errmsg: `reply could not be encoded: ${(err as Error).message}`,
        code: 10334,
        codeName: "BSONObjectTooLarge",
      });
    }
    this.socket.write(bytes);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
  }
}
