import type { Express, Request, Response } from "express";
import { sessionToken } from "../auth/session-tokens";
import { badInput, DomainError, unauthenticated } from "../common/domain-error";
import type { HttpRouteDeps } from "../http-routes";
import { BillingService } from "./billing.service";
import {
  type BillingExportFormat,
  billingCsv,
  billingWorkbook,
  EXPORT_CONTENT_TYPES,
} from "./billing-export";
import { parseBillingMonth } from "./billing-month";

const HTTP_STATUS: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
};

/**
 * `GET /exports/billing?month=YYYY-MM&format=xlsx|csv[&branchId=…]`: the billing usage of one
 * month as a file, under the rules of the `billingUsage` query. Session from the cookie or
 * `Authorization: Bearer`; errors as JSON `{ code, message, field? }` in French.
 */
export function mountBillingRoutes(app: Express, { deps, contextFor }: HttpRouteDeps): void {
  app.get("/exports/billing", async (req: Request, res: Response) => {
    res.set("Cache-Control", "no-store");
    try {
      const ctx = await contextFor(sessionToken(req), req.ip ?? "", req.get("user-agent"), { req, res });
      if (!ctx.actor) throw unauthenticated();
      const month = parseBillingMonth(queryValue(req, "month"), "month");
      const format = parseFormat(queryValue(req, "format"));
      const branchId = queryValue(req, "branchId");

      const rows = await new BillingService(ctx.em).exportRows(ctx.actor, { month, branchId });
      const body = format === "xlsx" ? await billingWorkbook(rows) : billingCsv(rows);
      res
        .status(200)
        .type(EXPORT_CONTENT_TYPES[format])
        .attachment(`facturation-${month}.${format}`)
        .send(body);
    } catch (error) {
      if (error instanceof DomainError) {
        res.status(HTTP_STATUS[error.code] ?? 400).json({
          code: error.code,
          message: error.message,
          ...(error.field ? { field: error.field } : {}),
        });
        return;
      }
      deps.log.error({ err: error }, "billing export failed");
      res.status(500).json({
        code: "INTERNAL_SERVER_ERROR",
        message: "Une erreur interne est survenue. Réessayez ; si elle persiste, contactez le support.",
      });
    }
  });
}

/** A single query-string value; repeated or nested parameters count as malformed. */
function queryValue(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw badInput(name, `Le paramètre « ${name} » est invalide.`);
  return value;
}

function parseFormat(value: string | undefined): BillingExportFormat {
  const format = value ?? "xlsx";
  if (format !== "xlsx" && format !== "csv") {
    throw badInput("format", "Le paramètre « format » doit valoir « xlsx » ou « csv ».");
  }
  return format;
}
