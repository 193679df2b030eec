import { randomUUID } from "node:crypto";
import {
  countersDelta,
  type Decision,
  decide,
  type PerformanceRules,
  reasonMessage,
  type TicketSnapshot,
} from "@billetix/access-rules";
import { ObjectId } from "@mikro-orm/mongodb";
import type { Collection, Document } from "mongodb";
import { Performance } from "../catalog/performance.entity";
import type { RequestContext } from "../common/context";
import { badInput, forbidden } from "../common/domain-error";
import { parseId } from "../common/object-id";
import { requireActor } from "../institutions/permissions";
import { rememberedInstitution } from "../institutions/remembered-institution";
import { BulkGate } from "./bulk-gate";
import { DeviceService } from "./device.service";
import { performanceRules, type RulesOf, ticketSnapshot } from "./performance-rules";
import { endReservations, reserveRevisions } from "./revisions";
import { checkScanUploads, type ScanUpload } from "./scan-upload";
import type { AppliedScan, Ticket } from "./ticket.entity";

const APPLIED_SCANS_KEPT = 20;
/** Batches up to this size (online checks, a door's last few scans) never wait at the bulk gate. */
const SMALL_BATCH = 10;
/** Bulk uploads in progress at once per gateway: enough to keep the database busy, no more. */
const bulkUploads = new BulkGate(Number(process.env.BULK_UPLOADS_IN_FLIGHT) || 8);
const MAX_RETRIES = 8;

export interface ScanResult {
  clientScanId: string;
  accepted: boolean;
  reason: string;
  message: string;
  /** The server's verdict differs from the device's: recorded as an anomaly. */
  conflict: boolean;
  /** Already recorded by an earlier upload: nothing changed. */
  replayed: boolean;
}

export interface ScanBatchResult {
  results: ScanResult[];
  revisions: { performanceId: string; revision: number }[];
}

type TicketDoc = Ticket & Document;

/** What scanning reads of a performance: its rules, where it is, its revision. */
type ScanPerformance = RulesOf & Pick<Performance, "_id" | "institutionId" | "revision">;
const SCAN_PERFORMANCE_FIELDS = {
  institutionId: 1,
  revision: 1,
  controlMode: 1,
  maxPasses: 1,
  maxPassesPerDay: 1,
  excludedCategories: 1,
  dated: 1,
  startsAt: 1,
  endsAt: 1,
};

interface Outcome {
  accepted: boolean;
  reason: string;
  delta: AppliedScan["delta"];
  ticketId?: ObjectId;
}

/** One ticket's changes in a batch: every scan of it decided in order, written at once. */
interface TicketChange {
  key: string;
  performance: ScanPerformance;
  /** The ticket as read: its revision guards the write. */
  original: TicketDoc;
  next: TicketSnapshot;
  applied: AppliedScan[];
  scans: ScanUpload[];
  revision?: number;
}

/**
 * Records scans: each applied to its ticket with one atomic update guarded by the ticket's
 * revision and by the scan's id (so a retried upload, or two gateways racing, never count a scan
 * twice), without multi-document transactions. Every scan is stored, accepted or not; the
 * server's verdict wins, and a device that decided otherwise is recorded as a conflict.
 */
export class ScanService {
  /** Names this request's pending revision reservations. */
  private readonly requestId = new ObjectId();
  /** The last revision this request reserved, per performance: where its tickets are now. */
  private readonly reservedUpTo = new Map<string, number>();

  constructor(private readonly ctx: RequestContext) {}

  private collection(name: string): Collection<Document> {
    return this.ctx.em.getConnection().getCollection(name) as unknown as Collection<Document>;
  }

  /** Records a batch as it came over the wire (GraphQL or the JSON route): checked here first. */
  async record(deviceKey: string | undefined, batch: unknown): Promise<ScanBatchResult> {
    requireActor(this.ctx.actor);
    const uploads = checkScanUploads(batch);
    if (uploads.length <= SMALL_BATCH) return this.recordChecked(deviceKey, uploads);
    return bulkUploads.run(() => this.recordChecked(deviceKey, uploads));
  }

