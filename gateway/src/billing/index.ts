import type { ClassType } from "../common/class-type";
import { BillingSummaryLineResolver, BillingUsageResolver } from "./billing.resolver";
import { BillingUsage } from "./billing-usage.entity";

export { mountBillingRoutes } from "./billing.routes";
export { BillingService, type RecordImportResult } from "./billing.service";
export { billingMonthOf } from "./billing-month";
export { BillingUsage } from "./billing-usage.entity";

export const billingEntities: ClassType[] = [BillingUsage];
export const billingResolvers: ClassType[] = [BillingUsageResolver, BillingSummaryLineResolver];
