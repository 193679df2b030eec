import {
  countersDelta,
  type Direction,
  decide,
  type Locale,
  reasonMessage,
  type TicketSnapshot,
} from "@billetix/access-rules";
import {
  DEFAULT_DB_NAME,
  type OutboxEntry,
  openScannerDb,
  readMeta,
  type ScannerDb,
  type StoredTicket,
  ticketRange,
} from "./database";
import { GatewayClient } from "./gateway-client";
import { newClientScanId, newDeviceKey } from "./ids";
import { KeyedLock } from "./keyed-lock";
import { type OutboxChanges, OutboxUploader, rejectedScan } from "./outbox";
import { engineText, ScannerError } from "./scanner.error";
import { findSharedBarcode } from "./shared-barcodes";
import { DEFAULT_TIMINGS, SyncLoop, type SyncStep, type SyncTimings } from "./sync-loop";
import { type ImportContext, mergeTickets, removeUnfinishedImports, storeDownload } from "./ticket-import";
import { ticketFromChange } from "./ticket-state";
import {
  type Conflict,
  type ControlSelection,
  type ImportedPerformance,
  type ImportProgress,
  type PerformanceMeta,
  REPEAT_WINDOW_MS,
  type RejectedScan,
  type ScannerCounters,
  type ScanOutcome,
  type ServerTicketChange,
  type SyncStatus,
} from "./types";

/** The gateway's limit on a barcode. */
export const MAX_BARCODE_LENGTH = 128;
const RECENT_KEPT = 20;
/** Subscription changes arriving this close together are stored in one transaction. */
const CHANGE_COALESCE_MS = 25;
const CHANGE_BATCH = 1000;

export interface ScannerEngineOptions {
  /** IndexedDB database name (default `billetix-scanner`): one per test, one per device otherwise. */
  dbName?: string;
  /** Where the gateway is; default `""` (same origin). Absolute in tests. */
  baseUrl?: string;
  /** Default: the browser's `fetch`. */
  fetch?: typeof fetch;
  /** Wall clock, epoch ms (default `Date.now`): scans' instants, import and sync times. */
  now?: () => number;
  /** The device's IANA time zone (default: the browser's), for "today" in daily limits. */
  timeZone?: string;
  /** Language of verdicts and of the engine's own messages (server messages are French). */
  locale?: Locale;
  /** Sync delays; tests shorten them. */
  timings?: Partial<SyncTimings>;
  /** Source of `online`/`offline` events; default the window (nothing outside a browser). */
  events?: Pick<EventTarget, "addEventListener" | "removeEventListener">;
  /** Default `navigator.onLine`. */
  isOnline?: () => boolean | undefined;
}

interface Settings {
  now: () => number;
  timeZone: string;
  locale: Locale;
  timings: SyncTimings;
}

interface QueuedChange {
  change: ServerTicketChange;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The scanner's local engine: tickets and scans in IndexedDB, decisions with `decide` from
 * `@billetix/access-rules`, an outbox uploaded in the background, server changes merged in. The
 * screens hold one engine per page and read it synchronously (`status()`, `counters()`…) from a
 * `subscribe` callback; every getter returns the same object until something changes, so it fits
 * React's `useSyncExternalStore`.
 *
 * @example
 * const engine = await ScannerEngine.open();
 * await engine.importPerformance(meta, (done, total) => setProgress(done, total));
 * const selection = await engine.setControlled([meta.id]);
 * if (!selection.ok) show(selection.message);
 * engine.startSync();
 * const outcome = await engine.scan(code, "in"); // durable in IndexedDB when it resolves
 * show(outcome.accepted, outcome.message);
 */
export class ScannerEngine {
  private readonly locks = new KeyedLock();
  private readonly listeners = new Set<() => void>();
  private readonly sync: SyncLoop;
  private readonly uploader: OutboxUploader;
  private readonly importContext: ImportContext;
  private readonly lastScans = new Map<string, ScanOutcome>();
  private readonly inflight = new Map<string, Promise<ScanOutcome>>();
  private changeQueue: QueuedChange[] = [];
  private changeTimer: ReturnType<typeof setTimeout> | undefined;
  /** An upload is unanswered: subscription changes wait for its answer (see `flushChanges`). */
  private uploading = false;
  private recentScans: ScanOutcome[] = [];
  private closed = false;

  private statusCache: SyncStatus | undefined;
  private countersCache: ScannerCounters | undefined;
  private importedCache: ImportedPerformance[] | undefined;