  /**
   * One authoritative decision, online (turnstiles, kiosks), recorded like any scan. Its id is
   * made here, so there is no earlier upload of it to look for.
   */
  async checkOnline(
    deviceKey: string | undefined,
    scan: Pick<ScanUpload, "performanceId" | "barcode" | "direction" | "timeZone">,
  ): Promise<ScanResult> {
    requireActor(this.ctx.actor);
    const [checked] = checkScanUploads([
      { ...scan, clientScanId: `online-${randomUUID()}`, scannedAt: this.ctx.app.clock.now() },
    ]);
    const { results } = await this.recordChecked(deviceKey, [checked], { madeHere: true });
    return results[0];
  }

  private async recordChecked(
    deviceKey: string | undefined,
    uploads: ScanUpload[],
    { madeHere = false } = {},
  ): Promise<ScanBatchResult> {
    const actor = requireActor(this.ctx.actor);
    // Independent reads, at once: a door's single scan waits for the slowest, not for their sum.
    // Nothing is decided or written before the device and performance checks have passed.
    const [, device, performances, stored, tickets] = await Promise.all([
      actor.isRoot ? undefined : actor.loadMemberships(),
      deviceKey ? new DeviceService(this.ctx).scanningDevice(deviceKey) : undefined,
      this.performancesOf(uploads),
      madeHere
        ? []
        : this.collection("scan")
            .find({ clientScanId: { $in: uploads.map((s) => s.clientScanId) } })
            .toArray(),
      this.ticketsOf(uploads),
    ]);
    const results = new Map<string, ScanResult>();
    for (const s of stored) results.set(s.clientScanId, storedResult(s));

    const fresh = uploads
      .filter((s) => !results.has(s.clientScanId))
      .sort((a, b) => a.scannedAt.getTime() - b.scannedAt.getTime());
    const outcomes = await this.applyBatch(performances, fresh, tickets);
    const toStore: Document[] = [];
    const deltas = new Map<string, AppliedScan["delta"]>();
    for (const scan of fresh) {
      const performance = performances.get(scan.performanceId) as ScanPerformance;
      const outcome = outcomes.get(scan.clientScanId) as Outcome;
      const conflict =
        scan.deviceAccepted !== undefined &&
        scan.deviceAccepted !== null &&
        scan.deviceAccepted !== outcome.accepted;
      results.set(scan.clientScanId, {
        clientScanId: scan.clientScanId,
        accepted: outcome.accepted,
        reason: outcome.reason,
        message: reasonMessage(outcome.reason as Decision["reason"]),
        conflict,
        replayed: false,
      });
      // A conflict is counted as an anomaly, not as a refusal: the person already went through.
      const delta: AppliedScan["delta"] = conflict
        ? [outcome.delta[0], outcome.delta[1], 0, 1]
        : outcome.delta;
      deltas.set(scan.clientScanId, delta);
      toStore.push({
        _id: new ObjectId(),
        clientScanId: scan.clientScanId,
        performanceId: performance._id,
        ticketId: outcome.ticketId,
        barcode: scan.barcode,
        deviceId: device?.deviceKey,
        loginId: actor.login._id,
        direction: scan.direction,
        scannedAt: scan.scannedAt,
        timeZone: scan.timeZone,
        accepted: outcome.accepted,
        reason: outcome.reason,
        deviceAccepted: scan.deviceAccepted ?? null,
        conflict,
        delta,
        recordedAt: this.ctx.app.clock.now(),
        createdAt: this.ctx.app.clock.now(),
        updatedAt: this.ctx.app.clock.now(),
      });
    }

    // Counters move for exactly the scans this request stored (a racing request stores the others).
    const inserted = await this.insertScans(toStore);
    const byPerformance = new Map<string, number[]>();
    for (const doc of toStore) {
      if (!inserted.has(doc.clientScanId)) {
        const result = results.get(doc.clientScanId);
        if (result) result.replayed = true;
        continue;
      }
      const key = String(doc.performanceId);
      const sum = byPerformance.get(key) ?? [0, 0, 0, 0];
      (deltas.get(doc.clientScanId) ?? [0, 0, 0, 0]).forEach((n, i) => {
        sum[i] += n;
      });
      byPerformance.set(key, sum);
    }
    // One update per performance moves its counters and ends this request's reservations.
    for (const id of new Set([...byPerformance.keys(), ...this.reservedUpTo.keys()])) {
      const [admitted, inside, refused, anomalies] = byPerformance.get(id) ?? [0, 0, 0, 0];
      const moved = admitted || inside || refused || anomalies;
      if (!moved && !this.reservedUpTo.has(id)) continue;
      await this.collection("performance").updateOne(
        { _id: new ObjectId(id) },
        {
          ...(moved && {
            $inc: {
              "counters.admittedCount": admitted,
              "counters.insideCount": inside,
              "counters.refusedCount": refused,
              "counters.anomalyCount": anomalies,
            },
          }),
          ...(this.reservedUpTo.has(id) && endReservations(this.requestId)),
        },
      );
    }
    return {
      results: uploads.map((s) => results.get(s.clientScanId) as ScanResult),
      revisions: [...performances.values()].map((p) => ({
        performanceId: p.id,
        revision: Math.max(p.revision, this.reservedUpTo.get(p.id) ?? 0),
      })),
    };
  }

