import { checkConfigValues } from "@billetix/connector-sdk";
import type { ObjectId } from "@mikro-orm/mongodb";
import type { Db } from "mongodb";
import { PerformanceService } from "../catalog/performance.service";
import type { RequestContext } from "../common/context";
import { badInput, conflict, notFound } from "../common/domain-error";
import { parseId } from "../common/object-id";
import { PerformanceSource } from "./performance-source.entity";
import { Source } from "./source.entity";
import { detachFromPerformance, SourceService } from "./source.service";
import {
  LEASE_MS,
  onlineFeed,
  type RecordFeed,
  runImport,
  type SyncDeps,
  type SyncResult,
} from "./source-sync";

/** The sources of a performance: attach with the partner's parameters, edit, remove, refresh. */
export class PerformanceSourceService {
  constructor(private readonly ctx: RequestContext) {}

  async list(performanceId: string): Promise<PerformanceSource[]> {
    const performance = await new PerformanceService(this.ctx).get(
      performanceId,
      "shows.view",
      "performanceId",
    );
    return this.ctx.em.find(
      PerformanceSource,
      { performanceId: performance._id },
      { orderBy: { createdAt: "asc" } },
    );
  }

  async get(id: string, action: "shows.view" | "shows.manage" = "shows.view"): Promise<PerformanceSource> {
    const link = await this.ctx.em.findOne(PerformanceSource, { _id: parseId(id, "id") });
    if (!link) throw notFound("Source de la représentation");
    await new PerformanceService(this.ctx).get(link.performanceId.toHexString(), action, "id");
    return link;
  }

  /**
   * Attaches a source of the performance's institution with its parameters. An online source
   * imports at once (in the background) and then on its schedule; a file source waits for files.
   */
  async attach(
    performanceId: string,
    sourceId: string,
    params: unknown,
    catalogDateId?: string,
  ): Promise<PerformanceSource> {
    const performance = await new PerformanceService(this.ctx).get(
      performanceId,
      "shows.manage",
      "performanceId",
    );
    const source = await new SourceService(this.ctx).get(sourceId, "shows.view", "sourceId");
    if (!source.institutionId.equals(performance.institutionId))
      throw badInput("sourceId", "Cette source appartient à une autre institution que la représentation.");
    const connector = new SourceService(this.ctx).connectorOf(source);
    const checked = this.checkParams(source, params);
    const existing = await this.ctx.em.count(PerformanceSource, {
      performanceId: performance._id,
      sourceId: source._id,
    });
    if (existing)
      throw conflict(`La source « ${source.name} » est déjà associée à cette représentation.`, "sourceId");
    const link = this.ctx.em.create(PerformanceSource, {
      performanceId: performance._id,
      sourceId: source._id,
      institutionId: performance.institutionId,
      params: checked,
      online: connector.kind === "online",
      catalogDateId,
      // The import is queued below; the schedule only steps in if that job never ran.
      nextSyncAt:
        connector.kind === "online" ? new Date(this.ctx.app.clock.now().getTime() + LEASE_MS) : undefined,
    });
    try {
      await this.ctx.em.flush();
    } catch (err) {
      if (/E11000|duplicate key/i.test(String((err as Error).message)))
        throw conflict(`La source « ${source.name} » est déjà associée à cette représentation.`, "sourceId");
      throw err;
    }
    if (connector.kind === "online") await this.ctx.app.sourceSyncs.startNow(link._id);
    return link;
  }

  /** New parameters: the partner's cursor restarts, the next sync reads everything. */
  async update(id: string, params: unknown): Promise<PerformanceSource> {
    const link = await this.get(id, "shows.manage");
    const source = await new SourceService(this.ctx).get(link.sourceId, "shows.view");
    link.params = this.checkParams(source, params);
    link.cursor = undefined;
    if (new SourceService(this.ctx).connectorOf(source).kind === "online")
      link.nextSyncAt = this.ctx.app.clock.now();
    await this.ctx.em.flush();
    return link;
  }

  async detach(id: string): Promise<boolean> {
    const link = await this.get(id, "shows.manage");
    if (link.lease && link.lease.until > this.ctx.app.clock.now())
      throw conflict("Un import de cette source est en cours : réessayez quand il sera terminé.");
    await detachFromPerformance(this.ctx, link);
    return true;
  }

  /** "Actualiser" : an import now, whatever the schedule; refused while one runs. */
  async refreshNow(id: string): Promise<PerformanceSource> {
    const link = await this.get(id, "shows.manage");
    const source = await new SourceService(this.ctx).get(link.sourceId, "shows.view");
    if (new SourceService(this.ctx).connectorOf(source).kind !== "online")
      throw badInput("id", "Une source fichier s'actualise en important un nouveau fichier.");
    if (link.lease && link.lease.until > this.ctx.app.clock.now())
      throw conflict("Un import de cette source est déjà en cours.");
    await this.ctx.app.sourceSyncs.startNow(link._id);
    return link;
  }

  /** Runs an import of this link now, in this request (file uploads), with `feed` as the records. */
  async importNow(link: PerformanceSource, feed: RecordFeed): Promise<SyncResult> {
    return runImport(syncDeps(this.ctx), link._id, feed);
  }

  private checkParams(source: Source, params: unknown) {
    const connector = new SourceService(this.ctx).connectorOf(source);
    const { values, errors } = checkConfigValues(connector.performanceParams, params);
    if (errors.length) throw badInput("params", `Paramètres de la représentation : ${errors.join(" ")}`);
    return values;
  }

  /** The categories of a performance's tickets, for its filters. */
  async categories(performanceId: ObjectId): Promise<string[]> {
    const found = await this.ctx.em
      .getConnection()
      .getCollection("ticket")
      .distinct("category", { performanceId });
    return found
      .filter((c): c is string => typeof c === "string" && c !== "")
      .sort((a, b) => a.localeCompare(b, "fr"));
  }
}

export function syncDeps(ctx: RequestContext): SyncDeps {
  return {
    db: ctx.em.getConnection().getDb() as unknown as Db,
    connectors: ctx.app.connectors,
    clock: ctx.app.clock,
    log: ctx.app.log,
    limits: ctx.app.config.sourceImports,
  };
}

export { onlineFeed };
