import type { Direction, Locale, PerformanceRules } from "@billetix/access-rules";
import { engineText, ScannerError } from "./scanner.error";

/** The first line of a ticket list. */
export interface TicketListHeader {
  performanceId: string;
  /** The revision this list reaches: the next delta asks `since` it. */
  revision: number;
  /** 0: the list is whole (replace the local copy), even when a delta was asked. */
  since: number;
  /** Tickets in a whole list; null for a delta (or a server that does not say). */
  total: number | null;
  label: string | null;
  rules: PerformanceRules;
  categories: string[];
}

/** An open ticket download: the header read, the ticket lines to come. */
export interface TicketDownload {
  header: TicketListHeader;
  /** The next ticket lines (whole lines, without their newline), or null at the end. */
  next(): Promise<string[] | null>;
  /** Stops the download (after a failure on our side). */
  cancel(): void;
}

/** One scan as `POST /api/scanner/scans` takes it. */
export interface ScanUploadBody {
  clientScanId: string;
  performanceId: string;
  barcode: string;
  direction: Direction;
  scannedAt: number;
  timeZone: string;
  deviceAccepted: boolean;
}

export interface ScanResultBody {
  clientScanId: string;
  accepted: boolean;
  reason: string;
  message: string;
  conflict: boolean;
  replayed: boolean;
}

/** How an upload went: only `refused` is about the batch itself. */
export type UploadReply =
  | { kind: "ok"; results: ScanResultBody[] }
  | { kind: "network"; message: string }
  | { kind: "session"; message: string }
  /** 408, 429, 5xx: the server is there but busy or broken; try again later. */
  | { kind: "retry"; status: number; message: string }
  | { kind: "refused"; status: number; message: string; field?: string };

export interface GatewayClientOptions {
  baseUrl: string;
  fetch: typeof fetch;
  locale: Locale;
  /** An upload without an answer, or a download without a byte, for this long is a network failure. */
  timeoutMs: number;
}

/**
 * The two scanner routes of the gateway, over `fetch` with the session cookie. It never throws
 * HTTP errors at the engine: downloads throw `ScannerError`, uploads return an `UploadReply`.
 */
export class GatewayClient {
  constructor(private readonly options: GatewayClientOptions) {}

