import type { Request, RequestHandler, Response } from "express";
import { sessionToken } from "../auth/session-tokens";
import type { HttpRouteDeps } from "../http-routes";
import type { RequestContext } from "./context";
import { badInput, DomainError, unauthenticated } from "./domain-error";

const HTTP_STATUS: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
};

/**
 * A plain HTTP route for a logged-in login (cookie or `Authorization: Bearer`): the handler gets
 * the same request context as GraphQL; domain errors become JSON `{ code, message, field? }` in
 * French with the matching status, anything else a 500 that is logged, never detailed.
 */
export function authenticatedRoute(
  { deps, contextFor }: HttpRouteDeps,
  handler: (ctx: RequestContext, req: Request, res: Response) => Promise<void>,
): RequestHandler {
  return async (req, res) => {
    res.set("Cache-Control", "no-store");
    try {
      const ctx = await contextFor(sessionToken(req), req.ip ?? "", req.get("user-agent"), { req, res });
      if (!ctx.actor) throw unauthenticated();
      await handler(ctx, req, res);
    } catch (error) {
      if (res.headersSent) {
        // Mid-stream: the client sees a truncated body (and no final line) rather than a lie.
        deps.log.error({ err: error, path: req.path }, "download failed mid-stream");
        res.destroy();
        return;
      }
      if (error instanceof DomainError) {
        res.status(HTTP_STATUS[error.code] ?? 400).json({
          code: error.code,
          message: error.message,
          ...(error.field ? { field: error.field } : {}),
        });
        return;
      }
      deps.log.error({ err: error, path: req.path }, "HTTP route failed");
      res.status(500).json({
        code: "INTERNAL_SERVER_ERROR",
        message: "Une erreur interne est survenue. Réessayez ; si elle persiste, contactez le support.",
      });
    }
  };
}

/** A single query-string value; repeated or nested parameters count as malformed. */
export function queryValue(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw badInput(name, `Le paramètre « ${name} » est invalide.`);
  return value;
}
