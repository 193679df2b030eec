import type { Express } from "express";
import { mountScanUploadRoutes } from "./access/scan-upload.routes";
import { mountTicketImportRoutes } from "./access/ticket-import.routes";
import { mountBillingRoutes } from "./billing";
import type { AppDeps, RequestContext } from "./common/context";
import type { Orm } from "./db/orm";
import { mountReportRoutes } from "./reports";
import { mountFileImportRoutes } from "./sources/file-import.routes";

export interface HttpRouteDeps {
  orm: Orm;
  deps: AppDeps;
  contextFor: (
    token: string | undefined,
    ip: string,
    userAgent: string | undefined,
    http?: Pick<RequestContext, "req" | "res">,
  ) => Promise<RequestContext>;
}

/** Plain HTTP routes beside /graphql: health for load balancers, downloads, the scanner's uploads. */
export function mountHttpRoutes(app: Express, routeDeps: HttpRouteDeps): void {
  const { orm } = routeDeps;
  app.get("/health", async (_req, res) => {
    try {
      await orm.em.getDriver().getConnection().getDb().command({ ping: 1 });
      res.json({ status: "ok" });
    } catch {
      res.status(503).json({ status: "unavailable", reason: "database" });
    }
  });
  mountBillingRoutes(app, routeDeps);
  mountTicketImportRoutes(app, routeDeps);
  mountScanUploadRoutes(app, routeDeps);
  mountReportRoutes(app, routeDeps);
  mountFileImportRoutes(app, routeDeps);
}
