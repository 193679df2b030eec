import { ObjectId } from "@mikro-orm/mongodb";
import type { Db } from "mongodb";
import type { JobDefinition, JobScheduler } from "../jobs/job-scheduler";
import type { ConnectorRegistry } from "./connector-registry";
import { LEASE_MS, onlineFeed, runImport, type SyncLimits } from "./source-sync";

export interface SourceSyncData {
  performanceSourceId: string;
}

/** How long a due sync handed to the job queue stays claimed before it counts as due again. */
const DISPATCH_CLAIM_MS = LEASE_MS;
/** Due syncs handed over per dispatcher run. */
const DISPATCH_BATCH = 100;

/**
 * The scheduled imports of online sources. Each performance source carries `nextSyncAt`; a
 * recurring job hands the due ones to the queue (one `source-sync` job each), claiming them so
 * that the next run does not hand them again; each import holds a lease on its performance
 * source, so two gateways (or a refresh racing the schedule) never import it at once.
 */
export class SourceSyncs {
  readonly syncJob: JobDefinition<SourceSyncData>;
  readonly dispatchJob: JobDefinition;

  constructor(
    private readonly jobs: JobScheduler,
    db: () => Db,
    connectors: ConnectorRegistry,
    limits: SyncLimits,
  ) {
    this.syncJob = {
      name: "source-sync",
      lockLifetimeMs: limits.totalMs + 60_000,
      handle: async (data, deps) => {
        if (!ObjectId.isValid(data?.performanceSourceId)) return;
        await runImport(
          { db: db(), connectors, clock: deps.clock, log: deps.log, limits },
          new ObjectId(data.performanceSourceId),
          onlineFeed,
        );
      },
    };
    this.dispatchJob = {
      name: "source-syncs-due",
      handle: async (_data, deps) => {
        const links = db().collection("performance_source");
        const now = deps.clock.now();
        for (let i = 0; i < DISPATCH_BATCH; i++) {
          const due = await links.findOneAndUpdate(
            { nextSyncAt: { $lte: now }, $or: [{ lease: null }, { "lease.until": { $lt: now } }] },
            { $set: { nextSyncAt: new Date(now.getTime() + DISPATCH_CLAIM_MS) } },
            { sort: { nextSyncAt: 1 }, projection: { _id: 1 } },
          );
          if (!due) break;
          await this.enqueue(due._id as ObjectId);
        }
      },
    };
  }

  async schedule(): Promise<void> {
    this.jobs.define(this.syncJob);
    this.jobs.define(this.dispatchJob);
    await this.jobs.every("1 minute", this.dispatchJob, {});
  }

  /** An import of this performance source as soon as possible (in the background under Agenda). */
  async enqueue(performanceSourceId: ObjectId): Promise<void> {
    await this.jobs.now(this.syncJob, { performanceSourceId: performanceSourceId.toHexString() });
  }
}
