import { fetchJson } from "@billetix/connector-sdk";

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

/**
 * POSTs an `application/x-www-form-urlencoded` form and reads a JSON answer: the SDK's
 * `fetchJson` with its `form` option, kept because this package exports it.
 *
 * @deprecated Call `fetchJson(url, { method: "POST", form: fields, ...options })` instead.
 * @example
 * const { access_token } = await postForm<{ access_token: string }>(`${baseUrl}/v3/auth/access_token`, {
 *   username, password, api_key: apiKey,
 * }, { timeoutMs: 15_000, retries: 3, signal });
 */
export function postForm<T = unknown>(
  url: string,
  fields: Record<string, string>,
  options: FormPostOptions = {},
): Promise<T> {
  return fetchJson<T>(url, { ...options, method: "POST", form: fields });
}
