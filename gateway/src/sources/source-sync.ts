import { randomUUID } from "node:crypto";
import {
  type Connector,
  checkConfigValues,
  isConnectorError,
  type TicketRecord,
} from "@billetix/connector-sdk";
import type { Collection, Db, Document, ObjectId } from "mongodb";
import type { Logger } from "pino";
import type { Clock } from "../common/clock";
import type { ConnectorRegistry } from "./connector-registry";
import {
  DEFAULT_FAST_EVERY_MINUTES,
  DEFAULT_FAST_WINDOW_HOURS,
  DEFAULT_SLOW_EVERY_MINUTES,
  nextSyncAt,
} from "./sync-schedule";
import { TicketUpserter, type UpsertTotals } from "./ticket-upsert";

/** Who this process is, in leases. */
const INSTANCE = randomUUID();
/** A lease not renewed for this long is taken for dead (its gateway stopped mid-import). */
export const LEASE_MS = 5 * 60_000;
const BATCH = 5000;
const REPORT_EVERY_MS = 1000;

export interface SyncLimits {
  /** A whole import longer than this is stopped. */
  totalMs: number;
  /** A connector that yields nothing for this long is taken as hung. */
  idleMs: number;
}

export interface SyncDeps {
  db: Db;
  connectors: ConnectorRegistry;
  clock: Clock;
  log: Logger;
  limits: SyncLimits;
}

/** Where the records of one import come from. */
export type RecordFeed = (connector: Connector, ctx: FeedContext) => AsyncIterable<TicketRecord>;
export interface FeedContext {
  config: Record<string, unknown>;
  params: Record<string, unknown>;
  since?: string;
  checkpoint(cursor: string): void;
  signal: AbortSignal;
  /** For files: the share read so far (0–1), shown as the import's progress. */
  progress(share: number): void;
}

export type SyncResult =
  | { outcome: "done"; totals: UpsertTotals }
  /** Another import of this performance source is running (here or on another gateway). */
  | { outcome: "busy" }
  | { outcome: "failed"; error: string; totals: UpsertTotals };

/** The online feed: the partner's tickets since the last complete sync. */
export const onlineFeed: RecordFeed = (connector, ctx) => {
  if (!connector.fetchTickets) throw new Error(`connector ${connector.id} cannot fetch tickets`);
  return connector.fetchTickets({
    config: ctx.config as never,
    params: ctx.params as never,
    since: connector.incremental === false ? undefined : ctx.since,
    checkpoint: ctx.checkpoint,
    signal: ctx.signal,
  });
};

/**
 * Runs one import of a performance source: claims its lease (so no two gateways import it at
 * once), streams the connector's records into the performance in batches, and records how it
 * went on the performance source, with the next automatic sync. A connector that throws, hangs
 * or yields garbage fails this import only: the error is kept on the source in French, the
 * tickets already imported stay as they are, and the partner's cursor does not move.
 */
