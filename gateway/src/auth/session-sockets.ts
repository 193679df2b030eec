import { type ChangeStream, type Db, ObjectId } from "mongodb";
import type { Logger } from "pino";
import type { WebSocket } from "ws";

/** Close code sent to a WebSocket whose session ended (a new login elsewhere, a logout, a disable). */
export const SESSION_ENDED_CLOSE_CODE = 4401;

/**
 * The open WebSockets of each session on this gateway. Sessions end by deletion, wherever it
 * happens: the change stream on the sessions collection tells every gateway, which closes the
 * sockets of that session at once. Where change streams are unavailable it falls back to
 * checking the open sessions every half second.
 */
export class SessionSockets {
  private readonly sockets = new Map<string, Set<WebSocket>>();
  private stream?: ChangeStream;
  private poller?: NodeJS.Timeout;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    try {
      const stream = this.db.collection("session").watch([{ $match: { operationType: "delete" } }]);
      stream.on("change", (event) => {
        if (event.operationType === "delete") this.closeSession(String(event.documentKey._id));
      });
      stream.on("error", (err) => {
        this.log.warn({ err }, "session change stream failed; polling instead");
        this.stream = undefined;
        this.startPolling();
      });
      this.stream = stream;
    } catch (err) {
      this.log.warn({ err }, "no change streams; polling sessions instead");
      this.startPolling();
    }
  }

  register(sessionId: string, socket: WebSocket): void {
    let set = this.sockets.get(sessionId);
    if (!set) {
      set = new Set();
      this.sockets.set(sessionId, set);
    }
    if (set.has(socket)) return;
    set.add(socket);
    socket.once("close", () => {
      set.delete(socket);
      if (set.size === 0) this.sockets.delete(sessionId);
    });
  }

  closeSession(sessionId: string): void {
    for (const socket of this.sockets.get(sessionId) ?? []) {
      socket.close(SESSION_ENDED_CLOSE_CODE, "Session terminée : ce login s'est connecté ailleurs.");
    }
    this.sockets.delete(sessionId);
  }

  private startPolling(): void {
    if (this.poller) return;
    this.poller = setInterval(() => void this.pollOnce(), 500);
    this.poller.unref();
  }

  private async pollOnce(): Promise<void> {
    const ids = [...this.sockets.keys()];
    if (ids.length === 0) return;
    const alive = await this.db
      .collection("session")
      .find({ _id: { $in: ids.map((id) => new ObjectId(id)) } }, { projection: { _id: 1 } })
      .toArray();
    const aliveIds = new Set(alive.map((s) => String(s._id)));
    for (const id of ids) if (!aliveIds.has(id)) this.closeSession(id);
  }

  async stop(): Promise<void> {
    clearInterval(this.poller);
    await this.stream?.close();
  }
}
