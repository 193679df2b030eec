import { Arg, Field, ID, Int, ObjectType, Resolver, Root, Subscription } from "type-graphql";
import { Performance } from "../catalog/performance.entity";
import type { RequestContext } from "../common/context";
import { badInput, notFound } from "../common/domain-error";
import { parseId } from "../common/object-id";
import { Institution } from "../institutions/institution.entity";
import { requireActor } from "../institutions/permissions";
import { type CountersUpdate, toCountersUpdate } from "./live-updates";

@ObjectType({ description: "A performance's live counters." })
class PerformanceCountersUpdate {
  @Field(() => ID) performanceId!: string;
  @Field(() => Int, { description: "The ticket revision reached (scanners pull deltas past theirs)." })
  revision!: number;
  @Field(() => Int) ticketCount!: number;
  @Field(() => Int) validCount!: number;
  @Field(() => Int) admittedCount!: number;
  @Field(() => Int, { description: "inOut: tickets on the inside now." }) insideCount!: number;
  @Field(() => Int) refusedCount!: number;
  @Field(() => Int) anomalyCount!: number;
  @Field(() => Int, { description: "admitted / valid, in %." })
  gaugePercent(): number {
    return this.validCount > 0 ? Math.round((this.admittedCount * 100) / this.validCount) : 0;
  }
}

/** The performances, each one the actor scans for or may see in the back office. */
async function subscribable(ctx: RequestContext, ids: string[]): Promise<Performance[]> {
  const actor = requireActor(ctx.actor);
  if (ids.length === 0 || ids.length > 20)
    throw badInput("performanceIds", "Choisissez de 1 à 20 représentations.");
  const performances = await ctx.em.find(Performance, {
    _id: { $in: ids.map((id, i) => parseId(id, `performanceIds.${i}`)) },
  });
  if (performances.length !== new Set(ids).size) throw notFound("Représentation");
  for (const p of performances) {
    const institution = await ctx.loaders.load(Institution, p.institutionId);
    if (!institution) throw notFound("Institution");
    if (!(await actor.can("shows.view", institution))) await actor.assert("scan", institution);
  }
  return performances;
}

@Resolver()
export class PerformanceCountersResolver {
  @Subscription(() => PerformanceCountersUpdate, {
    description:
      "The counters at once, then every time they move (fed by change streams: any gateway's scans).",
    subscribe: async ({ args, context }) => {
      const ctx = context as RequestContext;
      const [performance] = await subscribable(ctx, [String(args.performanceId)]);
      const doc = await ctx.em.getConnection().getCollection("performance").findOne({ _id: performance._id });
      return ctx.app.counters.subscribe([performance.id], doc ? [toCountersUpdate(doc)] : []);
    },
  })
  performanceCounters(
    @Arg("performanceId", () => ID) _performanceId: string,
    @Root() update: CountersUpdate,
  ): PerformanceCountersUpdate {
    return Object.assign(new PerformanceCountersUpdate(), update);
  }
}
