import type { RequestContext } from "../common/context";
import type { Institution } from "../institutions/institution.entity";

/** Venues, events, performances and tickets of the demo (filled with the catalogue). */
export async function seedDemoCatalog(
  _ctx: RequestContext,
  _theatre: Institution,
  _vilar: Institution,
): Promise<void> {}
