import type { IncomingMessage, ServerResponse } from "node:http";
import {
  FaultSwitch,
  integerParam,
  type PartnerFault,
  RequestLog,
  sendJsonText,
  startSimulatorServer,
} from "@billetix/connector-sdk/simulator";
import { APARTE_MAX_LIMIT, type AparteBillet } from "../aparte-api";
import { type AparteSeanceInfo, AparteStore, type AparteTickResult } from "./aparte-store";

/** The fault switches of the conformance kit, from the SDK's simulator toolkit (which does not load the kit). */
export type { PartnerFault } from "@billetix/connector-sdk/simulator";

/** Fine-tuning of a fault; every field is optional. */
export interface AparteFaultOptions {
  /** `malformed`: answer the wrong shape (`"shape"`, the default) or a cut JSON body (`"json"`). */
  malformedAs?: "shape" | "json";
  /** `malformed`: billets pages that start before this offset stay good (default 0: all are broken). */
  fromOffset?: number;
  /** `slow`: the delay of every answer, in ms (default: the simulator's `slowMs`). */
  slowMs?: number;
}

export interface AparteSimulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Picks the venues, shows, séances and billets; the same seed gives the same data. Default 1. */
  seed?: number;
  /** Billets per seeded séance (cancelled and re-issued ones included). Default 150. */
  ticketsPerSeance?: number;
  /** The first séance's day, `YYYY-MM-DD`. Default `2025-10-20`: the séances cross the end of summer time. */
  firstDay?: string;
  /** Default `"1042"`. */
  organismeId?: string;
  /** Default: derived from the seed (`apk_` and 24 hex digits). */
  apiKey?: string;
  /** Calls {@link AparteSimulator.tick} on this period; off by default. */
  tickEveryMs?: number;
  /** The `slow` fault's delay. Default 300 ms. */
  slowMs?: number;
}

/** A running simulator of an Aparté-style box-office web service. */
export interface AparteSimulator {
  /** `http://host:port`, without a trailing slash: the source's `baseUrl`. */
  readonly url: string;
  readonly organismeId: string;
  /** The value the `X-Api-Key` header must carry. */
  readonly apiKey: string;
  /** Stops the server, dropping requests still held by a fault. */
  close(): Promise<void>;
  /** Switches a fault on for every later request; `null` switches it off. */
  setFault(fault: PartnerFault | null, options?: AparteFaultOptions): void;
  /** Sells `n` new VALIDE billets on a séance; returns their numbers. */
  sell(idSeance: string, n: number): string[];
  /** Marks a VALIDE billet ANNULE (throws for an unknown or not VALIDE one). */
  cancel(numeroBillet: string): void;
  /** Marks a VALIDE billet REEDITE and issues its replacement; returns the new number. */
  reissue(numeroBillet: string): string;
  /** One to three sales on every seeded séance and one cancellation (on each seeded séance in turn). */
  tick(): AparteTickResult;
  /**
   * Adds a séance with `tickets` billets to a show (the first one by default). Fast even for
   * 100 000 billets, which are then served page by page like any other séance.
   */
  addSeance(options: { tickets: number; idSpectacle?: string; dateDebut?: string }): AparteSeanceInfo;
  /** Every séance with its show, venue and current number of billets. */
  seances(): AparteSeanceInfo[];
  /** A séance's billets as they stand now (copies); throws for an unknown séance. */
  billets(idSeance: string): AparteBillet[];
  /** The last 1000 requests, as `"GET /v1/…?offset=0&limit=2000"`. */
  requests(): string[];
}

interface Reply {
  status: number;
  body: unknown;
  /** What `malformed` does to this answer. */
  kind: "catalogue" | "billets" | "error";
  offset?: number;
}

/**
 * Starts the simulator: a real HTTP server serving
 * `GET /v1/organismes/{organismeId}/lieux`, `…/spectacles`, `…/spectacles/{idSpectacle}/seances`
 * and `…/seances/{idSeance}/billets?offset=N&limit=M` (limit 1 to 2000, default 100), with the
 * `X-Api-Key` header. A wrong or missing key gets 401, an unknown organisme, show or séance 404.
 *
 * @example
 * const sim = await startAparteSimulator({ seed: 1 });
 * const [seance] = sim.seances();
 * const res = await fetch(`${sim.url}/v1/organismes/${sim.organismeId}/seances/${seance.idSeance}/billets?limit=50`, {
 *   headers: { "X-Api-Key": sim.apiKey },
 * });
 * sim.setFault("error500");
 * await sim.close();
 */
