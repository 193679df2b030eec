// The import bench's side of the sources API: GraphQL for sources and their links to
// performances, the file upload route, and polling an online import until it is done.
import fs from "node:fs";
import http from "node:http";
import { now } from "../access/stack.mjs";

const STATUS =
  "status { lastSyncAt lastDurationMs lastRecords lastChanged lastError lastErrorAt runningSince runningRecords }";

export const SOURCE_QUERIES = {
  sourceTypes:
    "query SourceTypes { sourceTypes { id kind sourceConfig { key type required } performanceParams { key type required } } }",
  createSource:
    "mutation CreateSource($input: CreateSourceInput!) { createSource(input: $input) { id kind configProblems } }",
  addPerformanceSource: `mutation AddPerformanceSource($p: ID!, $s: ID!, $params: JSONObject!) {
    addPerformanceSource(performanceId: $p, sourceId: $s, input: { params: $params }) { id running ${STATUS} } }`,
  refresh: "mutation Refresh($id: ID!) { refreshPerformanceSource(id: $id) { id } }",
  link: `query Link($id: ID!) { performanceSource(id: $id) { id running ${STATUS} } }`,
  performance:
    "query Performance($id: ID!) { performance(id: $id) { revision counters { ticketCount validCount } } }",
};

/** The installed source types, by id (the gateway discovers connector packages in node_modules). */
export async function sourceTypes(api) {
  const { sourceTypes } = await api.gql(SOURCE_QUERIES.sourceTypes);
  return new Map(sourceTypes.map((t) => [t.id, t]));
}

export async function createSource(api, input) {
  const { createSource } = await api.gql(SOURCE_QUERIES.createSource, { input });
  return createSource;
}

export async function attach(api, performanceId, sourceId, params = {}) {
  const { addPerformanceSource } = await api.gql(SOURCE_QUERIES.addPerformanceSource, {
    p: performanceId,
    s: sourceId,
    params,
  });
  return addPerformanceSource;
}

export async function linkStatus(api, id) {
  const { performanceSource } = await api.gql(SOURCE_QUERIES.link, { id });
  return performanceSource;
}

export async function performanceState(api, id) {
  const { performance } = await api.gql(SOURCE_QUERIES.performance, { id });
  return performance;
}

export async function refresh(api, id) {
  await api.gql(SOURCE_QUERIES.refresh, { id });
}

/**
 * `POST /api/performance-sources/:id/file?name=` with the file streamed from disk as the raw
 * body, as the back office uploads it. Resolves to `{status, body, ms}`: `ms` runs from the
 * request to the parsed reply (the gateway replies once the import is done).
 */
export function uploadFile(api, linkId, file, name, contentType) {
  const size = fs.statSync(file).size;
  const t0 = now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(`/api/performance-sources/${linkId}/file?name=${encodeURIComponent(name)}`, api.base),
      {
        method: "POST",
        agent: api.agent,
        headers: api.headers({ "content-type": contentType, "content-length": size }),
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let body;
          try {
            body = JSON.parse(text);
          } catch {
            body = { message: text.slice(0, 300) };
          }
          resolve({ status: res.statusCode, body, ms: now() - t0 });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    fs.createReadStream(file).on("error", reject).pipe(req);
  });
}

/**
 * Polls a performance source every `everyMs` until its import is over: a `lastSyncAt` or a
 * `lastErrorAt` other than those in `before` (the status before the import was asked for).
 * Resolves to `{link, ms, polls, maxRunningRecords}`; `ms` runs from `t0`. Throws after `capS`.
 */
export async function waitForImport(api, id, before, t0, capS, everyMs = 100) {
  let polls = 0;
  let maxRunningRecords = 0;
  for (;;) {
    const link = await linkStatus(api, id);
    polls++;
    const s = link.status;
    maxRunningRecords = Math.max(maxRunningRecords, s.runningRecords ?? 0);
    const synced = s.lastSyncAt && s.lastSyncAt !== before?.lastSyncAt;
    const failed = s.lastErrorAt && s.lastErrorAt !== before?.lastErrorAt;
    if ((synced || failed) && !link.running) return { link, ms: now() - t0, polls, maxRunningRecords };
    if (now() - t0 > capS * 1000) {
      throw new Error(
        `the import of performance source ${id} was not done after ${capS} s: ${JSON.stringify(link)}`,
      );
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
