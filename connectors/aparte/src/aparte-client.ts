import { ConnectorError, fetchJson, isConnectorError, requestTuning } from "@billetix/connector-sdk";
import type { AparteConfig } from "./aparte-config";

/** What a call is for, so that its errors say which part of the API failed. */
export interface CallContext {
  /** e.g. `Billets de la séance « 11001 », page à l'offset 2000` */
  what: string;
  /** The message for a 404, which means something different on each endpoint. */
  notFound: string;
}

/**
 * Calls the partner's API with the source's settings (`X-Api-Key`, timeout, retries), through
 * the SDK's `fetchJson`, and rewords its errors in the partner's terms.
 */
export class AparteClient {
  private readonly root: string;

  constructor(
    private readonly config: AparteConfig,
    private readonly signal: AbortSignal,
  ) {
    // An admin who pasted the address with /v1 gets the same as one who did not.
    const base = String(config.baseUrl ?? "")
      .trim()
      .replace(/\/+$/, "")
      .replace(/\/v1$/, "");
    let protocol = "";
    try {
      protocol = new URL(base).protocol;
    } catch {
      protocol = "";
    }
    if (protocol !== "http:" && protocol !== "https:")
      throw new ConnectorError(
        "bad-config",
        `« Adresse du service Aparté » : une adresse http:// ou https:// est attendue, pas « ${base} ».`,
      );
    if (!String(config.organismeId ?? "").trim())
      throw new ConnectorError("bad-config", "« Identifiant de l'organisme » : ce champ est obligatoire.");
    this.root = `${base}/v1/organismes/${encodeURIComponent(String(config.organismeId ?? "").trim())}`;
  }

  /** GETs `path` (below `/v1/organismes/{organismeId}`); the body is unchecked JSON. */
  async get(path: string, context: CallContext): Promise<unknown> {
    try {
      return await fetchJson(`${this.root}/${path}`, {
        headers: { "X-Api-Key": String(this.config.apiKey ?? "") },
        ...requestTuning(this.config),
        signal: this.signal,
      });
    } catch (err) {
      if (this.signal.aborted || !isConnectorError(err)) throw err;
      const status = err.details.status;
      switch (err.code) {
        case "unauthorized":
          throw new ConnectorError(
            "unauthorized",
            `${context.what} : le service Aparté refuse la clé d'API (HTTP ${status}). Vérifiez « Clé d'API » et « Identifiant de l'organisme ».`,
            { status, cause: err },
          );
        case "not-found":
          throw new ConnectorError("not-found", context.notFound, { status, cause: err });
        default:
          throw new ConnectorError(err.code, `${context.what} : ${lowerFirst(err.message)}`, {
            status,
            cause: err,
          });
      }
    }
  }
}

export function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
