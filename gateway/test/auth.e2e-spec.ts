import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { ROOT_PASSWORD, startTestGateway, type TestGateway } from "./support/test-gateway";

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t?.stop());

const ME =
  "{ me { login { username isRoot } memberships { admin backoffice scanner } lastInstitution { name } } }";

describe("bootstrap", () => {
  it("creates the root institution and the root login with the configured password", async () => {
    const root = await t.asRoot();
    const { me } = await root.request(ME);
    expect(me.login).toEqual({ username: "root", isRoot: true });
    expect(me.lastInstitution).toEqual({ name: "root" });
  });

  it("never returns a password hash, whatever is asked", async () => {
    const root = await t.asRoot();
    const err = await root.error("{ me { login { passwordHash } } }");
    expect(err.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });
});

describe("login", () => {
  it("accepts the username in any case and sets an HttpOnly SameSite cookie", async () => {
    const res = await t
      .anonymous()
      .raw(`mutation { login(username: "ROOT", password: "${ROOT_PASSWORD}") { token } }`);
    expect(res.errors).toBeUndefined();
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^billetix_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
  });

  it("the cookie alone opens the session", async () => {
    const res = await t
      .anonymous()
      .raw(`mutation { login(username: "root", password: "${ROOT_PASSWORD}") { token } }`);
    const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0];
    const me = await t.anonymous().raw<{ me: { login: { username: string } } }>(ME, {}, { cookie });
    expect(me.data?.me.login.username).toBe("root");
  });

  it.each([
    ["an unknown username", "nobody", "whatever-password", "INVALID_CREDENTIALS"],
    ["a wrong password", "root", "wrong-password", "INVALID_CREDENTIALS"],
    ["an empty password", "root", "", "BAD_USER_INPUT"],
  ])("refuses %s with a French message", async (_case, username, password, code) => {
    const err = await t
      .anonymous()
      .error("mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }", {
        u: username,
        p: password,
      });
    expect(err.extensions?.code).toBe(code);
    expect(err.message).toMatch(/mot de passe|login/i);
  });

  it("throttles repeated failures on one username with a clear message", async () => {
    const client = t.anonymous();
    const attempt = () =>
      client.error('mutation { login(username: "victim", password: "wrong-password") { token } }');
    for (let i = 0; i < 10; i++) expect((await attempt()).extensions?.code).toBe("INVALID_CREDENTIALS");
    const blocked = await attempt();
    expect(blocked.extensions?.code).toBe("TOO_MANY_ATTEMPTS");
    expect(blocked.message).toMatch(/Trop de tentatives de connexion\. Réessayez dans \d+ minutes?\./);
  });

  it("a token that is not a session is anonymous", async () => {
    const client = t.anonymous();
    client.token = "forged-token";
    expect((await client.request(ME)).me).toBeNull();
  });
});

describe("one login, one session", () => {
  it("a new login ends the previous session over HTTP", async () => {
    const first = await t.asRoot();
    await t.asRoot();
    expect((await first.request(ME)).me).toBeNull();
  });

  it("a new login closes the previous session's live subscription", async () => {
    const first = await t.asRoot();
    let firstTick!: () => void;
    const live = new Promise<void>((resolve) => {
      firstTick = resolve;
    });
    const closed = new Promise<{ code: number; reason: string }>((resolve) => {
      const client = createClient({
        url: t.url.replace(/^http/, "ws"),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${first.token}` },
        retryAttempts: 0,
        on: { closed: (event) => resolve(event as { code: number; reason: string }) },
      });
      client.subscribe(
        { query: "subscription { serverTime }" },
        { next: () => firstTick(), error: () => undefined, complete: () => undefined },
      );
    });
    await live;
    await t.asRoot();
    const event = await closed;
    expect(event.code).toBe(4401);
    expect(event.reason).toMatch(/Session terminée/);
  });

  it("a subscription needs a session", async () => {
    const client = createClient({
      url: t.url.replace(/^http/, "ws"),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    const iterator = client.iterate({ query: "subscription { serverTime }" });
    const first = await iterator.next();
    expect(first.value.errors[0]).toMatchObject({
      message: "Vous devez être connecté.",
      extensions: { code: "UNAUTHENTICATED" },
    });
    await client.dispose();
  });

  it("logout ends the session", async () => {
    const client = await t.asRoot();
    await client.request("mutation { logout }");
    expect((await client.request(ME)).me).toBeNull();
  });
});
