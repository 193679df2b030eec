import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  FaultSwitch,
  type PartnerFault,
  RequestLog,
  sendJson,
  startSimulatorServer,
} from "@billetix/connector-sdk/simulator";
import { formatParisLocal, parseParisLocal } from "../paris-time";
import { emailOf, PartnerStore, type StoredEvent, type StoredParticipant, seatOf } from "./partner-store";

/** The conformance kit's fault switches, from the SDK's simulator toolkit (which does not load the kit). */
export type { PartnerFault } from "@billetix/connector-sdk/simulator";

/** Options of {@link startAttendeesSimulator}; every one has a default. */
export interface AttendeesSimulatorOptions {
  /** Port to listen on; default 0 (any free port). */
  port?: number;
  /** Host to listen on; default 127.0.0.1. */
  host?: string;
  /** Seed of the generated catalogue and participants; same seed, same clock: same data. Default 1. */
  seed?: number;
  /** Participants generated per date of the seeded events; default 200. */
  participantsPerDate?: number;
  /**
   * The partner's clock. `last_update` has 1-second granularity, so tests drive it (see
   * {@link createManualClock}) to place a change in a later second. Default: the real clock.
   */
  now?: () => Date;
  /** Calls {@link AttendeesSimulator.tick} every this many ms; default off. */
  tickEveryMs?: number;
  /** Delay of the `slow` fault, in ms; default 300. */
  slowMs?: number;
  /** The largest `per_page` served (larger asks are cut to it); default 1000, like the real API. */
  maxPerPage?: number;
  /** Credentials the partner accepts; default `billetix` / `billetix-demo` / `demo-api-key-<seed>`. */
  credentials?: Partial<AttendeesCredentials>;
}

export interface AttendeesCredentials {
  username: string;
  password: string;
  apiKey: string;
}

/** Refinements of a fault switched on by {@link AttendeesSimulator.setFault}. */
export interface FaultOptions {
  /** `slow`: delay of every answer, in ms (default: the simulator's `slowMs`). */
  slowMs?: number;
  /** `malformed`: a participants page that is not JSON (`json`, default) or JSON of the wrong shape (`shape`). */
  malformed?: "json" | "shape";
}

/** A request the simulator received, for tests that check what the connector sent. */
export interface SimulatorRequest {
  method: string;
  path: string;
  /** Query parameters; a repeated one (`id_event[]`) keeps its last value here, all of them in `search`. */
  query: Record<string, string>;
  search: URLSearchParams;
}

/** One participant as the simulator holds it, in the partner's JSON shape. */
export type ParticipantJson = ParticipantJsonShape;

/** A running simulated partner. */
export interface AttendeesSimulator {
  /** Base URL, without a trailing slash (e.g. `http://127.0.0.1:41234`): the source's `baseUrl`. */
  url: string;
  /** What the source's `username`, `password` and `apiKey` must be. */
  credentials: AttendeesCredentials;
  /** Stops the timer, drops held requests and closes the server. */
  close(): Promise<void>;
  /** Switches a fault on for every later request, or off with null. */
  setFault(fault: PartnerFault | null, options?: FaultOptions): void;
  /**
   * Sells `n` tickets on an event (on `dateId`, or its first date) now; returns their barcodes.
   *
   * @example sim.sell("1", 2) // two tickets on the first date of event 1
   * @example sim.sell("1", "3", 5) // five on date 3 of event 1
   */
  sell(eventId: string | number, n: number): string[];
  sell(eventId: string | number, dateId: string | number | undefined, n: number): string[];
  /** Marks a participant refunded now. */
  refund(barcode: string): void;
  /** Marks a participant deleted now. */
  remove(barcode: string): void;
  /** Re-issues a ticket: returns the new barcode; the old participant is deleted and the new one says `transfered_from`. */
  transfer(barcode: string): string;
  /** One step of a live partner: sells 1 to 3 tickets and refunds one, on random events. */
  tick(): { sold: string[]; refunded: string[] };
  /**
   * Adds an event of `tickets` participants per date (one date unless `dates` says more),
   * starting in 30 days at 20:00 Paris time. Fast: 100 000 tickets take well under a second.
   */
  addEvent(options: { tickets: number; name?: string; venue?: string; dates?: number }): {
    eventId: string;
    dateIds: string[];
  };
  /** The events, with their dates' ids, as the simulator holds them. */
  events(): { id: string; name: string; venue: string; dateIds: string[] }[];
  /** The participants of an event (or of one date), in the partner's JSON shape. */
  participants(eventId: string | number, dateId?: string | number): ParticipantJson[];
  /** The last 1000 requests received, oldest first. */
  readonly requests: readonly SimulatorRequest[];
}

