import type { EntityManager } from "@mikro-orm/mongodb";
import type { Request, Response } from "express";
import type { Document } from "mongodb";
import type { Logger } from "pino";
import type { LoginThrottle } from "../auth/login-throttle";
import type { Session } from "../auth/session.entity";
import type { GatewayConfig } from "../config";
import type { Actor } from "../institutions/permissions";
import type { JobScheduler } from "../jobs/job-scheduler";
import type { CountersUpdate, TicketChange } from "../live/live-updates";
import type { PerformanceFeed } from "../live/performance-feed";
import type { ConnectorRegistry } from "../sources/connector-registry";
import type { SourceSyncs } from "../sources/source-syncs";
import type { Clock } from "./clock";
import type { Loaders } from "./loaders";
import type { WatchedCache } from "./watched-cache";

/** Gateway-wide singletons that services may use. */
export interface AppDeps {
  config: GatewayConfig;
  log: Logger;
  clock: Clock;
  throttle: LoginThrottle;
  jobs: JobScheduler;
  /** The installed source types. */
  connectors: ConnectorRegistry;
  /** Scheduled and on-demand imports of online sources. */
  sourceSyncs: SourceSyncs;
  /** Performance counters as they move (any gateway's scans). */
  counters: PerformanceFeed<CountersUpdate>;
  /** Ticket changes, for the scanners controlling a performance. */
  ticketChanges: PerformanceFeed<TicketChange>;
  /** What every request reads and rarely changes: sessions, logins, devices, institutions. */
  remembered: {
    sessions: WatchedCache<Document>;
    logins: WatchedCache<Document>;
    devices: WatchedCache<Document>;
    institutions: WatchedCache<Document>;
  };
}

/**
 * What every resolver and service receives: one EntityManager fork per operation, HTTP and
 * WebSocket alike. Services are built per operation from it (`new VenueService(ctx)`).
 */
export interface RequestContext {
  em: EntityManager;
  /** Null when nobody is logged in. */
  actor: Actor | null;
  session?: Session;
  ip: string;
  userAgent?: string;
  /** Present for HTTP operations: lets login/logout set the session cookie. */
  req?: Request;
  res?: Response;
  loaders: Loaders;
  app: AppDeps;
}