export async function runImport(
  deps: SyncDeps,
  performanceSourceId: ObjectId,
  feed: RecordFeed,
): Promise<SyncResult> {
  const performanceSources = deps.db.collection("performance_source");
  const started = deps.clock.now();
  const claimed = await performanceSources.findOneAndUpdate(
    { _id: performanceSourceId, $or: [{ lease: null }, { "lease.until": { $lt: started } }] },
    {
      $set: {
        lease: { by: INSTANCE, until: new Date(started.getTime() + LEASE_MS) },
        "status.runningSince": started,
        "status.runningRecords": 0,
        "status.runningProgress": null,
      },
    },
    { returnDocument: "after" },
  );
  if (!claimed) {
    const exists = await performanceSources.countDocuments({ _id: performanceSourceId }, { limit: 1 });
    if (!exists) throw new Error(`performance source ${performanceSourceId} does not exist`);
    return { outcome: "busy" };
  }

  const [source, performance] = await Promise.all([
    deps.db.collection("source").findOne({ _id: claimed.sourceId }),
    deps.db.collection("performance").findOne({ _id: claimed.performanceId }),
  ]);
  const upserter = new TicketUpserter(
    deps.db.collection("ticket"),
    deps.db.collection("performance"),
    claimed.performanceId,
    claimed.sourceId,
    () => deps.clock.now(),
  );
  let cursor: string | undefined;
  try {
    if (!source || !performance) throw new UserFacing("La source ou la représentation n'existe plus.");
    const loaded = deps.connectors.get(source.connectorId);
    if (!loaded)
      throw new UserFacing(`Le type de source « ${source.connectorId} » n'est pas installé sur ce serveur.`);
    const { connector } = loaded;
    const config = checkConfigValues(connector.sourceConfig, source.config);
    const params = checkConfigValues(connector.performanceParams, claimed.params);
    const problems = [...config.errors, ...params.errors];
    if (problems.length) throw new UserFacing(`Source mal paramétrée : ${problems.join(" ")}`);

    await withLimits(deps.limits, async (signal, alive, ours) => {
      let batch: TicketRecord[] = [];
      let progress: number | undefined;
      let reported = 0;
      const write = async (records: TicketRecord[]) => {
        await upserter.apply(records);
        // Progress and lease at most once a second: a batch costs a few milliseconds.
        const now = deps.clock.now();
        if (now.getTime() - reported < REPORT_EVERY_MS) return;
        reported = now.getTime();
        await performanceSources.updateOne(
          { _id: performanceSourceId, "lease.by": INSTANCE },
          {
            $set: {
              "lease.until": new Date(now.getTime() + LEASE_MS),
              "status.runningRecords": upserter.totals.records,
              ...(progress !== undefined && { "status.runningProgress": progress }),
            },
          },
        );
      };
      // One batch is written while the next is read: the source and the database work at once.
      let writing: Promise<void> | undefined;
      const handOver = async () => {
        const full = batch;
        batch = [];
        if (writing) await ours(writing);
        writing = write(full);
        writing.catch(() => undefined); // awaited below; this only marks it handled meanwhile
      };
      const records = feed(connector, {
        config: config.values,
        params: params.values,
        since: claimed.cursor ?? undefined,
        checkpoint: (c) => {
          if (typeof c === "string") cursor = c;
        },
        signal,
        progress: (share) => {
          alive();
          progress = Math.max(0, Math.min(1, share));
        },
      });
      for await (const record of records) {
        alive();
        batch.push(record);
        if (batch.length >= BATCH) await handOver();
      }
      if (batch.length) await handOver();
      await ours(writing);
    });
  } catch (err) {
    const error = describeFailure(err);
    deps.log.warn({ performanceSourceId: String(performanceSourceId), err: error }, "source import failed");
    await finish(deps, performanceSources, claimed, performance, started, upserter.totals, { error });
    return { outcome: "failed", error, totals: upserter.totals };
  }
  await finish(deps, performanceSources, claimed, performance, started, upserter.totals, { cursor });
  return { outcome: "done", totals: upserter.totals };
}