const TOKEN_LIFETIME_MS = 3_600_000;
const ROUTES = new Set(["/v3/auth/access_token", "/v3/events", "/v3/participants"]);

/**
 * Starts a simulated "attendees since last_update" ticketing partner (Weezevent-style API) on a
 * real HTTP server. See the package README for the API it serves.
 *
 * @example
 * const clock = createManualClock("2026-03-01T10:00:00Z");
 * const sim = await startAttendeesSimulator({ seed: 1, now: clock.now });
 * const config = { baseUrl: sim.url, ...sim.credentials };
 * clock.advance(1000);
 * sim.sell("1", 2);
 * await sim.close();
 */
export async function startAttendeesSimulator(
  options: AttendeesSimulatorOptions = {},
): Promise<AttendeesSimulator> {
  const seed = options.seed ?? 1;
  const now = options.now ?? (() => new Date());
  const maxPerPage = options.maxPerPage ?? 1000;
  const credentials: AttendeesCredentials = {
    username: options.credentials?.username ?? "billetix",
    password: options.credentials?.password ?? "billetix-demo",
    apiKey: options.credentials?.apiKey ?? `demo-api-key-${seed}`,
  };
  const store = new PartnerStore(seed, now, options.participantsPerDate ?? 200);
  const tokens = new Map<string, number>();
  const log = new RequestLog<SimulatorRequest>();
  const faults = new FaultSwitch<FaultOptions>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://simulator");
    log.add({
      method: req.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      search: url.searchParams,
    });
    const body = await readBody(req);

    const current = faults.fault;
    // `timeout` holds the request until close().
    if (!(await faults.admit(options.slowMs ?? 300))) return;
    if (current === "error500") return sendError(res, 500, "internal_error", "Erreur interne du serveur");
    if (current === "unauthorized") return sendError(res, 401, "invalid_token", "Jeton d'accès invalide");

    const dates = /^\/v3\/events\/([^/]+)\/dates$/.exec(url.pathname);
    if (!dates && !ROUTES.has(url.pathname))
      return sendError(res, 404, "not_found", `Ressource ${url.pathname} inconnue`);

    if (url.pathname === "/v3/auth/access_token") {
      if (req.method !== "POST") return sendError(res, 405, "method_not_allowed", "POST attendu");
      const form = new URLSearchParams(body);
      if (
        form.get("username") !== credentials.username ||
        form.get("password") !== credentials.password ||
        form.get("api_key") !== credentials.apiKey
      )
        return sendError(res, 401, "invalid_credentials", "Identifiants ou clé d'API invalides");
      const token = randomUUID().replaceAll("-", "");
      tokens.set(token, now().getTime() + TOKEN_LIFETIME_MS);
      return sendJson(res, 200, { access_token: token, expires_in: TOKEN_LIFETIME_MS / 1000 });
    }

    if (req.method !== "GET") return sendError(res, 405, "method_not_allowed", "GET attendu");
    const key = url.searchParams.get("api_key");
    const token = url.searchParams.get("access_token");
    if (!key || !token)
      return sendError(res, 401, "missing_credentials", "api_key et access_token sont requis");
    if (key !== credentials.apiKey) return sendError(res, 401, "invalid_api_key", "Clé d'API invalide");
    const expiresAt = tokens.get(token);
    if (expiresAt === undefined) return sendError(res, 401, "invalid_token", "Jeton d'accès invalide");
    if (expiresAt <= now().getTime()) return sendError(res, 401, "expired_token", "Jeton d'accès expiré");

    if (url.pathname === "/v3/events")
      return sendJson(res, 200, { events: [...store.events.values()].map(eventJson) });

    if (dates) {
      const event = store.events.get(Number(dates[1]));
      if (!event) return sendError(res, 404, "not_found", `Événement ${dates[1]} inconnu`);
      return sendJson(res, 200, {
        dates: event.dates.map((d) => ({ id: d.id, start: local(d.start), end: local(d.end) })),
      });
    }

    return participants(url.searchParams, res);
  };

  const participants = (search: URLSearchParams, res: ServerResponse) => {
    const eventIds = [...search.getAll("id_event[]"), ...search.getAll("id_event")].map(Number);
    if (eventIds.length === 0 || eventIds.some((id) => !Number.isInteger(id)))
      return sendError(res, 400, "bad_request", "id_event[] est requis");
    const unknown = eventIds.find((id) => !store.events.has(id));
    if (unknown !== undefined) return sendError(res, 404, "not_found", `Événement ${unknown} inconnu`);
    const dateText = search.get("id_date");
    const dateId = dateText ? Number(dateText) : undefined;
    if (
      dateId !== undefined &&
      !eventIds.some((id) => store.events.get(id)?.dates.some((d) => d.id === dateId))
    )
      return sendError(res, 404, "not_found", `Date ${dateText} inconnue pour cet événement`);
    let since: number | undefined;
    const lastUpdate = search.get("last_update");
    if (lastUpdate) {
      since = parseParisLocal(lastUpdate)?.getTime();
      if (since === undefined)
        return sendError(res, 400, "bad_request", "last_update doit être au format AAAA-MM-JJ HH:MM:SS");
    }
    const page = search.has("page") ? Number(search.get("page")) : 1;
    const askedPerPage = search.has("per_page") ? Number(search.get("per_page")) : 100;
    if (!Number.isInteger(page) || page < 1 || !Number.isInteger(askedPerPage) || askedPerPage < 1)
      return sendError(res, 400, "bad_request", "page et per_page doivent être des entiers positifs");
    const perPage = Math.min(askedPerPage, maxPerPage);
    const serverTime = local(now().getTime());

    if (faults.fault === "malformed") {
      if ((faults.options.malformed ?? "json") === "json") {
        res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
        res.end(`{"participants":[{"id_participant":1,"barcode":"`);
        return;
      }
      return sendJson(res, 200, { data: [{ code: 42 }], pagination: "1/1", server_time: serverTime });
    }

    const { items, total } = store.query({ eventIds, dateId, since, page, perPage });
    const full = search.get("full") === "1";
    sendJson(res, 200, {
      participants: items.map((p) => participantJson(p, full)),
      pagination: {
        current_page: page,
        last_page: Math.max(1, Math.ceil(total / perPage)),
        per_page: perPage,
        total,
      },
      server_time: serverTime,
    });
  };

  let ticker: NodeJS.Timeout | undefined;
  const server = await startSimulatorServer(
    (req, res) => {
      handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) sendError(res, 500, "internal_error", String(err));
      });
    },
    {
      port: options.port,
      host: options.host,
      onClose() {
        if (ticker) clearInterval(ticker);
        faults.clear();
      },
    },
  );

  const simulator: AttendeesSimulator = {
    url: server.url,
    credentials,
    requests: log.entries,
    close: () => server.close(),
    setFault: (fault, faultOptions) => faults.set(fault, faultOptions),
    sell(eventId: string | number, dateOrN: string | number | undefined, n?: number): string[] {
      const [dateId, count] = n === undefined ? [undefined, Number(dateOrN)] : [dateOrN, n];
      const { event, date } = store.resolve(eventId, dateId);
      return Array.from({ length: count }, () => store.createParticipant(event, date).barcode);
    },
    refund(barcode) {
      store.update(barcode, (p) => {
        p.refunded = true;
      });
    },
    remove(barcode) {
      store.update(barcode, (p) => {
        p.deleted = true;
      });
    },
    transfer(barcode) {
      return store.transfer(barcode).barcode;
    },
    tick() {
      const event = store.pickRandom([...store.events.values()]);
      const date = store.pickRandom(event.dates);
      const sold = simulator.sell(event.id, date.id, 1 + Math.floor(store.pickRandom([0, 1, 2])));
      const victim = store.randomValid();
      if (victim) simulator.refund(victim.barcode);
      return { sold, refunded: victim ? [victim.barcode] : [] };
    },
    addEvent({ tickets, name, venue, dates = 1 }) {
      const first = parseParisLocal(
        `${formatParisLocal(new Date(now().getTime() + 30 * 86_400_000)).slice(0, 10)} 20:00:00`,
      );
      const start = (first as Date).getTime();
      const event = store.createEvent(
        name ?? `Grand concert n° ${store.events.size + 1}`,
        venue ?? "Halle Tony Garnier",
        Array.from({ length: dates }, (_, i) => ({
          start: start + i * 86_400_000,
          end: start + i * 86_400_000 + 4 * 3_600_000,
        })),
      );
      const at = store.nowMs();
      for (const date of event.dates)
        for (let i = 0; i < tickets; i++) store.createParticipant(event, date, at);
      return { eventId: String(event.id), dateIds: event.dates.map((d) => String(d.id)) };
    },
    events() {
      return [...store.events.values()].map((e) => ({
        id: String(e.id),
        name: e.name,
        venue: e.venue.name,
        dateIds: e.dates.map((d) => String(d.id)),
      }));
    },
    participants(eventId, dateId) {
      return store
        .list(Number(eventId), dateId === undefined ? undefined : Number(dateId))
        .map((p) => participantJson(p, true));
    },
  };
  if (options.tickEveryMs && options.tickEveryMs > 0) {
    ticker = setInterval(() => simulator.tick(), options.tickEveryMs);
    ticker.unref();
  }
  return simulator;
}

