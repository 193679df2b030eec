import { type Performance, PerformanceService } from "../catalog";
import type { RequestContext } from "../common/context";
import { requireActor } from "../institutions/permissions";

/**
 * The performance a report is about, if the actor may see its institution's shows. Anonymous
 * callers are refused before the id is even looked up.
 */
export function reportedPerformance(ctx: RequestContext, performanceId: string): Promise<Performance> {
  requireActor(ctx.actor);
  return new PerformanceService(ctx).get(performanceId, "shows.view", "performanceId");
}
