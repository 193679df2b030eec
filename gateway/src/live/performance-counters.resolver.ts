import { Arg, Field, ID, Int, ObjectType, Resolver, Root, Subscription } from "type-graphql";
import { Performance } from "../catalog/performance.entity";
import type { RequestContext } from "../common/context";
import { notFound } from "../common/domain-error";
import { parseId } from "../common/object-id";
import { Institution } from "../institutions/institution.entity";
import { requireActor } from "../institutions/permissions";
import { type CountersUpdate, toUpdate } from "./counter-feed";

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

@Resolver()
export class PerformanceCountersResolver {
  @Subscription(() => PerformanceCountersUpdate, {
    description:
      "The counters at once, then every time they move (fed by change streams: any gateway's scans).",
    subscribe: async ({ args, context }) => {
      const ctx = context as RequestContext;
      const actor = requireActor(ctx.actor);
      const performance = await ctx.em.findOne(Performance, {
        _id: parseId(String(args.performanceId), "performanceId"),
      });
      if (!performance) throw notFound("Représentation");
      const institution = await ctx.loaders.load(Institution, performance.institutionId);
      if (!institution) throw notFound("Institution");
      if (!(await actor.can("scan", institution))) await actor.assert("shows.view", institution);
      const doc = await ctx.em.getConnection().getCollection("performance").findOne({ _id: performance._id });
      return ctx.app.counters.subscribe(performance.id, toUpdate(performance.id, doc ?? {}));
    },
  })
  performanceCounters(
    @Arg("performanceId", () => ID) _performanceId: string,
    @Root() update: CountersUpdate,
  ): PerformanceCountersUpdate {
    return Object.assign(new PerformanceCountersUpdate(), update);
  }
}
