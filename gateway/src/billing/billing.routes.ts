import type { Express } from "express";
import { badInput } from "../common/domain-error";
import { authenticatedRoute, queryValue } from "../common/http-route";
import type { HttpRouteDeps } from "../http-routes";
import { requireActor } from "../institutions/permissions";
import { BillingService } from "./billing.service";
import {
  type BillingExportFormat,
  billingCsv,
  billingWorkbook,
  EXPORT_CONTENT_TYPES,
} from "./billing-export";
import { parseBillingMonth } from "./billing-month";

/**
 * `GET /exports/billing?month=YYYY-MM&format=xlsx|csv[&branchId=…]`: the billing usage of one
 * month as a file, under the rules of the `billingUsage` query. Session from the cookie or
 * `Authorization: Bearer`; errors as JSON `{ code, message, field? }` in French.
 */
export function mountBillingRoutes(app: Express, routeDeps: HttpRouteDeps): void {
  app.get(
    "/exports/billing",
    authenticatedRoute(routeDeps, async (ctx, req, res) => {
      const month = parseBillingMonth(queryValue(req, "month"), "month");
      const format = parseFormat(queryValue(req, "format"));
      const branchId = queryValue(req, "branchId");
      const rows = await new BillingService(ctx.em).exportRows(requireActor(ctx.actor), { month, branchId });
      const body = format === "xlsx" ? await billingWorkbook(rows) : billingCsv(rows);
      res
        .status(200)
        .type(EXPORT_CONTENT_TYPES[format])
        .attachment(`facturation-${month}.${format}`)
        .send(body);
    }),
  );
}

function parseFormat(value: string | undefined): BillingExportFormat {
  const format = value ?? "xlsx";
  if (format !== "xlsx" && format !== "csv") {
    throw badInput("format", "Le paramètre « format » doit valoir « xlsx » ou « csv ».");
  }
  return format;
}