  private constructor(
    private readonly db: ScannerDb,
    private readonly gateway: GatewayClient,
    private readonly settings: Settings,
    private readonly key: string,
    private readonly performances: Map<string, ImportedPerformance>,
    private controlledIds: string[],
    private conflictList: Conflict[],
    private rejectedList: RejectedScan[],
    private pendingCount: number,
    options: ScannerEngineOptions,
  ) {
    const { locale } = settings;
    this.importContext = { db, now: settings.now, locale, onRecord: (record) => this.storeRecord(record) };
    this.uploader = new OutboxUploader(db, gateway, key, locale, (changes) => this.outboxChanged(changes));
    this.sync = new SyncLoop(
      {
        upload: () => this.uploadRound(),
        pull: () => this.pullRound(),
        pending: () => this.pendingCount,
        changed: () => this.changed({ status: true }),
      },
      settings.timings,
      settings.now,
      options.events ?? (typeof globalThis.addEventListener === "function" ? globalThis : undefined),
      options.isOnline ??
        (() =>
          typeof navigator !== "undefined" && typeof navigator.onLine === "boolean"
            ? navigator.onLine
            : undefined),
    );
  }

  /** Opens (or creates) the device's database; makes the device key on first use. */
  static async open(options: ScannerEngineOptions = {}): Promise<ScannerEngine> {
    const settings: Settings = {
      now: options.now ?? Date.now,
      timeZone: options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC",
      locale: options.locale ?? "fr",
      timings: { ...DEFAULT_TIMINGS, ...options.timings },
    };
    const gateway = new GatewayClient({
      baseUrl: (options.baseUrl ?? "").replace(/\/+$/, ""),
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
      locale: settings.locale,
      timeoutMs: settings.timings.requestTimeoutMs,
    });
    const db = await openScannerDb(options.dbName ?? DEFAULT_DB_NAME);
    await removeUnfinishedImports(db);
    const key = await deviceKeyOf(db);
    const [records, controlled, conflicts, rejected, pending] = await Promise.all([
      db.getAll("performances"),
      readMeta(db, "controlled"),
      db.getAll("conflicts"),
      db.getAllFromIndex("outbox", "by-state", "rejected"),
      db.countFromIndex("outbox", "by-state", "pending"),
    ]);
    const performances = new Map(records.map((p) => [p.id, p]));
    return new ScannerEngine(
      db,
      gateway,
      settings,
      key,
      performances,
      (controlled ?? []).filter((id) => performances.has(id)),
      conflicts.sort((a, b) => b.at - a.at),
      rejected.map(rejectedScan),
      pending,
      options,
    );
  }

  /** This device's key (made once, kept in IndexedDB): register it with `registerDevice` before syncing. */
  deviceKey(): string {
    return this.key;
  }

  // ── Imports ────────────────────────────────────────────────────────────────────────────────

  /**
   * Downloads a performance's tickets. The first import is all or nothing; importing a
   * performance already on the device fetches its changes since its revision instead.
   *
   * @throws ScannerError `NETWORK`, `INTERRUPTED`, `SESSION_ENDED`, `REFUSED` (the server's French
   *   message, e.g. for 403/404), `BAD_RESPONSE`, `ABORTED`, `STORAGE_FULL`
   */
  importPerformance(
    meta: PerformanceMeta,
    onProgress?: ImportProgress,
    signal?: AbortSignal,
  ): Promise<ImportedPerformance> {
    this.assertOpen();
    return this.locks.run(meta.id, async () => {
      const existing = this.performances.get(meta.id);
      try {
        const download = await this.gateway.tickets(meta.id, existing?.revision ?? 0, signal);
        this.sync.report({ ok: true, requests: 1 });
        const record = await storeDownload(this.importContext, meta, existing, download, onProgress, signal);
        this.storeRecord(record);
        return record;
      } catch (error) {
        this.reportFailure(error);
        throw error;
      }
    });
  }

  /**
   * The performances on this device, in the order they were imported, with their counters. Read
   * from memory (the same array until something changes); a promise so that the screens never
   * depend on that.
   */
  async listImported(): Promise<ImportedPerformance[]> {
    this.importedCache ??= [...this.performances.values()].sort((a, b) => a.importedAt - b.importedAt);
    return this.importedCache;
  }

