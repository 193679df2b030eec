import { startTestGateway, type TestGateway } from "./support/test-gateway";

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t?.stop());

describe("HTTP hardening", () => {
  it("answers the load balancer's health check", async () => {
    const res = await fetch(`${t.baseUrl}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("sends helmet's security headers", async () => {
    const res = await fetch(`${t.baseUrl}/health`);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(res.headers.get("x-powered-by")).toBeNull();
  });

  it("refuses a cross-site 'simple' request that a browser would send with the cookie (CSRF)", async () => {
    const res = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ query: "{ me { login { id } } }" }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF/i);
  });

  it("refuses queries deeper than the limit", async () => {
    const deep = `{ me { memberships { institution { parent { parent { parent { parent { parent { parent { parent { parent { id } } } } } } } } } } } }`;
    const err = await t.anonymous().error(deep);
    expect(err.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(err.message).toMatch(/depth/i);
  });

  it("refuses batched requests", async () => {
    const res = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ query: "{ me { login { id } } }" }, { query: "{ me { login { id } } }" }]),
    });
    expect(res.status).toBe(400);
  });

  it("refuses a body over 2 MB", async () => {
    const res = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ me { login { id } } }", variables: { pad: "x".repeat(3_000_000) } }),
    });
    expect(res.status).toBe(413);
  });

  it("hides internal details of unexpected errors and never suggests field names", async () => {
    const err = await t.anonymous().error("{ me { login { usernam } } }");
    expect(err.message).not.toMatch(/Did you mean/);
  });
});
