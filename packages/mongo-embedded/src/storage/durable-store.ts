import { mkdir, open, readdir, unlink } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fsyncDir, HEADER_SIZE, journalFileName, parseFileName } from "./file-format";
import { createJournalFile, JournalFile, JournalWriter } from "./journal";
import { acquireLock, type DirLock } from "./lock";
import { recover } from "./recovery";
import { writeSnapshot } from "./snapshot";
import type { CollectionImage, StorageOp } from "./storage-op";

export { StorageError } from "./file-format";

export interface DurableStoreOptions {
  /**
   * Journal size that triggers a snapshot; default 64 MiB. A journal also grows to the size of
   * the last snapshot before the next one, so that a large database is not rewritten whole
   * every few megabytes of writes (the snapshot work stays proportional to what was written,
   * and recovery replays at most about one snapshot's worth of journal).
   */
  compactAfterBytes?: number;
  logger?: (msg: string) => void;
}

const DEFAULT_COMPACT_AFTER_BYTES = 64 * 1024 * 1024;
/** Journal bytes from which a clean stop writes a snapshot (less replays in a blink). */
const SNAPSHOT_ON_CLOSE_BYTES = 1024 * 1024;

interface SnapshotFigures {
  seq: number;
  time: number;
  ms: number;
  docs: number;
  bytes: number;
}

/**
 * The durability layer: a journal of committed ops with group commit, plus snapshots that
 * let old journals go. Files: `journal-<seq>.log` and `snapshot-<seq>.bson` (the state as of
 * the start of journal <seq>), and a lock file.
 */
export class DurableStore {
  private readonly writer: JournalWriter;
  private readonly log: (msg: string) => void;
  private readonly compactAfterBytes: number;
  private readonly fatalListeners: ((err: Error) => void)[] = [];
  private fatalError: Error | undefined;
  private running: Promise<void> | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;
  private snapshots = 0;
  private snapshotFailures = 0;
  private lastSnapshot: SnapshotFigures | undefined;

  private constructor(
    private readonly dir: string,
    private readonly lock: DirLock,
    journal: JournalFile,
    private readonly recovery: Record<string, number>,
    options: DurableStoreOptions,
    lastSnapshot: SnapshotFigures | undefined,
  ) {
    this.log = options.logger ?? (() => undefined);
    this.compactAfterBytes = options.compactAfterBytes ?? DEFAULT_COMPACT_AFTER_BYTES;
    this.lastSnapshot = lastSnapshot;
    this.writer = new JournalWriter(journal, (err) => this.fatal(err));
  }

