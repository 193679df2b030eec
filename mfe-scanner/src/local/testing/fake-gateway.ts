import {
  decide,
  type PerformanceRules,
  type Reason,
  reasonMessage,
  type TicketSnapshot,
  type TicketState,
} from "@billetix/access-rules";
import type { ScanResultBody, ScanUploadBody } from "../gateway-client";
import type { ServerTicketChange } from "../types";

// The web packages' tsconfig has no Node types (they would change `setTimeout`'s type in the
// screens' code), so this test server types the few members of node:http it uses itself.
interface NodeRequest {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
  on(event: "data", listener: (chunk: Uint8Array) => void): void;
  on(event: "end", listener: () => void): void;
  socket: { destroy(): void };
}
interface NodeResponse {
  statusCode: number;
  setHeader(name: string, value: string): void;
  write(chunk: string, callback?: () => void): boolean;
  end(chunk?: string): void;
  destroy(): void;
  flushHeaders(): void;
}
interface NodeServer {
  listen(port: number, host: string, callback: () => void): void;
  address(): { port: number } | string | null;
  close(callback: () => void): void;
  closeAllConnections(): void;
}
declare const require: (id: "node:http") => {
  createServer(handler: (req: NodeRequest, res: NodeResponse) => void): NodeServer;
};

const STATE_CODES: Record<TicketState, string> = { valid: "v", cancelled: "c", duplicated: "d" };
const SCAN_ID = /^[A-Za-z0-9_:.-]{8,64}$/;
const OBJECT_ID = /^[0-9a-fA-F]{24}$/;
const MAX_SCANS_PER_BATCH = 500;
const MAX_BODY_BYTES = 1024 * 1024;

export interface FakeTicket extends TicketSnapshot {
  holderName?: string;
  revision: number;
  /** clientScanIds applied (the server's replay markers). */
  applied: Set<string>;
}

export interface FakePerformance {
  id: string;
  label: string | null;
  rules: PerformanceRules;
  revision: number;
  ticketsRemovedAtRevision: number;
  tickets: Map<string, FakeTicket>;
}

export type FakeTicketInput = Partial<Omit<FakeTicket, "applied" | "performanceId">> & { barcode: string };

interface StoredScan {
  result: ScanResultBody;
  upload: ScanUploadBody;
}

type Route = "tickets" | "scans";

/** A failure to serve instead of the next request(s) of a route. */
type Fault =
  | { kind: "drop" } // the connection is cut before any answer: fetch rejects
  | { kind: "drop-after-record" } // the scans are recorded, then the answer is lost
  | { kind: "hold-after-record"; answer: Promise<void> } // recorded; answered once `answer` resolves
  | { kind: "status"; status: number; body: unknown }
  | { kind: "cut"; afterLines: number }; // a ticket list cut mid-way (the gateway's `res.destroy()`)

/**
 * The gateway's two scanner routes, in process on port 0, after `ticket-import.routes.ts`,
 * `scan-upload.routes.ts`, `scan-upload.ts` and `scan.service.ts`: the same NDJSON lines, checks,
 * status codes and French messages, deciding with the same `decide`. No database: maps.
 */
export class FakeGateway {
  readonly performances = new Map<string, FakePerformance>();
  readonly scans = new Map<string, StoredScan>();
  /** Each upload's scans as received (retries and refused batches included). */
  readonly uploads: ScanUploadBody[][] = [];
  /** Each ticket download's path and query. */
  readonly downloads: string[] = [];
  /** false: every route answers 401. */
  loggedIn = true;
  /** The device keys registered; null: any key passes. */
  devices: Set<string> | null = null;
  /** Performances this login may not scan (403). */
  readonly forbidden = new Set<string>();
  /** Whether headers of whole lists carry `total` (the gateway before it did not). */
  sendTotal = true;
  private readonly faults: Record<Route, Fault[]> = { tickets: [], scans: [] };

  private constructor(
    private readonly server: NodeServer,
    readonly url: string,
  ) {}

