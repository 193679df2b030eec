import { MongoBackend } from "@agendajs/mongo-backend";
import { Agenda } from "agenda";
import type { Db } from "mongodb";
import type { JobDefinition, JobDeps, JobScheduler } from "./job-scheduler";

/** The production driver: Agenda on the same database; its locks keep a job to one gateway at a time. */
export class AgendaScheduler implements JobScheduler {
  private agenda?: Agenda;
  private readonly defined: JobDefinition<unknown>[] = [];
  /** Recurring schedules asked for before start; Agenda persists them once running. */
  private readonly pendingRecurring: { interval: string; name: string; data: unknown }[] = [];

  constructor(
    private readonly db: Db,
    private readonly deps: () => JobDeps,
  ) {}

  define<Data>(job: JobDefinition<Data>): void {
    this.defined.push(job as JobDefinition<unknown>);
  }

  async start(): Promise<void> {
    // Agenda connects in its constructor: build it only now that the database is known to be up.
    const agenda = new Agenda({
      backend: new MongoBackend({ mongo: this.db, collection: "jobs", ensureIndex: true }),
      processEvery: "5 seconds",
      defaultLockLifetime: 10 * 60_000,
    });
    for (const job of this.defined) {
      agenda.define(
        job.name,
        async (run: { attrs: { data: unknown } }) => {
          const deps = this.deps();
          try {
            await job.handle(run.attrs.data, deps);
          } catch (err) {
            deps.log.error({ err, job: job.name }, "job failed");
            throw err;
          }
        },
        { lockLifetime: job.lockLifetimeMs },
      );
    }
    await agenda.start();
    this.agenda = agenda;
    for (const { interval, name, data } of this.pendingRecurring.splice(0)) {
      await agenda.every(interval, name, data as never);
    }
  }

  private started(): Agenda {
    if (!this.agenda) throw new Error("the job scheduler is not started");
    return this.agenda;
  }

  async now<Data>(job: JobDefinition<Data>, data: Data): Promise<void> {
    await this.started().now(job.name, data as never);
  }

  async every<Data>(interval: string, job: JobDefinition<Data>, data: Data): Promise<void> {
    if (this.agenda) await this.agenda.every(interval, job.name, data as never);
    else this.pendingRecurring.push({ interval, name: job.name, data });
  }

  async stop(): Promise<void> {
    await this.agenda?.stop();
    this.agenda = undefined;
  }
}