export async function startAparteSimulator(options: AparteSimulatorOptions = {}): Promise<AparteSimulator> {
  const store = new AparteStore({
    seed: options.seed ?? 1,
    ticketsPerSeance: options.ticketsPerSeance ?? 150,
    firstDay: options.firstDay ?? "2025-10-20",
  });
  const organismeId = options.organismeId ?? store.organismeId;
  const apiKey = options.apiKey ?? store.apiKey;
  const faults = new FaultSwitch<AparteFaultOptions>();
  const log = new RequestLog<string>();

  const route = (req: IncomingMessage, url: URL): Reply => {
    if (faults.fault === "error500") return error(500, "ERREUR_INTERNE", "Erreur interne du serveur.");
    if (faults.fault === "unauthorized") return error(401, "CLE_API_INVALIDE", "Clé d'API refusée.");
    const segments = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    if (segments[0] !== "v1" || segments[1] !== "organismes" || segments.length < 4)
      return error(404, "RESSOURCE_INCONNUE", `Ressource inconnue : ${url.pathname}`);
    if (req.headers["x-api-key"] !== apiKey)
      return error(401, "CLE_API_INVALIDE", "Clé d'API absente ou invalide (en-tête X-Api-Key).");
    if (segments[2] !== organismeId)
      return error(404, "ORGANISME_INCONNU", `Organisme inconnu : ${segments[2]}`);
    if (req.method !== "GET") return error(405, "METHODE_INTERDITE", "Seule la méthode GET est permise.");
    const rest = segments.slice(3);
    const at = rest.join("/");
    if (at === "lieux") return { status: 200, kind: "catalogue", body: { lieux: store.lieux } };
    if (at === "spectacles")
      return { status: 200, kind: "catalogue", body: { spectacles: store.listSpectacles() } };
    if (rest.length === 3 && rest[0] === "spectacles" && rest[2] === "seances") {
      const seances = store.listSeances(rest[1]);
      return seances
        ? { status: 200, kind: "catalogue", body: { seances } }
        : error(404, "SPECTACLE_INCONNU", `Spectacle inconnu : ${rest[1]}`);
    }
    if (rest.length === 3 && rest[0] === "seances" && rest[2] === "billets") {
      const offset = integerParam(url, "offset", 0);
      const limit = integerParam(url, "limit", 100);
      if (offset === undefined || offset < 0)
        return error(400, "PARAMETRE_INVALIDE", "offset doit être un entier positif ou nul.");
      if (limit === undefined || limit < 1 || limit > APARTE_MAX_LIMIT)
        return error(400, "PARAMETRE_INVALIDE", `limit doit être un entier de 1 à ${APARTE_MAX_LIMIT}.`);
      const page = store.page(rest[1], offset, limit);
      return page
        ? { status: 200, kind: "billets", body: page, offset }
        : error(404, "SEANCE_INCONNUE", `Séance inconnue : ${rest[1]}`);
    }
    return error(404, "RESSOURCE_INCONNUE", `Ressource inconnue : ${url.pathname}`);
  };

  const answer = (req: IncomingMessage, res: ServerResponse) => {
    if (res.destroyed) return;
    let reply: Reply;
    try {
      reply = route(req, new URL(req.url ?? "/", "http://simulator"));
    } catch (err) {
      reply = error(500, "ERREUR_INTERNE", (err as Error).message);
    }
    let text = JSON.stringify(reply.body);
    if (faults.fault === "malformed" && reply.status === 200) {
      const broken = reply.kind === "catalogue" || (reply.offset ?? 0) >= (faults.options.fromOffset ?? 0);
      if (broken && faults.options.malformedAs === "json") text = text.slice(0, Math.ceil(text.length / 2));
      else if (broken) text = JSON.stringify(wrongShape(reply));
    }
    sendJsonText(res, reply.status, text);
  };

  let ticker: NodeJS.Timeout | undefined;
  const server = await startSimulatorServer(
    async (req, res) => {
      log.add(`${req.method} ${req.url}`);
      // `timeout` holds the request until the client gives up or the simulator closes.
      if (await faults.admit(options.slowMs ?? 300)) answer(req, res);
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
    organismeId,
    apiKey,
    close: () => server.close(),
    setFault: (fault, faultOptions) => faults.set(fault, faultOptions),
    sell: (idSeance, n) => store.sell(idSeance, n),
    cancel: (numero) => store.cancel(numero),
    reissue: (numero) => store.reissue(numero),
    tick: () => store.tick(),
    addSeance: (seance) => store.addSeance(seance),
    seances: () => store.seanceInfos(),
    billets(idSeance) {
      const billets = store.billets(idSeance);
      if (!billets) throw new Error(`Unknown séance ${idSeance}`);
      return billets;
    },
    requests: () => [...log.entries],
  };
}

function error(status: number, code: string, message: string): Reply {
  return { status, kind: "error", body: { code, message } };
}

// What another version of the API might answer: same data, other names.
function wrongShape(reply: Reply): unknown {
  if (reply.kind === "billets") {
    const page = reply.body as { total: number; offset: number; billets: AparteBillet[] };
    return {
      total: String(page.total),
      offset: page.offset,
      billets: page.billets.map(({ numeroBillet, etat, ...rest }) => ({
        ...rest,
        numero: numeroBillet,
        statut: etat.toLowerCase(),
      })),
    };
  }
  return { statut: "OK", resultat: Object.values(reply.body as object)[0] };
}
