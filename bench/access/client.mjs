// The access bench's side of the wire: GraphQL over HTTP (one keep-alive agent for every
// simulated device, one root session), the catalog made through the API, tickets loaded with the
// driver, and graphql-ws subscribers.
import http from "node:http";
import { createClient } from "graphql-ws";
import { ObjectId } from "mongodb";
import WebSocket from "ws";

export const QUERIES = {
  login: "mutation Login($u: String!, $p: String!) { login(username: $u, password: $p) { token } }",
  institutions: "query Institutions { institutions { id depth } }",
  createInstitution:
    "mutation CreateInstitution($input: CreateInstitutionInput!) { createInstitution(input: $input) { id } }",
  createVenue:
    "mutation CreateVenue($institutionId: ID!, $input: VenueInput!) { createVenue(institutionId: $institutionId, input: $input) { id } }",
  createEvent: "mutation CreateEvent($input: EventInput!) { createEvent(input: $input) { id } }",
  createPerformance:
    "mutation CreatePerformance($input: CreatePerformanceInput!) { createPerformance(input: $input) { id controlEnabled controlMode } }",
  registerDevice:
    "mutation RegisterDevice($input: RegisterDeviceInput!) { registerDevice(input: $input) { id deviceKey } }",
  recordScans:
    "mutation RecordScans($deviceKey: String!, $scans: [ScanUploadInput!]!) { recordScans(deviceKey: $deviceKey, scans: $scans) { results { clientScanId accepted reason conflict replayed } revisions { performanceId revision } } }",
  checkTicket:
    'mutation CheckTicket($performanceId: ID!, $barcode: String!, $deviceKey: String) { checkTicket(performanceId: $performanceId, barcode: $barcode, direction: "in", timeZone: "Europe/Paris", deviceKey: $deviceKey) { clientScanId accepted reason conflict replayed } }',
  counters:
    "subscription Counters($performanceId: ID!) { performanceCounters(performanceId: $performanceId) { performanceId revision admittedCount refusedCount anomalyCount } }",
};

/** How row 1 and the probes upload: the scanner's JSON route (default) or the GraphQL mutation. */
export const UPLOAD = process.env.UPLOAD === "graphql" ? "graphql" : "http";

/** GraphQL over HTTP with a Bearer token, on one keep-alive agent. */
export class Api {
  constructor(base, sockets = 128) {
    this.base = base;
    this.url = new URL("/graphql", base);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
    this.token = undefined;
  }

  headers(extra = {}) {
    return { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...extra };
  }

  /** POSTs an operation; resolves to its `data`, throws on a GraphQL error or a non-200. */
  async gql(query, variables = {}) {
    const parsed = await this.postJson(this.url.pathname, { query, variables });
    if (parsed.errors?.length) {
      const e = parsed.errors[0];
      throw new Error(`GraphQL ${e.extensions?.code ?? "?"}: ${e.message}`);
    }
    return parsed.data;
  }

  /**
   * Uploads a batch of scans the way the scanner does: `POST /api/scanner/scans` (UPLOAD=http,
   * the default) or the `recordScans` mutation (UPLOAD=graphql). Resolves to `{results, revisions}`.
   */
  async recordScans(deviceKey, scans) {
    if (UPLOAD === "graphql") return (await this.gql(QUERIES.recordScans, { deviceKey, scans })).recordScans;
    return this.postJson("/api/scanner/scans", { deviceKey, scans });
  }

  /**
   * POSTs JSON; resolves to the parsed reply, throws on a non-200 (with its message). A request
   * that met a kept-alive connection the server had just closed is sent again once, as Node
   * advises: the server never read it.
   */
  async postJson(pathname, value) {
    const body = Buffer.from(JSON.stringify(value));
    try {
      return await this.postOnce(pathname, body);
    } catch (e) {
      if (!e.reusedSocket || e.code !== "ECONNRESET") throw e;
      return this.postOnce(pathname, body);
    }
  }

