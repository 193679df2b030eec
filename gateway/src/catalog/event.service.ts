import type { FilterQuery } from "@mikro-orm/mongodb";
import type { RequestContext } from "../common/context";
import { badInput, notFound } from "../common/domain-error";
import { parseId } from "../common/object-id";
import { cleanName, searchKey } from "../common/text";
import { assertOnInstitution } from "./catalog-access";
import type { EventInput } from "./dto/catalog.input";
import { ShowEvent } from "./event.entity";
import { Performance } from "./performance.entity";
import { VenueService } from "./venue.service";

export class EventService {
  constructor(private readonly ctx: RequestContext) {}

  /** The events of one venue, or of a whole institution. */
  async list(
    scope: { institutionId?: string; venueId?: string },
    includeArchived: boolean,
  ): Promise<ShowEvent[]> {
    let where: FilterQuery<ShowEvent>;
    if (scope.venueId) {
      const venue = await new VenueService(this.ctx).get(scope.venueId, "shows.view", "venueId");
      where = { venueId: venue._id };
    } else if (scope.institutionId) {
      const institution = await assertOnInstitution(this.ctx, scope.institutionId, "shows.view");
      where = { institutionId: institution._id };
    } else {
      throw badInput("institutionId", "Indiquez l'institution ou le lieu des événements.");
    }
    if (!includeArchived) where.archived = false;
    return this.ctx.em.find(ShowEvent, where, { orderBy: { name: "asc", _id: "asc" } });
  }

  async get(
    id: string,
    action: "shows.view" | "shows.manage" = "shows.view",
    field = "id",
  ): Promise<ShowEvent> {
    const event = await this.ctx.em.findOne(ShowEvent, { _id: parseId(id, field) });
    if (!event) throw notFound("Événement");
    await assertOnInstitution(this.ctx, event.institutionId, action);
    return event;
  }

  /** An event lives at a venue of its own institution. */
  async create(input: EventInput): Promise<ShowEvent> {
    const venue = await new VenueService(this.ctx).get(input.venueId, "shows.manage", "venueId");
    const name = cleanEventName(input.name);
    const event = this.ctx.em.create(ShowEvent, {
      institutionId: venue.institutionId,
      venueId: venue._id,
      name,
      searchName: searchKey(name),
    });
    await this.ctx.em.flush();
    return event;
  }

  async update(id: string, input: EventInput): Promise<ShowEvent> {
    const event = await this.get(id, "shows.manage");
    const venue = await new VenueService(this.ctx).get(input.venueId, "shows.manage", "venueId");
    if (!venue.institutionId.equals(event.institutionId)) {
      throw badInput("venueId", "Le lieu doit appartenir à l'institution de l'événement.");
    }
    const name = cleanEventName(input.name);
    // Performances carry their venue for the dashboard's filters. Moved first: if the event's own
    // write then fails, sending the same update again still sees a move and finishes it.
    if (!venue._id.equals(event.venueId)) {
      await this.ctx.em.nativeUpdate(Performance, { eventId: event._id }, { venueId: venue._id });
    }
    event.venueId = venue._id;
    event.name = name;
    event.searchName = searchKey(name);
    await this.ctx.em.flush();
    return event;
  }

  async setArchived(id: string, archived: boolean): Promise<ShowEvent> {
    const event = await this.get(id, "shows.manage");
    event.archived = archived;
    await this.ctx.em.flush();
    return event;
  }
}

function cleanEventName(name: string): string {
  return cleanName(name, "name", 200, "Le nom de l'événement doit contenir de 1 à 200 caractères.");
}