  /** Removes a performance's tickets from the device; its scans stay in the outbox until uploaded. */
  removeImported(id: string): Promise<void> {
    this.assertOpen();
    return this.locks.run(id, async () => {
      const controlled = this.controlledIds.filter((c) => c !== id);
      const tx = this.db.transaction(["tickets", "performances", "meta"], "readwrite");
      await Promise.all([
        tx.objectStore("tickets").delete(ticketRange(id)),
        tx.objectStore("performances").delete(id),
        tx.objectStore("meta").put(controlled, "controlled"),
        tx.done,
      ]);
      this.performances.delete(id);
      this.controlledIds = controlled;
      this.changed({ imports: true });
    });
  }

  // ── Control ────────────────────────────────────────────────────────────────────────────────

  /**
   * Chooses the performances scanned now (the first one gets unknown tickets). Refused when two of
   * them share a barcode: the guide forbids controlling those together.
   *
   * @throws ScannerError `NOT_IMPORTED` for a performance not on this device
   */
  async setControlled(ids: string[]): Promise<ControlSelection> {
    this.assertOpen();
    const unique = [...new Set(ids)];
    for (const id of unique) {
      if (!this.performances.has(id)) throw ScannerError.of("NOT_IMPORTED", this.settings.locale);
    }
    const shared = await findSharedBarcode(this.db, unique);
    if (shared) {
      const [first, second] = shared.performanceIds.map((id) =>
        performanceName(this.performances.get(id) as ImportedPerformance, this.settings),
      );
      return {
        ok: false,
        barcode: shared.barcode,
        performanceIds: shared.performanceIds,
        message: engineText("SHARED_BARCODE", this.settings.locale, {
          barcode: shared.barcode,
          first,
          second,
        }),
      };
    }
    await this.db.put("meta", unique, "controlled");
    this.controlledIds = unique;
    this.lastScans.clear();
    this.changed({ imports: true });
    return { ok: true };
  }

  controlled(): string[] {
    return this.controlledIds;
  }

  // ── Scanning ───────────────────────────────────────────────────────────────────────────────

  /**
   * Decides one scan and records it: the ticket's new state, the outbox entry and the counters are
   * written in one transaction before the outcome is returned. The same code in the same direction
   * within `REPEAT_WINDOW_MS` of its last recorded scan gets that outcome again (`repeated: true`),
   * recording nothing.
   *
   * @throws ScannerError `EMPTY_BARCODE`, `BARCODE_TOO_LONG`, `BAD_DIRECTION` (nothing recorded),
   *   `NOTHING_CONTROLLED`
   */
  async scan(barcode: string, direction: Direction): Promise<ScanOutcome> {
    const started = performance.now();
    this.assertOpen();
    const { locale } = this.settings;
    const code = typeof barcode === "string" ? barcode.trim() : "";
    if (code === "") throw ScannerError.of("EMPTY_BARCODE", locale);
    if (code.length > MAX_BARCODE_LENGTH) throw ScannerError.of("BARCODE_TOO_LONG", locale);
    if (direction !== "in" && direction !== "out") throw ScannerError.of("BAD_DIRECTION", locale);
    const controlled = this.controlledIds.filter((id) => this.performances.has(id));
    if (controlled.length === 0) throw ScannerError.of("NOTHING_CONTROLLED", locale);

    const key = `${direction}\u0000${code}`;
    const inflight = this.inflight.get(key);
    if (inflight) return repeated(await inflight, started);
    const at = this.settings.now();
    const last = this.lastScans.get(key);
    if (last && at >= last.at && at - last.at < REPEAT_WINDOW_MS) return repeated(last, started);

    const recording = this.record(code, direction, at, controlled, started);
    this.inflight.set(key, recording);
    try {
      const outcome = await recording;
      this.remember(key, outcome);
      return outcome;
    } finally {
      this.inflight.delete(key);
    }
  }

