import type { CatalogDate, CatalogVenue, Connector } from "@billetix/connector-sdk";
import { isConnectorError } from "@billetix/connector-sdk";
import { ObjectId } from "@mikro-orm/mongodb";
import { Field, ID, ObjectType } from "type-graphql";
import { assertOnInstitution } from "../catalog/catalog-access";
import { ShowEvent } from "../catalog/event.entity";
import { EventService } from "../catalog/event.service";
import { ControlMode, Performance } from "../catalog/performance.entity";
import { PerformanceService } from "../catalog/performance.service";
import { Venue } from "../catalog/venue.entity";
import { VenueService } from "../catalog/venue.service";
import type { RequestContext } from "../common/context";
import { badInput } from "../common/domain-error";
import { PerformanceSource } from "./performance-source.entity";
import { PerformanceSourceService } from "./performance-source.service";
import { Source } from "./source.entity";
import { SourceService } from "./source.service";

const CATALOG_TIMEOUT_MS = 30_000;
/** A partner date without an end: the performance is taken to last this long. */
const DEFAULT_LENGTH_MS = 3 * 3600_000;
const MAX_SELECTION = 500;

@ObjectType({ description: "Une date proposée par le catalogue d'un partenaire." })
export class CatalogDateOption {
  @Field(() => ID) id!: string;
  @Field() startsAt!: Date;
  @Field({ nullable: true }) endsAt?: Date;
}

@ObjectType()
export class CatalogEventOption {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => [CatalogDateOption]) dates!: CatalogDateOption[];
}

@ObjectType()
export class CatalogVenueOption {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => [CatalogEventOption]) events!: CatalogEventOption[];
}

@ObjectType({ description: "Le catalogue d'une source : lieux → événements → dates pas encore créés." })
export class SourceCatalog {
  @Field(() => Source) source!: Source;
  @Field(() => [CatalogVenueOption]) venues!: CatalogVenueOption[];
  @Field({ nullable: true, description: "Pourquoi le catalogue n'a pas pu être lu." }) error?: string;
}

/** "Ajouter des représentations automatiquement": the partners' catalogues and creation from them. */
export class PartnerCatalogService {
  constructor(private readonly ctx: RequestContext) {}

  /** The institution's sources that can list a catalogue, each with the dates not created yet. */
  async catalogs(institutionId: string): Promise<SourceCatalog[]> {
    const institution = await assertOnInstitution(this.ctx, institutionId, "shows.manage");
    const sources = await this.ctx.em.find(
      Source,
      { institutionId: institution._id },
      { orderBy: { name: "asc" } },
    );
    const withCatalog = sources.filter(
      (s) => this.ctx.app.connectors.get(s.connectorId)?.connector.listCatalog,
    );
    return Promise.all(
      withCatalog.map(async (source) => {
        const catalog = Object.assign(new SourceCatalog(), { source, venues: [] as CatalogVenueOption[] });
        try {
          const venues = await this.read(source);
          const created = await this.createdDates(source);
          catalog.venues = toOptions(venues, created);
        } catch (err) {
          catalog.error = isConnectorError(err)
            ? err.message
            : `Le catalogue n'a pas pu être lu : ${(err as Error).message}`;
        }
        return catalog;
      }),
    );
  }

