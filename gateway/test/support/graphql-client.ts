export interface GraphqlError {
  message: string;
  extensions?: { code?: string; field?: string };
}

export interface GraphqlResponse<T> {
  data?: T | null;
  errors?: GraphqlError[];
}

/** A minimal GraphQL-over-HTTP client for tests, holding one session token. */
export class GraphqlClient {
  token?: string;

  constructor(readonly url: string) {}

  async raw<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): Promise<GraphqlResponse<T> & { status: number; headers: Headers }> {
    const res = await fetch(this.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as GraphqlResponse<T>;
    return { ...body, status: res.status, headers: res.headers };
  }

  /** Runs an operation that must succeed and returns its data. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever shape their query asked for.
  async request<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await this.raw<T>(query, variables);
    if (res.errors?.length) {
      throw new Error(
        `GraphQL error: ${res.errors.map((e) => `${e.extensions?.code}: ${e.message}`).join("; ")}`,
      );
    }
    return res.data as T;
  }

  /** Runs an operation that must fail and returns its first error. */
  async error(query: string, variables: Record<string, unknown> = {}): Promise<GraphqlError> {
    const res = await this.raw(query, variables);
    if (!res.errors?.length) throw new Error(`expected an error, got ${JSON.stringify(res.data)}`);
    return res.errors[0];
  }

  async login(username: string, password: string): Promise<void> {
    const data = await this.request<{ login: { token: string } }>(
      "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }",
      { u: username, p: password },
    );
    this.token = data.login.token;
  }
}
