import type { RequestContext } from "../common/context";
import { notFound } from "../common/domain-error";
import { parseId } from "../common/object-id";
import { cleanName, optionalText } from "../common/text";
import { assertOnInstitution } from "./catalog-access";
import type { VenueInput } from "./dto/catalog.input";
import { Venue } from "./venue.entity";

export class VenueService {
  constructor(private readonly ctx: RequestContext) {}

  async list(institutionId: string, includeArchived: boolean): Promise<Venue[]> {
    const institution = await assertOnInstitution(this.ctx, institutionId, "shows.view");
    return this.ctx.em.find(
      Venue,
      { institutionId: institution._id, ...(includeArchived ? {} : { archived: false }) },
      { orderBy: { name: "asc" } },
    );
  }

  /** A venue the actor may act on. */
  async get(id: string, action: "shows.view" | "shows.manage" = "shows.view", field = "id"): Promise<Venue> {
    const venue = await this.ctx.em.findOne(Venue, { _id: parseId(id, field) });
    if (!venue) throw notFound("Lieu");
    await assertOnInstitution(this.ctx, venue.institutionId, action);
    return venue;
  }

  async create(institutionId: string, input: VenueInput): Promise<Venue> {
    const institution = await assertOnInstitution(this.ctx, institutionId, "shows.manage");
    const venue = this.ctx.em.create(Venue, { institutionId: institution._id, ...clean(input) });
    await this.ctx.em.flush();
    return venue;
  }

  async update(id: string, input: VenueInput): Promise<Venue> {
    const venue = await this.get(id, "shows.manage");
    Object.assign(venue, clean(input));
    await this.ctx.em.flush();
    return venue;
  }

  async setArchived(id: string, archived: boolean): Promise<Venue> {
    const venue = await this.get(id, "shows.manage");
    venue.archived = archived;
    await this.ctx.em.flush();
    return venue;
  }
}

function clean(input: VenueInput) {
  return {
    name: cleanName(input.name, "name", 200, "Le nom du lieu doit contenir de 1 à 200 caractères."),
    address: optionalText(input.address),
    city: optionalText(input.city),
  };
}