  /**
   * Creates the chosen dates: their venues and events (found by name, else created with the
   * partner's names), a performance each, the source attached with the date's parameters —
   * which imports their tickets. Dates already created are skipped.
   */
  async create(sourceId: string, dateIds: string[]): Promise<Performance[]> {
    const sources = new SourceService(this.ctx);
    const source = await sources.get(sourceId, "shows.view", "sourceId");
    const institution = await assertOnInstitution(this.ctx, source.institutionId, "shows.manage");
    if (!Array.isArray(dateIds) || dateIds.length === 0)
      throw badInput("dateIds", "Choisissez au moins une date.");
    if (dateIds.length > MAX_SELECTION)
      throw badInput("dateIds", `Au plus ${MAX_SELECTION} dates à la fois.`);
    let venues: CatalogVenue[];
    try {
      venues = await this.read(source);
    } catch (err) {
      throw badInput(
        "sourceId",
        isConnectorError(err) ? err.message : `Le catalogue n'a pas pu être lu : ${(err as Error).message}`,
      );
    }
    const wanted = new Set(dateIds.map(String));
    const already = await this.createdDates(source);
    const picked: { venue: CatalogVenue; event: CatalogVenue["events"][number]; date: CatalogDate }[] = [];
    for (const venue of venues)
      for (const event of venue.events)
        for (const date of event.dates)
          if (wanted.has(date.id) && !already.has(date.id)) picked.push({ venue, event, date });
    const unknown = [...wanted].filter((id) => !already.has(id) && !picked.some((p) => p.date.id === id));
    if (unknown.length)
      throw badInput("dateIds", `Dates inconnues du catalogue : ${unknown.slice(0, 5).join(", ")}.`);

    const created: Performance[] = [];
    for (const { venue, event, date } of picked) {
      const venueId = await this.venueNamed(institution._id.toHexString(), venue.name);
      const eventId = await this.eventNamed(institution._id.toHexString(), venueId, event.name);
      const startsAt = new Date(date.startsAt);
      const endsAt = date.endsAt ? new Date(date.endsAt) : new Date(startsAt.getTime() + DEFAULT_LENGTH_MS);
      if (Number.isNaN(startsAt.getTime()) || Number.isNaN(endsAt.getTime()) || endsAt <= startsAt) continue;
      const performance = await new PerformanceService(this.ctx).create({
        eventId,
        dated: true,
        startsAt,
        endsAt,
        controlEnabled: false,
        controlMode: ControlMode.single,
      });
      await new PerformanceSourceService(this.ctx).attach(performance.id, source.id, date.params, date.id);
      created.push(performance);
    }
    return created;
  }

  private async read(source: Source): Promise<CatalogVenue[]> {
    const connector: Connector = new SourceService(this.ctx).connectorOf(source);
    if (!connector.listCatalog) throw badInput("sourceId", "Cette source ne propose pas de catalogue.");
    const signal = AbortSignal.timeout(CATALOG_TIMEOUT_MS);
    const venues = await Promise.race([
      connector.listCatalog({ config: source.config as never, signal }),
      new Promise<never>((_, reject) =>
        signal.addEventListener(
          "abort",
          () => reject(new Error(`pas de réponse en ${CATALOG_TIMEOUT_MS / 1000} s`)),
          { once: true },
        ),
      ),
    ]);
    if (!Array.isArray(venues)) throw new Error("le connecteur a renvoyé un catalogue illisible");
    return venues;
  }

  /** The partner date ids this source already has a performance for. */
  private async createdDates(source: Source): Promise<Set<string>> {
    const links = await this.ctx.em.find(
      PerformanceSource,
      { sourceId: source._id, catalogDateId: { $ne: null } },
      { fields: ["catalogDateId"] },
    );
    return new Set(links.map((l) => l.catalogDateId as string));
  }

  private async venueNamed(institutionId: string, name: string): Promise<string> {
    const clean = name.trim().slice(0, 200) || "Lieu sans nom";
    const found = await this.ctx.em.findOne(Venue, {
      institutionId: new ObjectId(institutionId),
      name: clean,
      archived: false,
    });
    return found ? found.id : (await new VenueService(this.ctx).create(institutionId, { name: clean })).id;
  }

  private async eventNamed(institutionId: string, venueId: string, name: string): Promise<string> {
    const clean = name.trim().slice(0, 200) || "Événement sans nom";
    const found = await this.ctx.em.findOne(ShowEvent, {
      institutionId: new ObjectId(institutionId),
      venueId: new ObjectId(venueId),
      name: clean,
    });
    return found ? found.id : (await new EventService(this.ctx).create({ venueId, name: clean })).id;
  }
}

function toOptions(venues: CatalogVenue[], created: Set<string>): CatalogVenueOption[] {
  return venues
    .map((venue) =>
      Object.assign(new CatalogVenueOption(), {
        id: String(venue.id),
        name: String(venue.name ?? ""),
        events: (venue.events ?? [])
          .map((event) =>
            Object.assign(new CatalogEventOption(), {
              id: String(event.id),
              name: String(event.name ?? ""),
              dates: (event.dates ?? [])
                .filter((d) => !created.has(String(d.id)) && !Number.isNaN(new Date(d.startsAt).getTime()))
                .map((d) =>
                  Object.assign(new CatalogDateOption(), {
                    id: String(d.id),
                    startsAt: new Date(d.startsAt),
                    endsAt: d.endsAt ? new Date(d.endsAt) : undefined,
                  }),
                ),
            }),
          )
          .filter((e) => e.dates.length > 0),
      }),
    )
    .filter((v) => v.events.length > 0);
}
