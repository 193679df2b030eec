import { randomBytes } from "node:crypto";
import { type Document, Timestamp } from "bson";
import { CommandError } from "../errors";

/** An event as a write describes it; the log adds its position and resume token. */
export interface ChangeEventDraft {
  operationType: "insert" | "update" | "replace" | "delete" | "drop" | "dropDatabase";
  db: string;
  coll?: string;
  documentKey?: Document;
  /** The encoded `documentKey._id`, for `updateLookup`. */
  idKey?: string;
  fullDocument?: Document;
  updateDescription?: Document;
}

export interface LoggedEvent extends ChangeEventDraft {
  seq: number;
  wallTime: Date;
}

/**
 * The recent history of durable changes, for change streams. Events are published once their
 * journal record is fsynced, so a watcher never sees a change that a crash could take back.
 * Tokens carry this process's epoch: after a restart, older tokens are refused as history lost
 * (code 286) rather than silently misread.
 */
export class ChangeLog {
  private readonly epoch = randomBytes(4).toString("hex");
  /** A ring: the event with sequence number `seq` sits at `seq % retain` (writes publish often). */
  private readonly ring: LoggedEvent[] = [];
  private nextSeq = 1;
  private waiters = new Set<() => void>();

  constructor(private readonly retain = 100_000) {}

  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** The oldest sequence number still held (`nextSeq` when the log is empty). */
  private get oldestSeq(): number {
    return Math.max(1, this.nextSeq - this.retain);
  }

  publish(drafts: ChangeEventDraft[]): void {
    if (drafts.length === 0) return;
    const wallTime = new Date();
    for (const draft of drafts) {
      // Drafts belong to their write batch, which is done with them: logged as they are.
      const event = draft as LoggedEvent;
      event.seq = this.nextSeq++;
      event.wallTime = wallTime;
      this.ring[event.seq % this.retain] = event;
    }
    if (this.waiters.size === 0) return;
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const wake of waiters) wake();
  }

  /** The event's cluster time, made when a watcher reads it rather than for every write. */
  clusterTime(event: LoggedEvent): Timestamp {
    return new Timestamp({ t: Math.floor(event.wallTime.getTime() / 1000), i: event.seq % 0xffffffff });
  }

  token(seq: number): Document {
    return { _data: `${this.epoch}${seq.toString(16).padStart(16, "0")}` };
  }

  /** The position after the event a resume token names; throws when it is outside the window. */
  positionAfter(token: unknown): number {
    const data = (token as Document | undefined)?._data;
    if (typeof data !== "string" || !/^[0-9a-f]{24}$/.test(data)) {
      throw new CommandError(2, "BadValue", "invalid resume token");
    }
    const seq = Number.parseInt(data.slice(8), 16);
    if (data.slice(0, 8) !== this.epoch || seq > this.lastSeq || seq < this.oldestSeq - 1) {
      throw new CommandError(
        286,
        "ChangeStreamHistoryLost",
        "Resume of change stream was not possible, as the resume point may no longer be in the oplog.",
      );
    }
    return seq;
  }

  /** Events after `seq`, oldest first. Read it before the next publish (which may overwrite them). */
  *after(seq: number): Generator<LoggedEvent> {
    for (let s = Math.max(seq + 1, this.oldestSeq); s <= this.lastSeq; s++) yield this.ring[s % this.retain];
  }

  /** Resolves on the next publish or after `ms`, whichever comes first. */
  waitForEvents(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waiters.add(wake);
    });
  }
}
