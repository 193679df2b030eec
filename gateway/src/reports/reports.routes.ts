import type { Express } from "express";
import { authenticatedRoute, queryValue } from "../common/http-route";
import type { HttpRouteDeps } from "../http-routes";
import { reportFileName, scanCells, scanColumns, ticketCells, ticketColumns } from "./report-export";
import { ScanLogService } from "./scan-log.service";
import { TicketReportService } from "./ticket-report.service";
import { streamXlsx } from "./xlsx-stream";

/**
 * A performance's reports as Excel files, streamed row by row (any size, flat memory):
 * - `GET /api/reports/performances/:id/tickets.xlsx[?q=…&sortBy=…&sortDirection=asc|desc]`: the
 *   tickets, as the `ticketReport` query searches and sorts them;
 * - `GET /api/reports/performances/:id/scans.xlsx[?deviceId=…&reason=…&outcome=…]`: the scan log,
 *   as the `scanLog` query filters it, newest first.
 * Session from the cookie or `Authorization: Bearer`; until the file starts, errors are JSON
 * `{ code, message, field? }` in French; after that, a failure cuts the download.
 */
export function mountReportRoutes(app: Express, routeDeps: HttpRouteDeps): void {
  app.get(
    "/api/reports/performances/:id/tickets.xlsx",
    authenticatedRoute(routeDeps, async (ctx, req, res) => {
      const report = await new TicketReportService(ctx).export(String(req.params.id), {
        q: queryValue(req, "q"),
        sortBy: queryValue(req, "sortBy"),
        sortDirection: queryValue(req, "sortDirection"),
      });
      const fileName = await reportFileName(ctx, "billets", report.performance);
      const outcome = await streamXlsx(res, {
        fileName,
        sheetName: "Billets",
        columns: ticketColumns(report.columns),
        rows: report.rows,
        cells: ticketCells(report.columns),
      });
      if (outcome === "disconnected")
        ctx.app.log.info({ path: req.path }, "report download abandoned by the client");
    }),
  );

  app.get(
    "/api/reports/performances/:id/scans.xlsx",
    authenticatedRoute(routeDeps, async (ctx, req, res) => {
      const log = await new ScanLogService(ctx).export(String(req.params.id), {
        deviceId: queryValue(req, "deviceId"),
        reason: queryValue(req, "reason"),
        outcome: queryValue(req, "outcome"),
      });
      const fileName = await reportFileName(ctx, "scans", log.performance);
      const outcome = await streamXlsx(res, {
        fileName,
        sheetName: "Scans",
        columns: scanColumns(),
        rows: log.rows,
        cells: scanCells(),
      });
      if (outcome === "disconnected")
        ctx.app.log.info({ path: req.path }, "report download abandoned by the client");
    }),
  );
}
