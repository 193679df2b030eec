import { GraphQLJSONObject } from "graphql-scalars";
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { Performance } from "../catalog/performance.entity";
import type { RequestContext } from "../common/context";
import { Institution } from "../institutions/institution.entity";
import { requireActor } from "../institutions/permissions";
import {
  CatalogSelectionInput,
  CreateSourceInput,
  PerformanceSourceInput,
  SourceFieldsInput,
} from "./dto/source.input";
import { RefusedConnector, SourceType } from "./dto/source-type.output";
import { PartnerCatalogService, SourceCatalog } from "./partner-catalog.service";
import { PerformanceSource } from "./performance-source.entity";
import { PerformanceSourceService } from "./performance-source.service";
import { Source } from "./source.entity";
import { SourceService } from "./source.service";

@Resolver(() => Source)
export class SourceResolver {
  @Query(() => [SourceType], { description: "Les types de source installés, avec leurs formulaires." })
  sourceTypes(@Ctx() ctx: RequestContext) {
    return new SourceService(ctx).types();
  }

  @Query(() => [RefusedConnector], {
    description: "Les paquets de connecteurs trouvés mais refusés au démarrage (root uniquement).",
  })
  refusedConnectors(@Ctx() ctx: RequestContext) {
    return new SourceService(ctx).refused();
  }

  @Query(() => [Source], { description: "Les sources d'une institution." })
  sources(@Arg("institutionId", () => ID) institutionId: string, @Ctx() ctx: RequestContext) {
    return new SourceService(ctx).list(institutionId);
  }

  @Query(() => Source)
  source(@Arg("id", () => ID) id: string, @Ctx() ctx: RequestContext) {
    return new SourceService(ctx).get(id);
  }

  @Mutation(() => Source)
  createSource(@Arg("input") input: CreateSourceInput, @Ctx() ctx: RequestContext) {
    return new SourceService(ctx).create(input);
  }

  @Mutation(() => Source)
  updateSource(
    @Arg("id", () => ID) id: string,
    @Arg("input") input: SourceFieldsInput,
    @Ctx() ctx: RequestContext,
  ) {
    return new SourceService(ctx).update(id, input);
  }

  @Mutation(() => Boolean, {
    description:
      "Supprime la source, ses associations aux représentations et les billets qu'elle a importés.",
  })
  deleteSource(@Arg("id", () => ID) id: string, @Ctx() ctx: RequestContext) {
    return new SourceService(ctx).delete(id);
  }

  @FieldResolver(() => String, { description: "Le libellé du type de source." })
  typeLabel(@Root() source: Source, @Ctx() ctx: RequestContext): string {
    return ctx.app.connectors.get(source.connectorId)?.connector.label ?? source.connectorId;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "file ou online ; vide si le type n'est plus installé.",
  })
  kind(@Root() source: Source, @Ctx() ctx: RequestContext): string | undefined {
    return ctx.app.connectors.get(source.connectorId)?.connector.kind;
  }

  @FieldResolver(() => GraphQLJSONObject, {
    nullable: true,
    description: "Le paramétrage sans ses secrets ; réservé à qui gère les sources.",
  })
  async config(@Root() source: Source, @Ctx() ctx: RequestContext) {
    return (await canManage(ctx, source)) ? new SourceService(ctx).publicConfig(source) : null;
  }

  @FieldResolver(() => [String], {
    description: "Les champs secrets renseignés (leur valeur n'est jamais renvoyée).",
  })
  async secretsSet(@Root() source: Source, @Ctx() ctx: RequestContext) {
    return (await canManage(ctx, source)) ? new SourceService(ctx).secretsSet(source) : [];
  }
}

async function canManage(ctx: RequestContext, source: Source): Promise<boolean> {
  const institution = await ctx.loaders.load(Institution, source.institutionId);
  return Boolean(institution && (await requireActor(ctx.actor).can("sources.manage", institution)));
}

@Resolver(() => PerformanceSource)
export class PerformanceSourceResolver {
  @Mutation(() => PerformanceSource, {
    description: "Associe une source à une représentation, avec ses paramètres.",
  })
  addPerformanceSource(
    @Arg("performanceId", () => ID) performanceId: string,
    @Arg("sourceId", () => ID) sourceId: string,
    @Arg("input") input: PerformanceSourceInput,
    @Ctx() ctx: RequestContext,
  ) {
    return new PerformanceSourceService(ctx).attach(performanceId, sourceId, input.params);
  }

  @Mutation(() => PerformanceSource)
  updatePerformanceSource(
    @Arg("id", () => ID) id: string,
    @Arg("input") input: PerformanceSourceInput,
    @Ctx() ctx: RequestContext,
  ) {
    return new PerformanceSourceService(ctx).update(id, input.params);
  }

  @Mutation(() => Boolean, {
    description:
      "Retire la source de la représentation : ses billets et les filtres de catégorie de la représentation.",
  })
  removePerformanceSource(@Arg("id", () => ID) id: string, @Ctx() ctx: RequestContext) {
    return new PerformanceSourceService(ctx).detach(id);
  }

  @Mutation(() => PerformanceSource, {
    description: "Actualiser maintenant : un import hors du calendrier automatique.",
  })
  refreshPerformanceSource(@Arg("id", () => ID) id: string, @Ctx() ctx: RequestContext) {
    return new PerformanceSourceService(ctx).refreshNow(id);
  }

  @Query(() => PerformanceSource)
  performanceSource(@Arg("id", () => ID) id: string, @Ctx() ctx: RequestContext) {
    return new PerformanceSourceService(ctx).get(id);
  }

  @FieldResolver(() => Source)
  source(@Root() link: PerformanceSource, @Ctx() ctx: RequestContext) {
    return ctx.loaders.load(Source, link.sourceId);
  }

  @FieldResolver(() => ID)
  performanceId(@Root() link: PerformanceSource): string {
    return link.performanceId.toHexString();
  }

  @FieldResolver(() => GraphQLJSONObject)
  params(@Root() link: PerformanceSource) {
    return link.params;
  }

  @FieldResolver(() => Boolean, { description: "Un import est en cours." })
  running(@Root() link: PerformanceSource, @Ctx() ctx: RequestContext): boolean {
    return Boolean(link.lease && link.lease.until > ctx.app.clock.now());
  }
}

@Resolver(() => Performance)
export class PerformanceSourcesFieldResolver {
  @FieldResolver(() => [PerformanceSource], { description: "Les sources de la représentation." })
  sources(@Root() performance: Performance, @Ctx() ctx: RequestContext) {
    return new PerformanceSourceService(ctx).list(performance.id);
  }

  @FieldResolver(() => [String], { description: "Les catégories de ses billets, pour les filtres." })
  categories(@Root() performance: Performance, @Ctx() ctx: RequestContext) {
    return new PerformanceSourceService(ctx).categories(performance._id);
  }
}

@Resolver(() => SourceCatalog)
export class PartnerCatalogResolver {
  @Query(() => [SourceCatalog], {
    description: "Ajouter des représentations automatiquement : les catalogues des sources de l'institution.",
  })
  partnerCatalogs(@Arg("institutionId", () => ID) institutionId: string, @Ctx() ctx: RequestContext) {
    return new PartnerCatalogService(ctx).catalogs(institutionId);
  }

  @Mutation(() => [Performance], {
    description: "Crée les lieux, événements et représentations des dates choisies et importe leurs billets.",
  })
  createPerformancesFromCatalog(@Arg("input") input: CatalogSelectionInput, @Ctx() ctx: RequestContext) {
    return new PartnerCatalogService(ctx).create(input.sourceId, input.dateIds);
  }
}
