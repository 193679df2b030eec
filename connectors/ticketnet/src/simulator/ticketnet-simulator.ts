import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  FaultSwitch,
  integerParam,
  mixSeed,
  type PartnerFault,
  RequestLog,
  SeededRandom,
  sendJsonText,
  startSimulatorServer,
} from "@billetix/connector-sdk/simulator";
import { TICKETNET_MAX_PAGE_SIZE, type TicketnetTicket, type TicketnetTicketsPage } from "../ticketnet-api";
import {
  type SimulatedPerformance,
  type SimulatedVenue,
  TicketnetStore,
  type TicketnetTickResult,
} from "./ticketnet-store";

/** The fault switches of the conformance kit, from the SDK's simulator toolkit (which does not load the kit). */
export type { PartnerFault } from "@billetix/connector-sdk/simulator";

/** Fine-tuning of a fault; every field is optional. */
export interface TicketnetFaultOptions {
  /** `malformed`: answer the wrong shape (`"shape"`, the default) or a truncated JSON body (`"json"`). */
  malformedAs?: "shape" | "json";
  /** `malformed`: tickets pages before this one stay good (default 1: every page is broken). */
  fromPage?: number;
  /** `slow`: the delay of every answer, in ms (default: the simulator's `slowMs`). */
  slowMs?: number;
}

/** Options of {@link startTicketnetSimulator}; all optional. */
export interface TicketnetSimulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Picks the events, dates, holders, seats and statuses; the same seed gives the same data. Default 1. */
  seed?: number;
  /** Tickets per seeded performance (cancelled and reprinted ones included). Default 200. */
  ticketsPerPerformance?: number;
  /** The first performance's day (Paris), `YYYY-MM-DD`. Default `2027-03-22`: the dates cross the start of summer time. */
  firstDay?: string;
  /** Default `billetix`. */
  login?: string;
  /** Default: derived from the seed. */
  password?: string;
  /** The `expiresIn` of every token, in seconds. Default 3600. */
  tokenTtlSeconds?: number;
  /** Calls {@link TicketnetSimulator.tick} on this period; off by default. */
  tickEveryMs?: number;
  /** The `slow` fault's delay. Default 300 ms. */
  slowMs?: number;
}

/** A running simulator of a Ticketnet-style ticketing web service. */
export interface TicketnetSimulator {
  /** `http://host:port`, without a trailing slash and without `/api/v2`: the source's `baseUrl`. */
  readonly url: string;
  /** What `POST /api/v2/auth` accepts: the source's `login` and `password`. */
  readonly credentials: { login: string; password: string };
  /** Venues → events → performances (with their current ticket counts), as they stand now. */
  readonly catalogue: SimulatedVenue[];
  /** Stops the server, dropping the requests still held by a fault. */
  close(): Promise<void>;
  /** Switches a fault on for every later request; `null` switches it off. */
  setFault(fault: PartnerFault | null, options?: TicketnetFaultOptions): void;
  /** Sells `n` new VALID tickets on a performance; returns their barcodes. Throws for an unknown performance. */
  sell(performanceId: string, n: number): string[];
  /** Marks a VALID ticket CANCELLED (throws for an unknown ticket or one that is not VALID). */
  cancel(barcode: string): void;
  /** Marks a VALID ticket REPRINTED and issues its replacement; returns the new barcode. */
  reprint(barcode: string): string;
  /** A few sales on some seeded performances and one cancellation; returns the barcodes changed. */
  tick(): TicketnetTickResult;
  /**
   * Adds a performance with `tickets` tickets to an event (the first one by default). Fast even
   * for 100 000 tickets (well under a second), which are then served page by page like any other.
   */
  addPerformance(options: { tickets: number; eventId?: string; startDate?: string }): SimulatedPerformance;
  /** Every performance, seeded or added, in creation order. */
  performances(): SimulatedPerformance[];
  /** A performance's tickets as they stand now (copies), in issue order; throws for an unknown one. */
  tickets(performanceId: string): TicketnetTicket[];
  /** Makes every token issued so far invalid, as an expiry would: the next call with one gets 401. */
  revokeTokens(): void;
  /** The last 1000 requests, as `"GET /api/v2/performances/100001/tickets?page=1&pageSize=5000"`. */
  requests(): string[];
}

const MAX_BODY_BYTES = 64 * 1024;
const DEFAULT_PAGE_SIZE = 100;

