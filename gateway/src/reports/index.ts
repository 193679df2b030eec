import type { ClassType } from "../common/class-type";
import { ScanLogResolver, TicketReportResolver } from "./reports.resolver";

export { mountReportRoutes } from "./reports.routes";

export const reportResolvers: ClassType[] = [TicketReportResolver, ScanLogResolver];
