import type { Document } from "bson";
import type { LoggedEvent } from "../engine/change-log";
import { idKeyOf } from "../engine/collection-index";
import type { CursorSource } from "../engine/cursors";
import { badValue } from "../errors";
import { compileFilter, compileProjection, runPipeline } from "../query/mingo-options";
import type { CommandContext } from "./command-context";

const FULL_DOCUMENT_MODES = new Set(["default", "updateLookup", "whenAvailable", "required"]);
/** How long a getMore waits for events when the client gives no maxTimeMS (the driver default). */
const DEFAULT_AWAIT_MS = 1000;

/**
 * `aggregate [{$changeStream: {...}}, ...]` on a collection (`aggregate: "name"`) or a database
 * (`aggregate: 1`). A real standalone refuses change streams; this server accepts them so the
 * driver's `watch()` works the same as on the replica set production runs on.
 */
export async function openChangeStream(
  command: Document,
  pipeline: Document[],
  ctx: CommandContext,
  batchSize: number,
) {
  const options = pipeline[0].$changeStream as Document;
  if (typeof options !== "object" || options === null) throw badValue("$changeStream must be an object");
  const fullDocument = (options.fullDocument as string | undefined) ?? "default";
  if (!FULL_DOCUMENT_MODES.has(fullDocument))
    throw badValue(`unsupported fullDocument mode '${fullDocument}'`);
  if (options.fullDocumentBeforeChange && options.fullDocumentBeforeChange !== "off") {
    throw badValue("fullDocumentBeforeChange is not supported by this server");
  }
  const target = command.aggregate;
  const db = ctx.db;
  const coll = target === 1 ? undefined : String(target);
  if (db === "admin" && options.allChangesForCluster !== true && coll === undefined) {
    throw badValue("$changeStream on admin requires allChangesForCluster");
  }
  const stages = pipeline.slice(1);
  for (const stage of stages) {
    const name = Object.keys(stage)[0];
    if (
      ![
        "$match",
        "$project",
        "$addFields",
        "$set",
        "$unset",
        "$replaceRoot",
        "$replaceWith",
        "$redact",
      ].includes(name)
    ) {
      throw badValue(`${name} is not permitted in a $changeStream pipeline`);
    }
  }
  // The usual stream only filters (`$match` on operationType…), then maybe keeps a few fields
  // (`$project`): its predicates are compiled once and the projection applied directly, rather
  // than running a pipeline per event.
  const last = stages.at(-1);
  const projection = last && Object.keys(last).length === 1 && "$project" in last ? last.$project : undefined;
  const filters = projection ? stages.slice(0, -1) : stages;
  const matchers = filters.every((stage) => Object.keys(stage).length === 1 && "$match" in stage)
    ? filters.map((stage) => compileFilter(stage.$match as Document))
    : undefined;
  const project = projection ? compileProjection(projection as Document) : undefined;
  const transform = (event: Document): Document | undefined => {
    if (!matchers) return stages.length ? runPipeline([event], stages, {})[0] : event;
    if (!matchers.every((matches) => matches(event))) return undefined;
    return project ? project(event) : event;
  };
  const log = ctx.engine.changes;
  const resumeToken = options.resumeAfter ?? options.startAfter;
  let position = resumeToken ? log.positionAfter(resumeToken) : log.lastSeq;
  const allDatabases = options.allChangesForCluster === true;

  const concerns = (event: LoggedEvent) =>
    (allDatabases || event.db === db) &&
    (coll === undefined || event.coll === coll || event.operationType === "dropDatabase");

  const render = (event: LoggedEvent): Document => {
    const doc: Document = {
      _id: log.token(event.seq),
      operationType: event.operationType,
      clusterTime: log.clusterTime(event),
      wallTime: event.wallTime,
      ns: event.coll ? { db: event.db, coll: event.coll } : { db: event.db },
    };
    if (event.documentKey) doc.documentKey = event.documentKey;
    if (event.updateDescription) doc.updateDescription = event.updateDescription;
    if (event.fullDocument) doc.fullDocument = event.fullDocument;
    else if (event.operationType === "update" && fullDocument !== "default" && event.coll) {
      // updateLookup: the document as it is now (null when it has since been deleted).
      doc.fullDocument =
        ctx.engine.collection(event.db, event.coll)?.get(event.idKey ?? idKeyOf(event.documentKey?._id)) ??
        null;
    }
    return doc;
  };

  const take = (limit: number): Document[] => {
    const out: Document[] = [];
    for (const event of log.after(position)) {
      if (out.length >= limit) break;
      position = event.seq;
      if (!concerns(event)) continue;
      const result = transform(render(event));
      if (result) out.push(result);
    }
    if (out.length < limit) position = Math.max(position, log.lastSeq);
    return out;
  };

  const source: CursorSource = {
    async next(size, maxTimeMS) {
      let docs = take(size);
      const wait = maxTimeMS ?? DEFAULT_AWAIT_MS;
      if (docs.length === 0 && wait > 0) {
        const deadline = Date.now() + wait;
        while (docs.length === 0 && Date.now() < deadline) {
          await log.waitForEvents(deadline - Date.now());
          docs = take(size);
        }
      }
      return { docs, done: false };
    },
    extra: () => ({ postBatchResumeToken: log.token(position) }),
  };
  return ctx.cursors.open(`${db}.${coll ?? "$cmd.aggregate"}`, source, batchSize);
}
