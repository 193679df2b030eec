import express, { type Express, type RequestHandler } from "express";
import { badInput } from "../common/domain-error";
import { authenticatedRoute } from "../common/http-route";
import type { HttpRouteDeps } from "../http-routes";
import { ScanService } from "./scan.service";

const MAX_BODY = "1mb";

/**
 * `POST /api/scanner/scans` with `{ deviceKey, scans: [...] }` (JSON; each scan as in the
 * `recordScans` mutation, `scannedAt` in ISO 8601 or epoch milliseconds): the scanner's upload
 * path. Same service, checks and reply as `recordScans` — `{ results, revisions }` — without
 * coercing hundreds of typed GraphQL inputs per batch, which costs more than deciding them.
 */
export function mountScanUploadRoutes(app: Express, routeDeps: HttpRouteDeps): void {
  app.post(
    "/api/scanner/scans",
    jsonBody(),
    authenticatedRoute(routeDeps, async (ctx, req, res) => {
      if (!req.is("application/json")) {
        throw badInput("body", "Le lot de scans doit être envoyé en JSON (Content-Type: application/json).");
      }
      const { deviceKey, scans } = (req.body ?? {}) as { deviceKey?: unknown; scans?: unknown };
      if (deviceKey !== undefined && deviceKey !== null && typeof deviceKey !== "string") {
        throw badInput("deviceKey", "Identifiant de terminal invalide.");
      }
      res.json(await new ScanService(ctx).record(deviceKey || undefined, scans));
    }),
  );
}

/** Parses JSON bodies; a malformed or oversized one gets a French JSON error, not express's HTML page. */
function jsonBody(): RequestHandler {
  const parse = express.json({ limit: MAX_BODY });
  return (req, res, next) =>
    parse(req, res, (error?: { status?: number; type?: string }) => {
      if (!error) return next();
      const tooLarge = error.type === "entity.too.large";
      res.status(tooLarge ? 413 : 400).json({
        code: "BAD_USER_INPUT",
        field: "body",
        message: tooLarge
          ? `Le lot de scans dépasse ${MAX_BODY.replace("mb", " Mo")} : envoyez-le en plusieurs fois.`
          : "Le lot de scans n'est pas du JSON valide.",
      });
    });
}
