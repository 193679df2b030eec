import { ConnectorError, fetchJson, isConnectorError, requestTuning } from "@billetix/connector-sdk";
import type { TicketnetConfig } from "./ticketnet-config";
import { checkAuth } from "./ticketnet-shape";

/** What a call is for, so that its errors say which part of the API failed. */
export interface CallContext {
  /** e.g. `Billets de la représentation « 100101 », page 2` */
  what: string;
  /** The message for a 404, which means something different on each endpoint. */
  notFound: string;
}

const AUTH = "Connexion au service Ticketnet";

/**
 * Calls the partner's API with the source's settings (timeout, retries) through the SDK's
 * `fetchJson`, with a bearer token from `POST /auth`, and rewords its errors in the partner's
 * terms. A token refused with 401 (expired during a long import) is renewed once per call.
 */
export class TicketnetClient {
  /** `…/api/v2`, without a trailing slash. */
  readonly root: string;
  private token: string | undefined;

  constructor(
    private readonly config: TicketnetConfig,
    private readonly signal: AbortSignal,
  ) {
    // An admin who pasted the address with /api/v2 gets the same as one who did not.
    const base = String(config.baseUrl ?? "")
      .trim()
      .replace(/\/+$/, "")
      .replace(/\/api\/v2$/, "");
    let protocol = "";
    try {
      protocol = new URL(base).protocol;
    } catch {
      protocol = "";
    }
    if (protocol !== "http:" && protocol !== "https:")
      throw new ConnectorError(
        "bad-config",
        `« Adresse du service Ticketnet » : une adresse http:// ou https:// est attendue, pas « ${base} ».`,
      );
    this.root = `${base}/api/v2`;
  }

  /** Asks a new token with the source's login and password. */
  async authenticate(): Promise<void> {
    this.token = undefined;
    let body: unknown;
    try {
      body = await this.request("auth", {
        method: "POST",
        body: { login: String(this.config.login ?? ""), password: String(this.config.password ?? "") },
      });
    } catch (err) {
      if (this.signal.aborted || !isConnectorError(err)) throw err;
      const status = err.details.status;
      if (err.code === "unauthorized")
        throw new ConnectorError(
          "unauthorized",
          `Ticketnet refuse l'identifiant « ${this.config.login} » ou son mot de passe (HTTP ${status}) : vérifiez « Identifiant de connexion » et « Mot de passe ».`,
          { status, cause: err },
        );
      if (err.code === "not-found")
        throw new ConnectorError(
          "bad-response",
          `${AUTH} : l'adresse ${this.root}/auth n'existe pas (HTTP 404). Vérifiez « Adresse du service Ticketnet ».`,
          { status, cause: err },
        );
      throw reworded(err, AUTH);
    }
    this.token = checkAuth(body, AUTH).token;
  }

  /** GETs `path` (below `/api/v2`), authenticating first if needed; the body is unchecked JSON. */
  async get(path: string, context: CallContext): Promise<unknown> {
    if (this.token === undefined) await this.authenticate();
    try {
      return await this.request(path, { method: "GET" });
    } catch (err) {
      if (this.signal.aborted || !isConnectorError(err) || err.details.status !== 401)
        throw this.reworded(err, context);
    }
    // The token expired (or was revoked) since it was given: one new token, one new try.
    await this.authenticate();
    try {
      return await this.request(path, { method: "GET" });
    } catch (err) {
      throw this.reworded(err, context);
    }
  }

  private reworded(err: unknown, context: CallContext): unknown {
    if (this.signal.aborted || !isConnectorError(err)) return err;
    const status = err.details.status;
    switch (err.code) {
      case "unauthorized":
        return new ConnectorError(
          "unauthorized",
          `${context.what} : Ticketnet refuse l'accès au compte « ${this.config.login} » (HTTP ${status}) : vérifiez ses droits chez Ticketnet.`,
          { status, cause: err },
        );
      case "not-found":
        return new ConnectorError("not-found", context.notFound, { status, cause: err });
      default:
        return reworded(err, context.what);
    }
  }

  private request(path: string, options: { method: "GET" | "POST"; body?: unknown }): Promise<unknown> {
    return fetchJson(`${this.root}/${path}`, {
      ...options,
      headers: this.token === undefined ? {} : { authorization: `Bearer ${this.token}` },
      ...requestTuning(this.config),
      signal: this.signal,
    });
  }
}

function reworded(err: ConnectorError, what: string): ConnectorError {
  return new ConnectorError(err.code, `${what} : ${lowerFirst(err.message)}`, {
    status: err.details.status,
    cause: err,
  });
}

/** For a message set after a colon: `Le service…` → `le service…`. */
export function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
