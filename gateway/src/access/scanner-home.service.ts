import { ShowEvent } from "../catalog/event.entity";
import { Performance } from "../catalog/performance.entity";
import { Venue } from "../catalog/venue.entity";
import type { RequestContext } from "../common/context";
import { Institution } from "../institutions/institution.entity";
import { InstitutionService } from "../institutions/institution.service";
import { requireActor } from "../institutions/permissions";

/** Performances that ended longer ago than this are no longer offered for import. */
const ENDED_OFFER_MS = 24 * 3600_000;
const MAX_OFFERED = 500;

/** What a scanner offers to import: one performance, named as staff know it. */
export interface ScannerPerformanceView {
  performance: Performance;
  eventName: string;
  venueName: string;
}

/** What the scanner shows before anything is on the device: where one may scan, and what. */
export class ScannerHomeService {
  constructor(private readonly ctx: RequestContext) {}

  /** The institutions where this login may scan (member with the scanner flag, master, root). */
  async institutions(): Promise<Institution[]> {
    const actor = requireActor(this.ctx.actor);
    const visible = await new InstitutionService(this.ctx).listVisible();
    const allowed = await Promise.all(visible.map((i) => actor.can("scan", i)));
    return visible.filter((_, i) => allowed[i]);
  }

  /**
   * The performances of an institution a scanner may import: PDA ticked, not archived, not ended
   * more than a day ago; soonest first.
   */
  async performances(institutionId: string): Promise<ScannerPerformanceView[]> {
    const institution = await new InstitutionService(this.ctx).get(institutionId);
    await requireActor(this.ctx.actor).assert("scan", institution);
    const endedBefore = new Date(this.ctx.app.clock.now().getTime() - ENDED_OFFER_MS);
    const performances = await this.ctx.em.find(
      Performance,
      {
        institutionId: institution._id,
        controlEnabled: true,
        archived: false,
        $or: [{ endsAt: null }, { endsAt: { $gte: endedBefore } }],
      },
      { orderBy: { startsAt: "asc" }, limit: MAX_OFFERED },
    );
    const [venues, events] = await Promise.all([
      this.ctx.em.find(Venue, { _id: { $in: [...new Set(performances.map((p) => p.venueId))] } }),
      this.ctx.em.find(ShowEvent, { _id: { $in: [...new Set(performances.map((p) => p.eventId))] } }),
    ]);
    const venueNames = new Map(venues.map((v) => [v.id, v.name]));
    const eventNames = new Map(events.map((e) => [e.id, e.name]));
    return performances.map((performance) => ({
      performance,
      venueName: venueNames.get(performance.venueId.toHexString()) ?? "",
      eventName: eventNames.get(performance.eventId.toHexString()) ?? "",
    }));
  }
}
