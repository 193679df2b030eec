import { type Reason, reasonMessage } from "@billetix/access-rules";
import type { Collection, Document } from "mongodb";
import { Device } from "../access";
import type { Performance } from "../catalog";
import type { RequestContext } from "../common/context";
import type { ScanLogEntry, ScanLogPage } from "./dto/scan-log.output";
import { exportBatches } from "./export-cursor";
import { reportedPerformance } from "./report-access";
import { type PageRequest, parsePage, type ScanLogFilter, scanLogWhere } from "./report-query";

/** Newest first by the device's clock; the id breaks ties so that pages never overlap. */
const NEWEST_FIRST = { scannedAt: -1, _id: -1 } as const;

const LOG_FIELDS = {
  barcode: 1,
  accepted: 1,
  reason: 1,
  conflict: 1,
  direction: 1,
  deviceId: 1,
  scannedAt: 1,
  recordedAt: 1,
};

export interface ScanLogExport {
  performance: Performance;
  /** Every matching scan, newest first, a batch at a time, from one cursor; stopping early closes it. */
  rows: AsyncGenerator<Iterable<ScanLogEntry>>;
}

/** Every scan of a performance, accepted or refused, for the back office: filtered, paged, exported. */
export class ScanLogService {
  constructor(private readonly ctx: RequestContext) {}

  private scans(): Collection<Document> {
    return this.ctx.em.getConnection().getCollection("scan") as unknown as Collection<Document>;
  }

  async page(performanceId: string, filter: ScanLogFilter, page: PageRequest): Promise<ScanLogPage> {
    const performance = await reportedPerformance(this.ctx, performanceId);
    const { offset, limit } = parsePage(page);
    const where = { ...scanLogWhere(filter), performanceId: performance._id };
    const [docs, totalCount] = await Promise.all([
      this.scans().find(where, { projection: LOG_FIELDS, sort: NEWEST_FIRST, skip: offset, limit }).toArray(),
      this.scans().countDocuments(where),
    ]);
    const names = await this.deviceNames(docs.map((d) => d.deviceId));
    return { totalCount, rows: docs.map((d) => logEntry(d, names)) };
  }

  /** Everything an export needs, checked before the first byte goes out; the rows are read lazily. */
  async export(performanceId: string, filter: ScanLogFilter): Promise<ScanLogExport> {
    const performance = await reportedPerformance(this.ctx, performanceId);
    const where = { ...scanLogWhere(filter), performanceId: performance._id };
    const scans = this.scans();
    // A handful of devices scan a performance: their names are read once, not per row.
    const names = await this.deviceNames(await scans.distinct("deviceId", where));
    const rows = exportBatches(scans, where, { projection: LOG_FIELDS, sort: NEWEST_FIRST }, (doc) =>
      logEntry(doc, names),
    );
    return { performance, rows };
  }

  /** The names of these devices, in one query. */
  private async deviceNames(keys: unknown[]): Promise<Map<string, string>> {
    const wanted = [...new Set(keys.filter((k): k is string => typeof k === "string"))];
    if (wanted.length === 0) return new Map();
    const devices = await this.ctx.em.find(
      Device,
      { deviceKey: { $in: wanted } },
      { fields: ["deviceKey", "name"] },
    );
    return new Map(devices.map((d) => [d.deviceKey, d.name]));
  }
}

function logEntry(doc: Document, deviceNames: Map<string, string>): ScanLogEntry {
  const deviceId = typeof doc.deviceId === "string" ? doc.deviceId : null;
  return {
    id: String(doc._id),
    barcode: doc.barcode,
    accepted: Boolean(doc.accepted),
    reason: doc.reason,
    // A reason this version does not know (older data) is shown as its code rather than blank.
    message: reasonMessage(doc.reason as Reason) ?? doc.reason,
    conflict: Boolean(doc.conflict),
    direction: doc.direction,
    deviceId,
    deviceName: deviceId ? (deviceNames.get(deviceId) ?? null) : null,
    scannedAt: doc.scannedAt,
    recordedAt: doc.recordedAt,
  };
}