  private async record(
    barcode: string,
    direction: Direction,
    at: number,
    controlled: string[],
    started: number,
  ): Promise<ScanOutcome> {
    const controlledSet = new Set(controlled);
    // Also looked up: the other imported performances, to say « autre représentation » rather than « inconnu ».
    const others = [...this.performances.keys()].filter((id) => !controlledSet.has(id));
    const tx = this.db.transaction(["tickets", "outbox", "performances"], "readwrite");
    const tickets = tx.objectStore("tickets");
    const performances = tx.objectStore("performances");
    const [found, records] = await Promise.all([
      Promise.all([...controlled, ...others].map((id) => tickets.get([id, barcode]))),
      Promise.all(controlled.map((id) => performances.get(id))),
    ]);
    let index = controlled.findIndex((_, i) => found[i] !== undefined && records[i] !== undefined);
    const own = index >= 0 ? found[index] : undefined;
    if (index < 0) index = records.findIndex((r) => r !== undefined);
    const record = records[index];
    if (!record) {
      await tx.done;
      throw ScannerError.of("NOTHING_CONTROLLED", this.settings.locale);
    }
    // An unknown ticket, or one of a performance not controlled: recorded against the first
    // controlled performance, where the server finds no such ticket either.
    const ticket: StoredTicket | undefined =
      own ?? found.slice(controlled.length).find((t) => t !== undefined);
    const decision = decide(
      ticket,
      record.rules,
      { direction, at, timeZone: this.settings.timeZone },
      controlledSet,
    );

    const writes: Promise<unknown>[] = [];
    let moved = false;
    if (own && decision.next && decision.next !== own) {
      writes.push(tickets.put(decision.next as StoredTicket));
      const delta = countersDelta(own, decision);
      if (delta.admitted !== 0 || delta.inside !== 0) {
        record.admitted += delta.admitted;
        record.inside += delta.inside;
        writes.push(performances.put(record));
        moved = true;
      }
    }
    const entry: OutboxEntry = {
      clientScanId: newClientScanId(at),
      performanceId: record.id,
      barcode,
      direction,
      scannedAt: at,
      timeZone: this.settings.timeZone,
      deviceAccepted: decision.accepted,
      state: "pending",
    };
    writes.push(tx.objectStore("outbox").add(entry));
    await Promise.all([...writes, tx.done]);

    const outcome: ScanOutcome = {
      clientScanId: entry.clientScanId,
      barcode,
      performanceId: record.id,
      direction,
      at,
      accepted: decision.accepted,
      reason: decision.reason,
      anomaly: decision.anomaly,
      message: reasonMessage(decision.reason, this.settings.locale),
      ...outcomeDetails(ticket),
      repeated: false,
      decisionMs: performance.now() - started,
    };
    if (moved) this.performances.set(record.id, record);
    this.pendingCount++;
    this.recentScans = [outcome, ...this.recentScans.slice(0, RECENT_KEPT - 1)];
    this.changed({ status: true, counters: moved, imports: moved });
    this.sync.scanAdded();
    return outcome;
  }

  private remember(key: string, outcome: ScanOutcome): void {
    if (this.lastScans.size >= 256) {
      for (const [k, o] of this.lastScans)
        if (outcome.at - o.at >= REPEAT_WINDOW_MS) this.lastScans.delete(k);
    }
    this.lastScans.set(key, outcome);
  }

  /** The last scans recorded here (not their repeats), newest first; kept in memory only. */
  recent(): ScanOutcome[] {
    return this.recentScans;
  }

  /** Summed over the controlled performances. */
  counters(): ScannerCounters {
    if (!this.countersCache) {
      const sum: ScannerCounters = { admitted: 0, inside: 0, ticketCount: 0 };
      for (const id of this.controlledIds) {
        const p = this.performances.get(id);
        if (!p) continue;
        sum.admitted += p.admitted;
        sum.inside += p.inside;
        sum.ticketCount += p.ticketCount;
      }
      this.countersCache = sum;
    }
    return this.countersCache;
  }

  // ── Server changes ─────────────────────────────────────────────────────────────────────────

  /**
   * Merges one change from the `ticketChanges` subscription (ignored for a performance not on the
   * device, or older than the local copy). Changes arriving together are stored together.
   */
  applyTicketChange(change: ServerTicketChange): Promise<void> {
    this.assertOpen();
    return new Promise((resolve, reject) => {
      this.changeQueue.push({ change, resolve, reject });
      if (!this.uploading)
        this.changeTimer ??= setTimeout(() => void this.flushChanges(), CHANGE_COALESCE_MS);
    });
  }

