import type { JobDefinition, JobDeps, JobScheduler } from "./job-scheduler";

/** The synchronous driver: `now` runs the job before returning; recurring jobs run on `runRecurring`. */
export class InlineScheduler implements JobScheduler {
  private readonly recurring = new Map<string, { job: JobDefinition<unknown>; data: unknown }>();

  constructor(private readonly deps: () => JobDeps) {}

  define(): void {}

  async now<Data>(job: JobDefinition<Data>, data: Data): Promise<void> {
    await job.handle(data, this.deps());
  }

  async every<Data>(_interval: string, job: JobDefinition<Data>, data: Data): Promise<void> {
    this.recurring.set(job.name, { job: job as JobDefinition<unknown>, data });
  }

  /** Runs a recurring job once, as its schedule would. */
  async runRecurring(name: string): Promise<void> {
    const entry = this.recurring.get(name);
    if (!entry) throw new Error(`no recurring job named ${name}`);
    await entry.job.handle(entry.data, this.deps());
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}
