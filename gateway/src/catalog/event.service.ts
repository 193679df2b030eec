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

  async list(venueId: string, includeArchived: boolean): Promise<ShowEvent[]> {
    const venue = await new VenueService(this.ctx).get(venueId, "shows.view", "venueId");
    return this.ctx.em.find(
      ShowEvent,
      { venueId: venue._id, ...(includeArchived ? {} : { archived: false }) },
      { orderBy: { name: "asc" } },
    );
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
    const moved = !venue._id.equals(event.venueId);
    event.venueId = venue._id;
    event.name = cleanEventName(input.name);
    event.searchName = searchKey(event.name);
    await this.ctx.em.flush();
    // Performances carry their venue for the dashboard's filters.
    if (moved) await this.ctx.em.nativeUpdate(Performance, { eventId: event._id }, { venueId: venue._id });
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
