import { ConnectorError } from "@billetix/connector-sdk";

/** Options of {@link postForm}: the same as the SDK's `fetchJson`. */
export interface FormPostOptions {
  /** Per attempt; default 10 s. */
  timeoutMs?: number;
  /** Attempts after the first one, for network errors, timeouts, 429 and 5xx; default 3. */
  retries?: number;
  /** First back-off; doubled per attempt, with jitter; default 250 ms. */
  backoffMs?: number;
  signal?: AbortSignal;
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

/**
 * POSTs an `application/x-www-form-urlencoded` form and reads a JSON answer, with the timeout,
 * retries and errors of the SDK's `fetchJson` (which only sends JSON bodies): retried on network
 * errors, timeouts, 429 and 5xx; `unauthorized` on 401/403, `not-found` on 404, `bad-response`
 * on another refusal or a body that is not JSON, `unavailable` once the retries are spent. An
 * abort from `signal` is rethrown as is.
 *
 * @example
 * const { access_token } = await postForm<{ access_token: string }>(`${baseUrl}/v3/auth/access_token`, {
 *   username, password, api_key: apiKey,
 * }, { timeoutMs: 15_000, retries: 3, signal });
 */
export async function postForm<T = unknown>(
  url: string,
  fields: Record<string, string>,
  options: FormPostOptions = {},
): Promise<T> {
  const { timeoutMs = 10_000, retries = 3, backoffMs = 250, signal } = options;
  const where = new URL(url).host;
  const body = new URLSearchParams(fields).toString();
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) await sleep(backoffMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5), signal);
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
        body,
        signal: combined,
      });
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      if (attempt < retries) continue;
      const problem = timeout.aborted
        ? `n'a pas répondu en ${Math.round(timeoutMs / 1000)} s`
        : `est injoignable (${(err as Error).message})`;
      throw new ConnectorError("unavailable", `Le service ${where} ${problem}.`, { cause: err });
    }
    const status = response.status;
    if (status === 401 || status === 403) {
      await response.body?.cancel();
      throw new ConnectorError(
        "unauthorized",
        `Le service ${where} refuse les identifiants de la source (HTTP ${status}) : vérifiez-les.`,
        { status },
      );
    }
    if (status === 404) {
      await response.body?.cancel();
      throw new ConnectorError(
        "not-found",
        `Le service ${where} ne connaît pas l'adresse demandée (HTTP 404).`,
        {
          status,
        },
      );
    }
    if (status === 429 || status >= 500) {
      await response.body?.cancel();
      if (attempt < retries) continue;
      throw new ConnectorError("unavailable", `Le service ${where} est en erreur (HTTP ${status}).`, {
        status,
      });
    }
    let text: string;
    try {
      text = await response.text();
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      if (attempt < retries) continue;
      const problem = timeout.aborted
        ? `a répondu trop lentement (réponse incomplète après ${Math.round(timeoutMs / 1000)} s)`
        : "a coupé sa réponse";
      throw new ConnectorError("unavailable", `Le service ${where} ${problem}.`, { cause: err });
    }
    if (!response.ok)
      throw new ConnectorError("bad-response", `Le service ${where} a refusé la demande (HTTP ${status}).`, {
        status,
      });
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new ConnectorError(
        "bad-response",
        `Le service ${where} a renvoyé une réponse illisible (JSON invalide).`,
        { cause: err },
      );
    }
  }
}
