import { type ConfigValues, type Connector, checkConfigValues, secretKeys } from "@billetix/connector-sdk";
import type { ObjectId } from "@mikro-orm/mongodb";
import type { Collection, Document } from "mongodb";
import { assertOnInstitution } from "../catalog/catalog-access";
import type { RequestContext } from "../common/context";
import { badInput, conflict, notFound } from "../common/domain-error";
import { parseId } from "../common/object-id";
import { cleanName } from "../common/text";
import { requireActor } from "../institutions/permissions";
import type { CreateSourceInput, SourceFieldsInput } from "./dto/source.input";
import { RefusedConnector, SourceType } from "./dto/source-type.output";
import { PerformanceSource } from "./performance-source.entity";
import { Source } from "./source.entity";
import {
  DEFAULT_FAST_EVERY_MINUTES,
  DEFAULT_FAST_WINDOW_HOURS,
  DEFAULT_SLOW_EVERY_MINUTES,
} from "./sync-schedule";

/** How long the connector's own check (which may call the partner) may take at a save. */
const CHECK_CONFIG_MS = 15_000;

/** An institution's sources: create, edit, delete; their configuration checked and its secrets kept. */
export class SourceService {
  constructor(private readonly ctx: RequestContext) {}

  types(): SourceType[] {
    requireActor(this.ctx.actor);
    return this.ctx.app.connectors.list().map((c) => SourceType.of(c.connector, c.packageName, c.version));
  }

  /** The connector packages refused at start-up: root's alone (package names are the operator's business). */
  refused(): RefusedConnector[] {
    requireActor(this.ctx.actor).assertRoot("voir les connecteurs refusés");
    return this.ctx.app.connectors.refused.map((r) => Object.assign(new RefusedConnector(), r));
  }

  async list(institutionId: string): Promise<Source[]> {
    const institution = await assertOnInstitution(this.ctx, institutionId, "shows.view");
    return this.ctx.em.find(Source, { institutionId: institution._id }, { orderBy: { name: "asc" } });
  }

  /** A source the actor may act on: `shows.view` to see it and attach it, `sources.manage` to change it. */
  async get(
    id: string | ObjectId,
    action: "shows.view" | "sources.manage" = "shows.view",
    field = "id",
  ): Promise<Source> {
    const source = await this.ctx.em.findOne(Source, {
      _id: typeof id === "string" ? parseId(id, field) : id,
    });
    if (!source) throw notFound("Source");
    await assertOnInstitution(this.ctx, source.institutionId, action);
    return source;
  }

  connectorOf(source: Source): Connector {
    const loaded = this.ctx.app.connectors.get(source.connectorId);
    if (!loaded)
      throw badInput(
        "type",
        `Le type de source « ${source.connectorId} » n'est pas installé sur ce serveur.`,
      );
    return loaded.connector;
  }

  async create(input: CreateSourceInput): Promise<Source> {
    const institution = await assertOnInstitution(this.ctx, input.institutionId, "sources.manage");
    const loaded = this.ctx.app.connectors.get(String(input.type ?? ""));
    if (!loaded) throw badInput("type", `Type de source inconnu : « ${input.type} ».`);
    const { connector } = loaded;
    const fields = await this.checkedFields(connector, input, {});
    if (connector.kind === "file") {
      const existing = await this.ctx.em.count(Source, {
        institutionId: institution._id,
        connectorId: connector.id,
      });
      if (existing > 0)
        throw conflict(
          `Cette institution a déjà une source « ${connector.label} » : une seule par type de fichier.`,
          "type",
        );
    }
    const source = this.ctx.em.create(Source, {
      institutionId: institution._id,
      connectorId: connector.id,
      ...fields,
      fileSlot: connector.kind === "file" ? `${institution._id.toHexString()}:${connector.id}` : undefined,
    });
    await this.flushUnique(connector);
    return source;
  }