  postOnce(pathname, body) {
    return new Promise((resolve, reject) => {
      const req = http.request(
        new URL(pathname, this.base),
        {
          method: "POST",
          agent: this.agent,
          headers: this.headers({ "content-type": "application/json", "content-length": body.length }),
        },
        (res) => {
          const chunks = [];
          res.on("data", (c) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 300)}`));
            else resolve(JSON.parse(text));
          });
          res.on("error", reject);
        },
      );
      req.on("error", (e) => {
        e.reusedSocket = req.reusedSocket;
        reject(e);
      });
      req.end(body);
    });
  }

  /** A GET on the gateway: resolves to the response, unread (the caller streams it). */
  get(pathAndQuery, headers = {}) {
    return new Promise((resolve, reject) => {
      const req = http.get(
        new URL(pathAndQuery, this.base),
        { agent: this.agent, headers: this.headers(headers) },
        resolve,
      );
      req.on("error", reject);
    });
  }

  async login(username, password) {
    const d = await this.gql(QUERIES.login, { u: username, p: password });
    this.token = d.login.token;
    return this.token;
  }

  close() {
    this.agent.destroy();
  }
}

/**
 * The catalog, made through the API as the back office makes it: a customer institution (with
 * its master login) under root, a venue, an event, and one dated performance per name, on now
 * (started an hour ago, ends in 6 h), under access control, single pass.
 */
export async function makeCatalog(api, names, stamp) {
  const { institutions } = await api.gql(QUERIES.institutions);
  const root = institutions.find((i) => i.depth === 0);
  const { createInstitution: inst } = await api.gql(QUERIES.createInstitution, {
    input: {
      parentId: root.id,
      name: `Bench access ${stamp}`,
      master: { username: `bench-master-${stamp}`.toLowerCase(), password: "bench-master-password" },
    },
  });
  const { createVenue: venue } = await api.gql(QUERIES.createVenue, {
    institutionId: inst.id,
    input: { name: "Salle du bench", city: "Paris" },
  });
  const { createEvent: event } = await api.gql(QUERIES.createEvent, {
    input: { venueId: venue.id, name: "Le bench" },
  });
  const t = Date.now();
  const performances = {};
  for (const name of names) {
    const { createPerformance: p } = await api.gql(QUERIES.createPerformance, {
      input: {
        eventId: event.id,
        dated: true,
        startsAt: new Date(t - 3600_000).toISOString(),
        endsAt: new Date(t + 6 * 3600_000).toISOString(),
        controlEnabled: true,
        controlMode: "single",
      },
    });
    if (!p.controlEnabled || p.controlMode !== "single") {
      throw new Error(`performance ${name} came back ${JSON.stringify(p)}`);
    }
    performances[name] = p.id;
  }
  return { institutionId: inst.id, venueId: venue.id, eventId: event.id, performances };
}

export async function registerDevices(api, institutionId, keys) {
  for (const [i, deviceKey] of keys.entries()) {
    await api.gql(QUERIES.registerDevice, {
      input: { deviceKey, name: `Tablette ${i + 1}`, institutionId },
    });
  }
}

// ------------------------------------------------------------------ tickets --
// Unique, scrambled barcodes: a multiplicative hash mod 2^32 is a bijection on i < 2^32.
export const barcodeOf = (prefix, i) =>
  `${prefix}${((i * 2654435761) >>> 0).toString(36).toUpperCase().padStart(7, "0")}`;
const CATEGORIES = ["Plein tarif", "Tarif réduit", "Abonné", "Invitation"];
const FIRST = ["Ana", "Ben", "Chloé", "David", "Emma", "Farid", "Giulia", "Hugo", "Inès", "Jon"];
const LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Petit", "Durand", "Leroy", "Moreau"];

/**
 * `n` valid tickets for a performance, inserted with the driver in chunks of 10k as an import
 * leaves them (revision 1..n), then the performance's revision and counters set to match.
 * Every category is accepted at the door (no excluded categories), so each first entry passes.
 */
export async function loadTickets(db, performanceId, prefix, n) {
  const perf = new ObjectId(performanceId);
  const created = new Date();
  const coll = db.collection("ticket");
  for (let start = 0; start < n; start += 10_000) {
    const docs = [];
    for (let i = start; i < Math.min(n, start + 10_000); i++) {
      docs.push({
        _id: new ObjectId(),
        performanceId: perf,
        barcode: barcodeOf(prefix, i),
        state: "valid",
        category: CATEGORIES[i % 4],
        holderName: `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`,
        seat: `Rang ${String.fromCharCode(65 + (i % 20))} — place ${(i % 30) + 1}`,
        price: 10 + (i % 90),
        extra: {},
        revision: i + 1,
        passes: 0,
        inside: false,
        passesByDay: {},
        appliedScans: [],
        createdAt: created,
        updatedAt: created,
      });
    }
    await coll.insertMany(docs, { ordered: true });
  }
  const r = await db
    .collection("performance")
    .updateOne(
      { _id: perf },
      { $set: { revision: n, "counters.ticketCount": n, "counters.validCount": n, updatedAt: new Date() } },
    );
  if (r.matchedCount !== 1) throw new Error(`performance ${performanceId} not found to set its counters`);
}

// ------------------------------------------------------------ subscriptions --
/** A graphql-ws client on the gateway's /graphql, authenticated with the session's Bearer token. */
export function wsClient(base, token) {
  return createClient({
    url: `${base.replace(/^http/, "ws")}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: true,
  });
}

/**
 * Subscribes to a performance's counters; `onEvent(counters, atMs)` for every event. Resolves
 * once the first event (the counters as they are) arrived; `.stop()` ends the subscription.
 */
export function subscribeCounters(client, performanceId, onEvent) {
  return new Promise((resolve, reject) => {
    let first = true;
    let failed;
    const stop = client.subscribe(
      { query: QUERIES.counters, variables: { performanceId } },
      {
        next: (msg) => {
          const at = Number(process.hrtime.bigint()) / 1e6;
          if (msg.errors?.length) {
            failed = new Error(`subscription error: ${msg.errors[0].message}`);
            reject(failed);
            return;
          }
          const c = msg.data?.performanceCounters;
          onEvent(c, at, first);
          if (first) {
            first = false;
            resolve({ stop, initial: c, error: () => failed });
          }
        },
        error: (e) => {
          failed =
            e instanceof Error ? e : new Error(`subscription closed: ${e?.code ?? ""} ${e?.reason ?? e}`);
          reject(failed);
        },
        complete: () => {},
      },
    );
  });
}
