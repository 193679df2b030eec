import type { Locale } from "@billetix/access-rules";
import type { OutboxEntry, ScannerDb } from "./database";
import type { GatewayClient, ScanResultBody, ScanUploadBody } from "./gateway-client";
import { engineText } from "./scanner.error";
import type { Conflict, RejectedScan } from "./types";

/** The gateway's `MAX_SCANS_PER_BATCH`. */
export const MAX_UPLOAD_BATCH = 500;
/** Under the gateway's 1 MB body limit, with room for the envelope. */
const MAX_BODY_CHARS = 900_000;

/** Why an upload stopped: every kind but `session` is retried after a back-off. */
export type UploadFailureKind = "network" | "session" | "server" | "device";

export type UploadStep =
  | { ok: true; requests: number; acknowledged: number }
  | { ok: false; kind: UploadFailureKind; message: string; requests: number };

/** What one round changed in the outbox, for the engine's memory. */
export interface OutboxChanges {
  acknowledged: number;
  conflicts: Conflict[];
  rejected: RejectedScan[];
}

interface SendResult {
  requests: number;
  acked: { entry: OutboxEntry; result: ScanResultBody }[];
  rejected: { entry: OutboxEntry; message: string }[];
  failure?: { kind: UploadFailureKind; message: string };
}

export function rejectedScan(entry: OutboxEntry): RejectedScan {
  return {
    clientScanId: entry.clientScanId,
    barcode: entry.barcode,
    performanceId: entry.performanceId,
    direction: entry.direction,
    at: entry.scannedAt,
    message: entry.message ?? "",
  };
}

function uploadBody(entry: OutboxEntry): ScanUploadBody {
  return {
    clientScanId: entry.clientScanId,
    performanceId: entry.performanceId,
    barcode: entry.barcode,
    direction: entry.direction,
    scannedAt: entry.scannedAt,
    timeZone: entry.timeZone,
    deviceAccepted: entry.deviceAccepted,
  };
}

/**
 * Empties the outbox towards the gateway, in scan order, 500 scans a request. An acknowledged scan
 * leaves the outbox (a conflicting verdict becomes a `Conflict`). A batch the server refuses (a
 * 4xx other than 401/408/429) is split until the scans at fault are found: those are kept as
 * `rejected` with the server's message, the others go on. A 404 or a refused `deviceKey` is about
 * the device (not registered), not its scans: nothing is rejected, the upload waits.
 */
export class OutboxUploader {
  constructor(
    private readonly db: ScannerDb,
    private readonly gateway: GatewayClient,
    private readonly deviceKey: string,
    private readonly locale: Locale,
    private readonly onChanges: (changes: OutboxChanges) => void,
  ) {}

  /** Uploads every pending scan until none is left or a failure stops the round. */
  async uploadAll(): Promise<UploadStep> {
    let requests = 0;
    let acknowledged = 0;
    for (;;) {
      const batch = await this.db.getAllFromIndex("outbox", "by-state", "pending", MAX_UPLOAD_BATCH);
      if (batch.length === 0) return { ok: true, requests, acknowledged };
      const result: SendResult = { requests: 0, acked: [], rejected: [] };
      await this.send(batch, result);
      requests += result.requests;
      acknowledged += result.acked.length;
      await this.store(result);
      if (result.failure) return { ok: false, ...result.failure, requests };
      // An answer that settled none of the batch would send it again forever.
      if (result.acked.length === 0 && result.rejected.length === 0) {
        return { ok: false, kind: "server", message: engineText("BAD_RESPONSE", this.locale), requests };
      }
    }
  }

  private async send(entries: OutboxEntry[], out: SendResult): Promise<void> {
    if (entries.length > 1 && JSON.stringify(entries.map(uploadBody)).length > MAX_BODY_CHARS) {
      return this.sendParts(halves(entries), out);
    }
    out.requests++;
    const reply = await this.gateway.uploadScans(this.deviceKey, entries.map(uploadBody));
    switch (reply.kind) {
      case "ok": {
        const byId = new Map(entries.map((e) => [e.clientScanId, e]));
        for (const result of reply.results) {
          const entry = byId.get(result.clientScanId);
          if (entry) out.acked.push({ entry, result });
        }
        return;
      }
      case "network":
      case "session":
        out.failure = { kind: reply.kind, message: reply.message };
        return;
      case "retry":
        out.failure = { kind: "server", message: reply.message };
        return;
      case "refused": {
        if (reply.status === 404 || reply.field === "deviceKey") {
          out.failure = { kind: "device", message: reply.message };
          return;
        }
        if (entries.length === 1) {
          out.rejected.push({ entry: entries[0], message: reply.message });
          return;
        }
        // The server named the scan at fault (`scans.3.barcode`): keep it aside, send the others.
        const named = /^scans\.(\d+)(?:\.|$)/.exec(reply.field ?? "");
        const index = named ? Number(named[1]) : -1;
        if (index >= 0 && index < entries.length) {
          out.rejected.push({ entry: entries[index], message: reply.message });
          return this.send(
            entries.filter((_, i) => i !== index),
            out,
          );
        }
        // Unnamed. A 403 is about a performance (this login may not scan it): every scan of it
        // shares the verdict, no need to split further. Anything else: by halves.
        const groups = byPerformance(entries);
        if (groups.length > 1) return this.sendParts(groups, out);
        if (reply.status === 403) {
          for (const entry of entries) out.rejected.push({ entry, message: reply.message });
          return;
        }
        return this.sendParts(halves(entries), out);
      }
    }
  }

  private async sendParts(parts: OutboxEntry[][], out: SendResult): Promise<void> {
    for (const part of parts) {
      await this.send(part, out);
      if (out.failure) return;
    }
  }

  /** Settles a round in one transaction: acknowledged scans leave, conflicts and rejections are kept. */
  private async store(result: SendResult): Promise<void> {
    if (result.acked.length === 0 && result.rejected.length === 0) return;
    const tx = this.db.transaction(["outbox", "conflicts"], "readwrite");
    const outbox = tx.objectStore("outbox");
    const conflicts: Conflict[] = [];
    const rejected: RejectedScan[] = [];
    const writes: Promise<unknown>[] = [];
    for (const { entry, result: r } of result.acked) {
      writes.push(outbox.delete(entry.seq as number));
      if (r.conflict) {
        const conflict: Conflict = {
          clientScanId: entry.clientScanId,
          barcode: entry.barcode,
          performanceId: entry.performanceId,
          at: entry.scannedAt,
          message: r.message,
        };
        conflicts.push(conflict);
        writes.push(tx.objectStore("conflicts").put(conflict));
      }
    }
    for (const { entry, message } of result.rejected) {
      const kept: OutboxEntry = { ...entry, state: "rejected", message };
      rejected.push(rejectedScan(kept));
      writes.push(outbox.put(kept));
    }
    await Promise.all([...writes, tx.done]);
    this.onChanges({ acknowledged: result.acked.length, conflicts, rejected });
  }
}

function halves(entries: OutboxEntry[]): OutboxEntry[][] {
  const middle = Math.ceil(entries.length / 2);
  return [entries.slice(0, middle), entries.slice(middle)];
}

function byPerformance(entries: OutboxEntry[]): OutboxEntry[][] {
  const groups = new Map<string, OutboxEntry[]>();
  for (const entry of entries) {
    const group = groups.get(entry.performanceId);
    if (group) group.push(entry);
    else groups.set(entry.performanceId, [entry]);
  }
  return [...groups.values()];
}