interface Reply {
  status: number;
  body: unknown;
  /** Set on a tickets page: what `malformed` breaks. */
  page?: number;
}

/**
 * Starts the simulator: a real `node:http` server serving, under `/api/v2`,
 * `POST /auth` (`{login, password}` → `{token, expiresIn}`), then with `Authorization: Bearer <token>`:
 * `GET /venues`, `GET /venues/{id}/events` and
 * `GET /performances/{id}/tickets?page=N&pageSize=M[&modifiedSince=ISO]` (pages from 1, `pageSize`
 * 1 to 5000, default 100). A missing, wrong or expired token gets 401; an unknown venue or
 * performance 404; a bad query 400. Errors are `{error, message}`.
 *
 * @example
 * const sim = await startTicketnetSimulator({ seed: 1 });
 * const { token } = await (await fetch(`${sim.url}/api/v2/auth`, {
 *   method: "POST",
 *   headers: { "content-type": "application/json" },
 *   body: JSON.stringify(sim.credentials),
 * })).json();
 * const [performance] = sim.performances();
 * const page = await (await fetch(`${sim.url}/api/v2/performances/${performance.id}/tickets?pageSize=50`, {
 *   headers: { authorization: `Bearer ${token}` },
 * })).json();
 * sim.setFault("error500"); // every later call answers 500
 * await sim.close();
 */