  async update(id: string, input: SourceFieldsInput): Promise<Source> {
    const source = await this.get(id, "sources.manage");
    const connector = this.connectorOf(source);
    Object.assign(source, await this.checkedFields(connector, input, source.config));
    await this.ctx.em.flush();
    // Fixed credentials or new intervals: its performances sync again soon, not after a back-off.
    await this.ctx.em
      .getConnection()
      .getCollection("performance_source")
      .updateMany(
        { sourceId: source._id, online: true, nextSyncAt: { $ne: null } },
        { $set: { nextSyncAt: this.ctx.app.clock.now(), "status.failures": 0 } },
      );
    return source;
  }

  /**
   * Deletes a source, its attachments to performances (and, as the guide says, those
   * performances' category filters) and the tickets it brought: that is how an admin wipes a
   * file source's tickets. Scanners holding them are told to import the performance again.
   */
  async delete(id: string): Promise<boolean> {
    const source = await this.get(id, "sources.manage");
    const attached = await this.ctx.em.find(PerformanceSource, { sourceId: source._id });
    if (attached.some((link) => link.lease && link.lease.until > this.ctx.app.clock.now()))
      throw conflict("Un import de cette source est en cours : réessayez quand il sera terminé.");
    for (const link of attached) await detachFromPerformance(this.ctx, link);
    await this.ctx.em.nativeDelete(Source, { _id: source._id });
    return true;
  }

  /** Configuration with its secrets replaced by whether they are set: never sent back. */
  publicConfig(source: Source): ConfigValues {
    const loaded = this.ctx.app.connectors.get(source.connectorId);
    const secrets = new Set(loaded ? secretKeys(loaded.connector.sourceConfig) : Object.keys(source.config));
    return Object.fromEntries(Object.entries(source.config).filter(([key]) => !secrets.has(key)));
  }

  /** The secret fields that hold a value (the form shows them as set, not their value). */
  secretsSet(source: Source): string[] {
    const loaded = this.ctx.app.connectors.get(source.connectorId);
    if (!loaded) return [];
    return secretKeys(loaded.connector.sourceConfig).filter(
      (k) => source.config[k] !== undefined && source.config[k] !== "",
    );
  }

  private async checkedFields(connector: Connector, input: SourceFieldsInput, stored: ConfigValues) {
    const name = cleanName(
      input.name,
      "name",
      120,
      "Le nom de la source doit contenir de 1 à 120 caractères.",
    );
    const given = { ...(input.config && typeof input.config === "object" ? input.config : {}) } as Record<
      string,
      unknown
    >;
    // A secret left empty keeps what is stored: the form never receives it to send back.
    for (const key of secretKeys(connector.sourceConfig))
      if ((given[key] === undefined || given[key] === "") && stored[key] !== undefined)
        given[key] = stored[key];
    const { values, errors } = checkConfigValues(connector.sourceConfig, given);
    if (errors.length) throw badInput("config", `Source mal paramétrée : ${errors.join(" ")}`);
    const online = connector.kind === "online";
    const minutes = (value: number | undefined, fallback: number, field: string, label: string) => {
      if (!online) return undefined;
      const n = value ?? fallback;
      if (!Number.isInteger(n) || n < 1 || n > 7 * 24 * 60)
        throw badInput(field, `${label} : un nombre de minutes entre 1 et 10080 est attendu.`);
      return n;
    };
    const slow = minutes(
      input.syncSlowEveryMinutes,
      DEFAULT_SLOW_EVERY_MINUTES,
      "syncSlowEveryMinutes",
      "Temps long",
    );
    const fast = minutes(
      input.syncFastEveryMinutes,
      DEFAULT_FAST_EVERY_MINUTES,
      "syncFastEveryMinutes",
      "Temps court",
    );
    if (slow !== undefined && fast !== undefined && fast > slow)
      throw badInput("syncFastEveryMinutes", "Le temps court ne peut pas dépasser le temps long.");
    const window = online ? (input.fastWindowHours ?? DEFAULT_FAST_WINDOW_HOURS) : undefined;
    if (window !== undefined && (!Number.isInteger(window) || window < 0 || window > 24 * 30))
      throw badInput(
        "fastWindowHours",
        "Le début du temps court : un nombre d'heures entre 0 et 720 est attendu.",
      );
    return {
      name,
      config: values,
      syncSlowEveryMinutes: slow,
      syncFastEveryMinutes: fast,
      fastWindowHours: window,
      configProblems: await connectorCheck(connector, values),
    };
  }

