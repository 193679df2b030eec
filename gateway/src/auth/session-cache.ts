import type { ChangeStream, Db, Document } from "mongodb";
import type { Logger } from "pino";

/** How long a remembered session is trusted without news from the database. */
export const SESSION_CACHE_TTL_MS = 30_000;
const RESTART_AFTER_ERROR_MS = 5_000;
const MAX_ENTRIES = 50_000;

interface Entry {
  session: Document;
  login: Document;
  at: number;
}

/**
 * Who a session token is, remembered between requests: a door uploads scans every few seconds,
 * and reading its session and login again each time cost more than deciding a hundred scans.
 *
 * Never stale for long: a change stream on `session` and `login` forgets an entry as soon as the
 * database reports that its session ended (logout, login elsewhere, expiry) or its login changed
 * (disabled, master status, password) — milliseconds, on every gateway; an entry read while such
 * a change was arriving is not kept. Without change streams (or while the stream is down) nothing is cached.
 * Entries are raw documents: each request makes its own entities from them.
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every change heard: a read that started before it is not cached. */
  private version = 0;
  private streams: ChangeStream[] = [];
  private live = false;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly ttlMs = SESSION_CACHE_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    if (this.stopped) return;
    // A change to a session, or to a login, forgets every entry made of that document.
    const watch = (collection: "session" | "login") => {
      const stream = this.db
        .collection(collection)
        .watch([
          { $match: { operationType: { $in: ["update", "replace", "delete"] } } },
          { $project: { documentKey: 1 } },
        ]);
      stream.on("change", (event: Document) => {
        this.version++;
        const id = String(event.documentKey?._id);
        for (const [hash, entry] of this.entries) {
          if (String(entry[collection]._id) === id) this.entries.delete(hash);
        }
      });
      return stream;
    };
    try {
      const sessions = watch("session");
      const logins = watch("login");
      this.streams = [sessions, logins];
      let pending = this.streams.length;
      for (const stream of this.streams) {
        stream.on("error", (err) => this.fail(err));
        // Trusted only once both streams are open on the database: no change can slip by unheard.
        stream.once("resumeTokenChanged", () => {
          if (--pending === 0 && this.streams.includes(stream)) this.live = true;
        });
      }
    } catch (err) {
      this.fail(err);
    }
  }

  /** A session and its login as stored, if remembered and still trusted. */
  get(tokenHash: string): Entry | undefined {
    const entry = this.live ? this.entries.get(tokenHash) : undefined;
    if (entry && this.now() - entry.at > this.ttlMs) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return entry;
  }

  /** The version to hand back to `remember` with what a read finds. */
  get readVersion(): number {
    return this.version;
  }

  remember(tokenHash: string, session: Document, login: Document, readVersion: number): void {
    if (!this.live || readVersion !== this.version) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(tokenHash, { session, login, at: this.now() });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.live = false;
    this.entries.clear();
    await Promise.all(this.streams.map((s) => s.close().catch(() => undefined)));
    this.streams = [];
  }

  private fail(err: unknown): void {
    const wasLive = this.live;
    this.live = false;
    this.version++;
    this.entries.clear();
    for (const stream of this.streams) void stream.close().catch(() => undefined);
    this.streams = [];
    if (wasLive) this.log.warn({ err }, "session cache off: change stream failed; retrying");
    if (!this.stopped) setTimeout(() => this.start(), RESTART_AFTER_ERROR_MS).unref();
  }
}