  /** The performances the scans are for; each must exist and be one the actor scans for. */
  private async performancesOf(uploads: ScanUpload[]): Promise<Map<string, ScanPerformance>> {
    const ids = new Map<string, ObjectId>();
    for (const [i, s] of uploads.entries())
      ids.set(s.performanceId, parseId(s.performanceId, `scans.${i}.performanceId`));
    // Read raw: every batch needs them, and their rules and revision are all it needs.
    const found = await this.collection("performance")
      .find({ _id: { $in: [...ids.values()] } }, { projection: SCAN_PERFORMANCE_FIELDS })
      .toArray();
    const byId = new Map(found.map((p) => [String(p._id), { ...p, id: String(p._id) } as ScanPerformance]));
    const actor = requireActor(this.ctx.actor);
    for (const [i, scan] of uploads.entries()) {
      const performance = byId.get(scan.performanceId);
      if (!performance) throw badInput(`scans.${i}.performanceId`, "Représentation inconnue.");
      const institution = await rememberedInstitution(this.ctx, performance.institutionId);
      if (!institution || !(await actor.can("scan", institution)))
        throw forbidden("contrôler les billets de cette représentation");
    }
    return byId;
  }

  private async ticketsOf(scans: ScanUpload[]): Promise<Map<string, TicketDoc>> {
    const byPerformance = new Map<string, Set<string>>();
    for (const s of scans) {
      const set = byPerformance.get(s.performanceId) ?? new Set<string>();
      set.add(s.barcode);
      byPerformance.set(s.performanceId, set);
    }
    if (byPerformance.size === 0) return new Map();
    const docs = await this.collection("ticket")
      .find(
        {
          $or: [...byPerformance].map(([p, barcodes]) => ({
            performanceId: new ObjectId(p),
            barcode: { $in: [...barcodes] },
          })),
        },
        // What deciding needs, not what reports show.
        { projection: { extra: 0, holderName: 0, seat: 0, price: 0, sourceId: 0, createdAt: 0 } },
      )
      .toArray();
    return new Map(docs.map((d) => [ticketKey(String(d.performanceId), d.barcode), d as TicketDoc]));
  }

