import type { RequestTuningConfig } from "./config-schema";
import { ConnectorError } from "./connector-error";

export interface PartnerRequestOptions {
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  /** JSON body for POST. */
  body?: unknown;
  /**
   * A form body for POST, sent as `application/x-www-form-urlencoded` (token endpoints of
   * OAuth-style APIs); the answer is still read as JSON. Takes precedence over `body`.
   *
   * @example
   * await fetchJson(`${base}/auth/token`, { method: "POST", form: { username, password } });
   */
  form?: Record<string, string>;
  /** Per attempt; default 10 s. */
  timeoutMs?: number;
  /** Attempts after the first one, for network errors, timeouts, 429 and 5xx; default 3. */
  retries?: number;
  /** First back-off; doubled per attempt, with jitter; default 250 ms. */
  backoffMs?: number;
  signal?: AbortSignal;
}

/**
 * The `fetchJson` options a source's `requestTuningFields` ask for: the timeout in
 * milliseconds and the retries, with the fields' defaults (15 s, 3) where a value is missing.
 *
 * @example
 * await fetchJson(url, { ...requestTuning(config), headers, signal });
 */
export function requestTuning(
  config: RequestTuningConfig,
): Pick<PartnerRequestOptions, "timeoutMs" | "retries"> {
  return { timeoutMs: 1000 * (config.timeoutSeconds ?? 15), retries: config.retries ?? 3 };
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** "250 ms", "10 s", "1,5 s": a sub-second timeout must not read "0 s". */
function duration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  return `${(ms / 1000).toLocaleString("fr-FR", { maximumFractionDigits: 1 })} s`;
}

/** The system's code (ECONNREFUSED, ENOTFOUND…) says more to an admin than fetch's "fetch failed". */
function networkProblem(err: unknown): string {
  const code = (err as { cause?: { code?: unknown } }).cause?.code;
  return typeof code === "string" ? code : String((err as Error)?.message ?? err);
}

/**
 * Calls a partner's JSON API with a timeout per attempt, retries with exponential back-off on
 * what may pass (network errors, timeouts, 429, 5xx), and errors the gateway can show:
 * `unauthorized` on 401/403, `not-found` on 404, `bad-response` when the body is not JSON,
 * `unavailable` once the retries are spent, `bad-config` when `url` is not a URL. An abort from
 * `signal` is rethrown as is.
 *
 * @example
 * const page = await fetchJson<{ tickets: Raw[] }>(`${baseUrl}/tickets?page=2`, {
 *   headers: { authorization: `Bearer ${token}` },
 *   signal,
 * });
 */
export async function fetchJson<T = unknown>(url: string, options: PartnerRequestOptions = {}): Promise<T> {
  const { timeoutMs = 10_000, retries = 3, backoffMs = 250, signal } = options;
  const [contentType, body] =
    options.form !== undefined
      ? ["application/x-www-form-urlencoded", new URLSearchParams(options.form).toString()]
      : options.body !== undefined
        ? ["application/json", JSON.stringify(options.body)]
        : [undefined, undefined];
  let where: string;
  try {
    where = new URL(url).host;
  } catch (err) {
    // The URL may carry a key: it is not repeated in the message.
    throw new ConnectorError(
      "bad-config",
      "L'adresse du service n'est pas valide : vérifiez la configuration de la source.",
      { cause: err },
    );
  }
  let lastProblem = "";
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) await sleep(backoffMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5), signal);
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await fetch(url, {
        method: options.method ?? "GET",
        headers: {
          accept: "application/json",
          ...(contentType === undefined ? {} : { "content-type": contentType }),
          ...options.headers,
        },
        body,
        signal: combined,
      });
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      lastProblem = timeout.aborted
        ? `n'a pas répondu en ${duration(timeoutMs)}`
        : `est injoignable (${networkProblem(err)})`;
      if (attempt < retries) continue;
      throw new ConnectorError("unavailable", `Le service ${where} ${lastProblem}.`, { cause: err });
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw new ConnectorError(
        "unauthorized",
        `Le service ${where} refuse les identifiants de la source (HTTP ${response.status}) : vérifiez-les.`,
        { status: response.status },
      );
    }
    if (response.status === 404) {
      await response.body?.cancel();
      throw new ConnectorError(
        "not-found",
        `Le service ${where} ne connaît pas l'élément demandé (HTTP 404).`,
        {
          status: 404,
        },
      );
    }
    if (response.status === 429 || response.status >= 500) {
      await response.body?.cancel();
      lastProblem = `est en erreur (HTTP ${response.status})`;
      if (attempt < retries) continue;
      throw new ConnectorError("unavailable", `Le service ${where} ${lastProblem}.`, {
        status: response.status,
      });
    }
    let text: string;
    try {
      text = await response.text();
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      lastProblem = timeout.aborted
        ? `est trop lent (réponse incomplète après ${duration(timeoutMs)})`
        : "a coupé sa réponse en cours de route";
      if (attempt < retries) continue;
      throw new ConnectorError("unavailable", `Le service ${where} ${lastProblem}.`, { cause: err });
    }
    if (!response.ok)
      throw new ConnectorError(
        "bad-response",
        `Le service ${where} a refusé la demande (HTTP ${response.status}).`,
        {
          status: response.status,
        },
      );
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new ConnectorError(
        "bad-response",
        `Le service ${where} a renvoyé une réponse illisible (JSON invalide).`,
        {
          cause: err,
        },
      );
    }
  }
}
