import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { Express, Request } from "express";
import { badInput, conflict, DomainError } from "../common/domain-error";
import { authenticatedRoute, queryValue } from "../common/http-route";
import type { HttpRouteDeps } from "../http-routes";
import { fileFeed } from "./file-feed";
import { PerformanceSourceService } from "./performance-source.service";
import { SourceService } from "./source.service";

/**
 * `POST /api/performance-sources/:id/file?name=<file name>` with the file as the raw body: imports
 * a ticket file (CSV or Excel) into a performance through its file source. Cumulative, as the
 * guide says: the file's tickets are added or updated, none removed. All or nothing: a file with
 * a bad line changes nothing and the reply names the line. Replies with what the import did.
 */
export function mountFileImportRoutes(app: Express, routeDeps: HttpRouteDeps): void {
  app.post(
    "/api/performance-sources/:id/file",
    authenticatedRoute(routeDeps, async (ctx, req, res) => {
      const links = new PerformanceSourceService(ctx);
      const link = await links.get(String(req.params.id), "shows.manage");
      const sources = new SourceService(ctx);
      const source = await sources.get(link.sourceId, "shows.view");
      if (sources.connectorOf(source).kind !== "file")
        throw badInput(
          "id",
          "Cette source n'importe pas de fichiers : elle se synchronise avec son partenaire.",
        );
      const fileName = (queryValue(req, "name") ?? "").trim();
      if (!fileName || fileName.length > 255)
        throw badInput("name", "Indiquez le nom du fichier (paramètre « name »).");

      const limit = ctx.app.config.sourceImports.fileMaxBytes;
      const declared = Number(req.get("content-length"));
      if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
      const stored = path.join(tmpdir(), `billetix-upload-${randomUUID()}`);
      try {
        const size = await saveBody(req, stored, limit);
        if (size === 0) throw badInput("file", "Le fichier est vide.");
        const result = await links.importNow(link, fileFeed(stored, fileName, size));
        if (result.outcome === "busy")
          throw conflict("Un import de cette source est déjà en cours : réessayez quand il sera terminé.");
        if (result.outcome === "failed") throw badInput("file", result.error);
        const t = result.totals;
        res.json({
          records: t.records,
          created: t.created,
          updated: t.updated,
          unchanged: t.unchanged,
          otherSource: t.otherSource,
          rejected: t.rejected,
          rejections: t.rejections,
        });
      } finally {
        await unlink(stored).catch(() => undefined);
      }
    }),
  );
}

const tooLarge = (limit: number) =>
  new DomainError(
    "PAYLOAD_TOO_LARGE",
    `Le fichier dépasse ${limit >= 1048576 ? `${Math.round(limit / 1048576)} Mo` : `${Math.ceil(limit / 1024)} Ko`}.`,
    "file",
  );

/** Writes the body to `file`, stopping as soon as it passes `limit` bytes; returns its size. */
async function saveBody(req: Request, file: string, limit: number): Promise<number> {
  let size = 0;
  await pipeline(
    req,
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        size += chunk.length;
        if (size > limit) throw tooLarge(limit);
        yield chunk;
      }
    },
    createWriteStream(file),
  );
  return size;
}