  /**
   * Decides every scan on its ticket as read, chaining the scans of one ticket in memory, then
   * writes each changed ticket once: one `$inc` reserves a performance's revisions for the whole
   * batch and the guarded ticket updates go in one bulk write. A ticket that another request
   * changed meanwhile fails its guard; its scans are then decided again, one at a time, on what
   * that request left.
   */
  private async applyBatch(
    performances: Map<string, ScanPerformance>,
    scans: ScanUpload[],
    tickets: Map<string, TicketDoc>,
  ): Promise<Map<string, Outcome>> {
    const outcomes = new Map<string, Outcome>();
    const changes = new Map<string, TicketChange>();
    const rules = new Map([...performances].map(([id, p]) => [id, performanceRules(p)]));
    for (const scan of scans) {
      const performance = performances.get(scan.performanceId) as ScanPerformance;
      const key = ticketKey(performance.id, scan.barcode);
      const ticket = tickets.get(key);
      const replayed = replayedOutcome(ticket, scan);
      if (replayed) {
        outcomes.set(scan.clientScanId, replayed);
        continue;
      }
      const change = changes.get(key);
      const before = change ? change.next : ticket ? ticketSnapshot(ticket as Ticket) : undefined;
      const { outcome, next } = decideScan(
        ticket,
        before,
        rules.get(scan.performanceId) as PerformanceRules,
        scan,
      );
      outcomes.set(scan.clientScanId, outcome);
      if (!ticket || !next) continue;
      const entry = change ?? { key, performance, original: ticket, next, applied: [], scans: [] };
      entry.next = next;
      entry.applied.push(appliedScan(scan, outcome));
      entry.scans.push(scan);
      changes.set(key, entry);
    }
    if (changes.size === 0) return outcomes;

    await this.reserveForChanges([...changes.values()]);
    for (const change of await this.writeChanges([...changes.values()])) {
      const fresh = await this.collection("ticket").findOne({ _id: change.original._id });
      if (fresh) tickets.set(change.key, fresh as TicketDoc);
      else tickets.delete(change.key);
      for (const scan of change.scans) {
        outcomes.set(scan.clientScanId, await this.apply(change.performance, scan, tickets));
      }
    }
    return outcomes;
  }

  /** Reserves the next `count` revisions of a performance, pending until this request ends; the last one. */
  private async reserve(performance: ScanPerformance, count: number): Promise<number> {
    const last = await reserveRevisions(
      this.collection("performance"),
      performance._id,
      count,
      this.requestId,
      this.ctx.app.clock.now(),
    );
    this.reservedUpTo.set(performance.id, last);
    return last;
  }

  /** One `$inc` per performance reserves the revisions its changed tickets will carry. */
  private async reserveForChanges(changes: TicketChange[]): Promise<void> {
    const byPerformance = new Map<string, TicketChange[]>();
    for (const change of changes) {
      const group = byPerformance.get(change.performance.id) ?? [];
      group.push(change);
      byPerformance.set(change.performance.id, group);
    }
    for (const group of byPerformance.values()) {
      const last = await this.reserve(group[0].performance, group.length);
      group.forEach((change, i) => {
        change.revision = last - group.length + 1 + i;
      });
    }
  }

  /**
   * Writes the changed tickets in one unordered bulk write, each update guarded by the revision
   * its decisions started from. Returns the changes whose guard failed (another request won).
   */
  private async writeChanges(changes: TicketChange[]): Promise<TicketChange[]> {
    const now = this.ctx.app.clock.now();
    const result = await this.collection("ticket").bulkWrite(
      changes.map((change) => ({
        updateOne: {
          // Every ticket change stamps a new revision: the one read is the whole guard.
          filter: { _id: change.original._id, revision: change.original.revision },
          update: ticketUpdate(change.next, change.applied, change.revision as number, now),
        },
      })),
      { ordered: false },
    );
    if (result.matchedCount === changes.length) return [];
    const written = await this.collection("ticket")
      .find({ _id: { $in: changes.map((c) => c.original._id) } }, { projection: { revision: 1 } })
      .toArray();
    const revisions = new Map(written.map((t) => [String(t._id), t.revision]));
    return changes.filter((c) => revisions.get(String(c.original._id)) !== c.revision);
  }

