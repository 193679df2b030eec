import type { ConfigValues } from "../config-schema";
import type { PartnerFault } from "../simulator/faults";

/** Fault switches every partner simulator offers, for the conformance kit's failure cases. */
export type { PartnerFault } from "../simulator/faults";

/** A sample file and how many ticket records it holds. */
export interface SampleFile {
  name: string;
  content: Buffer;
  tickets: number;
  /** Barcodes that must come out cancelled (or duplicated), when the file has a cancellation column. */
  cancelled?: string[];
}

/** A file that must be refused, and what the error's message must say (e.g. the line). */
export interface BadFile {
  name: string;
  content: Buffer;
  message: RegExp;
}

/**
 * What a connector's test gives the conformance kit: a working configuration and, for online
 * connectors, its partner simulator running with known data.
 */
export interface ConformanceFixture {
  /** A source configuration that works (for online connectors: pointing at the simulator). */
  config: ConfigValues;
  /** Online: the same, with short timeouts and few retries, so the fault cases end quickly. */
  faultConfig?: ConfigValues;
  /** Online: performance parameters whose import yields `expectedTickets` records. */
  params?: ConfigValues;
  expectedTickets?: number;
  /** Online: switches a fault on for every later request (null: off). */
  setFault?(fault: PartnerFault | null): void;
  /** Online: sells `added` new tickets and cancels `cancelled` ones at the partner, for incremental sync. */
  changeAtPartner?(): Promise<{ added: string[]; cancelled: string[] }>;
  /** File: files to parse, and junk that must be refused with a clear message. */
  files?: SampleFile[];
  badFiles?: BadFile[];
  close(): Promise<void>;
}
