import { Arg, Field, ID, Int, ObjectType, Resolver, Root, Subscription } from "type-graphql";
import { Performance } from "../catalog/performance.entity";
import type { RequestContext } from "../common/context";
import { badInput, notFound } from "../common/domain-error";
import { parseId } from "../common/object-id";
import { Institution } from "../institutions/institution.entity";
import { requireActor } from "../institutions/permissions";
import { type CountersUpdate, type TicketChange, toCountersUpdate } from "./live-updates";

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

@ObjectType({ description: "A ticket's new state, so every device learns of the others' scans." })
class TicketChangeUpdate {
  @Field(() => ID) performanceId!: string;
  @Field() barcode!: string;
  @Field() state!: string;
  @Field({ nullable: true }) category?: string;
  @Field({ nullable: true }) holderName?: string;
  @Field(() => Int) passes!: number;
  @Field() inside!: boolean;
  @Field(() => Int) revision!: number;
  @Field({ description: "Entries per day, as JSON (YYYY-MM-DD → count), for multi-pass limits." })
  passesByDay!: string;
}

/** The performances, each one the actor scans for (or, with `orView`, may see in the back office). */
async function subscribable(ctx: RequestContext, ids: string[], orView: boolean): Promise<Performance[]> {
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
    if (!(orView && (await actor.can("shows.view", institution)))) await actor.assert("scan", institution);
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
      const [performance] = await subscribable(ctx, [String(args.performanceId)], true);
      return ctx.app.counters.subscribe([performance.id], async () => {
        const doc = await ctx.em
          .getConnection()
          .getCollection("performance")
          .findOne({ _id: performance._id });
        return doc ? [toCountersUpdate(doc)] : [];
      });
    },
  })
  performanceCounters(
    @Arg("performanceId", () => ID) _performanceId: string,
    @Root() update: CountersUpdate,
  ): PerformanceCountersUpdate {
    return Object.assign(new PerformanceCountersUpdate(), update);
  }

  @Subscription(() => TicketChangeUpdate, {
    description:
      "Every ticket change of the performances a device controls (other devices' scans, cancellations).",
    subscribe: async ({ args, context }) => {
      const ctx = context as RequestContext;
      const performances = await subscribable(ctx, (args.performanceIds as string[]).map(String), false);
      return ctx.app.ticketChanges.subscribe(performances.map((p) => p.id));
    },
  })
  ticketChanges(
    @Arg("performanceIds", () => [ID]) _performanceIds: string[],
    @Root() change: TicketChange,
  ): TicketChangeUpdate {
    return Object.assign(new TicketChangeUpdate(), {
      ...change,
      passesByDay: JSON.stringify(change.passesByDay),
    });
  }
}
