import type { ClassType } from "../common/class-type";
import { EventResolver, VenueResolver } from "./catalog.resolver";
import { ShowEvent } from "./event.entity";
import { Performance, PerformanceCounters } from "./performance.entity";
import { PerformanceResolver } from "./performance.resolver";
import { Venue } from "./venue.entity";

export { ShowEvent } from "./event.entity";
export { ControlMode, Performance } from "./performance.entity";
export { PerformanceService } from "./performance.service";
export { Venue } from "./venue.entity";

export const catalogEntities: ClassType[] = [Venue, ShowEvent, Performance, PerformanceCounters];
export const catalogResolvers: ClassType[] = [VenueResolver, EventResolver, PerformanceResolver];
