import type { ClassType } from "../common/class-type";
import { PerformanceSource, SyncStatus } from "./performance-source.entity";
import { Source } from "./source.entity";
import {
  PartnerCatalogResolver,
  PerformanceSourceResolver,
  PerformanceSourcesFieldResolver,
  SourceResolver,
} from "./source.resolver";

export { ConnectorRegistry } from "./connector-registry";
export { PerformanceSource } from "./performance-source.entity";
export { Source } from "./source.entity";

export const sourceEntities: ClassType[] = [Source, PerformanceSource, SyncStatus];
export const sourceResolvers: ClassType[] = [
  SourceResolver,
  PerformanceSourceResolver,
  PerformanceSourcesFieldResolver,
  PartnerCatalogResolver,
];
