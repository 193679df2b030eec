import type { Direction, PerformanceRules, Reason } from "@billetix/access-rules";

/**
 * The contract between the scanner's local engine (`src/local/`: IndexedDB, decisions, outbox,
 * sync) and its screens (`src/ui/`). The engine never imports React or Apollo; the screens never
 * touch IndexedDB.
 */

/** What the screens know of a performance before importing it (from `scannerPerformances`). */
export interface PerformanceMeta {
  id: string;
  institutionId: string;
  eventName: string;
  venueName: string;
  dated: boolean;
  /** Epoch ms; null when undated. */
  startsAt: number | null;
  endsAt: number | null;
  /** Undated performances: the label shown on the scanner (« Exposition permanente »). */
  label: string | null;
}

/** A performance whose tickets are on this device. */
export interface ImportedPerformance extends PerformanceMeta {
  rules: PerformanceRules;
  categories: string[];
  /** The server revision this copy has reached (the next delta starts after it). */
  revision: number;
  ticketCount: number;
  /** Local counters over this copy: tickets admitted at least once, tickets inside (inOut). */
  admitted: number;
  inside: number;
  importedAt: number;
  /** Last successful import or delta pull (epoch ms). */
  lastSyncAt: number;
}

/** The verdict shown for one scan. */
export interface ScanOutcome {
  clientScanId: string;
  barcode: string;
  /** The performance it was recorded against (the first controlled one for an unknown ticket). */
  performanceId: string;
  direction: Direction;
  at: number;
  accepted: boolean;
  reason: Reason;
  /** An exit while outside: the person goes out, shown orange. */
  anomaly: boolean;
  /** `reasonMessage(reason, locale)`. */
  message: string;
  holderName?: string;
  category?: string;
  /** The same code (and direction) read again within `REPEAT_WINDOW_MS`: shown again, not recorded. */
  repeated: boolean;
  /** From the code read to the outcome durable in IndexedDB, in ms. */
  decisionMs: number;
}

/** The upload side, for the banner. */
export interface SyncStatus {
  /** false: « mode dégradé ». */
  online: boolean;
  /** Scans in the outbox, not yet acknowledged by the server. */
  pending: number;
  lastUploadAt: number | null;
  /** The last upload or pull failure, in French (null once one succeeds). */
  lastError: string | null;
  nextRetryAt: number | null;
  /** The server answered 401: the operator must log in again; nothing is lost meanwhile. */
  sessionEnded: boolean;
}

/** A scan the server decided otherwise than the device (e.g. a double admission while offline). */
export interface Conflict {
  clientScanId: string;
  barcode: string;
  performanceId: string;
  at: number;
  /** The server's verdict, in French. */
  message: string;
}

/** One ticket change pushed by the gateway's `ticketChanges` subscription. */
export interface ServerTicketChange {
  performanceId: string;
  barcode: string;
  state: string;
  category?: string | null;
  holderName?: string | null;
  passes: number;
  inside: boolean;
  revision: number;
  /** JSON of YYYY-MM-DD → count. */
  passesByDay: string;
}

/**
 * A scan the server refused as part of its batch (a 4xx naming it, e.g. a performance this login may
 * no longer scan): kept on the device, never retried by itself (`retryRejected()` sends them again).
 */
export interface RejectedScan {
  clientScanId: string;
  barcode: string;
  performanceId: string;
  direction: Direction;
  at: number;
  /** The server's reason, in French. */
  message: string;
}

/** The counters shown at the door, summed over the controlled performances. */
export interface ScannerCounters {
  /** Tickets admitted at least once. */
  admitted: number;
  /** inOut: tickets on the inside. */
  inside: number;
  ticketCount: number;
}

export type ControlSelection =
  | { ok: true }
  | { ok: false; barcode: string; performanceIds: [string, string]; message: string };

/** Progress of an import: `total` is null when the server did not say. */
export type ImportProgress = (done: number, total: number | null) => void;

export const REPEAT_WINDOW_MS = 3000;