  private async flushUnique(connector: Connector): Promise<void> {
    try {
      await this.ctx.em.flush();
    } catch (err) {
      if (
        (err as { code?: number }).code === 11000 ||
        /duplicate key|E11000/i.test(String((err as Error).message))
      )
        throw conflict(
          `Cette institution a déjà une source « ${connector.label} » : une seule par type de fichier.`,
          "type",
        );
      throw err;
    }
  }
}

/**
 * What the connector says about a configuration, in French; a connector that throws or hangs
 * yields a message, never a failed save (the partner may be down for a moment).
 */
async function connectorCheck(connector: Connector, config: ConfigValues): Promise<string[]> {
  if (!connector.checkConfig) return [];
  const signal = AbortSignal.timeout(CHECK_CONFIG_MS);
  try {
    const problems = await Promise.race([
      Promise.resolve(connector.checkConfig(config, { signal })),
      new Promise<never>((_, reject) =>
        signal.addEventListener("abort", () => reject(new Error("timeout")), { once: true }),
      ),
    ]);
    return Array.isArray(problems) ? problems.map(String).slice(0, 20) : [];
  } catch (err) {
    return [
      (err as Error).message === "timeout"
        ? `La vérification de la source n'a pas abouti en ${CHECK_CONFIG_MS / 1000} s.`
        : `La vérification de la source a échoué : ${(err as Error).message}`,
    ];
  }
}

/**
 * Removes a source from a performance: the link, the tickets it brought there, and the
 * performance's category filters (the guide). The performance records the revision of the
 * removal so that a scanner's next delta becomes a full import.
 */
export async function detachFromPerformance(ctx: RequestContext, link: PerformanceSource): Promise<void> {
  const tickets = ctx.em.getConnection().getCollection("ticket") as unknown as Collection<Document>;
  const performances = ctx.em.getConnection().getCollection("performance") as unknown as Collection<Document>;
  const mine = { performanceId: link.performanceId, sourceId: link.sourceId };
  const [gone] = await tickets
    .aggregate([
      { $match: mine },
      {
        $group: {
          _id: null,
          ticketCount: { $sum: 1 },
          validCount: { $sum: { $cond: [{ $eq: ["$state", "valid"] }, 1, 0] } },
          admittedCount: { $sum: { $cond: [{ $gt: ["$passes", 0] }, 1, 0] } },
          insideCount: { $sum: { $cond: ["$inside", 1, 0] } },
        },
      },
    ])
    .toArray();
  await ctx.em.nativeDelete(PerformanceSource, { _id: link._id });
  const removed = await tickets.deleteMany(mine);
  // Counters drop by what left (a scan racing the removal is fixed by the recount job).
  const counters = gone
    ? Object.fromEntries(
        ["ticketCount", "validCount", "admittedCount", "insideCount"].map((k) => [`counters.${k}`, -gone[k]]),
      )
    : {};
  const update = await performances.findOneAndUpdate(
    { _id: link.performanceId },
    {
      $set: { excludedCategories: [], updatedAt: ctx.app.clock.now() },
      ...(removed.deletedCount > 0 && { $inc: { revision: 1, ...counters } }),
    },
    { returnDocument: "after", projection: { revision: 1 } },
  );
  if (update && removed.deletedCount > 0)
    await performances.updateOne(
      { _id: link.performanceId },
      { $max: { ticketsRemovedAtRevision: update.revision } },
    );
}
