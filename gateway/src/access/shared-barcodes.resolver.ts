import { Arg, Ctx, Field, ID, ObjectType, Query, Resolver } from "type-graphql";
import { Performance } from "../catalog/performance.entity";
import type { RequestContext } from "../common/context";
import { badInput, notFound } from "../common/domain-error";
import { parseId } from "../common/object-id";
import { Institution } from "../institutions/institution.entity";
import { requireActor } from "../institutions/permissions";

const MAX_REPORTED = 1000;

@ObjectType({
  description: "A barcode present in several of the performances a device wants to control together.",
})
class SharedBarcode {
  @Field() barcode!: string;
  @Field(() => [ID]) performanceIds!: string[];
}

@Resolver()
export class SharedBarcodesResolver {
  @Query(() => [SharedBarcode], {
    description:
      "Performances controlled together may not share a barcode (the guide forbids it): these do (first 1000).",
  })
  async sharedBarcodes(
    @Arg("performanceIds", () => [ID]) performanceIds: string[],
    @Ctx() ctx: RequestContext,
  ) {
    const actor = requireActor(ctx.actor);
    if (performanceIds.length < 2 || performanceIds.length > 20) {
      throw badInput("performanceIds", "Choisissez de 2 à 20 représentations.");
    }
    const ids = performanceIds.map((id, i) => parseId(id, `performanceIds.${i}`));
    const performances = await ctx.em.find(Performance, { _id: { $in: ids } });
    if (performances.length !== new Set(performanceIds).size) throw notFound("Représentation");
    for (const p of performances) {
      const institution = await ctx.loaders.load(Institution, p.institutionId);
      if (!institution) throw notFound("Institution");
      await actor.assert("scan", institution);
    }
    const shared = await ctx.em
      .getConnection()
      .getCollection("ticket")
      .aggregate([
        { $match: { performanceId: { $in: ids } } },
        { $group: { _id: "$barcode", performanceIds: { $addToSet: "$performanceId" }, n: { $sum: 1 } } },
        { $match: { n: { $gt: 1 } } },
        { $sort: { _id: 1 } },
        { $limit: MAX_REPORTED },
      ])
      .toArray();
    return shared.map((s) => ({ barcode: s._id, performanceIds: s.performanceIds.map(String).sort() }));
  }
}
