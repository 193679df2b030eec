export type TicketState = "valid" | "cancelled" | "duplicated";
export type ControlMode = "single" | "inOut" | "multi";
export type Direction = "in" | "out";

/** What the door knows of a ticket. JSON-serialisable: the scanner keeps it in IndexedDB. */
export interface TicketSnapshot {
  performanceId: string;
  barcode: string;
  state: TicketState;
  category?: string;
  /** Entries so far (in inOut: entries, not exits). */
  passes: number;
  /** Entries per day, keyed YYYY-MM-DD in the time zone of the scanning device. */
  passesByDay: Readonly<Record<string, number>>;
  /** inOut: on the inside. A ticket never scanned is outside. */
  inside: boolean;
  /** Epoch ms of the first entry. */
  firstEntryAt?: number;
  /** Epoch ms of the last scan that changed the ticket. */
  lastScanAt?: number;
}

/**
 * The rules of a performance at its doors. JSON-serialisable. The gateway derives the window:
 * a dated performance's opening hours, an undated one's validity period.
 */
export interface PerformanceRules {
  performanceId: string;
  mode: ControlMode;
  /** multi: passes in total per ticket (none: no total limit). Ignored by single and inOut. */
  maxPasses?: number;
  /** multi: passes per calendar day of the device's time zone (none: no daily limit). */
  maxPassesPerDay?: number;
  /** Categories refused at the door ("billet filtré"). */
  excludedCategories: readonly string[];
  /** Epoch ms, inclusive: a scan at exactly this instant passes. */
  validFrom: number;
  /**
   * Epoch ms, inclusive: a scan at exactly this instant passes, one millisecond later is
   * `TOO_LATE`. No end: `Number.MAX_SAFE_INTEGER`.
   */
  validUntil: number;
}

/** One scan at a door. */
export interface ScanInput {
  /** single and multi ignore it (one way only); inOut uses it. */
  direction: Direction;
  /** Epoch ms, the device's clock. */
  at: number;
  /** The device's IANA time zone, for what "today" means. Unknown zones count as UTC. */
  timeZone: string;
}
