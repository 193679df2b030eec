import type { EntityManager, ObjectId } from "@mikro-orm/mongodb";
import type { Collection, Document } from "mongodb";
import type { JobDefinition } from "../jobs/job-scheduler";
import { clearStaleReservations } from "./revisions";

/** A performance is recounted only after this long without a new scan (no request still counting). */
export const RECOUNT_QUIET_MS = 2 * 60_000;
/** Performances with scans recorded this far back are looked at. */
const LOOKBACK_MS = 24 * 3600_000;

/**
 * Counters move with `$inc` after the scans are stored, without a transaction: a gateway that
 * dies between the two leaves them short (and its revision reservations pending: dropped here
 * too). This job recounts the performances scanned lately,
 * once they are quiet, from their tickets and scans, and repairs the counters that drifted.
 */
export const recountCountersJob: JobDefinition = {
  name: "access.recount-counters",
  async handle(_data, { em, clock, log }) {
    const now = clock.now().getTime();
    const scanned = await collection(em, "scan").distinct("performanceId", {
      recordedAt: { $gte: new Date(now - LOOKBACK_MS), $lt: new Date(now - RECOUNT_QUIET_MS) },
    });
    await clearStaleReservations(collection(em, "performance"), clock.now());
    let repaired = 0;
    for (const performanceId of scanned) {
      if (await recountCounters(em, performanceId as ObjectId, now)) repaired++;
    }
    if (repaired > 0) log.warn({ repaired }, "performance counters repaired from their tickets and scans");
  },
};

/**
 * Recounts one performance's counters when it has had no scan for a while. The write is guarded
 * by the counters as read, so a scan counted meanwhile makes it give up until the next run.
 * Returns whether the counters had drifted and were repaired.
 */
export async function recountCounters(
  em: EntityManager,
  performanceId: ObjectId,
  now: number,
): Promise<boolean> {
  const performance = await collection(em, "performance").findOne(
    { _id: performanceId },
    { projection: { counters: 1 } },
  );
  if (!performance) return false;
  const busy = await collection(em, "scan").findOne(
    { recordedAt: { $gte: new Date(now - RECOUNT_QUIET_MS) }, performanceId },
    { projection: { _id: 1 } },
  );
  if (busy) return false;

  const [fromTickets] = await collection(em, "ticket")
    .aggregate([
      { $match: { performanceId } },
      {
        $group: {
          _id: null,
          ticketCount: { $sum: 1 },
          validCount: { $sum: { $cond: [{ $eq: ["$state", "valid"] }, 1, 0] } },
          admittedCount: { $sum: { $cond: [{ $gt: ["$passes", 0] }, 1, 0] } },
          insideCount: { $sum: { $cond: ["$inside", 1, 0] } },
        },
      },
    ])
    .toArray();
  const [fromScans] = await collection(em, "scan")
    .aggregate([
      { $match: { performanceId } },
      {
        $group: {
          _id: null,
          refusedCount: { $sum: { $ifNull: [{ $arrayElemAt: ["$delta", 2] }, 0] } },
          anomalyCount: { $sum: { $ifNull: [{ $arrayElemAt: ["$delta", 3] }, 0] } },
        },
      },
    ])
    .toArray();
  const counted = {
    ticketCount: fromTickets?.ticketCount ?? 0,
    validCount: fromTickets?.validCount ?? 0,
    admittedCount: fromTickets?.admittedCount ?? 0,
    insideCount: fromTickets?.insideCount ?? 0,
    refusedCount: fromScans?.refusedCount ?? 0,
    anomalyCount: fromScans?.anomalyCount ?? 0,
  };
  const current = performance.counters ?? {};
  if (Object.entries(counted).every(([field, n]) => current[field] === n)) return false;
  const result = await collection(em, "performance").updateOne(
    { _id: performanceId, counters: performance.counters },
    { $set: { counters: { ...current, ...counted } } },
  );
  return result.modifiedCount === 1;
}

function collection(em: EntityManager, name: string): Collection<Document> {
  return em.getConnection().getCollection(name) as unknown as Collection<Document>;
}