  /**
   * Opens (creating the folder if needed), takes the folder's lock, and replays everything
   * durable through `apply`: the newest complete snapshot, then the journals, in order.
   */
  static async open(
    dir: string,
    apply: (op: StorageOp) => void,
    options: DurableStoreOptions = {},
  ): Promise<DurableStore> {
    const log = options.logger ?? (() => undefined);
    await mkdir(dir, { recursive: true });
    const lock = acquireLock(dir, log);
    try {
      const started = performance.now();
      const recovered = recover(dir, apply, log);
      let journal: JournalFile;
      if (recovered.journal) {
        const { seq, size } = recovered.journal;
        journal = new JournalFile(
          seq,
          Promise.resolve(await open(join(dir, journalFileName(seq)), "a")),
          size,
        );
      } else {
        journal = new JournalFile(1, Promise.resolve(await createJournalFile(dir, 1)), HEADER_SIZE);
      }
      const recoveryMs = performance.now() - started;
      const figures = {
        recoveryMs: Math.round(recoveryMs),
        recoveredSnapshotDocs: recovered.snapshot?.docs ?? 0,
        recoveredRecords: recovered.journalRecords,
        recoveredOps: recovered.journalOps,
        tornBytesDropped: recovered.tornBytes,
      };
      if (recovered.snapshot || recovered.journalRecords > 0) {
        log(
          `recovered in ${figures.recoveryMs} ms: ${figures.recoveredSnapshotDocs} documents from ` +
            `${recovered.snapshot ? `snapshot ${recovered.snapshot.seq}` : "no snapshot"}, ` +
            `${figures.recoveredRecords} journal records (${figures.recoveredOps} ops)`,
        );
      }
      const snapshot = recovered.snapshot && {
        seq: recovered.snapshot.seq,
        time: Math.round(recovered.snapshot.mtimeMs),
        ms: 0,
        docs: recovered.snapshot.docs,
        bytes: recovered.snapshot.bytes,
      };
      return new DurableStore(dir, lock, journal, figures, options, snapshot);
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  /**
   * Appends one record holding `ops`. Its place in the journal is fixed now (call order =
   * replay order); resolves once it is written and fdatasync'ed. Commits made while a flush is
   * in flight share the next writev + fdatasync. After a write failure every commit rejects.
   */
  commit(ops: StorageOp[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error("the durable store is closed"));
    return this.writer.append(ops);
  }

  /** True when the current journal has grown past {@link snapshotThreshold} and no snapshot runs. */
  get wantsSnapshot(): boolean {
    return (
      this.running === undefined &&
      !this.closed &&
      !this.fatalError &&
      this.writer.current.assignedBytes >= this.snapshotThreshold
    );
  }

  /** Journal bytes that call for the next snapshot: the configured floor, or the last snapshot's size. */
  get snapshotThreshold(): number {
    return Math.max(this.compactAfterBytes, this.lastSnapshot?.bytes ?? 0);
  }

  /**
   * True when the current journal holds enough to be worth a snapshot before closing (replaying
   * a small journal costs little). False while a snapshot runs, or after a failure.
   */
  get wantsSnapshotOnClose(): boolean {
    return (
      this.running === undefined &&
      !this.closed &&
      !this.fatalError &&
      this.writer.current.assignedBytes - HEADER_SIZE >= SNAPSHOT_ON_CLOSE_BYTES
    );
  }

  /**
   * Writes a snapshot of `images`, which the caller froze at this instant: call it right after
   * taking them, with no commit in between. Later commits go to a new journal at once; the
   * snapshot is written in the background, then older journals and snapshots are removed.
   * A failed snapshot is logged and counted (`snapshotFailures`), not thrown: the journals it
   * would have replaced are kept, so nothing is lost, and the next one is tried after another
   * `compactAfterBytes` of journal. Rejects only when misused (one already running, closed).
   */
  snapshot(images: CollectionImage[]): Promise<void> {
    if (this.running) return Promise.reject(new Error("a snapshot is already running"));
    if (this.closed) return Promise.reject(new Error("the durable store is closed"));
    if (this.fatalError) return Promise.reject(this.fatalError);
    const seq = this.writer.current.seq + 1;
    const next = new JournalFile(seq, createJournalFile(this.dir, seq), HEADER_SIZE);
    next.handle.catch((err: Error) =>
      this.writer.fail(new Error(`creating ${next.name} failed: ${err.message}`, { cause: err })),
    );
    const previousSealed = this.writer.rotate(next);
    const run = this.runSnapshot(seq, images, previousSealed, next).finally(() => {
      this.running = undefined;
    });
    this.running = run;
    return run;
  }

  private async runSnapshot(
    seq: number,
    images: CollectionImage[],
    previousSealed: Promise<void>,
    next: JournalFile,
  ): Promise<void> {
    const started = performance.now();
    try {
      // writeSnapshot reads the images synchronously before its first await (see its comment).
      const summary = await writeSnapshot(this.dir, seq, images, {
        check: () => {
          if (this.fatalError) throw this.fatalError;
        },
        beforeRename: async () => {
          // The snapshot stands for "everything before journal <seq>": that journal must exist,
          // and the records of the one before must have gone through first.
          await previousSealed;
          await next.handle;
          if (this.fatalError) throw this.fatalError;
        },
      });
      const removed = await this.removeOlderThan(seq);
      const ms = performance.now() - started;
      this.snapshots++;
      this.lastSnapshot = {
        seq,
        time: Date.now(),
        ms: Math.round(ms),
        docs: summary.docs,
        bytes: summary.bytes,
      };
      this.log(
        `snapshot ${seq}: ${summary.docs} documents in ${summary.collections} collections, ` +
          `${(summary.bytes / 1048576).toFixed(1)} MiB in ${Math.round(ms)} ms; removed ${removed.join(", ") || "nothing"}`,
      );
    } catch (err) {
      this.snapshotFailures++;
      this.log(`snapshot ${seq} failed, the journals are kept: ${(err as Error).message}`);
    }
  }

  private async removeOlderThan(seq: number): Promise<string[]> {
    const removed: string[] = [];
    for (const name of await readdir(this.dir)) {
      const parsed = parseFileName(name);
      if (!parsed || parsed.seq >= seq) continue;
      try {
        await unlink(join(this.dir, name));
        removed.push(name);
      } catch (err) {
        // Harmless: the next open removes files older than its snapshot.
        this.log(`could not remove ${name}: ${(err as Error).message}`);
      }
    }
    if (removed.length > 0) await fsyncDir(this.dir);
    return removed;
  }

  /** Called once when a journal write or fsync fails: memory is then ahead of disk. */
  onFatal(listener: (err: Error) => void): void {
    this.fatalListeners.push(listener);
    const err = this.fatalError;
    if (err) queueMicrotask(() => listener(err));
  }

  private fatal(err: Error): void {
    this.fatalError = err;
    this.log(`journal failure, every further commit is refused: ${err.message}`);
    for (const listener of this.fatalListeners) {
      try {
        listener(err);
      } catch (listenerErr) {
        this.log(`an onFatal listener threw: ${(listenerErr as Error).message}`);
      }
    }
  }

  /** Waits for queued commits and a running snapshot, closes the files, releases the lock. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      await this.running;
      await this.writer.close();
      await this.writer.idle();
      this.lock.release();
    })();
    return this.closing;
  }

  /** Figures for serverStatus / explain / benchmarks. Times are epoch ms; 0 means never. */
  stats(): Record<string, number> {
    const w = this.writer.stats;
    const snap = this.lastSnapshot;
    return {
      journalSeq: this.writer.current.seq,
      journalBytes: this.writer.current.assignedBytes,
      journalRecords: w.records,
      journalBytesWritten: w.bytesWritten,
      fsyncs: w.fsyncs,
      recordsPerFsync: w.fsyncs === 0 ? 0 : Math.round((w.records / w.fsyncs) * 100) / 100,
      largestGroup: w.largestGroup,
      pendingRecords: this.writer.pendingRecords,
      compactAfterBytes: this.compactAfterBytes,
      snapshotThreshold: this.snapshotThreshold,
      snapshotRunning: this.running ? 1 : 0,
      snapshots: this.snapshots,
      snapshotFailures: this.snapshotFailures,
      lastSnapshotSeq: snap?.seq ?? 0,
      lastSnapshotTime: snap?.time ?? 0,
      lastSnapshotMs: snap?.ms ?? 0,
      lastSnapshotDocs: snap?.docs ?? 0,
      lastSnapshotBytes: snap?.bytes ?? 0,
      ...this.recovery,
    };
  }
}
