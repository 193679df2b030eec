import { PerformanceCountersResolver } from "./performance-counters.resolver";
import { ServerTimeResolver } from "./server-time.resolver";

export { CounterFeed } from "./counter-feed";
export const liveResolvers = [ServerTimeResolver, PerformanceCountersResolver];
