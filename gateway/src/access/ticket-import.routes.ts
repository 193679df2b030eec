import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import type { Express } from "express";
import type { Collection, Document } from "mongodb";
import { BillingService } from "../billing/billing.service";
import { Performance } from "../catalog/performance.entity";
import type { RequestContext } from "../common/context";
import { badInput, DomainError, notFound } from "../common/domain-error";
import { authenticatedRoute, queryValue } from "../common/http-route";
import { parseId } from "../common/object-id";
import type { HttpRouteDeps } from "../http-routes";
import { Institution } from "../institutions/institution.entity";
import { requireActor } from "../institutions/permissions";
import { performanceRules } from "./performance-rules";
import { completeRevision } from "./revisions";

/** Ticket states on the wire: one character each. */
const STATE_CODES: Record<string, string> = { valid: "v", cancelled: "c", duplicated: "d" };

/**
 * `GET /api/scanner/performances/:id/tickets[?since=REVISION]`: a performance's tickets for a
 * scanner, as gzip'd NDJSON — not one GraphQL object per ticket. The first line is the header
 * (revision reached, rules, categories, `total` for a full list); each next line one ticket as a compact array
 * `[barcode, state, categoryIndex, passes, inside, passesByDay, holderName, revision]`. With
 * `since`, only the tickets changed after that revision — unless tickets were removed since then,
 * in which case the header says `since: 0` and the list is whole: replace the local copy. The revision (the last whose ticket change
 * is written, see `completeRevision`) is read before the tickets:
 * a ticket changed during the download comes again in the next delta, never gets lost.
 * Importing records the billing usage of (institution, login, month).
 */
export function mountTicketImportRoutes(app: Express, routeDeps: HttpRouteDeps): void {
  app.get(
    "/api/scanner/performances/:id/tickets",
    authenticatedRoute(routeDeps, async (ctx, req, res) => {
      const performance = await controlledPerformance(ctx, String(req.params.id));
      const asked = parseSince(queryValue(req, "since"));
      // Tickets were removed after that revision (a source detached): only a full list is right.
      const since = asked < (performance.ticketsRemovedAtRevision ?? 0) ? 0 : asked;
      await new BillingService(ctx.em).recordImport(
        performance.institutionId,
        requireActor(ctx.actor).login._id,
        ctx.app.clock.now(),
      );

      // Never past a ticket change still being written: the next delta starts from here.
      const revision = await completeRevision(
        ctx.em.getConnection().getCollection("performance") as unknown as Collection<Document>,
        performance._id,
        ctx.app.clock.now(),
      );
      const categories = await ticketCollection(ctx).distinct("category", { performanceId: performance._id });
      const categoryIndex = new Map(
        categories.filter((c) => typeof c === "string").map((c, i) => [c as string, i]),
      );
      const header = {
        performanceId: performance.id,
        revision,
        since,
        // A full list's length, for the scanner's progress bar; a delta's is not known ahead.
        total: since === 0 ? performance.counters.ticketCount : null,
        label: performance.label ?? null,
        rules: performanceRules(performance),
        categories: [...categoryIndex.keys()],
      };
      const cursor = ticketCollection(ctx)
        .find({ performanceId: performance._id, ...(since > 0 ? { revision: { $gt: since } } : {}) })
        .project({
          _id: 0,
          barcode: 1,
          state: 1,
          category: 1,
          passes: 1,
          inside: 1,
          passesByDay: 1,
          holderName: 1,
          revision: 1,
        })
        .batchSize(5000);
      async function* lines() {
        yield `${JSON.stringify(header)}\n`;
        let chunk = "";
        for await (const t of cursor) {
          chunk += `${JSON.stringify(compact(t, categoryIndex))}\n`;
          if (chunk.length > 64_000) {
            yield chunk;
            chunk = "";
          }
        }
        yield chunk;
      }
      const gzip = /\bgzip\b/.test(req.get("accept-encoding") ?? "");
      res.status(200).type("application/x-ndjson");
      if (gzip) res.set("Content-Encoding", "gzip");
      if (gzip) await pipeline(Readable.from(lines()), createGzip({ level: 6 }), res);
      else await pipeline(Readable.from(lines()), res);
    }),
  );
}

async function controlledPerformance(ctx: RequestContext, id: string): Promise<Performance> {
  const performance = await ctx.em.findOne(Performance, { _id: parseId(id, "performanceId") });
  if (!performance) throw notFound("Représentation");
  const institution = await ctx.loaders.load(Institution, performance.institutionId);
  if (!institution) throw notFound("Institution");
  await requireActor(ctx.actor).assert("scan", institution);
  if (!performance.controlEnabled) {
    throw new DomainError(
      "FORBIDDEN",
      "Cette représentation n'est pas soumise au contrôle d'accès (case PDA décochée).",
    );
  }
  return performance;
}

function parseSince(value: string | undefined): number {
  if (value === undefined) return 0;
  const since = Number(value);
  if (!Number.isInteger(since) || since < 0)
    throw badInput("since", "Le paramètre « since » doit être une révision (entier positif).");
  return since;
}

function ticketCollection(ctx: RequestContext) {
  return ctx.em.getConnection().getCollection("ticket");
}

function compact(t: Document, categories: Map<string, number>): unknown[] {
  const byDay = t.passesByDay && Object.keys(t.passesByDay).length > 0 ? t.passesByDay : 0;
  return [
    t.barcode,
    STATE_CODES[t.state] ?? "v",
    t.category === undefined || t.category === null ? -1 : (categories.get(t.category) ?? -1),
    t.passes ?? 0,
    t.inside ? 1 : 0,
    byDay,
    t.holderName ?? "",
    t.revision ?? 0,
  ];
}