  /**
   * Opens `GET /api/scanner/performances/:id/tickets[?since=…]` and reads its header; the lines are
   * read as they arrive (never the whole body at once).
   */
  async tickets(performanceId: string, since: number, signal?: AbortSignal): Promise<TicketDownload> {
    const { locale } = this.options;
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    let idle: ReturnType<typeof setTimeout> | undefined;
    let timedOut = false;
    const armIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, this.options.timeoutMs);
    };
    const release = () => {
      clearTimeout(idle);
      signal?.removeEventListener("abort", onAbort);
    };
    const failure = (fallback: ScannerError): ScannerError => {
      if (signal?.aborted && !timedOut) return ScannerError.of("ABORTED", locale);
      return fallback;
    };

    const query = since > 0 ? `?since=${since}` : "";
    const url = `${this.options.baseUrl}/api/scanner/performances/${encodeURIComponent(performanceId)}/tickets${query}`;
    if (signal?.aborted) throw ScannerError.of("ABORTED", locale);
    armIdle();
    let response: Response;
    try {
      response = await this.options.fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/x-ndjson" },
        signal: controller.signal,
      });
    } catch {
      release();
      throw failure(ScannerError.of("NETWORK", locale));
    }
    if (!response.ok || !response.body) {
      release();
      throw response.ok ? ScannerError.of("BAD_RESPONSE", locale) : await httpError(response, locale);
    }

    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let rest = "";
    let done = false;
    const next = async (): Promise<string[] | null> => {
      while (!done) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch {
          done = true;
          release();
          throw failure(ScannerError.of("INTERRUPTED", locale));
        }
        if (chunk.done) {
          done = true;
          release();
          // Every line the server writes ends with a newline: a tail without one was cut.
          if ((rest + decoder.decode()).trim() !== "") throw ScannerError.of("INTERRUPTED", locale);
          return null;
        }
        armIdle();
        const text = rest + decoder.decode(chunk.value, { stream: true });
        const end = text.lastIndexOf("\n");
        if (end < 0) {
          rest = text;
          continue;
        }
        rest = text.slice(end + 1);
        const lines = text.slice(0, end).split("\n");
        return lines.filter((line) => line !== "");
      }
      return null;
    };
    const cancel = () => {
      done = true;
      release();
      reader.cancel().catch(() => undefined);
    };

    let header: TicketListHeader | undefined;
    let pending: string[] = [];
    try {
      while (header === undefined) {
        const lines = await next();
        if (lines === null) throw ScannerError.of("INTERRUPTED", locale);
        if (lines.length === 0) continue;
        header = parseHeader(lines[0], performanceId, locale);
        pending = lines.slice(1);
      }
    } catch (error) {
      cancel();
      throw error;
    }
    return {
      header,
      next: async () => {
        if (pending.length > 0) {
          const lines = pending;
          pending = [];
          return lines;
        }
        return next();
      },
      cancel,
    };
  }

  /** `POST /api/scanner/scans`; retried uploads are harmless (the server dedups on `clientScanId`). */
  async uploadScans(deviceKey: string, scans: ScanUploadBody[]): Promise<UploadReply> {
    const { locale } = this.options;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    try {
      const response = await this.options.fetch(`${this.options.baseUrl}/api/scanner/scans`, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ deviceKey, scans }),
        signal: controller.signal,
      });
      if (response.status === 401) return { kind: "session", message: engineText("SESSION_ENDED", locale) };
      if (!response.ok) {
        const { message, field } = await errorBody(response, locale);
        const retry = response.status === 408 || response.status === 429 || response.status >= 500;
        return retry
          ? { kind: "retry", status: response.status, message }
          : { kind: "refused", status: response.status, message, field };
      }
      const body = (await response.json()) as { results?: unknown };
      if (!Array.isArray(body.results)) {
        return { kind: "retry", status: response.status, message: engineText("BAD_RESPONSE", locale) };
      }
      return { kind: "ok", results: body.results as ScanResultBody[] };
    } catch {
      return { kind: "network", message: engineText("SYNC_OFFLINE", locale) };
    } finally {
      clearTimeout(timer);
    }
  }
}

function parseHeader(line: string, performanceId: string, locale: Locale): TicketListHeader {
  let raw: Partial<TicketListHeader>;
  try {
    raw = JSON.parse(line) as Partial<TicketListHeader>;
  } catch {
    throw ScannerError.of("BAD_RESPONSE", locale);
  }
  if (
    raw === null ||
    typeof raw !== "object" ||
    raw.performanceId !== performanceId ||
    typeof raw.revision !== "number" ||
    typeof raw.rules !== "object" ||
    raw.rules === null ||
    !Array.isArray(raw.categories)
  ) {
    throw ScannerError.of("BAD_RESPONSE", locale);
  }
  return {
    performanceId: raw.performanceId,
    revision: raw.revision,
    since: typeof raw.since === "number" ? raw.since : 0,
    total: typeof raw.total === "number" ? raw.total : null,
    label: typeof raw.label === "string" ? raw.label : null,
    rules: raw.rules,
    categories: raw.categories,
  };
}

/** The gateway's JSON error `{ code, message, field? }`, or a French line naming the status. */
async function errorBody(response: Response, locale: Locale): Promise<{ message: string; field?: string }> {
  try {
    const body = (await response.json()) as { message?: unknown; field?: unknown };
    if (typeof body.message === "string" && body.message !== "") {
      return { message: body.message, field: typeof body.field === "string" ? body.field : undefined };
    }
  } catch {
    // Not JSON (a proxy's page): say the status.
  }
  return { message: engineText("REFUSED", locale, { status: response.status }) };
}

async function httpError(response: Response, locale: Locale): Promise<ScannerError> {
  if (response.status === 401) return ScannerError.of("SESSION_ENDED", locale);
  const { message, field } = await errorBody(response, locale);
  return new ScannerError("REFUSED", message, response.status, field);
}
