import {
  Arg,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import type { RequestContext } from "../common/context";
import { Institution } from "../institutions/institution.entity";
import { DashboardService } from "./dashboard.service";
import { CreatePerformanceInput, PerformanceFieldsInput } from "./dto/catalog.input";
import { DashboardFilter, DashboardSort, PageInput } from "./dto/dashboard.input";
import { ShowEvent } from "./event.entity";
import { Performance } from "./performance.entity";
import { PerformanceService } from "./performance.service";
import { Venue } from "./venue.entity";

@ObjectType({ description: "One line of the back office's performance list." })
class DashboardRowType {
  @Field(() => Performance) performance!: Performance;
  @Field(() => Institution) institution!: Institution;
  @Field(() => ShowEvent) event!: ShowEvent;
  @Field(() => Venue) venue!: Venue;
  @Field(() => Int, { description: "Admitted tickets (the counter's left side)." }) admitted!: number;
  @Field(() => Int, { description: "Valid tickets (the counter's right side)." }) valid!: number;
  @Field(() => Int, { description: "admitted / valid, in %." }) gaugePercent!: number;
}

@ObjectType()
class DashboardPage {
  @Field(() => Int) total!: number;
  @Field(() => [DashboardRowType]) rows!: DashboardRowType[];
}

@Resolver(() => Performance)
export class PerformanceResolver {
  @Query(() => Performance)
  performance(@Arg("id", () => ID) id: string, @Ctx() ctx: RequestContext) {
    return new PerformanceService(ctx).get(id);
  }

  @Query(() => [Performance], { description: "The performances of an event." })
  performances(
    @Arg("eventId", () => ID) eventId: string,
    @Arg("includeArchived", { defaultValue: false }) includeArchived: boolean,
    @Ctx() ctx: RequestContext,
  ) {
    return new PerformanceService(ctx).list(eventId, includeArchived);
  }

  @Query(() => DashboardPage, {
    description: "The performances of an institution (or its branch), filtered, sorted, paged.",
  })
  performanceDashboard(
    @Arg("institutionId", () => ID) institutionId: string,
    @Arg("includeBranch", {
      defaultValue: false,
      description:
        "Add the institution's descendants the login may see: all of them for a master, those where it has back-office rights otherwise.",
    })
    includeBranch: boolean,
    @Arg("filter", () => DashboardFilter, { nullable: true }) filter: DashboardFilter | undefined,
    @Arg("sort", () => DashboardSort, { nullable: true }) sort: DashboardSort | undefined,
    @Arg("page", () => PageInput, { nullable: true }) page: PageInput | undefined,
    @Ctx() ctx: RequestContext,
  ) {
    return new DashboardService(ctx).performances(
      institutionId,
      includeBranch,
      filter ?? ({ archived: false } as DashboardFilter),
      sort ?? ({ field: "startsAt", direction: "asc" } as DashboardSort),
      page ?? ({ offset: 0, limit: 50 } as PageInput),
    );
  }

  @Mutation(() => Performance)
  createPerformance(@Arg("input") input: CreatePerformanceInput, @Ctx() ctx: RequestContext) {
    return new PerformanceService(ctx).create(input);
  }

  @Mutation(() => Performance)
  updatePerformance(
    @Arg("id", () => ID) id: string,
    @Arg("input") input: PerformanceFieldsInput,
    @Ctx() ctx: RequestContext,
  ) {
    return new PerformanceService(ctx).update(id, input);
  }

  @Mutation(() => Performance, { description: "The PDA checkbox." })
  setPerformanceControl(
    @Arg("id", () => ID) id: string,
    @Arg("controlEnabled") controlEnabled: boolean,
    @Ctx() ctx: RequestContext,
  ) {
    return new PerformanceService(ctx).setControlEnabled(id, controlEnabled);
  }

  @Mutation(() => Performance, { description: 'Categories refused at the door ("billet filtré").' })
  setExcludedCategories(
    @Arg("id", () => ID) id: string,
    @Arg("categories", () => [String]) categories: string[],
    @Ctx() ctx: RequestContext,
  ) {
    return new PerformanceService(ctx).setExcludedCategories(id, categories);
  }

  @Mutation(() => Performance, {
    description: "Leaves the dashboard's default list; deleted two years after its date like any other.",
  })
  archivePerformance(@Arg("id", () => ID) id: string, @Ctx() ctx: RequestContext) {
    return new PerformanceService(ctx).setArchived(id, true);
  }

  @Mutation(() => Performance)
  unarchivePerformance(@Arg("id", () => ID) id: string, @Ctx() ctx: RequestContext) {
    return new PerformanceService(ctx).setArchived(id, false);
  }

  @FieldResolver(() => ShowEvent, { nullable: true })
  event(@Root() performance: Performance, @Ctx() ctx: RequestContext) {
    return ctx.loaders.load(ShowEvent, performance.eventId);
  }

  @FieldResolver(() => Venue, { nullable: true })
  venue(@Root() performance: Performance, @Ctx() ctx: RequestContext) {
    return ctx.loaders.load(Venue, performance.venueId);
  }

  @FieldResolver(() => Institution, { nullable: true })
  institution(@Root() performance: Performance, @Ctx() ctx: RequestContext) {
    return ctx.loaders.load(Institution, performance.institutionId);
  }
}
