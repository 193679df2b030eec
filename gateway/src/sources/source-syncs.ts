import { ObjectId } from "@mikro-orm/mongodb";
import type { Db } from "mongodb";
import type { Logger } from "pino";
import type { Clock } from "../common/clock";
import type { JobDefinition, JobDeps, JobScheduler } from "../jobs/job-scheduler";
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
  private readonly started = new Set<Promise<unknown>>();
  private readonly run: (data: SourceSyncData, deps: Pick<JobDeps, "clock" | "log">) => Promise<void>;

  constructor(
    private readonly jobs: JobScheduler,
    db: () => Db,
    connectors: ConnectorRegistry,
    limits: SyncLimits,
    /**
     * Imports someone asked for (attach, "Actualiser") start in this process at once rather than
     * on the job queue's next poll (seconds later); the lease still keeps them single. False with
     * the inline job driver, where `now` runs the job before returning (tests).
     */
    private readonly startHere: { log: Logger; clock: Clock } | undefined,
  ) {
    this.run = async (data, deps) => {
      if (!ObjectId.isValid(data?.performanceSourceId)) return;
      await runImport(
        { db: db(), connectors, clock: deps.clock, log: deps.log, limits },
        new ObjectId(data.performanceSourceId),
        onlineFeed,
      );
    };
    this.syncJob = {
      name: "source-sync",
      lockLifetimeMs: limits.totalMs + 60_000,
      handle: (data, deps) => this.run(data, deps),
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
          // Through the queue: Agenda spreads them over the gateways, a few at a time each.
          await this.jobs.now(this.syncJob, { performanceSourceId: String(due._id) });
        }
      },
    };
  }

  async schedule(): Promise<void> {
    this.jobs.define(this.syncJob);
    this.jobs.define(this.dispatchJob);
    await this.jobs.every("1 minute", this.dispatchJob, {});
  }

  /** An import someone asked for (attach, « Actualiser »): started at once, in the background. */
  async startNow(performanceSourceId: ObjectId): Promise<void> {
    const data = { performanceSourceId: performanceSourceId.toHexString() };
    if (!this.startHere) return this.jobs.now(this.syncJob, data);
    const { log, clock } = this.startHere;
    const run = this.run(data, { log, clock })
      .catch((err) => log.error({ err, ...data }, "source import failed to run"))
      .finally(() => this.started.delete(run));
    this.started.add(run);
  }

  /**
   * Gives the imports started here a moment to finish. One still running when the gateway stops
   * keeps its lease until it expires; then the schedule hands it to another gateway.
   */
  async drain(waitMs = 5000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.started]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, waitMs);
      }),
    ]);
    clearTimeout(timer);
  }
}