  private async flushChanges(): Promise<void> {
    this.changeTimer = undefined;
    // A change may already count scans whose upload is unanswered; replaying them as pending
    // would count them twice. Wait for the answer, which takes them out of the outbox.
    if (this.uploading) return;
    const queue = this.changeQueue;
    this.changeQueue = [];
    const byPerformance = new Map<string, Map<string, QueuedChange[]>>();
    for (const item of queue) {
      const { performanceId, barcode } = item.change;
      if (!this.performances.has(performanceId) || this.closed) {
        item.resolve();
        continue;
      }
      const tickets = byPerformance.get(performanceId) ?? new Map<string, QueuedChange[]>();
      byPerformance.set(performanceId, tickets);
      tickets.set(barcode, [...(tickets.get(barcode) ?? []), item]);
    }
    for (const [performanceId, tickets] of byPerformance) {
      // One state per ticket: the newest.
      const newest = [...tickets.values()].map(
        (items) => items.reduce((a, b) => (b.change.revision > a.change.revision ? b : a)).change,
      );
      const waiting = [...tickets.values()].flat();
      try {
        for (let i = 0; i < newest.length; i += CHANGE_BATCH) {
          const record = await mergeTickets(
            this.db,
            performanceId,
            newest.slice(i, i + CHANGE_BATCH),
            (change, local) => ticketFromChange(change, local),
          );
          if (record) this.storeRecord(record);
        }
        for (const item of waiting) item.resolve();
      } catch (error) {
        for (const item of waiting) item.reject(error);
      }
    }
  }

  // ── Sync ───────────────────────────────────────────────────────────────────────────────────

  /**
   * Starts the background sync: uploads soon after each scan, on the browser's `online` event and
   * on a timer, with back-off after failures; pulls every imported performance's changes every
   * 30 s while online and on coming back. Idempotent.
   */
  startSync(): void {
    this.assertOpen();
    this.sync.start();
  }

  stopSync(): void {
    this.sync.stop();
  }

  /** Uploads and pulls now, whatever the back-off; resolves when done (failures land in `status()`). */
  async syncNow(): Promise<SyncStatus> {
    this.assertOpen();
    await this.sync.runNow();
    return this.status();
  }

  /** After the operator logged in again: clears `sessionEnded` and syncs at once. */
  async resumeAfterLogin(): Promise<SyncStatus> {
    this.assertOpen();
    await this.sync.resume();
    return this.status();
  }

  status(): SyncStatus {
    this.statusCache ??= { ...this.sync.state, pending: this.pendingCount };
    return this.statusCache;
  }

  /** Scans the server decided otherwise than this device, newest first. */
  conflicts(): Conflict[] {
    return this.conflictList;
  }

  async dismissConflict(clientScanId: string): Promise<void> {
    this.assertOpen();
    await this.db.delete("conflicts", clientScanId);
    this.conflictList = this.conflictList.filter((c) => c.clientScanId !== clientScanId);
    this.changed({});
  }

  /** Scans the server refused as part of their batch, oldest first; kept until `retryRejected()`. */
  rejected(): RejectedScan[] {
    return this.rejectedList;
  }

  /** Puts the rejected scans back in the outbox (e.g. once the login may scan that performance again). */
  async retryRejected(): Promise<void> {
    this.assertOpen();
    const tx = this.db.transaction("outbox", "readwrite");
    const entries = await tx.store.index("by-state").getAll("rejected");
    await Promise.all([
      ...entries.map((entry) => {
        const { message: _message, ...rest } = entry;
        return tx.store.put({ ...rest, state: "pending" });
      }),
      tx.done,
    ]);
    this.rejectedList = [];
    this.pendingCount += entries.length;
    this.changed({ status: true });
    this.sync.scanAdded();
  }

  private async uploadRound(): Promise<SyncStep> {
    if (this.closed) return { ok: true, requests: 0 };
    this.uploading = true;
    let step: Awaited<ReturnType<OutboxUploader["uploadAll"]>>;
    try {
      step = await this.uploader.uploadAll();
    } finally {
      this.uploading = false;
      if (this.changeQueue.length > 0) this.changeTimer ??= setTimeout(() => void this.flushChanges(), 0);
    }
    // Another tab may scan too: the banner shows what this database holds.
    if (!this.closed) this.pendingCount = await this.db.countFromIndex("outbox", "by-state", "pending");
    this.changed({ status: true });
    return step.ok ? { ok: true, requests: step.requests } : step;
  }

