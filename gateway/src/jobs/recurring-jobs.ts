import { recountCountersJob } from "../access/recount-counters.job";
import { purgeOldPerformancesJob } from "../catalog/purge-old-performances.job";
import type { JobScheduler } from "./job-scheduler";

/** Every recurring job of the gateway and its schedule. */
export async function scheduleRecurringJobs(jobs: JobScheduler): Promise<void> {
  jobs.define(purgeOldPerformancesJob);
  await jobs.every("1 day", purgeOldPerformancesJob, {});
  jobs.define(recountCountersJob);
  await jobs.every("5 minutes", recountCountersJob, {});
}
