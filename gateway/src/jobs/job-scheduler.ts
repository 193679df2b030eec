import type { EntityManager } from "@mikro-orm/mongodb";
import type { Logger } from "pino";
import type { Clock } from "../common/clock";

export interface JobDeps {
  /** A fresh fork for this run. */
  em: EntityManager;
  clock: Clock;
  log: Logger;
}

/** A job: its name, its data, its handler. Each lives in a `*.job.ts` file of its feature. */
export interface JobDefinition<Data = Record<string, never>> {
  name: string;
  /** Lock lifetime: another gateway may take the job over if this one dies for that long. */
  lockLifetimeMs?: number;
  handle(data: Data, deps: JobDeps): Promise<void>;
}

/**
 * Where jobs run. Agenda drives them in production (safe across gateways); tests use the inline
 * driver, which runs a job when told to.
 */
export interface JobScheduler {
  define<Data>(job: JobDefinition<Data>): void;
  /** Runs as soon as possible (in the background). */
  now<Data>(job: JobDefinition<Data>, data: Data): Promise<void>;
  /** Runs every `interval` (a human interval such as "1 day"), once across all gateways. */
  every<Data>(interval: string, job: JobDefinition<Data>, data: Data): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
