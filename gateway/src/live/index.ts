import { PerformanceCountersResolver } from "./performance-counters.resolver";
import { ServerTimeResolver } from "./server-time.resolver";

export const liveResolvers = [ServerTimeResolver, PerformanceCountersResolver];
