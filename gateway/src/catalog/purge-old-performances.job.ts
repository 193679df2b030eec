import { Scan } from "../access/scan.entity";
import { Ticket } from "../access/ticket.entity";
import type { JobDefinition } from "../jobs/job-scheduler";
import { Performance } from "./performance.entity";

const BATCH = 100;

/**
 * Deletes performances, with their tickets and scans, two years after their date. Children go
 * first and the performance last, so a run cut short is simply finished by the next one.
 */
export const purgeOldPerformancesJob: JobDefinition = {
  name: "catalog.purge-old-performances",
  async handle(_data, { em, clock, log }) {
    let purged = 0;
    for (;;) {
      const due = await em.find(
        Performance,
        { purgeAfter: { $lt: clock.now() } },
        { limit: BATCH, fields: ["_id"] },
      );
      if (due.length === 0) break;
      for (const { _id } of due) {
        await em.nativeDelete(Scan, { performanceId: _id });
        await em.nativeDelete(Ticket, { performanceId: _id });
        await em.nativeDelete(Performance, { _id });
      }
      purged += due.length;
      em.clear();
    }
    if (purged > 0) log.info({ purged }, "purged performances older than two years");
  },
};