  /** Decides on the ticket's current state and applies the change with one guarded update. */
  private async apply(
    performance: ScanPerformance,
    scan: ScanUpload,
    tickets: Map<string, TicketDoc>,
  ): Promise<Outcome> {
    const key = ticketKey(performance.id, scan.barcode);
    const rules = performanceRules(performance);
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const ticket = tickets.get(key);
      const replayed = replayedOutcome(ticket, scan);
      if (replayed) return replayed;
      const before = ticket ? ticketSnapshot(ticket as Ticket) : undefined;
      const { outcome, next } = decideScan(ticket, before, rules, scan);
      if (!ticket || !next) return outcome;
      const revision = await this.reserve(performance, 1);
      const updated = await this.collection("ticket").findOneAndUpdate(
        { _id: ticket._id, revision: ticket.revision },
        ticketUpdate(next, [appliedScan(scan, outcome)], revision, this.ctx.app.clock.now()),
        { returnDocument: "after" },
      );
      if (updated) {
        tickets.set(key, updated as TicketDoc);
        return outcome;
      }
      // Another scan changed the ticket first: decide again on what it left.
      const fresh = await this.collection("ticket").findOne({ _id: ticket._id });
      if (fresh) tickets.set(key, fresh as TicketDoc);
    }
    throw new Error(`ticket ${scan.barcode} kept changing under scan ${scan.clientScanId}`);
  }

  /** Stores the scans; returns the ids this call inserted (a racing call may have stored some). */
  private async insertScans(docs: Document[]): Promise<Set<string>> {
    if (docs.length === 0) return new Set();
    try {
      await this.collection("scan").insertMany(docs, { ordered: false });
      return new Set(docs.map((d) => d.clientScanId));
    } catch (err) {
      const writeErrors = (
        err as { writeErrors?: { index: number; code?: number; err?: { code?: number } }[] }
      ).writeErrors;
      if (!writeErrors || writeErrors.some((e) => (e.code ?? e.err?.code) !== 11000)) throw err;
      const failed = new Set(writeErrors.map((e) => e.index));
      return new Set(docs.filter((_, i) => !failed.has(i)).map((d) => d.clientScanId));
    }
  }
}

/** The verdict a scan already got, when its ticket shows it applied (a replayed upload). */
function replayedOutcome(ticket: TicketDoc | undefined, scan: ScanUpload): Outcome | undefined {
  const earlier = ticket?.appliedScans?.find((a) => a.id === scan.clientScanId);
  return ticket && earlier ? { ...earlier, ticketId: ticket._id } : undefined;
}

/** The scan's verdict on the ticket's state `before`, its counter moves, and the new state if it changed. */
function decideScan(
  ticket: TicketDoc | undefined,
  before: TicketSnapshot | undefined,
  rules: PerformanceRules,
  scan: ScanUpload,
): { outcome: Outcome; next?: TicketSnapshot } {
  const decision = decide(before, rules, {
    direction: scan.direction,
    at: scan.scannedAt.getTime(),
    timeZone: scan.timeZone,
  });
  const d = countersDelta(before, decision);
  const outcome: Outcome = {
    accepted: decision.accepted,
    reason: decision.reason,
    delta: [d.admitted, d.inside, d.refused, d.anomalies],
    ticketId: ticket?._id,
  };
  const changed = decision.next !== undefined && decision.next !== before;
  return { outcome, next: changed ? decision.next : undefined };
}

/** The replay marker a scan leaves on its ticket. */
function appliedScan(scan: ScanUpload, outcome: Outcome): AppliedScan {
  return { id: scan.clientScanId, accepted: outcome.accepted, reason: outcome.reason, delta: outcome.delta };
}

/** The ticket fields a scan changes, its revision stamp, and the scans applied (replay markers). */
function ticketUpdate(next: TicketSnapshot, applied: AppliedScan[], revision: number, now: Date): Document {
  return {
    $set: {
      passes: next.passes,
      passesByDay: next.passesByDay,
      inside: next.inside,
      firstEntryAt: next.firstEntryAt === undefined ? null : new Date(next.firstEntryAt),
      lastScanAt: next.lastScanAt === undefined ? null : new Date(next.lastScanAt),
      revision,
      updatedAt: now,
    },
    $push: { appliedScans: { $each: applied, $slice: -APPLIED_SCANS_KEPT } },
  };
}

function ticketKey(performanceId: string, barcode: string): string {
  return `${performanceId}\u0000${barcode}`;
}

function storedResult(scan: Document): ScanResult {
  return {
    clientScanId: scan.clientScanId,
    accepted: scan.accepted,
    reason: scan.reason,
    message: reasonMessage(scan.reason),
    conflict: Boolean(scan.conflict),
    replayed: true,
  };
}
