import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../common/context";
import { Institution } from "../institutions/institution.entity";
import { EventInput, VenueInput } from "./dto/catalog.input";
import { ShowEvent } from "./event.entity";
import { EventService } from "./event.service";
import { Venue } from "./venue.entity";
import { VenueService } from "./venue.service";

@Resolver(() => Venue)
export class VenueResolver {
  @Query(() => [Venue])
  venues(
    @Arg("institutionId", () => ID) institutionId: string,
    @Arg("includeArchived", { defaultValue: false }) includeArchived: boolean,
    @Ctx() ctx: RequestContext,
  ) {
    return new VenueService(ctx).list(institutionId, includeArchived);
  }

  @Mutation(() => Venue)
  createVenue(
    @Arg("institutionId", () => ID) institutionId: string,
    @Arg("input") input: VenueInput,
    @Ctx() ctx: RequestContext,
  ) {
    return new VenueService(ctx).create(institutionId, input);
  }

  @Mutation(() => Venue)
  updateVenue(@Arg("id", () => ID) id: string, @Arg("input") input: VenueInput, @Ctx() ctx: RequestContext) {
    return new VenueService(ctx).update(id, input);
  }

  @Mutation(() => Venue, { description: "Hides the venue from the lists; its events stay." })
  archiveVenue(@Arg("id", () => ID) id: string, @Ctx() ctx: RequestContext) {
    return new VenueService(ctx).setArchived(id, true);
  }

  @Mutation(() => Venue)
  unarchiveVenue(@Arg("id", () => ID) id: string, @Ctx() ctx: RequestContext) {
    return new VenueService(ctx).setArchived(id, false);
  }

  @FieldResolver(() => Institution)
  institution(@Root() venue: Venue, @Ctx() ctx: RequestContext) {
    return ctx.loaders.load(Institution, venue.institutionId);
  }
}

@Resolver(() => ShowEvent)
export class EventResolver {
  @Query(() => [ShowEvent], {
    description: "The events of an institution, or of one venue: give one of the two.",
  })
  events(
    @Arg("institutionId", () => ID, { nullable: true }) institutionId: string | undefined,
    @Arg("venueId", () => ID, { nullable: true }) venueId: string | undefined,
    @Arg("includeArchived", { defaultValue: false }) includeArchived: boolean,
    @Ctx() ctx: RequestContext,
  ) {
    return new EventService(ctx).list({ institutionId, venueId }, includeArchived);
  }

  @Mutation(() => ShowEvent)
  createEvent(@Arg("input") input: EventInput, @Ctx() ctx: RequestContext) {
    return new EventService(ctx).create(input);
  }

  @Mutation(() => ShowEvent)
  updateEvent(@Arg("id", () => ID) id: string, @Arg("input") input: EventInput, @Ctx() ctx: RequestContext) {
    return new EventService(ctx).update(id, input);
  }

  @Mutation(() => ShowEvent, { description: "Hides the event from the lists; its performances stay." })
  archiveEvent(@Arg("id", () => ID) id: string, @Ctx() ctx: RequestContext) {
    return new EventService(ctx).setArchived(id, true);
  }

  @Mutation(() => ShowEvent)
  unarchiveEvent(@Arg("id", () => ID) id: string, @Ctx() ctx: RequestContext) {
    return new EventService(ctx).setArchived(id, false);
  }

  @FieldResolver(() => Institution, { nullable: true })
  institution(@Root() event: ShowEvent, @Ctx() ctx: RequestContext) {
    return ctx.loaders.load(Institution, event.institutionId);
  }

  @FieldResolver(() => Venue, { nullable: true })
  venue(@Root() event: ShowEvent, @Ctx() ctx: RequestContext) {
    return ctx.loaders.load(Venue, event.venueId);
  }
}
