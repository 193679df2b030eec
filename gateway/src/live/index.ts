import { ServerTimeResolver } from "./server-time.resolver";

export const liveResolvers = [ServerTimeResolver];
