import { ConnectorError, fetchJson, isConnectorError, requestTuning } from "@billetix/connector-sdk";
import type { AttendeesConfig } from "../config";

/** Renew the token this long before the partner says it expires. */
const RENEW_MARGIN_MS = 60_000;

/** The partner's participants page size; its maximum. */
export const PAGE_SIZE = 1000;

/**
 * Calls the partner for one sync or check: gets an access token (form POST), renews it before
 * it expires, and adds `api_key` and `access_token` to every GET.
 */
export class AttendeesClient {
  readonly where: string;
  private readonly base: string;
  private token?: { value: string; renewAt: number };

  constructor(
    private readonly config: AttendeesConfig,
    private readonly signal: AbortSignal,
  ) {
    this.base = String(config.baseUrl).replace(/\/+$/, "");
    this.where = new URL(this.base).host;
  }

  private get http() {
    return {
      ...requestTuning(this.config),
      signal: this.signal,
    };
  }

  /** A valid access token, asked for when there is none or it is about to expire. */
  async accessToken(): Promise<string> {
    if (this.token && Date.now() < this.token.renewAt) return this.token.value;
    let body: unknown;
    try {
      body = await fetchJson(`${this.base}/v3/auth/access_token`, {
        ...this.http,
        method: "POST",
        form: { username: this.config.username, password: this.config.password, api_key: this.config.apiKey },
      });
    } catch (err) {
      if (isConnectorError(err) && err.code === "unauthorized")
        throw new ConnectorError(
          "unauthorized",
          `Le service ${this.where} refuse le nom d'utilisateur, le mot de passe ou la clé d'API (HTTP ${err.details.status}) : vérifiez-les.`,
          { status: err.details.status, cause: err },
        );
      throw err;
    }
    const token = (body as { access_token?: unknown } | null)?.access_token;
    if (typeof token !== "string" || !token)
      throw new ConnectorError(
        "bad-response",
        `Le service ${this.where} n'a pas donné de jeton d'accès (« access_token » manque dans sa réponse).`,
      );
    const expiresIn = Number((body as { expires_in?: unknown }).expires_in);
    const lifetimeMs = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : 3_600_000;
    this.token = {
      value: token,
      renewAt: Date.now() + Math.max(lifetimeMs - RENEW_MARGIN_MS, lifetimeMs / 2),
    };
    return token;
  }

  /**
   * GETs `path` with the credentials added to `query`. `what` names the call in errors
   * ("page 3 des participants"). A 401 with a token asked for earlier (expired at the partner's
   * clock, revoked) gets one new token and one more try.
   */
  async get(path: string, query: [string, string][], what: string): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      const hadToken = this.token !== undefined;
      const search = new URLSearchParams(query);
      search.set("api_key", this.config.apiKey);
      search.set("access_token", await this.accessToken());
      try {
        return await fetchJson(`${this.base}${path}?${search}`, this.http);
      } catch (err) {
        if (!isConnectorError(err)) throw err;
        if (err.code === "unauthorized" && hadToken && attempt === 0) {
          this.token = undefined;
          continue;
        }
        const message = err.message.replace(/\.$/, "");
        throw new ConnectorError(err.code, `${message} (${what}).`, { ...err.details, cause: err });
      }
    }
  }
}