const localCache = new Map<number, string>();

/** Paris time of `ms`, remembered: participants sold together share their second, and a page formats 2000 times. */
function local(ms: number): string {
  let text = localCache.get(ms);
  if (text === undefined) {
    if (localCache.size >= 100_000) localCache.clear();
    text = formatParisLocal(new Date(ms));
    localCache.set(ms, text);
  }
  return text;
}

function eventJson(event: StoredEvent) {
  return {
    id: event.id,
    name: event.name,
    date: { start: local(event.dates[0].start), end: local(event.dates[event.dates.length - 1].end) },
    venue: event.venue,
  };
}

interface ParticipantJsonShape {
  id_participant: number;
  barcode: string;
  id_event: number;
  id_date: number;
  category?: { name: string };
  rate?: { name: string; price: number };
  seat?: { zone: string; row: string; seat: string } | null;
  owner?: { first_name: string; last_name: string; email: string };
  refunded: boolean;
  deleted: boolean;
  transfered_from: string | null;
  update_date: string;
  create_date: string;
}

/** The partner's JSON for a participant; `full=1` adds category, rate, seat and owner. */
function participantJson(p: StoredParticipant, full: boolean): ParticipantJsonShape {
  if (!full)
    return {
      id_participant: p.id,
      barcode: p.barcode,
      id_event: p.eventId,
      id_date: p.dateId,
      refunded: p.refunded,
      deleted: p.deleted,
      transfered_from: p.transferedFrom,
      update_date: local(p.updatedAt),
      create_date: local(p.createdAt),
    };
  return {
    id_participant: p.id,
    barcode: p.barcode,
    id_event: p.eventId,
    id_date: p.dateId,
    category: { name: p.category.name },
    rate: p.rate,
    seat: seatOf(p),
    owner: { first_name: p.firstName, last_name: p.lastName, email: emailOf(p) },
    refunded: p.refunded,
    deleted: p.deleted,
    transfered_from: p.transferedFrom,
    update_date: local(p.updatedAt),
    create_date: local(p.createdAt),
  };
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