export async function startTicketnetSimulator(
  options: TicketnetSimulatorOptions = {},
): Promise<TicketnetSimulator> {
  const seed = options.seed ?? 1;
  const store = new TicketnetStore({
    seed,
    ticketsPerPerformance: options.ticketsPerPerformance ?? 200,
    firstDay: options.firstDay ?? "2027-03-22",
  });
  const credentials = {
    login: options.login ?? "billetix",
    password: options.password ?? `tn-${new SeededRandom(mixSeed(seed, 3)).text(16)}`,
  };
  const ttlSeconds = options.tokenTtlSeconds ?? 3600;
  /** Token → its expiry (epoch ms). */
  const tokens = new Map<string, number>();
  const faults = new FaultSwitch<TicketnetFaultOptions>();
  const log = new RequestLog<string>();

  const authenticate = (body: unknown): Reply => {
    const { login, password } = (body ?? {}) as Record<string, unknown>;
    if (typeof login !== "string" || typeof password !== "string")
      return error(400, "BAD_REQUEST", "login et password sont attendus (JSON).");
    if (login !== credentials.login || password !== credentials.password)
      return error(401, "BAD_CREDENTIALS", "Identifiant ou mot de passe incorrect.");
    const token = randomBytes(24).toString("base64url");
    tokens.set(token, Date.now() + ttlSeconds * 1000);
    return { status: 200, body: { token, expiresIn: ttlSeconds } };
  };

  const tokenProblem = (req: IncomingMessage): Reply | undefined => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
    if (!match) return error(401, "MISSING_TOKEN", "En-tête Authorization: Bearer <jeton> absent.");
    const expiresAt = tokens.get(match[1]);
    if (expiresAt === undefined) return error(401, "INVALID_TOKEN", "Jeton inconnu.");
    if (expiresAt <= Date.now()) {
      tokens.delete(match[1]);
      return error(401, "TOKEN_EXPIRED", "Jeton expiré : authentifiez-vous de nouveau.");
    }
    return undefined;
  };

  const route = (req: IncomingMessage, url: URL, body: unknown): Reply => {
    if (faults.fault === "error500") return error(500, "INTERNAL_ERROR", "Erreur interne du serveur.");
    if (faults.fault === "unauthorized") return error(401, "BAD_CREDENTIALS", "Accès refusé.");
    const segments = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    if (segments[0] !== "api" || segments[1] !== "v2" || segments.length < 3)
      return error(404, "NOT_FOUND", `Ressource inconnue : ${url.pathname}`);
    const rest = segments.slice(2);
    if (rest.length === 1 && rest[0] === "auth")
      return req.method === "POST" ? authenticate(body) : error(405, "METHOD_NOT_ALLOWED", "POST attendu.");
    const refused = tokenProblem(req);
    if (refused) return refused;
    if (req.method !== "GET") return error(405, "METHOD_NOT_ALLOWED", "GET attendu.");
    if (rest.length === 1 && rest[0] === "venues") return { status: 200, body: store.listVenues() };
    if (rest.length === 3 && rest[0] === "venues" && rest[2] === "events") {
      const events = store.listEvents(rest[1]);
      return events
        ? { status: 200, body: events }
        : error(404, "VENUE_NOT_FOUND", `Lieu inconnu : ${rest[1]}`);
    }
    if (rest.length === 3 && rest[0] === "performances" && rest[2] === "tickets") {
      const page = integerParam(url, "page", 1);
      const pageSize = integerParam(url, "pageSize", DEFAULT_PAGE_SIZE);
      if (page === undefined || page < 1)
        return error(400, "BAD_REQUEST", "page doit être un entier à partir de 1.");
      if (pageSize === undefined || pageSize < 1 || pageSize > TICKETNET_MAX_PAGE_SIZE)
        return error(400, "BAD_REQUEST", `pageSize doit être un entier de 1 à ${TICKETNET_MAX_PAGE_SIZE}.`);
      const rawSince = url.searchParams.get("modifiedSince");
      const since = rawSince === null ? undefined : Date.parse(rawSince);
      if (since !== undefined && (Number.isNaN(since) || !/T.*(Z|[+-]\d\d:?\d\d)$/.test(rawSince ?? "")))
        return error(
          400,
          "BAD_REQUEST",
          "modifiedSince doit être une date ISO 8601 avec son décalage horaire.",
        );
      const result = store.page(rest[1], page, pageSize, since);
      return result
        ? { status: 200, body: result, page }
        : error(404, "PERFORMANCE_NOT_FOUND", `Représentation inconnue : ${rest[1]}`);
    }
    return error(404, "NOT_FOUND", `Ressource inconnue : ${url.pathname}`);
  };

  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    let reply: Reply;
    try {
      const body = req.method === "POST" ? await readJson(req) : undefined;
      reply =
        body === INVALID
          ? error(400, "BAD_REQUEST", "Le corps de la requête n'est pas du JSON.")
          : route(req, new URL(req.url ?? "/", "http://simulator"), body);
    } catch (err) {
      reply = error(500, "INTERNAL_ERROR", (err as Error).message);
    }
    if (res.destroyed) return;
    let text = JSON.stringify(reply.body);
    if (
      faults.fault === "malformed" &&
      reply.page !== undefined &&
      reply.page >= (faults.options.fromPage ?? 1)
    )
      text =
        faults.options.malformedAs === "json"
          ? text.slice(0, Math.ceil(text.length / 2))
          : JSON.stringify(wrongShape(reply.body as TicketnetTicketsPage));
    sendJsonText(res, reply.status, text);
  };

  let ticker: NodeJS.Timeout | undefined;
  const server = await startSimulatorServer(
    async (req, res) => {
      log.add(`${req.method} ${req.url}`);
      // `timeout` holds the request until the client gives up or the simulator closes.
      if (await faults.admit(options.slowMs ?? 300)) await answer(req, res);
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
  if (options.tickEveryMs && options.tickEveryMs > 0)
    ticker = setInterval(() => store.tick(), options.tickEveryMs).unref();

  return {
    url: server.url,
    credentials,
    get catalogue() {
      return store.catalogue();
    },
    close: () => server.close(),
    setFault: (fault, faultOptions) => faults.set(fault, faultOptions),
    sell: (performanceId, n) => store.sell(performanceId, n),
    cancel: (barcode) => store.cancel(barcode),
    reprint: (barcode) => store.reprint(barcode),
    tick: () => store.tick(),
    addPerformance: (performance) => store.addPerformance(performance),
    performances: () => store.performanceInfos(),
    tickets(performanceId) {
      const tickets = store.tickets(performanceId);
      if (!tickets) throw new Error(`Unknown performance ${performanceId}`);
      return tickets;
    },
    revokeTokens: () => tokens.clear(),
    requests: () => [...log.entries],
  };
}

function error(status: number, code: string, message: string): Reply {
  return { status, body: { error: code, message } };
}

const INVALID = Symbol("invalid JSON");

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return INVALID;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return INVALID;
  }
}

// What another version of the API might answer: the same data under other names.
function wrongShape(page: TicketnetTicketsPage): unknown {
  return {
    currentPage: String(page.page),
    pages: page.pageCount,
    serverTime: page.serverTime,
    items: page.tickets.map(({ barcode, status, ...rest }) => ({
      ...rest,
      code: barcode,
      state: status.toLowerCase(),
    })),
  };
}