  private async pullRound(): Promise<SyncStep> {
    let requests = 0;
    let warning: string | undefined;
    for (const id of [...this.performances.keys()]) {
      if (this.closed) break;
      try {
        await this.locks.run(id, async () => {
          const existing = this.performances.get(id);
          if (!existing) return;
          requests++;
          const download = await this.gateway.tickets(id, existing.revision);
          this.sync.report({ ok: true, requests: 1 });
          this.storeRecord(await storeDownload(this.importContext, existing, existing, download));
        });
      } catch (error) {
        const step = failureStep(error, this.settings.locale);
        if (step) return step;
        const name = performanceName(this.performances.get(id), this.settings);
        warning = `« ${name} » : ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    return { ok: true, requests, warning };
  }

  private outboxChanged(changes: OutboxChanges): void {
    this.pendingCount = Math.max(0, this.pendingCount - changes.acknowledged - changes.rejected.length);
    if (changes.acknowledged > 0) this.sync.uploaded();
    this.sync.report({ ok: true, requests: 1 });
    if (changes.conflicts.length > 0) {
      const ids = new Set(changes.conflicts.map((c) => c.clientScanId));
      this.conflictList = [
        ...[...changes.conflicts].sort((a, b) => b.at - a.at),
        ...this.conflictList.filter((c) => !ids.has(c.clientScanId)),
      ];
    }
    if (changes.rejected.length > 0) this.rejectedList = [...this.rejectedList, ...changes.rejected];
    this.changed({ status: true });
  }

  private reportFailure(error: unknown): void {
    const step = failureStep(error, this.settings.locale);
    if (step && (step.kind === "session" || step.kind === "network")) this.sync.report(step);
  }

  // ── Listeners ──────────────────────────────────────────────────────────────────────────────

  /** Called after any change of status, counters, conflicts, rejections, imports or recent scans. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Stops the sync and closes the database; the engine is unusable afterwards. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sync.stop();
    clearTimeout(this.changeTimer);
    for (const item of this.changeQueue) item.resolve();
    this.changeQueue = [];
    this.listeners.clear();
    this.db.close();
  }

  private storeRecord(record: ImportedPerformance): void {
    this.performances.set(record.id, record);
    this.changed({ counters: true, imports: true });
  }

  private changed(what: { status?: boolean; counters?: boolean; imports?: boolean }): void {
    if (what.status) this.statusCache = undefined;
    if (what.counters || what.imports) this.countersCache = undefined;
    if (what.imports) this.importedCache = undefined;
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (error) {
        console.error("scanner listener failed", error);
      }
    }
  }

  private assertOpen(): void {
    if (this.closed) throw ScannerError.of("CLOSED", this.settings.locale);
  }
}

async function deviceKeyOf(db: ScannerDb): Promise<string> {
  // Two tabs opening at once: the first key written wins, in one transaction.
  const tx = db.transaction("meta", "readwrite");
  const existing = (await tx.store.get("deviceKey")) as string | undefined;
  const key = existing ?? newDeviceKey();
  if (!existing) await tx.store.put(key, "deviceKey");
  await tx.done;
  return key;
}

function repeated(previous: ScanOutcome, started: number): ScanOutcome {
  return { ...previous, repeated: true, decisionMs: performance.now() - started };
}

function outcomeDetails(ticket: (TicketSnapshot & { holderName?: string }) | undefined): {
  holderName?: string;
  category?: string;
} {
  const details: { holderName?: string; category?: string } = {};
  if (ticket?.holderName) details.holderName = ticket.holderName;
  if (ticket?.category !== undefined) details.category = ticket.category;
  return details;
}

/** The sync step a download error means, or undefined when it only concerns that performance. */
function failureStep(error: unknown, locale: Locale): Extract<SyncStep, { ok: false }> | undefined {
  if (!(error instanceof ScannerError)) return undefined;
  switch (error.code) {
    case "NETWORK":
    case "INTERRUPTED":
      return { ok: false, kind: "network", message: engineText("SYNC_OFFLINE", locale) };
    case "SESSION_ENDED":
      return { ok: false, kind: "session", message: error.message };
    case "BAD_RESPONSE":
      // A captive portal's page, a proxy's: the gateway is not really there.
      return { ok: false, kind: "server", message: error.message };
    case "REFUSED":
      return error.status !== undefined &&
        (error.status >= 500 || error.status === 408 || error.status === 429)
        ? { ok: false, kind: "server", message: error.message }
        : undefined;
    default:
      return undefined;
  }
}

/** How a performance is named in messages: its event, then its date (or its label when undated). */
export function performanceName(
  performance: ImportedPerformance | undefined,
  { locale, timeZone }: Pick<Settings, "locale" | "timeZone">,
): string {
  if (!performance) return "?";
  if (!performance.dated || performance.startsAt === null) {
    return performance.label ? `${performance.eventName} (${performance.label})` : performance.eventName;
  }
  let when: string;
  try {
    when = new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "fr-FR", {
      dateStyle: "short",
      timeStyle: "short",
      timeZone,
    }).format(performance.startsAt);
  } catch {
    when = new Date(performance.startsAt).toISOString().slice(0, 16).replace("T", " ");
  }
  return `${performance.eventName}, ${when}`;
}