/** Records the outcome, releases the lease and sets the next automatic sync. */
async function finish(
  deps: SyncDeps,
  performanceSources: Collection<Document>,
  claimed: Document,
  performance: Document | null,
  started: Date,
  totals: UpsertTotals,
  end: { error?: string; cursor?: string },
): Promise<void> {
  const now = deps.clock.now();
  const source = await deps.db.collection("source").findOne({ _id: claimed.sourceId });
  const online = source ? deps.connectors.get(source.connectorId)?.connector.kind === "online" : false;
  const failures = end.error ? (claimed.status?.failures ?? 0) + 1 : 0;
  const next =
    online && performance
      ? nextSyncAt({
          now,
          startsAt: performance.startsAt ?? undefined,
          endsAt: performance.endsAt ?? undefined,
          importEndsAt: performance.importEndsAt ?? undefined,
          archived: Boolean(performance.archived),
          slowEveryMinutes: source?.syncSlowEveryMinutes ?? DEFAULT_SLOW_EVERY_MINUTES,
          fastEveryMinutes: source?.syncFastEveryMinutes ?? DEFAULT_FAST_EVERY_MINUTES,
          fastWindowHours: source?.fastWindowHours ?? DEFAULT_FAST_WINDOW_HOURS,
          failures,
        })
      : undefined;
  const rejected =
    totals.rejected > 0
      ? `${totals.rejected} billet(s) ignoré(s) : ${totals.rejections.join(" ; ")}.`
      : undefined;
  await performanceSources.updateOne(
    { _id: claimed._id, "lease.by": INSTANCE },
    {
      $set: {
        nextSyncAt: next ?? null,
        "status.failures": failures,
        "status.runningSince": null,
        "status.runningRecords": null,
        "status.runningProgress": null,
        ...(end.error
          ? { "status.lastError": end.error, "status.lastErrorAt": now }
          : {
              "status.lastSyncAt": now,
              "status.lastDurationMs": now.getTime() - started.getTime(),
              "status.lastRecords": totals.records,
              "status.lastChanged": totals.created + totals.updated,
              "status.lastError": rejected ?? null,
              "status.lastErrorAt": rejected ? now : null,
              ...(end.cursor !== undefined && { cursor: end.cursor }),
            }),
        updatedAt: now,
      },
      $unset: { lease: "" },
    },
  );
}

/** An error whose message is meant for the admin as is. */
export class UserFacing extends Error {}

function describeFailure(err: unknown): string {
  if (isConnectorError(err) || err instanceof UserFacing) return err.message;
  if (err instanceof SyncStopped) return err.message;
  return `Erreur inattendue du connecteur : ${err instanceof Error ? err.message : String(err)}`;
}

class SyncStopped extends Error {}

/**
 * Runs `work` with an abort signal that fires after `totalMs`, or after `idleMs` without a
 * call to `alive()` (waits wrapped in `ours()` do not count). A connector that ignores the signal is not awaited past it: the import
 * fails with a clear message and the gateway goes on.
 */
async function withLimits(
  limits: SyncLimits,
  work: (
    signal: AbortSignal,
    alive: () => void,
    ours: <T>(wait: Promise<T> | undefined) => Promise<T | undefined>,
  ) => Promise<void>,
): Promise<void> {
  const controller = new AbortController();
  let stop!: (err: Error) => void;
  const stopped = new Promise<never>((_, reject) => {
    stop = reject;
  });
  const abort = (message: string) => {
    const err = new SyncStopped(message);
    controller.abort(err);
    stop(err);
  };
  // A timestamp per record, checked by one timer: cheaper than re-arming a timer per record.
  let lastSeen = Date.now();
  const alive = () => {
    lastSeen = Date.now();
  };
  // Time spent waiting for our own writes is not the source's silence.
  let waitingOnUs = 0;
  const ours = async <T>(wait: Promise<T> | undefined): Promise<T | undefined> => {
    waitingOnUs++;
    try {
      return await wait;
    } finally {
      waitingOnUs--;
      alive();
    }
  };
  const idleTimer = setInterval(
    () => {
      if (waitingOnUs === 0 && Date.now() - lastSeen >= limits.idleMs)
        abort(`Import arrêté : la source n'a rien envoyé pendant ${Math.round(limits.idleMs / 1000)} s.`);
    },
    Math.max(10, Math.min(1000, limits.idleMs / 4)),
  );
  const totalTimer = setTimeout(
    () => abort(`Import arrêté : il dépassait ${Math.round(limits.totalMs / 60_000)} min.`),
    limits.totalMs,
  );
  try {
    await Promise.race([work(controller.signal, alive, ours), stopped]);
  } finally {
    clearInterval(idleTimer);
    clearTimeout(totalTimer);
    stopped.catch(() => undefined);
  }
}
