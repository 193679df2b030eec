import type { JobDefinition } from "../jobs/job-scheduler";

/** Deletes performances, with their tickets and scans, two years after their date. */
export const purgeOldPerformancesJob: JobDefinition = {
  name: "catalog.purge-old-performances",
  async handle() {
    // Implemented with the catalogue (performances, tickets and scans).
  },
};