  static start(): Promise<FakeGateway> {
    const http = require("node:http");
    let gateway: FakeGateway | undefined;
    const server = http.createServer((req, res) => {
      gateway?.handle(req, res).catch(() => res.destroy());
    });
    return new Promise((resolve) => {
      server.listen(0, "127.0.0.1", () => {
        const address = server.address();
        const port = typeof address === "object" && address ? address.port : 0;
        gateway = new FakeGateway(server, `http://127.0.0.1:${port}`);
        resolve(gateway);
      });
    });
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The next `count` requests of `route` meet `fault`. */
  fail(route: Route, fault: Fault, count = 1): void {
    for (let i = 0; i < count; i++) this.faults[route].push(fault);
  }

  addPerformance(
    id: string,
    rules: Omit<PerformanceRules, "performanceId">,
    tickets: FakeTicketInput[] = [],
    label: string | null = null,
  ): FakePerformance {
    const performance: FakePerformance = {
      id,
      label,
      rules: { ...rules, performanceId: id },
      revision: 0,
      ticketsRemovedAtRevision: 0,
      tickets: new Map(),
    };
    this.performances.set(id, performance);
    for (const ticket of tickets) this.putTicket(id, ticket);
    return performance;
  }

  /** Adds or changes a ticket (as a source or a cancellation would): a new revision. */
  putTicket(performanceId: string, input: FakeTicketInput): FakeTicket {
    const performance = this.performance(performanceId);
    const current = performance.tickets.get(input.barcode);
    const ticket: FakeTicket = {
      performanceId,
      state: "valid",
      passes: 0,
      passesByDay: {},
      inside: false,
      applied: new Set(),
      ...current,
      ...input,
      revision: ++performance.revision,
    };
    performance.tickets.set(ticket.barcode, ticket);
    return ticket;
  }

  removeTicket(performanceId: string, barcode: string): void {
    const performance = this.performance(performanceId);
    performance.tickets.delete(barcode);
    performance.ticketsRemovedAtRevision = ++performance.revision;
  }

  ticket(performanceId: string, barcode: string): FakeTicket | undefined {
    return this.performances.get(performanceId)?.tickets.get(barcode);
  }

  /** What the `ticketChanges` subscription would push for this ticket now. */
  change(performanceId: string, barcode: string): ServerTicketChange {
    const t = this.ticket(performanceId, barcode);
    if (!t) throw new Error(`no ticket ${barcode}`);
    return {
      performanceId,
      barcode,
      state: t.state,
      category: t.category ?? null,
      holderName: t.holderName ?? null,
      passes: t.passes,
      inside: t.inside,
      revision: t.revision,
      passesByDay: JSON.stringify(t.passesByDay),
    };
  }

  private performance(id: string): FakePerformance {
    const performance = this.performances.get(id);
    if (!performance) throw new Error(`no performance ${id}`);
    return performance;
  }

  private async handle(req: NodeRequest, res: NodeResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    const tickets = /^\/api\/scanner\/performances\/([^/]+)\/tickets$/.exec(url.pathname);
    if (req.method === "GET" && tickets) return this.tickets(decodeURIComponent(tickets[1]), url, res, req);
    if (req.method === "POST" && url.pathname === "/api/scanner/scans") return this.upload(req, res);
    json(res, 404, { code: "NOT_FOUND", message: "Introuvable." });
  }

  private tickets(id: string, url: URL, res: NodeResponse, req: NodeRequest) {
    this.downloads.push(`${url.pathname}${url.search}`);
    const fault = this.faults.tickets.shift();
    if (fault?.kind === "drop" || fault?.kind === "drop-after-record" || fault?.kind === "hold-after-record")
      return req.socket.destroy();
    if (fault?.kind === "status") return json(res, fault.status, fault.body);
    if (!this.loggedIn)
      return json(res, 401, { code: "UNAUTHENTICATED", message: "Vous devez être connecté." });
    const performance = this.performances.get(id);
    if (!performance) return json(res, 404, { code: "NOT_FOUND", message: "Représentation introuvable." });
    if (this.forbidden.has(id)) {
      return json(res, 403, {
        code: "FORBIDDEN",
        message: "Cette représentation n'est pas soumise au contrôle d'accès (case PDA décochée).",
      });
    }
    const raw = url.searchParams.get("since");
    const asked = raw === null ? 0 : Number(raw);
    if (!Number.isInteger(asked) || asked < 0) {
      return json(res, 400, {
        code: "BAD_USER_INPUT",
        field: "since",
        message: "Le paramètre « since » doit être une révision (entier positif).",
      });
    }
    const since = asked < performance.ticketsRemovedAtRevision ? 0 : asked;
    const all = [...performance.tickets.values()];
    const categories = [
      ...new Set(all.map((t) => t.category).filter((c): c is string => typeof c === "string")),
    ];
    const listed = all.filter((t) => since === 0 || t.revision > since);
    const header = {
      performanceId: id,
      revision: performance.revision,
      since,
      ...(this.sendTotal ? { total: since === 0 ? listed.length : null } : {}),
      label: performance.label,
      rules: performance.rules,
      categories,
    };
    res.statusCode = 200;
    res.setHeader("Content-Type", "application/x-ndjson");
    res.setHeader("Cache-Control", "no-store");
    const cutAfter = fault?.kind === "cut" ? fault.afterLines : Number.POSITIVE_INFINITY;
    let chunk = `${JSON.stringify(header)}\n`;
    let written = 0;
    for (const t of listed) {
      if (written === cutAfter) {
        // Mid-stream failure: what was sent, half a line, then the connection goes.
        res.write(`${chunk}["half`, () => res.destroy());
        return;
      }
      const byDay = Object.keys(t.passesByDay).length > 0 ? t.passesByDay : 0;
      const row = [
        t.barcode,
        STATE_CODES[t.state],
        t.category === undefined ? -1 : categories.indexOf(t.category),
        t.passes,
        t.inside ? 1 : 0,
        byDay,
        t.holderName ?? "",
        t.revision,
      ];
      chunk += `${JSON.stringify(row)}\n`;
      written++;
      if (chunk.length > 64_000) {
        res.write(chunk);
        chunk = "";
      }
    }
    res.end(chunk);
  }

  private async upload(req: NodeRequest, res: NodeResponse): Promise<void> {
    const body = await readBody(req);
    const received = parseJson(body) as { scans?: unknown } | undefined;
    if (Array.isArray(received?.scans)) this.uploads.push(received.scans as ScanUploadBody[]);
    const fault = this.faults.scans.shift();
    if (fault?.kind === "drop") return req.socket.destroy();
    if (fault?.kind === "status") return json(res, fault.status, fault.body);
    if (!this.loggedIn)
      return json(res, 401, { code: "UNAUTHENTICATED", message: "Vous devez être connecté." });
    if (body.length > MAX_BODY_BYTES) {
      return json(res, 413, {
        code: "BAD_USER_INPUT",
        field: "body",
        message: "Le lot de scans dépasse 1 Mo : envoyez-le en plusieurs fois.",
      });
    }
    if (!String(req.headers["content-type"] ?? "").startsWith("application/json")) {
      return json(res, 400, {
        code: "BAD_USER_INPUT",
        field: "body",
        message: "Le lot de scans doit être envoyé en JSON (Content-Type: application/json).",
      });
    }
    const parsed = parseJson(body) as { deviceKey?: unknown; scans?: unknown } | undefined;
    if (parsed === undefined) {
      return json(res, 400, {
        code: "BAD_USER_INPUT",
        field: "body",
        message: "Le lot de scans n'est pas du JSON valide.",
      });
    }
    const { deviceKey, scans } = parsed;
    const refuse = (status: number, code: string, message: string, field?: string) =>
      json(res, status, { code, message, ...(field ? { field } : {}) });
    if (deviceKey !== undefined && deviceKey !== null && typeof deviceKey !== "string") {
      return refuse(400, "BAD_USER_INPUT", "Identifiant de terminal invalide.", "deviceKey");
    }
    if (!Array.isArray(scans) || scans.length === 0)
      return refuse(400, "BAD_USER_INPUT", "Le lot de scans est vide.", "scans");
    if (scans.length > MAX_SCANS_PER_BATCH) {
      return refuse(400, "BAD_USER_INPUT", `Un lot contient au plus ${MAX_SCANS_PER_BATCH} scans.`, "scans");
    }
    const seen = new Set<string>();
    for (const [i, raw] of (scans as Record<string, unknown>[]).entries()) {
      const at = `scans.${i}`;
      const problem = checkScan(raw);
      if (problem) return refuse(400, "BAD_USER_INPUT", problem.message, `${at}.${problem.field}`);
      if (seen.has(raw.clientScanId as string)) {
        return refuse(
          400,
          "BAD_USER_INPUT",
          "Le même scan figure deux fois dans le lot.",
          `${at}.clientScanId`,
        );
      }
      seen.add(raw.clientScanId as string);
    }
    const uploads = scans as ScanUploadBody[];
    if (deviceKey && this.devices && !this.devices.has(deviceKey)) {
      return refuse(404, "NOT_FOUND", "Terminal (enregistrez-le d'abord) introuvable.");
    }
    for (const [i, scan] of uploads.entries()) {
      if (!this.performances.has(scan.performanceId)) {
        return refuse(400, "BAD_USER_INPUT", "Représentation inconnue.", `scans.${i}.performanceId`);
      }
      if (this.forbidden.has(scan.performanceId)) {
        return refuse(
          403,
          "FORBIDDEN",
          "Vous n'avez pas les droits pour contrôler les billets de cette représentation.",
        );
      }
    }
    const results = this.record(uploads);
    if (fault?.kind === "drop-after-record") return req.socket.destroy();
    if (fault?.kind === "hold-after-record") await fault.answer;
    json(res, 200, {
      results,
      revisions: [...new Set(uploads.map((s) => s.performanceId))].map((id) => ({
        performanceId: id,
        revision: this.performance(id).revision,
      })),
    });
  }

  /** `ScanService.recordChecked`: stored scans replayed, fresh ones decided in scannedAt order. */
  private record(uploads: ScanUploadBody[]): ScanResultBody[] {
    const results = new Map<string, ScanResultBody>();
    for (const scan of uploads) {
      const stored = this.scans.get(scan.clientScanId);
      if (stored) results.set(scan.clientScanId, { ...stored.result, replayed: true });
    }
    const fresh = uploads
      .filter((s) => !results.has(s.clientScanId))
      .sort((a, b) => a.scannedAt - b.scannedAt);
    for (const scan of fresh) {
      const performance = this.performance(scan.performanceId);
      const ticket = performance.tickets.get(scan.barcode);
      const decision = decide(ticket, performance.rules, {
        direction: scan.direction,
        at: scan.scannedAt,
        timeZone: scan.timeZone,
      });
      if (ticket && decision.next && decision.next !== ticket) {
        Object.assign(ticket, decision.next, { revision: ++performance.revision });
        ticket.applied.add(scan.clientScanId);
      }
      const result: ScanResultBody = {
        clientScanId: scan.clientScanId,
        accepted: decision.accepted,
        reason: decision.reason,
        message: reasonMessage(decision.reason as Reason),
        conflict: typeof scan.deviceAccepted === "boolean" && scan.deviceAccepted !== decision.accepted,
        replayed: false,
      };
      this.scans.set(scan.clientScanId, { result, upload: scan });
      results.set(scan.clientScanId, result);
    }
    return uploads.map((s) => results.get(s.clientScanId) as ScanResultBody);
  }
}

/** `checkScanUpload` of scan-upload.ts: the first field at fault. */
function checkScan(raw: unknown): { field: string; message: string } | undefined {
  if (typeof raw !== "object" || raw === null) return { field: "", message: "Ce scan n'est pas un objet." };
  const s = raw as Record<string, unknown>;
  if (typeof s.clientScanId !== "string" || !SCAN_ID.test(s.clientScanId)) {
    return {
      field: "clientScanId",
      message: "L'identifiant du scan doit contenir de 8 à 64 caractères simples.",
    };
  }
  if (typeof s.performanceId !== "string" || !OBJECT_ID.test(s.performanceId)) {
    return { field: "performanceId", message: "Représentation inconnue." };
  }
  if (typeof s.barcode !== "string" || s.barcode.length < 1 || s.barcode.length > 128) {
    return { field: "barcode", message: "Le numéro de billet doit contenir de 1 à 128 caractères." };
  }
  if (s.direction !== "in" && s.direction !== "out") {
    return { field: "direction", message: "Le sens doit être « in » ou « out »." };
  }
  if (typeof s.scannedAt !== "number" || !Number.isFinite(s.scannedAt)) {
    return { field: "scannedAt", message: "L'heure du scan est invalide." };
  }
  if (typeof s.timeZone !== "string" || s.timeZone.length < 1 || s.timeZone.length > 64) {
    return { field: "timeZone", message: "Fuseau horaire invalide." };
  }
  if (s.deviceAccepted !== undefined && s.deviceAccepted !== null && typeof s.deviceAccepted !== "boolean") {
    return { field: "deviceAccepted", message: "Le verdict du terminal doit être vrai ou faux." };
  }
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function json(res: NodeResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.end(JSON.stringify(body));
}

function readBody(req: NodeRequest): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Uint8Array[] = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const length = chunks.reduce((n, c) => n + c.length, 0);
      const all = new Uint8Array(length);
      let offset = 0;
      for (const c of chunks) {
        all.set(c, offset);
        offset += c.length;
      }
      resolve(new TextDecoder().decode(all));
    });
  });
}
