import type { Direction, TicketSnapshot } from "@billetix/access-rules";
import { type DBSchema, type IDBPDatabase, openDB } from "idb";
import type { Conflict, ImportedPerformance } from "./types";

export const DEFAULT_DB_NAME = "billetix-scanner";
/** Bump with a new `if (oldVersion < N)` step in `upgrade`; never edit a released step. */
export const DB_VERSION = 1;

/** A ticket as the device keeps it: the snapshot `decide` reads, plus what the screens show and sync needs. */
export interface StoredTicket extends TicketSnapshot {
  holderName?: string;
  /** The server revision of the last server state applied (local scans leave it as is). */
  revision: number;
}

export type OutboxState = "pending" | "rejected";

/** A scan made here, kept until the server acknowledges it (or, rejected, until sent again). */
export interface OutboxEntry {
  /** Auto-increment: upload order is scan order. */
  seq?: number;
  clientScanId: string;
  performanceId: string;
  barcode: string;
  direction: Direction;
  scannedAt: number;
  timeZone: string;
  deviceAccepted: boolean;
  state: OutboxState;
  /** Rejected: the server's reason, in French. */
  message?: string;
}

/** The `meta` store's keys and what each holds. */
export interface MetaValues {
  deviceKey: string;
  /** The performances controlled now, in the operator's order (the first gets unknown tickets). */
  controlled: string[];
  /** First imports under way: their tickets are removed at the next open if they never finished. */
  importing: string[];
}

export interface ScannerSchema extends DBSchema {
  tickets: { key: [string, string]; value: StoredTicket };
  performances: { key: string; value: ImportedPerformance };
  outbox: {
    key: number;
    value: OutboxEntry;
    indexes: {
      "by-state": OutboxState;
      /** A performance's pending scans, in scan order: replayed on server states. */
      "by-performance-state": [string, OutboxState];
    };
  };
  conflicts: { key: string; value: Conflict };
  meta: { key: keyof MetaValues; value: MetaValues[keyof MetaValues] };
}

export type ScannerDb = IDBPDatabase<ScannerSchema>;

export function openScannerDb(name: string): Promise<ScannerDb> {
  return openDB<ScannerSchema>(name, DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore("tickets", { keyPath: ["performanceId", "barcode"] });
        db.createObjectStore("performances", { keyPath: "id" });
        const outbox = db.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
        outbox.createIndex("by-state", "state");
        outbox.createIndex("by-performance-state", ["performanceId", "state"]);
        db.createObjectStore("conflicts", { keyPath: "clientScanId" });
        db.createObjectStore("meta");
      }
    },
    // Another tab wants a newer schema: let it, this one reloads into the new version.
    blocking(_current, _next, event) {
      (event.target as IDBDatabase | null)?.close();
    },
  });
}

/** Every ticket key of a performance: arrays sort after strings, so `[id, []]` closes the range. */
export function ticketRange(performanceId: string): IDBKeyRange {
  return IDBKeyRange.bound([performanceId], [performanceId, []]);
}

export async function readMeta<K extends keyof MetaValues>(
  db: ScannerDb,
  key: K,
): Promise<MetaValues[K] | undefined> {
  return (await db.get("meta", key)) as MetaValues[K] | undefined;
}

export async function writeMeta<K extends keyof MetaValues>(
  db: ScannerDb,
  key: K,
  value: MetaValues[K],
): Promise<void> {
  await db.put("meta", value, key);
}
