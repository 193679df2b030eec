import type { FilterQuery } from "@mikro-orm/mongodb";
import type { RequestContext } from "../common/context";
import { parseId } from "../common/object-id";
import { escapeRegExp, searchKey } from "../common/text";
import { Institution } from "../institutions/institution.entity";
import { requireActor } from "../institutions/permissions";
import { assertOnInstitution } from "./catalog-access";
import type { DashboardFilter, DashboardSort, PageInput } from "./dto/dashboard.input";
import { ShowEvent } from "./event.entity";
import { Performance } from "./performance.entity";
import { Venue } from "./venue.entity";

export interface DashboardRow {
  performance: Performance;
  institution: Institution;
  event: ShowEvent;
  venue: Venue;
  admitted: number;
  valid: number;
  gaugePercent: number;
}

/**
 * The performances list the back office opens on. A fixed number of database round-trips
 * whatever the page size: the branch, the event search, the page and its count, then the page's
 * events and venues in one `$in` each.
 */
export class DashboardService {
  constructor(private readonly ctx: RequestContext) {}

  async performances(
    institutionId: string,
    includeBranch: boolean,
    filter: DashboardFilter,
    sort: DashboardSort,
    page: PageInput,
  ): Promise<{ total: number; rows: DashboardRow[] }> {
    const { em } = this.ctx;
    const actor = requireActor(this.ctx.actor);
    const institution = await assertOnInstitution(this.ctx, institutionId, "shows.view");
    let institutions = [institution];
    if (includeBranch) {
      const branch = await em.find(Institution, {
        $or: [{ _id: institution._id }, { ancestors: institution._id }],
      });
      // Only the parts of the branch this login may see (memberships are loaded once per request).
      const visible = await Promise.all(branch.map((i) => actor.can("shows.view", i)));
      institutions = branch.filter((_, index) => visible[index]);
    }
    const byInstitution = new Map(institutions.map((i) => [i.id, i]));

    const where: FilterQuery<Performance> = {
      institutionId: { $in: institutions.map((i) => i._id) },
      archived: Boolean(filter.archived),
    };
    if (filter.from) where.endsAt = { $gte: filter.from };
    if (filter.to) where.startsAt = { $lt: filter.to };
    if (filter.controlEnabled !== undefined && filter.controlEnabled !== null)
      where.controlEnabled = filter.controlEnabled;
    if (filter.venueId) where.venueId = parseId(filter.venueId, "filter.venueId");
    const eventIds = filter.eventId ? [parseId(filter.eventId, "filter.eventId")] : undefined;
    if (filter.search?.trim()) {
      const matching = await em.find(
        ShowEvent,
        {
          institutionId: { $in: institutions.map((i) => i._id) },
          searchName: new RegExp(escapeRegExp(searchKey(filter.search.trim()))),
          ...(eventIds ? { _id: { $in: eventIds } } : {}),
        },
        { fields: ["_id"] },
      );
      where.eventId = { $in: matching.map((e) => e._id) };
    } else if (eventIds) {
      where.eventId = { $in: eventIds };
    }

    const direction = sort.direction ?? "asc";
    const [performances, total] = await em.findAndCount(Performance, where, {
      orderBy: { [sort.field ?? "startsAt"]: direction, _id: direction },
      offset: page.offset,
      limit: page.limit,
    });
    const [events, venues] = await Promise.all([
      em.find(ShowEvent, { _id: { $in: unique(performances.map((p) => p.eventId)) } }),
      em.find(Venue, { _id: { $in: unique(performances.map((p) => p.venueId)) } }),
    ]);
    const eventById = new Map(events.map((e) => [e.id, e]));
    const venueById = new Map(venues.map((v) => [v.id, v]));
    const rows = performances.map((performance) => {
      const { admittedCount, validCount } = performance.counters;
      return {
        performance,
        institution: byInstitution.get(performance.institutionId.toHexString()) as Institution,
        event: eventById.get(performance.eventId.toHexString()) as ShowEvent,
        venue: venueById.get(performance.venueId.toHexString()) as Venue,
        admitted: admittedCount,
        valid: validCount,
        gaugePercent: validCount > 0 ? Math.round((admittedCount * 100) / validCount) : 0,
      };
    });
    return { total, rows };
  }
}

function unique<T extends { toHexString(): string }>(ids: T[]): T[] {
  return [...new Map(ids.map((id) => [id.toHexString(), id])).values()];
}
